#include "ProtoConvert.h"

#include "MilvusError.h"

#include <QFloat16>
#include <QJsonDocument>
#include <QSysInfo>
#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace mx::proto {

namespace {

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::string ss(const QString &s)
{
    return s.toStdString();
}

[[noreturn]] void invalid(const QString &why)
{
    throwError(ErrorKind::InvalidArgument, QStringLiteral("Convert"), why);
}

// A reply that contradicts itself (lengths that disagree, impossible dimensions, counts beyond what it
// holds): a broken or hostile server. Refused as a whole, before anything indexes into it.
[[noreturn]] void malformed(const QString &why)
{
    throwError(ErrorKind::Inconsistent, QStringLiteral("Read reply"),
               QStringLiteral("the server sent a malformed reply: %1").arg(why));
}

// Milvus allows vectors of up to 32,768 dimensions; a larger one only comes from a broken server.
constexpr qint64 kMaxDim = 1 << 16;
// No column of a reply may become larger than the largest message the channel accepts (256 MB of floats)
// by spreading NULL rows out.
constexpr qint64 kMaxSpreadValues = qint64(1) << 26;

void checkDim(const QString &field, qint64 dim, qint64 units, qint64 perDim, const char *what)
{
    if (units == 0)
        return;
    if (dim <= 0 || dim > kMaxDim)
        malformed(QStringLiteral("field '%1' has %2 data of dimension %3")
                      .arg(field, QLatin1String(what))
                      .arg(dim));
    if (units % (dim * perDim) != 0)
        malformed(QStringLiteral("field '%1': %2 %3 values do not make whole vectors of dimension %4")
                      .arg(field)
                      .arg(units)
                      .arg(QLatin1String(what))
                      .arg(dim));
}

template<typename T, typename R>
QList<T> toList(const R &repeated)
{
    return QList<T>(repeated.begin(), repeated.end());
}

QVariant fromValueField(const pb::schema::ValueField &v)
{
    switch (v.data_case()) {
    case pb::schema::ValueField::kBoolData:
        return v.bool_data();
    case pb::schema::ValueField::kIntData:
        return v.int_data();
    case pb::schema::ValueField::kLongData:
        return qint64(v.long_data());
    case pb::schema::ValueField::kFloatData:
        return v.float_data();
    case pb::schema::ValueField::kDoubleData:
        return v.double_data();
    case pb::schema::ValueField::kStringData:
        return qs(v.string_data());
    case pb::schema::ValueField::kBytesData:
        return QByteArray::fromStdString(v.bytes_data());
    default:
        return {};
    }
}

void toValueField(const QVariant &in, DataType type, pb::schema::ValueField *out)
{
    switch (type) {
    case DataType::Bool:
        out->set_bool_data(in.toBool());
        break;
    case DataType::Int8:
    case DataType::Int16:
    case DataType::Int32:
        out->set_int_data(in.toInt());
        break;
    case DataType::Int64:
        out->set_long_data(in.toLongLong());
        break;
    case DataType::Float:
        out->set_float_data(in.toFloat());
        break;
    case DataType::Double:
        out->set_double_data(in.toDouble());
        break;
    case DataType::VarChar:
    case DataType::String:
        out->set_string_data(ss(in.toString()));
        break;
    default:
        out->set_bytes_data(in.toByteArray().toStdString());
    }
}

// One array cell (a row of an ARRAY field) into a ScalarField of the element type.
void arrayCellToProto(const QVariantList &cell, DataType elementType, pb::schema::ScalarField *out)
{
    switch (elementType) {
    case DataType::Bool:
        out->mutable_bool_data(); // set even for an empty cell, which then still says its type
        for (const auto &v : cell)
            out->mutable_bool_data()->add_data(v.toBool());
        break;
    case DataType::Int8:
    case DataType::Int16:
    case DataType::Int32:
        out->mutable_int_data(); // set even for an empty cell, which then still says its type
        for (const auto &v : cell)
            out->mutable_int_data()->add_data(v.toInt());
        break;
    case DataType::Int64:
        out->mutable_long_data(); // set even for an empty cell, which then still says its type
        for (const auto &v : cell)
            out->mutable_long_data()->add_data(v.toLongLong());
        break;
    case DataType::Float:
        out->mutable_float_data(); // set even for an empty cell, which then still says its type
        for (const auto &v : cell)
            out->mutable_float_data()->add_data(v.toFloat());
        break;
    case DataType::Double:
        out->mutable_double_data(); // set even for an empty cell, which then still says its type
        for (const auto &v : cell)
            out->mutable_double_data()->add_data(v.toDouble());
        break;
    case DataType::VarChar:
    case DataType::String:
        out->mutable_string_data(); // set even for an empty cell, which then still says its type
        for (const auto &v : cell)
            out->mutable_string_data()->add_data(ss(v.toString()));
        break;
    default:
        invalid(QStringLiteral("unsupported array element type %1").arg(dataTypeName(elementType)));
    }
}

QVariantList arrayCellFromProto(const pb::schema::ScalarField &s)
{
    QVariantList out;
    switch (s.data_case()) {
    case pb::schema::ScalarField::kBoolData:
        for (bool b : s.bool_data().data())
            out.append(b);
        break;
    case pb::schema::ScalarField::kIntData:
        for (int v : s.int_data().data())
            out.append(v);
        break;
    case pb::schema::ScalarField::kLongData:
        for (auto v : s.long_data().data())
            out.append(qint64(v));
        break;
    case pb::schema::ScalarField::kFloatData:
        for (float v : s.float_data().data())
            out.append(double(v));
        break;
    case pb::schema::ScalarField::kDoubleData:
        for (double v : s.double_data().data())
            out.append(v);
        break;
    case pb::schema::ScalarField::kStringData:
        for (const auto &v : s.string_data().data())
            out.append(qs(v));
        break;
    default:
        break;
    }
    return out;
}

// Nullable columns may arrive with only the valid rows in the data array; spread them out so that the
// column has one cell per row.
template<typename T>
QList<T> expandToValid(QList<T> values, const QList<bool> &valid)
{
    if (valid.isEmpty() || values.size() == valid.size())
        return values;
    if (values.size() != valid.count(true))
        malformed(QStringLiteral("a nullable column has %1 values for %2 rows of which %3 are not NULL")
                      .arg(values.size())
                      .arg(valid.size())
                      .arg(valid.count(true)));
    QList<T> out;
    out.reserve(valid.size());
    qsizetype next = 0;
    for (bool ok : valid)
        out.append(ok && next < values.size() ? values.at(next++) : T{});
    return out;
}

// The values of the valid rows only: Milvus wants a nullable column compact, one valid_data flag per
// row and a value only where the flag is set (as pymilvus sends it; the proxy refuses a placeholder per
// NULL with "the length of field is wrong"). FieldColumn keeps one cell per row, so compact it here.
FieldColumn::Data validRowsOnly(const FieldColumn &in)
{
    return std::visit(
        [&](const auto &v) -> FieldColumn::Data {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return v;
            } else if constexpr (std::is_same_v<T, FloatVectors>) {
                FloatVectors out{v.dim, {}};
                for (qsizetype r = 0; r < in.valid.size(); ++r)
                    if (in.valid.at(r))
                        out.values.append(v.values.mid(r * v.dim, v.dim));
                return out;
            } else if constexpr (std::is_same_v<T, BinaryVectors>) {
                BinaryVectors out{v.dim, {}};
                for (qsizetype r = 0; r < in.valid.size(); ++r)
                    if (in.valid.at(r))
                        out.bytes.append(v.row(r));
                return out;
            } else {
                T out;
                for (qsizetype r = 0; r < in.valid.size(); ++r)
                    if (in.valid.at(r))
                        out.append(v.at(r));
                return out;
            }
        },
        in.data);
}

// FLOAT16 (IEEE half), BFLOAT16 (the upper half of a float32) and INT8 vectors as floats, for display
// and export: little-endian, as the server sends them.
QList<float> halfVectorsToFloats(const pb::schema::VectorField &v)
{
    QList<float> out;
    if (v.has_int8_vector()) {
        for (char b : v.int8_vector())
            out.append(float(qint8(b)));
        return out;
    }
    const bool brain = v.has_bfloat16_vector();
    const std::string &bytes = brain ? v.bfloat16_vector() : v.float16_vector();
    out.reserve(qsizetype(bytes.size() / 2));
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
        const quint16 bits = qFromLittleEndian<quint16>(bytes.data() + i);
        if (brain) {
            const quint32 wide = quint32(bits) << 16;
            float f;
            std::memcpy(&f, &wide, sizeof f);
            out.append(f);
        } else {
            qfloat16 h;
            std::memcpy(&h, &bits, sizeof h);
            out.append(float(h));
        }
    }
    return out;
}

} // namespace

QMap<QString, QString> fromKeyValues(const google::protobuf::RepeatedPtrField<pb::common::KeyValuePair> &kvs)
{
    QMap<QString, QString> out;
    for (const auto &kv : kvs)
        out.insert(qs(kv.key()), qs(kv.value()));
    return out;
}

void toKeyValues(const QMap<QString, QString> &map,
                 google::protobuf::RepeatedPtrField<pb::common::KeyValuePair> *out)
{
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        auto *kv = out->Add();
        kv->set_key(ss(it.key()));
        kv->set_value(ss(it.value()));
    }
}

void toProto(const FieldSchema &in, pb::schema::FieldSchema *out)
{
    out->set_name(ss(in.name));
    out->set_description(ss(in.description));
    out->set_data_type(pb::schema::DataType(int(in.type)));
    out->set_element_type(pb::schema::DataType(int(in.elementType)));
    out->set_is_primary_key(in.isPrimaryKey);
    out->set_autoid(in.autoId);
    out->set_is_partition_key(in.isPartitionKey);
    out->set_is_clustering_key(in.isClusteringKey);
    out->set_is_dynamic(in.isDynamic);
    out->set_nullable(in.nullable);
    toKeyValues(in.typeParams, out->mutable_type_params());
    if (in.defaultValue.isValid())
        toValueField(in.defaultValue, in.type, out->mutable_default_value());
}

FieldSchema fromProto(const pb::schema::FieldSchema &in)
{
    FieldSchema f;
    f.name = qs(in.name());
    f.description = qs(in.description());
    f.type = DataType(int(in.data_type()));
    f.elementType = DataType(int(in.element_type()));
    f.isPrimaryKey = in.is_primary_key();
    f.autoId = in.autoid();
    f.isPartitionKey = in.is_partition_key();
    f.isClusteringKey = in.is_clustering_key();
    f.isDynamic = in.is_dynamic();
    f.nullable = in.nullable();
    f.typeParams = fromKeyValues(in.type_params());
    // Some servers report vector/varchar limits in index_params; keep whatever they send.
    const auto indexParams = fromKeyValues(in.index_params());
    for (auto it = indexParams.cbegin(); it != indexParams.cend(); ++it)
        if (!f.typeParams.contains(it.key()))
            f.typeParams.insert(it.key(), it.value());
    if (in.has_default_value())
        f.defaultValue = fromValueField(in.default_value());
    return f;
}

void toProto(const CollectionSchema &in, pb::schema::CollectionSchema *out)
{
    out->set_name(ss(in.name));
    out->set_description(ss(in.description));
    out->set_autoid(in.autoId);
    out->set_enable_dynamic_field(in.enableDynamicField);
    for (const auto &f : in.fields)
        toProto(f, out->add_fields());
    toKeyValues(in.properties, out->mutable_properties());
}

CollectionSchema fromProto(const pb::schema::CollectionSchema &in)
{
    CollectionSchema s;
    s.name = qs(in.name());
    s.description = qs(in.description());
    s.autoId = in.autoid();
    s.enableDynamicField = in.enable_dynamic_field();
    for (const auto &f : in.fields())
        s.fields.append(fromProto(f));
    s.properties = fromKeyValues(in.properties());
    return s;
}

QByteArray sparseToBytes(const SparseVector &v)
{
    if (v.indices.size() != v.values.size())
        invalid(QStringLiteral("sparse vector has %1 indices but %2 values")
                    .arg(v.indices.size())
                    .arg(v.values.size()));
    QByteArray out(v.indices.size() * 8, Qt::Uninitialized);
    char *p = out.data();
    for (qsizetype i = 0; i < v.indices.size(); ++i) {
        qToLittleEndian<quint32>(v.indices.at(i), p);
        qToLittleEndian<float>(v.values.at(i), p + 4);
        p += 8;
    }
    return out;
}

SparseVector sparseFromBytes(const std::string &bytes)
{
    SparseVector v;
    const qsizetype n = qsizetype(bytes.size() / 8);
    v.indices.reserve(n);
    v.values.reserve(n);
    for (qsizetype i = 0; i < n; ++i) {
        v.indices.append(qFromLittleEndian<quint32>(bytes.data() + i * 8));
        v.values.append(qFromLittleEndian<float>(bytes.data() + i * 8 + 4));
    }
    return v;
}

void toProto(const FieldColumn &in, pb::schema::FieldData *out)
{
    out->set_field_name(ss(in.name));
    out->set_type(pb::schema::DataType(int(in.type)));
    out->set_is_dynamic(in.isDynamic);
    for (bool b : in.valid)
        out->add_valid_data(b);
    const qsizetype validRows = qsizetype(std::count(in.valid.begin(), in.valid.end(), true));
    FieldColumn::Data compact;
    if (!in.valid.isEmpty() && in.rowCount() == in.valid.size() && validRows != in.valid.size())
        compact = validRowsOnly(in);
    else if (!in.valid.isEmpty() && in.rowCount() != validRows)
        invalid(QStringLiteral("column '%1' has %2 values for %3 rows of which %4 are valid")
                    .arg(in.name)
                    .arg(in.rowCount())
                    .arg(in.valid.size())
                    .arg(validRows));
    auto scalars = [&] { return out->mutable_scalars(); };
    std::visit(
        [&](const auto &v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                invalid(QStringLiteral("column '%1' has no data").arg(in.name));
            } else if constexpr (std::is_same_v<T, QList<bool>>) {
                scalars()->mutable_bool_data()->mutable_data()->Add(v.begin(), v.end());
            } else if constexpr (std::is_same_v<T, QList<qint32>>) {
                scalars()->mutable_int_data()->mutable_data()->Add(v.begin(), v.end());
            } else if constexpr (std::is_same_v<T, QList<qint64>>) {
                auto *d = scalars()->mutable_long_data()->mutable_data();
                d->Reserve(int(v.size()));
                for (qint64 x : v)
                    d->Add(x);
            } else if constexpr (std::is_same_v<T, QList<float>>) {
                scalars()->mutable_float_data()->mutable_data()->Add(v.begin(), v.end());
            } else if constexpr (std::is_same_v<T, QList<double>>) {
                scalars()->mutable_double_data()->mutable_data()->Add(v.begin(), v.end());
            } else if constexpr (std::is_same_v<T, QStringList>) {
                auto *d = scalars()->mutable_string_data()->mutable_data();
                d->Reserve(int(v.size()));
                for (const auto &s : v)
                    d->Add(ss(s));
            } else if constexpr (std::is_same_v<T, QList<QByteArray>>) {
                auto *d = scalars()->mutable_json_data()->mutable_data();
                d->Reserve(int(v.size()));
                for (const auto &s : v)
                    d->Add(s.toStdString());
            } else if constexpr (std::is_same_v<T, QList<QVariantList>>) {
                auto *arr = scalars()->mutable_array_data();
                arr->set_element_type(pb::schema::DataType(int(in.elementType)));
                for (const auto &cell : v)
                    arrayCellToProto(cell, in.elementType, arr->add_data());
            } else if constexpr (std::is_same_v<T, FloatVectors>) {
                if (in.type != DataType::FloatVector)
                    invalid(
                        QStringLiteral("column '%1': writing %2 is not supported (it is read and shown as "
                                       "float values only)")
                            .arg(in.name, dataTypeName(in.type)));
                if (v.dim <= 0 || v.values.size() % v.dim != 0)
                    invalid(QStringLiteral("column '%1': %2 floats do not make whole vectors of dimension %3")
                                .arg(in.name)
                                .arg(v.values.size())
                                .arg(v.dim));
                auto *vf = out->mutable_vectors();
                vf->set_dim(v.dim);
                vf->mutable_float_vector()->mutable_data()->Add(v.values.begin(), v.values.end());
            } else if constexpr (std::is_same_v<T, BinaryVectors>) {
                if (v.dim <= 0 || v.dim % 8 != 0 || v.bytes.size() % v.rowBytes() != 0)
                    invalid(
                        QStringLiteral("column '%1': %2 bytes do not make whole binary vectors of %3 bits")
                            .arg(in.name)
                            .arg(v.bytes.size())
                            .arg(v.dim));
                auto *vf = out->mutable_vectors();
                vf->set_dim(v.dim);
                vf->set_binary_vector(v.bytes.toStdString());
            } else if constexpr (std::is_same_v<T, QList<SparseVector>>) {
                auto *vf = out->mutable_vectors();
                auto *sp = vf->mutable_sparse_float_vector();
                qint64 dim = 0;
                for (const auto &sv : v) {
                    sp->add_contents(sparseToBytes(sv).toStdString());
                    for (quint32 idx : sv.indices)
                        dim = std::max<qint64>(dim, qint64(idx) + 1);
                }
                sp->set_dim(dim);
                vf->set_dim(dim);
            }
        },
        std::holds_alternative<std::monostate>(compact) ? in.data : compact);
}

FieldColumn fromProto(const pb::schema::FieldData &in)
{
    FieldColumn c;
    c.name = qs(in.field_name());
    c.type = DataType(int(in.type()));
    c.isDynamic = in.is_dynamic();
    c.valid = toList<bool>(in.valid_data());
    if (in.has_scalars()) {
        const auto &s = in.scalars();
        switch (s.data_case()) {
        case pb::schema::ScalarField::kBoolData:
            c.data = expandToValid(toList<bool>(s.bool_data().data()), c.valid);
            break;
        case pb::schema::ScalarField::kIntData:
            c.data = expandToValid(toList<qint32>(s.int_data().data()), c.valid);
            break;
        case pb::schema::ScalarField::kLongData:
            c.data = expandToValid(toList<qint64>(s.long_data().data()), c.valid);
            break;
        case pb::schema::ScalarField::kFloatData:
            c.data = expandToValid(toList<float>(s.float_data().data()), c.valid);
            break;
        case pb::schema::ScalarField::kDoubleData:
            c.data = expandToValid(toList<double>(s.double_data().data()), c.valid);
            break;
        case pb::schema::ScalarField::kStringData: {
            QStringList l;
            l.reserve(s.string_data().data_size());
            for (const auto &x : s.string_data().data())
                l.append(qs(x));
            c.data = expandToValid(std::move(l), c.valid);
            break;
        }
        case pb::schema::ScalarField::kJsonData: {
            QList<QByteArray> l;
            l.reserve(s.json_data().data_size());
            for (const auto &x : s.json_data().data())
                l.append(QByteArray::fromStdString(x));
            c.data = expandToValid(std::move(l), c.valid);
            break;
        }
        case pb::schema::ScalarField::kArrayData: {
            c.elementType = DataType(int(s.array_data().element_type()));
            QList<QVariantList> l;
            l.reserve(s.array_data().data_size());
            for (const auto &cell : s.array_data().data())
                l.append(arrayCellFromProto(cell));
            c.data = expandToValid(std::move(l), c.valid);
            break;
        }
        default:
            break;
        }
    } else if (in.has_vectors()) {
        const auto &v = in.vectors();
        if (v.has_float_vector()) {
            checkDim(c.name, v.dim(), v.float_vector().data_size(), 1, "float");
            FloatVectors fv{int(v.dim()), toList<float>(v.float_vector().data())};
            if (!c.valid.isEmpty() && fv.rows() != c.valid.size()) {
                if (fv.rows() != c.valid.count(true))
                    malformed(QStringLiteral("field '%1' has %2 vectors for %3 rows of which %4 are not NULL")
                                  .arg(c.name)
                                  .arg(fv.rows())
                                  .arg(c.valid.size())
                                  .arg(c.valid.count(true)));
                if (qint64(c.valid.size()) * fv.dim > kMaxSpreadValues)
                    malformed(
                        QStringLiteral("field '%1': %2 rows of dimension %3 are more than a reply can hold")
                            .arg(c.name)
                            .arg(c.valid.size())
                            .arg(fv.dim));
                // Nullable vectors come compact: spread the valid rows out, zeros where NULL.
                QList<float> spread;
                spread.reserve(c.valid.size() * fv.dim);
                qsizetype next = 0;
                for (bool ok : c.valid) {
                    if (ok && next < fv.rows())
                        spread.append(fv.row(next++));
                    else
                        spread.append(QList<float>(fv.dim, 0.0f));
                }
                fv.values = std::move(spread);
            }
            c.data = std::move(fv);
        } else if (v.has_binary_vector()) {
            checkDim(c.name, v.dim(), qint64(v.binary_vector().size()) * 8, 1, "binary");
            if (v.dim() % 8 != 0)
                malformed(QStringLiteral("field '%1' has binary vectors of %2 bits (not whole bytes)")
                              .arg(c.name)
                              .arg(v.dim()));
            c.data = BinaryVectors{int(v.dim()), QByteArray::fromStdString(v.binary_vector())};
        } else if (v.has_float16_vector() || v.has_bfloat16_vector() || v.has_int8_vector()) {
            const qint64 bytes = qint64(v.has_int8_vector()       ? v.int8_vector().size()
                                        : v.has_bfloat16_vector() ? v.bfloat16_vector().size()
                                                                  : v.float16_vector().size());
            checkDim(c.name, v.dim(), bytes, v.has_int8_vector() ? 1 : 2, "vector byte");
            c.data = FloatVectors{int(v.dim()), halfVectorsToFloats(v)};
        } else if (v.has_sparse_float_vector()) {
            QList<SparseVector> l;
            for (const auto &bytes : v.sparse_float_vector().contents())
                l.append(sparseFromBytes(bytes));
            c.data = expandToValid(std::move(l), c.valid);
        }
    }
    return c;
}

IdList fromProto(const pb::schema::IDs &in)
{
    IdList out;
    if (in.has_str_id()) {
        QStringList l;
        l.reserve(in.str_id().data_size());
        for (const auto &s : in.str_id().data())
            l.append(qs(s));
        out.ids = std::move(l);
    } else {
        out.ids = toList<qint64>(in.int_id().data());
    }
    return out;
}

void toProto(const IdList &in, pb::schema::IDs *out)
{
    if (const auto *ints = std::get_if<QList<qint64>>(&in.ids)) {
        auto *d = out->mutable_int_id()->mutable_data();
        for (qint64 x : *ints)
            d->Add(x);
    } else {
        auto *d = out->mutable_str_id()->mutable_data();
        for (const auto &s : std::get<QStringList>(in.ids))
            d->Add(ss(s));
    }
}

namespace {
template<typename Pb>
void fillColumns(const InsertRequest &r, Pb *out, const char *op)
{
    if (r.columns.isEmpty())
        throwError(ErrorKind::InvalidArgument, QString::fromLatin1(op),
                   QStringLiteral("no columns to write"));
    const qsizetype rows = r.columns.first().rowCount();
    for (const auto &c : r.columns) {
        if (c.rowCount() != rows)
            throwError(ErrorKind::InvalidArgument, QString::fromLatin1(op),
                       QStringLiteral("column '%1' has %2 rows, but column '%3' has %4")
                           .arg(c.name)
                           .arg(c.rowCount())
                           .arg(r.columns.first().name)
                           .arg(rows));
        toProto(c, out->add_fields_data());
    }
    out->set_collection_name(ss(r.collection));
    out->set_partition_name(ss(r.partition));
    out->set_num_rows(quint32(rows));
}
} // namespace

void toProto(const InsertRequest &in, pb::milvus::InsertRequest *out)
{
    fillColumns(in, out, "Insert");
}

void toProto(const InsertRequest &in, pb::milvus::UpsertRequest *out)
{
    fillColumns(in, out, "Upsert");
}

std::string placeholderGroup(const FloatVectors &vectors)
{
    if (vectors.dim <= 0 || vectors.values.isEmpty() || vectors.values.size() % vectors.dim != 0)
        invalid(
            QStringLiteral("search needs at least one whole query vector (got %1 floats for dimension %2)")
                .arg(vectors.values.size())
                .arg(vectors.dim));
    pb::common::PlaceholderGroup group;
    auto *value = group.add_placeholders();
    value->set_tag("$0");
    value->set_type(pb::common::PlaceholderType::FloatVector);
    const qsizetype rows = vectors.rows();
    for (qsizetype r = 0; r < rows; ++r) {
        const float *row = vectors.values.constData() + r * vectors.dim;
        std::string bytes(size_t(vectors.dim) * sizeof(float), '\0');
        if constexpr (QSysInfo::ByteOrder == QSysInfo::LittleEndian)
            std::memcpy(bytes.data(), row, bytes.size()); // the wire order already
        else
            for (int k = 0; k < vectors.dim; ++k)
                qToLittleEndian<float>(row[k], bytes.data() + k * sizeof(float));
        value->add_values(std::move(bytes));
    }
    return group.SerializeAsString();
}

std::string placeholderGroup(const BinaryVectors &vectors)
{
    if (vectors.dim <= 0 || vectors.dim % 8 != 0 || vectors.rows() == 0 ||
        vectors.bytes.size() % vectors.rowBytes() != 0)
        invalid(
            QStringLiteral("search needs at least one whole binary query vector (got %1 bytes for %2 bits)")
                .arg(vectors.bytes.size())
                .arg(vectors.dim));
    pb::common::PlaceholderGroup group;
    auto *value = group.add_placeholders();
    value->set_tag("$0");
    value->set_type(pb::common::PlaceholderType::BinaryVector);
    for (qsizetype r = 0; r < vectors.rows(); ++r)
        value->add_values(vectors.row(r).toStdString());
    return group.SerializeAsString();
}

std::string placeholderGroup(const QList<SparseVector> &vectors)
{
    if (vectors.isEmpty())
        invalid(QStringLiteral("search needs at least one query vector"));
    pb::common::PlaceholderGroup group;
    auto *value = group.add_placeholders();
    value->set_tag("$0");
    value->set_type(pb::common::PlaceholderType::SparseFloatVector);
    for (const auto &v : vectors)
        value->add_values(sparseToBytes(v).toStdString());
    return group.SerializeAsString();
}

SearchResults fromProto(const pb::schema::SearchResultData &in)
{
    SearchResults out;
    out.primaryField = qs(in.primary_field_name());
    const IdList ids = fromProto(in.ids());
    QList<FieldColumn> columns;
    for (const auto &fd : in.fields_data())
        columns.append(fromProto(fd));
    // Flattened across queries: topks split ids, scores and every column into the queries' hits. A reply
    // whose topks promise more hits than it holds is cut short (a truncated answer stays readable), but
    // a negative count is nonsense, and nothing is reserved on the server's say-so.
    const qsizetype total = ids.size();
    for (int q = 0; q < in.topks_size(); ++q)
        if (in.topks(q) < 0)
            malformed(QStringLiteral("query %1 claims %2 hits").arg(q).arg(in.topks(q)));
    qsizetype offset = 0;
    for (int q = 0; q < in.topks_size(); ++q) {
        const qsizetype n = qsizetype(std::min<qint64>(in.topks(q), total - std::min(offset, total)));
        QList<SearchHit> hits;
        hits.reserve(n);
        for (qsizetype i = 0; i < n && offset + i < total; ++i) {
            const qsizetype row = offset + i;
            SearchHit hit;
            hit.id = ids.at(row);
            hit.score = row < in.scores_size() ? in.scores(int(row)) : 0.0f;
            for (const auto &col : columns) {
                if (col.isDynamic) {
                    const QVariantMap dyn = col.value(row).toMap();
                    for (auto it = dyn.cbegin(); it != dyn.cend(); ++it)
                        hit.fields.insert(it.key(), it.value());
                } else {
                    hit.fields.insert(col.name, col.value(row));
                }
            }
            hits.append(std::move(hit));
        }
        offset += n;
        out.queries.append(std::move(hits));
    }
    return out;
}

QueryResult fromProto(const pb::milvus::QueryResults &in)
{
    QueryResult out;
    out.primaryField = qs(in.primary_field_name());
    for (const auto &fd : in.fields_data())
        out.columns.append(fromProto(fd));
    // Every column has one cell per row: readers index all of them by the first one's row count.
    const FieldColumn *first = nullptr;
    for (const auto &col : out.columns) {
        if (std::holds_alternative<std::monostate>(col.data))
            continue;
        if (!first)
            first = &col;
        else if (col.rowCount() != first->rowCount())
            malformed(QStringLiteral("field '%1' has %2 rows, but field '%3' has %4")
                          .arg(col.name)
                          .arg(col.rowCount())
                          .arg(first->name)
                          .arg(first->rowCount()));
    }
    for (const auto &name : in.output_fields())
        out.outputFields.append(qs(name));
    return out;
}

MutationResult fromProto(const pb::milvus::MutationResult &in)
{
    MutationResult out;
    out.ids = fromProto(in.ids());
    out.insertCount = in.insert_cnt();
    out.deleteCount = in.delete_cnt();
    out.upsertCount = in.upsert_cnt();
    out.timestamp = in.timestamp();
    out.errorIndex = toList<quint32>(in.err_index());
    return out;
}

IndexDescription fromProto(const pb::milvus::IndexDescription &in)
{
    IndexDescription d;
    d.indexName = qs(in.index_name());
    d.fieldName = qs(in.field_name());
    d.indexId = in.indexid();
    d.params = fromKeyValues(in.params());
    d.indexedRows = in.indexed_rows();
    d.totalRows = in.total_rows();
    d.pendingRows = in.pending_index_rows();
    d.state = int(in.state());
    d.failReason = qs(in.index_state_fail_reason());
    return d;
}

CollectionDescription fromProto(const pb::milvus::DescribeCollectionResponse &in)
{
    CollectionDescription d;
    d.schema = fromProto(in.schema());
    d.collectionName = qs(in.collection_name());
    if (d.collectionName.isEmpty())
        d.collectionName = d.schema.name;
    d.collectionId = in.collectionid();
    d.dbName = qs(in.db_name());
    for (const auto &a : in.aliases())
        d.aliases.append(qs(a));
    d.consistency = ConsistencyLevel(int(in.consistency_level()));
    d.shards = in.shards_num();
    d.numPartitions = in.num_partitions();
    d.createdUtcMs = in.created_utc_timestamp();
    d.properties = fromKeyValues(in.properties());
    return d;
}

} // namespace mx::proto
