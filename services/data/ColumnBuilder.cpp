#include "ColumnBuilder.h"

#include "CellCodec.h"
#include "MilvusError.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cfloat>
#include <cmath>

namespace mx {

namespace {

QString shown(const QString &text)
{
    constexpr int kMax = 40;
    const QString cut = text.size() > kMax ? text.left(kMax) + QStringLiteral("…") : text;
    return QLatin1Char('\'') + cut + QLatin1Char('\'');
}

QString shown(const QJsonValue &v)
{
    return v.isString() ? shown(v.toString()) : shown(QString::fromUtf8(compactJson(v)));
}

bool integerRange(DataType type, qint64 *lo, qint64 *hi)
{
    switch (type) {
    case DataType::Int8:
        *lo = -128, *hi = 127;
        return true;
    case DataType::Int16:
        *lo = -32768, *hi = 32767;
        return true;
    case DataType::Int32:
        *lo = std::numeric_limits<qint32>::min(), *hi = std::numeric_limits<qint32>::max();
        return true;
    case DataType::Int64:
        *lo = std::numeric_limits<qint64>::min(), *hi = std::numeric_limits<qint64>::max();
        return true;
    default:
        return false;
    }
}

// A JSON number that is a whole number (QJsonValue keeps integers up to 2^63 exactly).
bool jsonInteger(const QJsonValue &v, qint64 *out)
{
    if (!v.isDouble())
        return false;
    const qint64 a = v.toInteger(0);
    const qint64 b = v.toInteger(1);
    if (a != b)
        return false;
    *out = a;
    return true;
}

bool textInteger(const QString &text, qint64 *out)
{
    bool ok = false;
    *out = text.trimmed().toLongLong(&ok, 10);
    return ok;
}

} // namespace

bool ColumnBuilder::isSupported(DataType type)
{
    switch (type) {
    case DataType::Float16Vector:
    case DataType::BFloat16Vector:
    case DataType::Int8Vector:
    case DataType::None:
        return false;
    default:
        return true;
    }
}

ColumnBuilder::ColumnBuilder(FieldSchema field)
    : m_field(std::move(field))
{
    if (!isSupported(m_field.type))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Import"),
                   QStringLiteral("field '%1' has type %2, which import and sample data cannot write (it is "
                                  "only read and shown)")
                       .arg(m_field.name, milvusTypeName(m_field.type)));
    m_tracksValidity = m_field.nullable || m_field.defaultValue.isValid();
    truncate(0);
}

void ColumnBuilder::truncate(qsizetype rows)
{
    if (rows == 0) {
        m_column = FieldColumn{};
        m_column.name = m_field.name;
        m_column.type = m_field.type;
        m_column.elementType = m_field.elementType;
        switch (m_field.type) {
        case DataType::Bool:
            m_column.data = QList<bool>{};
            break;
        case DataType::Int8:
        case DataType::Int16:
        case DataType::Int32:
            m_column.data = QList<qint32>{};
            break;
        case DataType::Int64:
            m_column.data = QList<qint64>{};
            break;
        case DataType::Float:
            m_column.data = QList<float>{};
            break;
        case DataType::Double:
            m_column.data = QList<double>{};
            break;
        case DataType::VarChar:
        case DataType::String:
            m_column.data = QStringList{};
            break;
        case DataType::Json:
            m_column.data = QList<QByteArray>{};
            break;
        case DataType::Array:
            m_column.data = QList<QVariantList>{};
            break;
        case DataType::FloatVector:
            m_column.data = FloatVectors{m_field.dim(), {}};
            break;
        case DataType::SparseFloatVector:
            m_column.data = QList<SparseVector>{};
            break;
        case DataType::BinaryVector:
            m_column.data = BinaryVectors{m_field.dim(), {}};
            break;
        default:
            break;
        }
        m_rows = 0;
        return;
    }
    std::visit(
        [&](auto &v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, FloatVectors>)
                v.values.resize(rows * v.dim);
            else if constexpr (std::is_same_v<T, BinaryVectors>)
                v.bytes.resize(rows * v.rowBytes());
            else if constexpr (!std::is_same_v<T, std::monostate>)
                v.resize(rows);
        },
        m_column.data);
    if (m_tracksValidity)
        m_column.valid.resize(rows);
    m_rows = rows;
}

FieldColumn ColumnBuilder::take()
{
    FieldColumn out = std::move(m_column);
    truncate(0);
    return out;
}

void ColumnBuilder::markValid(bool valid)
{
    if (m_tracksValidity)
        m_column.valid.append(valid);
    ++m_rows;
}

bool ColumnBuilder::appendNull(QString *why)
{
    if (!m_tracksValidity) {
        *why = QStringLiteral("a value is required (the field is not nullable and has no default)");
        return false;
    }
    // A placeholder that keeps one cell per row; ProtoConvert leaves it out on the wire (valid_data = false).
    std::visit(
        [&](auto &v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, FloatVectors>)
                v.values.append(QList<float>(v.dim, 0.0f));
            else if constexpr (std::is_same_v<T, BinaryVectors>)
                v.bytes.append(QByteArray(v.rowBytes(), '\0'));
            else if constexpr (std::is_same_v<T, QList<QByteArray>>)
                v.append(QByteArrayLiteral("null"));
            else if constexpr (!std::is_same_v<T, std::monostate>)
                v.append(typename T::value_type{});
        },
        m_column.data);
    markValid(false);
    return true;
}

bool ColumnBuilder::appendMissing(QString *why)
{
    if (!appendNull(why)) {
        *why = QStringLiteral("missing (the field is not nullable and has no default)");
        return false;
    }
    return true;
}

bool ColumnBuilder::checkElement(const QJsonValue &v, DataType type, int maxLength, QString *why) const
{
    qint64 lo = 0, hi = 0, n = 0;
    if (integerRange(type, &lo, &hi)) {
        if (!jsonInteger(v, &n) || n < lo || n > hi) {
            *why = QStringLiteral("%1 is not %2").arg(shown(v), milvusTypeWithArticle(type));
            return false;
        }
        return true;
    }
    switch (type) {
    case DataType::Bool:
        if (!v.isBool()) {
            *why = QStringLiteral("%1 is not a BOOL").arg(shown(v));
            return false;
        }
        return true;
    case DataType::Float:
    case DataType::Double:
        if (!v.isDouble() || (type == DataType::Float && std::isfinite(v.toDouble()) &&
                              std::abs(v.toDouble()) > double(FLT_MAX))) {
            *why = QStringLiteral("%1 is not %2").arg(shown(v), milvusTypeWithArticle(type));
            return false;
        }
        return true;
    case DataType::VarChar:
    case DataType::String:
        if (!v.isString()) {
            *why = QStringLiteral("%1 is not a VARCHAR").arg(shown(v));
            return false;
        }
        if (maxLength > 0 && v.toString().toUtf8().size() > maxLength) {
            *why = QStringLiteral("%1 is %2 bytes long, more than max_length %3")
                       .arg(shown(v))
                       .arg(v.toString().toUtf8().size())
                       .arg(maxLength);
            return false;
        }
        return true;
    default:
        *why = QStringLiteral("unsupported element type %1").arg(milvusTypeName(type));
        return false;
    }
}

bool ColumnBuilder::appendJson(const QJsonValue &value, QString *why)
{
    if (value.isNull() || value.isUndefined())
        return appendNull(why);
    const DataType type = m_field.type;
    qint64 n = 0, lo = 0, hi = 0;
    if (integerRange(type, &lo, &hi)) {
        bool ok = jsonInteger(value, &n);
        // JSON tools often quote 64-bit integers to get past double precision; accept those.
        if (!ok && value.isString() && type == DataType::Int64)
            ok = textInteger(value.toString(), &n);
        if (!ok || n < lo || n > hi) {
            *why = QStringLiteral("%1 is not %2").arg(shown(value), milvusTypeWithArticle(type));
            return false;
        }
        if (type == DataType::Int64)
            std::get<QList<qint64>>(m_column.data).append(n);
        else
            std::get<QList<qint32>>(m_column.data).append(qint32(n));
        markValid(true);
        return true;
    }
    switch (type) {
    case DataType::Bool:
    case DataType::Float:
    case DataType::Double:
    case DataType::VarChar:
    case DataType::String:
        if (!checkElement(value, type, m_field.maxLength(), why))
            return false;
        if (type == DataType::Bool)
            std::get<QList<bool>>(m_column.data).append(value.toBool());
        else if (type == DataType::Float)
            std::get<QList<float>>(m_column.data).append(float(value.toDouble()));
        else if (type == DataType::Double)
            std::get<QList<double>>(m_column.data).append(value.toDouble());
        else
            std::get<QStringList>(m_column.data).append(value.toString());
        break;
    case DataType::Json:
        std::get<QList<QByteArray>>(m_column.data).append(compactJson(value));
        break;
    case DataType::Array: {
        if (!value.isArray()) {
            *why = QStringLiteral("%1 is not an ARRAY").arg(shown(value));
            return false;
        }
        const QJsonArray array = value.toArray();
        const int capacity = m_field.typeParams.value(QStringLiteral("max_capacity")).toInt();
        if (capacity > 0 && array.size() > capacity) {
            *why = QStringLiteral("the array has %1 elements, more than max_capacity %2")
                       .arg(array.size())
                       .arg(capacity);
            return false;
        }
        QVariantList cell;
        cell.reserve(array.size());
        for (qsizetype i = 0; i < array.size(); ++i) {
            QString elementWhy;
            const QJsonValue element = array.at(i);
            if (!checkElement(element, m_field.elementType, m_field.maxLength(), &elementWhy)) {
                *why = QStringLiteral("element %1: %2").arg(i).arg(elementWhy);
                return false;
            }
            switch (m_field.elementType) {
            case DataType::Bool:
                cell.append(element.toBool());
                break;
            case DataType::Float:
            case DataType::Double:
                cell.append(element.toDouble());
                break;
            case DataType::VarChar:
            case DataType::String:
                cell.append(element.toString());
                break;
            default:
                cell.append(element.toInteger());
            }
        }
        std::get<QList<QVariantList>>(m_column.data).append(std::move(cell));
        break;
    }
    case DataType::FloatVector: {
        const int dim = m_field.dim();
        if (!value.isArray()) {
            *why = QStringLiteral("%1 is not a FLOAT_VECTOR (expected an array of %2 numbers)")
                       .arg(shown(value))
                       .arg(dim);
            return false;
        }
        const QJsonArray array = value.toArray();
        if (array.size() != dim) {
            *why =
                QStringLiteral("the vector has %1 dimensions, the field has %2").arg(array.size()).arg(dim);
            return false;
        }
        auto &vectors = std::get<FloatVectors>(m_column.data);
        for (qsizetype k = 0; k < array.size(); ++k) {
            const QJsonValue x = array.at(k);
            if (!x.isDouble() || !std::isfinite(x.toDouble()) || std::abs(x.toDouble()) > double(FLT_MAX)) {
                vectors.values.resize(m_rows * dim);
                *why = QStringLiteral("vector element %1 (%2) is not a finite FLOAT").arg(k).arg(shown(x));
                return false;
            }
            vectors.values.append(float(x.toDouble()));
        }
        break;
    }
    case DataType::BinaryVector: {
        const int bytes = m_field.dim() / 8;
        if (!value.isArray() || value.toArray().size() != bytes) {
            *why =
                QStringLiteral("%1 is not a BINARY_VECTOR of %2 bits (expected an array of %3 bytes, 0-255)")
                    .arg(shown(value))
                    .arg(m_field.dim())
                    .arg(bytes);
            return false;
        }
        const QJsonArray array = value.toArray();
        QByteArray row(bytes, Qt::Uninitialized);
        for (int k = 0; k < bytes; ++k) {
            qint64 b = 0;
            if (!jsonInteger(array.at(k), &b) || b < 0 || b > 255) {
                *why = QStringLiteral("byte %1 (%2) is not an integer from 0 to 255")
                           .arg(k)
                           .arg(shown(array.at(k)));
                return false;
            }
            row[k] = char(quint8(b));
        }
        std::get<BinaryVectors>(m_column.data).bytes.append(row);
        break;
    }
    case DataType::SparseFloatVector: {
        // {"index": value, ...} (what export writes) or {"indices": [...], "values": [...]}.
        if (!value.isObject()) {
            *why = QStringLiteral("%1 is not a SPARSE_FLOAT_VECTOR (expected {\"index\": value, ...})")
                       .arg(shown(value));
            return false;
        }
        const QJsonObject object = value.toObject();
        QList<QPair<quint32, float>> entries;
        if (object.contains(QStringLiteral("indices")) && object.contains(QStringLiteral("values"))) {
            const QJsonArray indices = object.value(QStringLiteral("indices")).toArray();
            const QJsonArray values = object.value(QStringLiteral("values")).toArray();
            if (indices.size() != values.size()) {
                *why = QStringLiteral("the sparse vector has %1 indices but %2 values")
                           .arg(indices.size())
                           .arg(values.size());
                return false;
            }
            for (qsizetype i = 0; i < indices.size(); ++i) {
                qint64 index = 0;
                if (!jsonInteger(indices.at(i), &index) || index < 0 || index > 0xFFFFFFFELL ||
                    !values.at(i).isDouble()) {
                    *why = QStringLiteral("sparse entry %1 is not an index and a number").arg(i);
                    return false;
                }
                entries.append({quint32(index), float(values.at(i).toDouble())});
            }
        } else {
            for (auto it = object.begin(); it != object.end(); ++it) {
                bool ok = false;
                const qulonglong index = it.key().toULongLong(&ok);
                if (!ok || index > 0xFFFFFFFEULL || !it.value().isDouble()) {
                    *why = QStringLiteral("sparse entry %1: %2 is not an index and a number")
                               .arg(shown(it.key()), shown(it.value()));
                    return false;
                }
                entries.append({quint32(index), float(it.value().toDouble())});
            }
        }
        if (entries.isEmpty()) {
            *why = QStringLiteral("the sparse vector is empty");
            return false;
        }
        std::sort(entries.begin(), entries.end(),
                  [](const auto &a, const auto &b) { return a.first < b.first; });
        SparseVector sv;
        for (qsizetype i = 0; i < entries.size(); ++i) {
            if (i > 0 && entries.at(i).first == entries.at(i - 1).first) {
                *why = QStringLiteral("the sparse vector has index %1 twice").arg(entries.at(i).first);
                return false;
            }
            sv.indices.append(entries.at(i).first);
            sv.values.append(entries.at(i).second);
        }
        std::get<QList<SparseVector>>(m_column.data).append(std::move(sv));
        break;
    }
    default:
        *why = QStringLiteral("unsupported type %1").arg(milvusTypeName(type));
        return false;
    }
    markValid(true);
    return true;
}

bool ColumnBuilder::appendText(const QString &text, bool quoted, QString *why)
{
    const DataType type = m_field.type;
    if (type == DataType::VarChar || type == DataType::String) {
        if (text.isEmpty() && !quoted && m_tracksValidity)
            return appendNull(why);
        return appendJson(QJsonValue(text), why);
    }
    if (text.isEmpty() && !quoted)
        return appendNull(why);
    qint64 n = 0, lo = 0, hi = 0;
    if (integerRange(type, &lo, &hi)) {
        if (!textInteger(text, &n)) {
            *why = QStringLiteral("%1 is not %2").arg(shown(text), milvusTypeWithArticle(type));
            return false;
        }
        return appendJson(QJsonValue(n), why);
    }
    if (type == DataType::Bool) {
        const QString t = text.trimmed().toLower();
        if (t == QLatin1String("true") || t == QLatin1String("1"))
            return appendJson(QJsonValue(true), why);
        if (t == QLatin1String("false") || t == QLatin1String("0"))
            return appendJson(QJsonValue(false), why);
        *why = QStringLiteral("%1 is not a BOOL (true or false)").arg(shown(text));
        return false;
    }
    if (type == DataType::Float || type == DataType::Double) {
        bool ok = false;
        const double d = text.trimmed().toDouble(&ok);
        if (!ok) {
            *why = QStringLiteral("%1 is not %2").arg(shown(text), milvusTypeWithArticle(type));
            return false;
        }
        return appendJson(QJsonValue(d), why);
    }
    // Vectors, arrays, sparse vectors and JSON travel as JSON text in a cell.
    QJsonValue value;
    QString parseWhy;
    if (!parseJsonValue(text.toUtf8(), &value, &parseWhy)) {
        *why = QStringLiteral("%1 is not %2 (not valid JSON: %3)")
                   .arg(shown(text), milvusTypeWithArticle(type), parseWhy);
        return false;
    }
    return appendJson(value, why);
}

} // namespace mx
