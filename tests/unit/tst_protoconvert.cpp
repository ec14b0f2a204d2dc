// The typed values of MilvusTypes.h and their conversions to and from the generated protocol messages.
// Every round trip goes through SerializeToString/ParseFromString, so a value that only survives in
// the in-memory message (and would be lost on the wire) fails here. Where a conversion could be
// symmetric yet wrong on the wire (wrong oneof member, wrong byte order), the message itself is checked.

#include "MilvusError.h"
#include "MilvusTypes.h"
#include "ProtoConvert.h"
#include "TestSupport.h"

#include "common.pb.h"
#include "milvus.pb.h"
#include "schema.pb.h"

#include <QDebug>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

#include <cfloat>
#include <functional>
#include <limits>
#include <optional>

namespace mx {

namespace pb = ::milvus::proto;
using Action = std::function<void()>;

// --- diagnostics: QCOMPARE prints these (found by ADL) when values differ ---

namespace {

template<typename T>
QString dbg(const T &v)
{
    QString s;
    QDebug(&s).nospace().noquote() << v;
    return s;
}

QString describeData(const FieldColumn::Data &data)
{
    return std::visit(
        [](const auto &v) -> QString {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return QStringLiteral("<no data>");
            } else if constexpr (std::is_same_v<T, FloatVectors>) {
                return QStringLiteral("FloatVectors(dim=%1, %2)").arg(v.dim).arg(dbg(v.values));
            } else if constexpr (std::is_same_v<T, BinaryVectors>) {
                return QStringLiteral("BinaryVectors(dim=%1, %2)")
                    .arg(v.dim)
                    .arg(QString::fromLatin1(v.bytes.toHex()));
            } else if constexpr (std::is_same_v<T, QList<SparseVector>>) {
                QStringList parts;
                for (const auto &sv : v)
                    parts.append(dbg(sv.indices) + QLatin1Char('=') + dbg(sv.values));
                return QStringLiteral("Sparse[%1]").arg(parts.join(QStringLiteral("; ")));
            } else {
                return dbg(v);
            }
        },
        data);
}

} // namespace

char *toString(const FieldColumn &c)
{
    return qstrdup(QStringLiteral("FieldColumn(%1, type=%2, element=%3, dynamic=%4, valid=%5, data=%6)")
                       .arg(c.name, dataTypeName(c.type), dataTypeName(c.elementType))
                       .arg(c.isDynamic)
                       .arg(dbg(c.valid), describeData(c.data))
                       .toUtf8()
                       .constData());
}

char *toString(const FieldSchema &f)
{
    return qstrdup(
        QStringLiteral("FieldSchema(%1, %2<%3>, desc=%4, pk=%5, auto=%6, part=%7, clust=%8, dyn=%9, "
                       "null=%10, default=%11, params=%12)")
            .arg(f.name, dataTypeName(f.type), dataTypeName(f.elementType), f.description)
            .arg(f.isPrimaryKey)
            .arg(f.autoId)
            .arg(f.isPartitionKey)
            .arg(f.isClusteringKey)
            .arg(f.isDynamic)
            .arg(f.nullable)
            .arg(dbg(f.defaultValue), dbg(f.typeParams))
            .toUtf8()
            .constData());
}

char *toString(const IdList &ids)
{
    return qstrdup(std::visit([](const auto &v) { return dbg(v); }, ids.ids).toUtf8().constData());
}

char *toString(const SearchHit &h)
{
    return qstrdup(QStringLiteral("SearchHit(id=%1, score=%2, fields=%3)")
                       .arg(dbg(h.id))
                       .arg(double(h.score))
                       .arg(dbg(h.fields))
                       .toUtf8()
                       .constData());
}

namespace {

// Serializes and parses into a fresh message: what the peer at the other end of the channel sees.
template<typename Message>
[[nodiscard]] bool overTheWire(const Message &in, Message *out)
{
    std::string bytes;
    if (!in.SerializeToString(&bytes))
        return false;
    out->Clear();
    return out->ParseFromString(bytes);
}

std::optional<MilvusError> errorFrom(const Action &action)
{
    try {
        action();
    } catch (const MilvusException &e) {
        return e.error();
    }
    return std::nullopt;
}

FieldColumn makeColumn(const QString &name, DataType type, FieldColumn::Data data, QList<bool> valid = {},
                       DataType elementType = DataType::None)
{
    FieldColumn c;
    c.name = name;
    c.type = type;
    c.elementType = elementType;
    c.data = std::move(data);
    c.valid = std::move(valid);
    return c;
}

FieldSchema makeField(const QString &name, DataType type, std::function<void(FieldSchema &)> tweak = {})
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    if (tweak)
        tweak(f);
    return f;
}

QByteArray le32(quint32 v)
{
    QByteArray b(4, Qt::Uninitialized);
    qToLittleEndian(v, b.data());
    return b;
}

QByteArray leFloat(float v)
{
    QByteArray b(4, Qt::Uninitialized);
    qToLittleEndian(v, b.data());
    return b;
}

QJsonObject obj(std::initializer_list<QPair<QString, QJsonValue>> kv)
{
    QJsonObject o;
    for (const auto &[k, v] : kv)
        o.insert(k, v);
    return o;
}

void addJsonRows(pb::schema::FieldData *fd, const QString &name, const QList<QJsonObject> &rows, bool dynamic)
{
    fd->set_field_name(name.toStdString());
    fd->set_type(pb::schema::DataType::JSON);
    fd->set_is_dynamic(dynamic);
    for (const auto &o : rows)
        fd->mutable_scalars()->mutable_json_data()->add_data(
            QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString());
}

} // namespace

class TestProtoConvert : public QObject
{
    Q_OBJECT

private slots:
    // MilvusTypes on their own.
    void dataTypeNames_data();
    void dataTypeNames();
    void enumsMatchTheWire();
    void schemaLookups();
    void columnValues_data();
    void columnValues();

    // Schemas.
    void fieldSchemaRoundTrip_data();
    void fieldSchemaRoundTrip();
    void fieldSchemaTypeParamsFromIndexParams();
    void collectionSchemaRoundTrip();

    // Columns.
    void fieldColumnRoundTrip_data();
    void fieldColumnRoundTrip();
    void compressedNullableColumns_data();
    void compressedNullableColumns();
    void nullableColumnsGoCompact();
    void sparseByteFormat();

    // Ids and search input.
    void idListRoundTrip_data();
    void idListRoundTrip();
    void floatPlaceholderGroup();
    void sparsePlaceholderGroup();
    void binaryVectorsOnTheWire();
    void halfAndInt8VectorsReadAsFloats();
    void invalidInput_data();
    void invalidInput();

    // Responses.
    void searchResults_data();
    void searchResults();
    void searchResultsTruncated();
    void queryResults();
    void mutationResult_data();
    void mutationResult();
    void indexDescription();
    void describeCollection_data();
    void describeCollection();
};

// --- MilvusTypes -------------------------------------------------------------------------------------

void TestProtoConvert::dataTypeNames_data()
{
    QTest::addColumn<DataType>("type");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("isVector");

    const struct
    {
        DataType type;
        const char *name;
        bool vector;
    } rows[] = {
        {DataType::None, "None", false},
        {DataType::Bool, "Bool", false},
        {DataType::Int8, "Int8", false},
        {DataType::Int16, "Int16", false},
        {DataType::Int32, "Int32", false},
        {DataType::Int64, "Int64", false},
        {DataType::Float, "Float", false},
        {DataType::Double, "Double", false},
        {DataType::String, "String", false},
        {DataType::VarChar, "VarChar", false},
        {DataType::Array, "Array", false},
        {DataType::Json, "JSON", false},
        {DataType::BinaryVector, "BinaryVector", true},
        {DataType::FloatVector, "FloatVector", true},
        {DataType::Float16Vector, "Float16Vector", true},
        {DataType::BFloat16Vector, "BFloat16Vector", true},
        {DataType::SparseFloatVector, "SparseFloatVector", true},
        {DataType::Int8Vector, "Int8Vector", true},
    };
    for (const auto &r : rows)
        QTest::newRow(r.name) << r.type << QString::fromLatin1(r.name) << r.vector;
}

void TestProtoConvert::dataTypeNames()
{
    QFETCH(DataType, type);
    QFETCH(QString, name);
    QFETCH(bool, isVector);

    QCOMPARE(dataTypeName(type), name);
    QCOMPARE(dataTypeFromName(name), std::optional<DataType>(type));
    // Names typed by a user (or read from pymilvus output) come in any case.
    QCOMPARE(dataTypeFromName(name.toUpper()), std::optional<DataType>(type));
    QCOMPARE(dataTypeFromName(name.toLower()), std::optional<DataType>(type));
    QCOMPARE(isVectorType(type), isVector);
}

void TestProtoConvert::enumsMatchTheWire()
{
    // The conversions cast between these enums and the generated ones; a renumbering would silently
    // turn one type into another.
    QCOMPARE(int(DataType::Bool), int(pb::schema::DataType::Bool));
    QCOMPARE(int(DataType::Int8), int(pb::schema::DataType::Int8));
    QCOMPARE(int(DataType::Int16), int(pb::schema::DataType::Int16));
    QCOMPARE(int(DataType::Int32), int(pb::schema::DataType::Int32));
    QCOMPARE(int(DataType::Int64), int(pb::schema::DataType::Int64));
    QCOMPARE(int(DataType::Float), int(pb::schema::DataType::Float));
    QCOMPARE(int(DataType::Double), int(pb::schema::DataType::Double));
    QCOMPARE(int(DataType::String), int(pb::schema::DataType::String));
    QCOMPARE(int(DataType::VarChar), int(pb::schema::DataType::VarChar));
    QCOMPARE(int(DataType::Array), int(pb::schema::DataType::Array));
    QCOMPARE(int(DataType::Json), int(pb::schema::DataType::JSON));
    QCOMPARE(int(DataType::BinaryVector), int(pb::schema::DataType::BinaryVector));
    QCOMPARE(int(DataType::FloatVector), int(pb::schema::DataType::FloatVector));
    QCOMPARE(int(DataType::Float16Vector), int(pb::schema::DataType::Float16Vector));
    QCOMPARE(int(DataType::BFloat16Vector), int(pb::schema::DataType::BFloat16Vector));
    QCOMPARE(int(DataType::SparseFloatVector), int(pb::schema::DataType::SparseFloatVector));
    QCOMPARE(int(DataType::Int8Vector), int(pb::schema::DataType::Int8Vector));
    QCOMPARE(int(ConsistencyLevel::Strong), int(pb::common::ConsistencyLevel::Strong));
    QCOMPARE(int(ConsistencyLevel::Session), int(pb::common::ConsistencyLevel::Session));
    QCOMPARE(int(ConsistencyLevel::Bounded), int(pb::common::ConsistencyLevel::Bounded));
    QCOMPARE(int(ConsistencyLevel::Eventually), int(pb::common::ConsistencyLevel::Eventually));
    QCOMPARE(int(ConsistencyLevel::Customized), int(pb::common::ConsistencyLevel::Customized));
    QCOMPARE(int(LoadState::Loaded), int(pb::common::LoadState::LoadStateLoaded));
    QCOMPARE(int(LoadState::Loading), int(pb::common::LoadState::LoadStateLoading));
    QCOMPARE(int(LoadState::NotLoad), int(pb::common::LoadState::LoadStateNotLoad));
    QCOMPARE(int(LoadState::NotExist), int(pb::common::LoadState::LoadStateNotExist));
}

void TestProtoConvert::schemaLookups()
{
    CollectionSchema s;
    s.fields = {
        makeField(
            QStringLiteral("title"), DataType::VarChar,
            [](FieldSchema &f) { f.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("512")); }),
        makeField(QStringLiteral("id"), DataType::Int64, [](FieldSchema &f) { f.isPrimaryKey = true; }),
        makeField(QStringLiteral("dense"), DataType::FloatVector,
                  [](FieldSchema &f) { f.typeParams.insert(QStringLiteral("dim"), QStringLiteral("768")); }),
        makeField(QStringLiteral("sparse"), DataType::SparseFloatVector),
    };

    QVERIFY(s.field(QStringLiteral("title")) != nullptr);
    QCOMPARE(s.field(QStringLiteral("title"))->maxLength(), 512);
    QCOMPARE(s.field(QStringLiteral("nope")), nullptr);
    QVERIFY(s.primaryField() != nullptr);
    QCOMPARE(s.primaryField()->name, QStringLiteral("id"));
    const auto vectors = s.vectorFields();
    QCOMPARE(vectors.size(), 2);
    QCOMPARE(vectors.at(0)->name, QStringLiteral("dense"));
    QCOMPARE(vectors.at(0)->dim(), 768);
    QCOMPARE(vectors.at(1)->name, QStringLiteral("sparse"));
    QCOMPARE(vectors.at(1)->dim(), 0);

    CollectionSchema noPrimary;
    noPrimary.fields = {makeField(QStringLiteral("x"), DataType::Int64)};
    QCOMPARE(noPrimary.primaryField(), nullptr);

    const FloatVectors fv{3, {1, 2, 3, 4, 5, 6}};
    QCOMPARE(fv.rows(), 2);
    QCOMPARE(fv.row(1), (QList<float>{4, 5, 6}));
    QCOMPARE((FloatVectors{0, {1, 2}}).rows(), 0);
}

void TestProtoConvert::columnValues_data()
{
    QTest::addColumn<FieldColumn>("column");
    QTest::addColumn<qsizetype>("rows");
    QTest::addColumn<qsizetype>("row");
    QTest::addColumn<QVariant>("expected");

    const auto nullable =
        makeColumn(QStringLiteral("n"), DataType::Int64, QList<qint64>{5, 0, 7}, {true, false, true});
    QTest::newRow("bool") << makeColumn(QStringLiteral("b"), DataType::Bool, QList<bool>{false, true})
                          << qsizetype(2) << qsizetype(1) << QVariant(true);
    QTest::newRow("int8") << makeColumn(QStringLiteral("i"), DataType::Int8, QList<qint32>{-3, 4})
                          << qsizetype(2) << qsizetype(0) << QVariant(-3);
    QTest::newRow("int64") << FieldColumn::int64s(QStringLiteral("i"), {1LL << 40}) << qsizetype(1)
                           << qsizetype(0) << QVariant(qint64(1LL << 40));
    // Floats are widened so that views and JSON export never print float noise differently per cell.
    QTest::newRow("float") << makeColumn(QStringLiteral("f"), DataType::Float, QList<float>{0.5f})
                           << qsizetype(1) << qsizetype(0) << QVariant(0.5);
    QTest::newRow("double") << FieldColumn::doubles(QStringLiteral("d"), {0.1, 0.2}) << qsizetype(2)
                            << qsizetype(1) << QVariant(0.2);
    QTest::newRow("varchar") << FieldColumn::varchars(QStringLiteral("s"),
                                                      {QStringLiteral("x"), QStringLiteral("ÿ")})
                             << qsizetype(2) << qsizetype(1) << QVariant(QStringLiteral("ÿ"));
    QTest::newRow("json object")
        << FieldColumn::json(QStringLiteral("j"),
                             {obj({{QStringLiteral("a"), 1}, {QStringLiteral("b"), QJsonArray{true}}})})
        << qsizetype(1) << qsizetype(0)
        << QVariant(QVariantMap{{QStringLiteral("a"), 1}, {QStringLiteral("b"), QVariantList{true}}});
    // A JSON field may hold any JSON value, not only objects (Milvus accepts a bare "abc"); such a cell
    // must not read as null.
    const auto rawJson = [](const char *text) {
        return makeColumn(QStringLiteral("j"), DataType::Json, QList<QByteArray>{QByteArray(text)});
    };
    QTest::newRow("json top-level array") << rawJson("[1,\"x\"]") << qsizetype(1) << qsizetype(0)
                                          << QVariant(QVariantList{qint64(1), QStringLiteral("x")});
    QTest::newRow("json top-level string")
        << rawJson("\"abc\"") << qsizetype(1) << qsizetype(0) << QVariant(QStringLiteral("abc"));
    QTest::newRow("json top-level number") << rawJson("2.5") << qsizetype(1) << qsizetype(0) << QVariant(2.5);
    QTest::newRow("json top-level bool")
        << rawJson("false") << qsizetype(1) << qsizetype(0) << QVariant(false);
    QTest::newRow("json malformed") << rawJson("{nope") << qsizetype(1) << qsizetype(0) << QVariant();
    QTest::newRow("array") << makeColumn(QStringLiteral("a"), DataType::Array,
                                         QList<QVariantList>{{qint64(1), qint64(2)}}, {}, DataType::Int64)
                           << qsizetype(1) << qsizetype(0) << QVariant(QVariantList{qint64(1), qint64(2)});
    QTest::newRow("float vector") << FieldColumn::floatVectors(QStringLiteral("v"), 2, {1, 2, 3, 4})
                                  << qsizetype(2) << qsizetype(1) << QVariant(QVariantList{3.0, 4.0});
    QTest::newRow("binary vector") << FieldColumn::binaryVectors(QStringLiteral("bits"), 16,
                                                                 QByteArray("\x0f\xa0\xff\x00\x80\x01", 6))
                                   << qsizetype(3) << qsizetype(1) << QVariant(QByteArray("\xff\x00", 2));
    QTest::newRow("sparse vector") << makeColumn(QStringLiteral("sp"), DataType::SparseFloatVector,
                                                 QList<SparseVector>{{{7, 1000}, {0.25f, 2.0f}}})
                                   << qsizetype(1) << qsizetype(0)
                                   << QVariant(QVariantMap{{QStringLiteral("7"), 0.25},
                                                           {QStringLiteral("1000"), 2.0}});
    QTest::newRow("nullable valid row") << nullable << qsizetype(3) << qsizetype(2) << QVariant(qint64(7));
    // A null cell must read as "no value", not as the placeholder 0 stored in the data array.
    QTest::newRow("nullable null row") << nullable << qsizetype(3) << qsizetype(1) << QVariant();
    QTest::newRow("row past the end")
        << FieldColumn::int64s(QStringLiteral("i"), {1}) << qsizetype(1) << qsizetype(1) << QVariant();
    QTest::newRow("negative row") << FieldColumn::int64s(QStringLiteral("i"), {1}) << qsizetype(1)
                                  << qsizetype(-1) << QVariant();
    QTest::newRow("no data") << FieldColumn() << qsizetype(0) << qsizetype(0) << QVariant();
}

void TestProtoConvert::columnValues()
{
    QFETCH(FieldColumn, column);
    QFETCH(qsizetype, rows);
    QFETCH(qsizetype, row);
    QFETCH(QVariant, expected);

    QCOMPARE(column.rowCount(), rows);
    const QVariant actual = column.value(row);
    QCOMPARE(actual, expected);
    // Same value is not enough: an int64 id arriving as a double would lose digits further on.
    QCOMPARE(actual.metaType(), expected.metaType());
}

// --- schemas -----------------------------------------------------------------------------------------

void TestProtoConvert::fieldSchemaRoundTrip_data()
{
    QTest::addColumn<FieldSchema>("field");
    QTest::addColumn<int>("defaultCase"); // pb::schema::ValueField::DataCase on the wire

    const int none = pb::schema::ValueField::DATA_NOT_SET;
    const auto param = [](const char *k, const char *v) {
        return [=](FieldSchema &f) { f.typeParams.insert(QString::fromLatin1(k), QString::fromLatin1(v)); };
    };

    QTest::newRow("int64 primary auto id")
        << makeField(QStringLiteral("id"), DataType::Int64,
                     [](FieldSchema &f) {
                         f.isPrimaryKey = true;
                         f.autoId = true;
                         f.description = QStringLiteral("primary key — ünïcode");
                     })
        << none;
    QTest::newRow("varchar primary") << makeField(QStringLiteral("pk"), DataType::VarChar,
                                                  [&](FieldSchema &f) {
                                                      f.isPrimaryKey = true;
                                                      param("max_length", "64")(f);
                                                  })
                                     << none;
    QTest::newRow("varchar partition key") << makeField(QStringLiteral("tenant"), DataType::VarChar,
                                                        [&](FieldSchema &f) {
                                                            f.isPartitionKey = true;
                                                            param("max_length", "256")(f);
                                                        })
                                           << none;
    QTest::newRow("int32 clustering key") << makeField(QStringLiteral("bucket"), DataType::Int32,
                                                       [](FieldSchema &f) { f.isClusteringKey = true; })
                                          << none;
    QTest::newRow("float vector") << makeField(QStringLiteral("vec"), DataType::FloatVector,
                                               param("dim", "128"))
                                  << none;
    QTest::newRow("sparse vector") << makeField(QStringLiteral("sparse"), DataType::SparseFloatVector)
                                   << none;
    QTest::newRow("array of varchar") << makeField(QStringLiteral("tags"), DataType::Array,
                                                   [&](FieldSchema &f) {
                                                       f.elementType = DataType::VarChar;
                                                       param("max_capacity", "16")(f);
                                                       param("max_length", "32")(f);
                                                   })
                                      << none;
    QTest::newRow("dynamic json") << makeField(QStringLiteral("$meta"), DataType::Json, [](FieldSchema &f) {
        f.isDynamic = true;
    }) << none;
    QTest::newRow("nullable without default")
        << makeField(QStringLiteral("maybe"), DataType::Double, [](FieldSchema &f) { f.nullable = true; })
        << none;
    QTest::newRow("default bool") << makeField(QStringLiteral("flag"), DataType::Bool, [](FieldSchema &f) {
        f.nullable = true;
        f.defaultValue = true;
    }) << int(pb::schema::ValueField::kBoolData);
    QTest::newRow("default int8") << makeField(QStringLiteral("small"), DataType::Int8, [](FieldSchema &f) {
        f.defaultValue = -7;
    }) << int(pb::schema::ValueField::kIntData);
    QTest::newRow("default int32") << makeField(QStringLiteral("mid"), DataType::Int32, [](FieldSchema &f) {
        f.defaultValue = 2000000000;
    }) << int(pb::schema::ValueField::kIntData);
    // Beyond 32 bits: catches a default that travels through int_data and gets truncated.
    QTest::newRow("default int64") << makeField(QStringLiteral("big"), DataType::Int64, [](FieldSchema &f) {
        f.defaultValue = qint64(1) << 40;
    }) << int(pb::schema::ValueField::kLongData);
    QTest::newRow("default float") << makeField(QStringLiteral("ratio"), DataType::Float, [](FieldSchema &f) {
        f.defaultValue = 1.5f;
    }) << int(pb::schema::ValueField::kFloatData);
    QTest::newRow("default double") << makeField(QStringLiteral("pi"), DataType::Double, [](FieldSchema &f) {
        f.defaultValue = 3.141592653589793;
    }) << int(pb::schema::ValueField::kDoubleData);
    QTest::newRow("default varchar") << makeField(QStringLiteral("label"), DataType::VarChar,
                                                  [&](FieldSchema &f) {
                                                      param("max_length", "20")(f);
                                                      f.nullable = true;
                                                      f.defaultValue = QStringLiteral("unknown ✓");
                                                  })
                                     << int(pb::schema::ValueField::kStringData);
}

void TestProtoConvert::fieldSchemaRoundTrip()
{
    QFETCH(FieldSchema, field);
    QFETCH(int, defaultCase);

    pb::schema::FieldSchema message;
    proto::toProto(field, &message);
    pb::schema::FieldSchema received;
    QVERIFY(overTheWire(message, &received));

    QCOMPARE(int(received.data_type()), int(field.type));
    QCOMPARE(int(received.element_type()), int(field.elementType));
    QCOMPARE(received.name(), field.name.toStdString());
    QCOMPARE(received.has_default_value(), field.defaultValue.isValid());
    if (received.has_default_value())
        QCOMPARE(int(received.default_value().data_case()), defaultCase);
    QCOMPARE(received.type_params_size(), int(field.typeParams.size()));

    const FieldSchema back = proto::fromProto(received);
    QCOMPARE(back, field);
    QCOMPARE(back.defaultValue.metaType(), field.defaultValue.metaType());
}

void TestProtoConvert::fieldSchemaTypeParamsFromIndexParams()
{
    // Some servers describe dim/max_length in index_params; type_params win when both have a key.
    pb::schema::FieldSchema m;
    m.set_name("v");
    m.set_data_type(pb::schema::DataType::FloatVector);
    auto *tp = m.add_type_params();
    tp->set_key("max_length");
    tp->set_value("100");
    auto *ip1 = m.add_index_params();
    ip1->set_key("dim");
    ip1->set_value("8");
    auto *ip2 = m.add_index_params();
    ip2->set_key("max_length");
    ip2->set_value("999");

    const FieldSchema f = proto::fromProto(m);
    QCOMPARE(f.dim(), 8);
    QCOMPARE(f.maxLength(), 100);
    QCOMPARE(f.typeParams.size(), 2);
}

void TestProtoConvert::collectionSchemaRoundTrip()
{
    CollectionSchema s;
    s.name = QStringLiteral("books_ü");
    s.description = QStringLiteral("a collection of books");
    s.autoId = true;
    s.enableDynamicField = true;
    s.properties = {{QStringLiteral("collection.ttl.seconds"), QStringLiteral("3600")},
                    {QStringLiteral("mmap.enabled"), QStringLiteral("true")}};
    s.fields = {
        makeField(QStringLiteral("id"), DataType::Int64,
                  [](FieldSchema &f) {
                      f.isPrimaryKey = true;
                      f.autoId = true;
                  }),
        makeField(QStringLiteral("embedding"), DataType::FloatVector,
                  [](FieldSchema &f) { f.typeParams.insert(QStringLiteral("dim"), QStringLiteral("4")); }),
        makeField(QStringLiteral("author"), DataType::VarChar,
                  [](FieldSchema &f) {
                      f.isPartitionKey = true;
                      f.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("128"));
                  }),
        makeField(QStringLiteral("year"), DataType::Int16,
                  [](FieldSchema &f) {
                      f.nullable = true;
                      f.defaultValue = 1999;
                  }),
        makeField(QStringLiteral("scores"), DataType::Array,
                  [](FieldSchema &f) {
                      f.elementType = DataType::Double;
                      f.typeParams.insert(QStringLiteral("max_capacity"), QStringLiteral("8"));
                  }),
        makeField(QStringLiteral("$meta"), DataType::Json, [](FieldSchema &f) { f.isDynamic = true; }),
    };

    pb::schema::CollectionSchema message;
    proto::toProto(s, &message);
    pb::schema::CollectionSchema received;
    QVERIFY(overTheWire(message, &received));
    QCOMPARE(received.fields_size(), 6);
    QCOMPARE(received.enable_dynamic_field(), true);
    QCOMPARE(received.properties_size(), 2);

    const CollectionSchema back = proto::fromProto(received);
    QCOMPARE(back.name, s.name);
    QCOMPARE(back.description, s.description);
    QCOMPARE(back.autoId, s.autoId);
    QCOMPARE(back.enableDynamicField, s.enableDynamicField);
    QCOMPARE(back.properties, s.properties);
    // Field order is the schema's column order in every view; it must survive.
    QCOMPARE(back.fields, s.fields);
    QVERIFY(back == s);
}

// --- columns -----------------------------------------------------------------------------------------

void TestProtoConvert::fieldColumnRoundTrip_data()
{
    QTest::addColumn<FieldColumn>("column");
    QTest::addColumn<int>("scalarCase"); // pb::schema::ScalarField::DataCase; DATA_NOT_SET for vectors
    QTest::addColumn<int>("vectorCase"); // pb::schema::VectorField::DataCase; DATA_NOT_SET for scalars

    using SF = pb::schema::ScalarField;
    using VF = pb::schema::VectorField;
    const int noVector = VF::DATA_NOT_SET;
    const int noScalar = SF::DATA_NOT_SET;
    constexpr auto i32 = std::numeric_limits<qint32>::max();
    constexpr auto i64 = std::numeric_limits<qint64>::max();

    QTest::newRow("bool") << makeColumn(QStringLiteral("b"), DataType::Bool, QList<bool>{true, false, true})
                          << int(SF::kBoolData) << noVector;
    QTest::newRow("int8") << makeColumn(QStringLiteral("i8"), DataType::Int8, QList<qint32>{-128, 0, 127})
                          << int(SF::kIntData) << noVector;
    QTest::newRow("int16") << makeColumn(QStringLiteral("i16"), DataType::Int16,
                                         QList<qint32>{-32768, 5, 32767})
                           << int(SF::kIntData) << noVector;
    QTest::newRow("int32") << makeColumn(QStringLiteral("i32"), DataType::Int32,
                                         QList<qint32>{-i32 - 1, 0, i32})
                           << int(SF::kIntData) << noVector;
    QTest::newRow("int64") << FieldColumn::int64s(QStringLiteral("i64"), {-i64 - 1, 0, i64, 1LL << 53 | 1})
                           << int(SF::kLongData) << noVector;
    QTest::newRow("float") << makeColumn(QStringLiteral("f"), DataType::Float,
                                         QList<float>{-1.5f, 0.0f, 3.25f, FLT_MAX, FLT_MIN})
                           << int(SF::kFloatData) << noVector;
    QTest::newRow("double") << FieldColumn::doubles(QStringLiteral("d"),
                                                    {-1e300, 0.1, 3.141592653589793, DBL_MIN})
                            << int(SF::kDoubleData) << noVector;
    QTest::newRow("varchar") << FieldColumn::varchars(QStringLiteral("s"),
                                                      {QString(), QStringLiteral("hello"),
                                                       QStringLiteral("ünï ✓ 日本"),
                                                       QStringLiteral("quote\" and \\ backslash")})
                             << int(SF::kStringData) << noVector;
    QTest::newRow("json") << FieldColumn::json(
                                 QStringLiteral("meta"),
                                 {obj({{QStringLiteral("a"), 1}}),
                                  obj({{QStringLiteral("b"), QJsonArray{1, QStringLiteral("x")}},
                                       {QStringLiteral("c"), QJsonObject{{QStringLiteral("d"), true}}}}),
                                  QJsonObject()})
                          << int(SF::kJsonData) << noVector;
    QTest::newRow("dynamic $meta")
        << FieldColumn::json(QStringLiteral("$meta"),
                             {obj({{QStringLiteral("color"), QStringLiteral("red")}}), QJsonObject()}, true)
        << int(SF::kJsonData) << noVector;
    QTest::newRow("array of int64") << makeColumn(QStringLiteral("ai"), DataType::Array,
                                                  QList<QVariantList>{
                                                      {qint64(1), qint64(-2), i64}, {}, {qint64(42)}},
                                                  {}, DataType::Int64)
                                    << int(SF::kArrayData) << noVector;
    QTest::newRow("array of varchar")
        << makeColumn(QStringLiteral("as"), DataType::Array,
                      QList<QVariantList>{{QStringLiteral("x"), QStringLiteral("ÿ")}, {QString()}}, {},
                      DataType::VarChar)
        << int(SF::kArrayData) << noVector;
    QTest::newRow("array of double") << makeColumn(QStringLiteral("ad"), DataType::Array,
                                                   QList<QVariantList>{{0.5, -1e-9}, {1e300}}, {},
                                                   DataType::Double)
                                     << int(SF::kArrayData) << noVector;
    QTest::newRow("array of bool") << makeColumn(QStringLiteral("ab"), DataType::Array,
                                                 QList<QVariantList>{{true, false}, {false}}, {},
                                                 DataType::Bool)
                                   << int(SF::kArrayData) << noVector;
    // Full form: one data cell per row, placeholders under the null rows.
    QTest::newRow("nullable int64") << makeColumn(QStringLiteral("n64"), DataType::Int64,
                                                  QList<qint64>{7, 0, 9}, {true, false, true})
                                    << int(SF::kLongData) << noVector;
    QTest::newRow("nullable varchar")
        << makeColumn(QStringLiteral("ns"), DataType::VarChar, QStringList{QString(), QStringLiteral("b")},
                      {false, true})
        << int(SF::kStringData) << noVector;
    QTest::newRow("nullable double all null")
        << makeColumn(QStringLiteral("nd"), DataType::Double, QList<double>{0, 0}, {false, false})
        << int(SF::kDoubleData) << noVector;
    QTest::newRow("float vector") << FieldColumn::floatVectors(QStringLiteral("vec"), 3,
                                                               {1, 2, 3, -4, 5.5f, 0})
                                  << noScalar << int(VF::kFloatVector);
    QTest::newRow("binary vector") << FieldColumn::binaryVectors(QStringLiteral("bits"), 16,
                                                                 QByteArray("\x0f\xa0\xff\x00\x80\x01", 6))
                                   << noScalar << int(VF::kBinaryVector);
    QTest::newRow("sparse vector") << makeColumn(
                                          QStringLiteral("sp"), DataType::SparseFloatVector,
                                          QList<SparseVector>{{{0, 5, 4000000000u}, {0.5f, -1.25f, 3.0f}},
                                                              {{}, {}},
                                                              {{17}, {1e-3f}}})
                                   << noScalar << int(VF::kSparseFloatVector);
}

void TestProtoConvert::fieldColumnRoundTrip()
{
    QFETCH(FieldColumn, column);
    QFETCH(int, scalarCase);
    QFETCH(int, vectorCase);

    pb::schema::FieldData message;
    proto::toProto(column, &message);
    pb::schema::FieldData received;
    QVERIFY(overTheWire(message, &received));

    QCOMPARE(received.field_name(), column.name.toStdString());
    QCOMPARE(int(received.type()), int(column.type));
    QCOMPARE(received.is_dynamic(), column.isDynamic);
    QCOMPARE(received.valid_data_size(), int(column.valid.size()));
    if (scalarCase != pb::schema::ScalarField::DATA_NOT_SET) {
        QVERIFY(received.has_scalars());
        QCOMPARE(int(received.scalars().data_case()), scalarCase);
        if (column.type == DataType::Array)
            QCOMPARE(int(received.scalars().array_data().element_type()), int(column.elementType));
    } else {
        QVERIFY(received.has_vectors());
        QCOMPARE(int(received.vectors().data_case()), vectorCase);
    }

    const FieldColumn back = proto::fromProto(received);
    QCOMPARE(back, column);
    QCOMPARE(back.rowCount(), column.rowCount());
}

void TestProtoConvert::compressedNullableColumns_data()
{
    QTest::addColumn<QByteArray>("wire"); // serialized pb::schema::FieldData as the server sends it
    QTest::addColumn<FieldColumn>("expected");

    const auto serialized = [](const pb::schema::FieldData &fd) {
        return QByteArray::fromStdString(fd.SerializeAsString());
    };
    const auto base = [](const char *name, pb::schema::DataType type, std::initializer_list<bool> valid) {
        pb::schema::FieldData fd;
        fd.set_field_name(name);
        fd.set_type(type);
        for (bool v : valid)
            fd.add_valid_data(v);
        return fd;
    };

    {
        auto fd = base("n64", pb::schema::DataType::Int64, {true, false, true, false});
        fd.mutable_scalars()->mutable_long_data()->add_data(10);
        fd.mutable_scalars()->mutable_long_data()->add_data(30);
        QTest::newRow("int64") << serialized(fd)
                               << makeColumn(QStringLiteral("n64"), DataType::Int64,
                                             QList<qint64>{10, 0, 30, 0}, {true, false, true, false});
    }
    {
        auto fd = base("n32", pb::schema::DataType::Int32, {false, true});
        fd.mutable_scalars()->mutable_int_data()->add_data(-5);
        QTest::newRow("int32") << serialized(fd)
                               << makeColumn(QStringLiteral("n32"), DataType::Int32, QList<qint32>{0, -5},
                                             {false, true});
    }
    {
        auto fd = base("nb", pb::schema::DataType::Bool, {false, true, true});
        fd.mutable_scalars()->mutable_bool_data()->add_data(true);
        fd.mutable_scalars()->mutable_bool_data()->add_data(false);
        QTest::newRow("bool") << serialized(fd)
                              << makeColumn(QStringLiteral("nb"), DataType::Bool,
                                            QList<bool>{false, true, false}, {false, true, true});
    }
    {
        auto fd = base("nf", pb::schema::DataType::Float, {true, false});
        fd.mutable_scalars()->mutable_float_data()->add_data(2.5f);
        QTest::newRow("float") << serialized(fd)
                               << makeColumn(QStringLiteral("nf"), DataType::Float, QList<float>{2.5f, 0},
                                             {true, false});
    }
    {
        auto fd = base("nd", pb::schema::DataType::Double, {false, false, true});
        fd.mutable_scalars()->mutable_double_data()->add_data(0.125);
        QTest::newRow("double") << serialized(fd)
                                << makeColumn(QStringLiteral("nd"), DataType::Double,
                                              QList<double>{0, 0, 0.125}, {false, false, true});
    }
    {
        auto fd = base("ns", pb::schema::DataType::VarChar, {true, false, true});
        fd.mutable_scalars()->mutable_string_data()->add_data("first");
        fd.mutable_scalars()->mutable_string_data()->add_data("third");
        QTest::newRow("varchar") << serialized(fd)
                                 << makeColumn(QStringLiteral("ns"), DataType::VarChar,
                                               QStringList{QStringLiteral("first"), QString(),
                                                           QStringLiteral("third")},
                                               {true, false, true});
    }
    {
        auto fd = base("nj", pb::schema::DataType::JSON, {false, true});
        fd.mutable_scalars()->mutable_json_data()->add_data(R"({"k":1})");
        QTest::newRow("json") << serialized(fd)
                              << makeColumn(QStringLiteral("nj"), DataType::Json,
                                            QList<QByteArray>{QByteArray(), QByteArray(R"({"k":1})")},
                                            {false, true});
    }
    {
        auto fd = base("na", pb::schema::DataType::Array, {true, false, true});
        auto *arr = fd.mutable_scalars()->mutable_array_data();
        arr->set_element_type(pb::schema::DataType::Int64);
        arr->add_data()->mutable_long_data()->add_data(1);
        auto *third = arr->add_data()->mutable_long_data();
        third->add_data(3);
        third->add_data(4);
        QTest::newRow("array") << serialized(fd)
                               << makeColumn(QStringLiteral("na"), DataType::Array,
                                             QList<QVariantList>{{qint64(1)}, {}, {qint64(3), qint64(4)}},
                                             {true, false, true}, DataType::Int64);
    }
    {
        auto fd = base("nv", pb::schema::DataType::FloatVector, {false, true, false, true});
        fd.mutable_vectors()->set_dim(2);
        for (float x : {1.0f, 2.0f, 3.0f, 4.0f})
            fd.mutable_vectors()->mutable_float_vector()->add_data(x);
        FieldColumn expected = FieldColumn::floatVectors(QStringLiteral("nv"), 2, {0, 0, 1, 2, 0, 0, 3, 4});
        expected.valid = {false, true, false, true};
        QTest::newRow("float vector") << serialized(fd) << expected;
    }
    {
        auto fd = base("none", pb::schema::DataType::Int64, {false, false, false});
        fd.mutable_scalars()->mutable_long_data();
        QTest::newRow("every row null") << serialized(fd)
                                        << makeColumn(QStringLiteral("none"), DataType::Int64,
                                                      QList<qint64>{0, 0, 0}, {false, false, false});
    }
}

// What the proxy wants (and pymilvus sends): a value only for the valid rows, a flag for every row.
void TestProtoConvert::nullableColumnsGoCompact()
{
    pb::schema::FieldData fd;
    proto::toProto(makeColumn(QStringLiteral("n"), DataType::Int64, QList<qint64>{7, 0, 9, 0},
                              {true, false, true, false}),
                   &fd);
    QCOMPARE(fd.valid_data_size(), 4);
    QCOMPARE(fd.scalars().long_data().data_size(), 2);
    QCOMPARE(fd.scalars().long_data().data(1), 9);
    FieldColumn vectors = FieldColumn::floatVectors(QStringLiteral("v"), 2, {0, 0, 1, 2});
    vectors.valid = {false, true};
    pb::schema::FieldData fv;
    proto::toProto(vectors, &fv);
    QCOMPARE(fv.vectors().float_vector().data_size(), 2);
    // Already compact (values of the valid rows only) goes as it is; anything else is refused.
    pb::schema::FieldData already;
    proto::toProto(makeColumn(QStringLiteral("c"), DataType::Int64, QList<qint64>{5}, {false, true}),
                   &already);
    QCOMPARE(already.scalars().long_data().data_size(), 1);
    QCOMPARE(test::expectError([] {
                 pb::schema::FieldData bad;
                 proto::toProto(makeColumn(QStringLiteral("b"), DataType::Int64, QList<qint64>{1, 2},
                                           {false, false, true}),
                                &bad);
             }).kind,
             ErrorKind::InvalidArgument);
}

void TestProtoConvert::compressedNullableColumns()
{
    QFETCH(QByteArray, wire);
    QFETCH(FieldColumn, expected);

    pb::schema::FieldData received;
    QVERIFY(received.ParseFromString(wire.toStdString()));
    const FieldColumn c = proto::fromProto(received);
    QCOMPARE(c, expected);
    // One cell per row, and null rows read as null whatever placeholder fills them.
    QCOMPARE(c.rowCount(), expected.valid.size());
    for (qsizetype r = 0; r < c.rowCount(); ++r)
        QCOMPARE(c.value(r).isValid(), bool(expected.valid.at(r)));
}

void TestProtoConvert::sparseByteFormat()
{
    // Milvus reads each sparse row as packed (uint32 index, float32 value) little-endian pairs.
    const SparseVector v{{1, 0x01020304u}, {1.0f, -2.5f}};
    const QByteArray bytes = proto::sparseToBytes(v);
    const QByteArray expected = QByteArray::fromHex("01000000"
                                                    "0000803f"
                                                    "04030201"
                                                    "000020c0");
    QCOMPARE(bytes.toHex(), expected.toHex());
    QCOMPARE(bytes, le32(1) + leFloat(1.0f) + le32(0x01020304u) + leFloat(-2.5f));
    QCOMPARE(proto::sparseFromBytes(bytes.toStdString()), v);
    QCOMPARE(proto::sparseToBytes(SparseVector{}), QByteArray());
    QCOMPARE(proto::sparseFromBytes(std::string()), SparseVector{});
}

// --- ids and search input ----------------------------------------------------------------------------

void TestProtoConvert::idListRoundTrip_data()
{
    QTest::addColumn<IdList>("ids");
    QTest::addColumn<bool>("strings");

    QTest::newRow("int") << IdList{QList<qint64>{1, -2, std::numeric_limits<qint64>::max()}} << false;
    QTest::newRow("string") << IdList{QStringList{QStringLiteral("a"), QStringLiteral("ünï"), QString()}}
                            << true;
    // An empty answer must keep its kind, or a string-keyed collection would suddenly report int keys.
    QTest::newRow("empty int") << IdList{QList<qint64>{}} << false;
    QTest::newRow("empty string") << IdList{QStringList{}} << true;
}

void TestProtoConvert::idListRoundTrip()
{
    QFETCH(IdList, ids);
    QFETCH(bool, strings);

    pb::schema::IDs message;
    proto::toProto(ids, &message);
    pb::schema::IDs received;
    QVERIFY(overTheWire(message, &received));
    QCOMPARE(int(received.id_field_case()), int(strings ? pb::schema::IDs::kStrId : pb::schema::IDs::kIntId));

    const IdList back = proto::fromProto(received);
    QCOMPARE(back, ids);
    QCOMPARE(back.size(), ids.size());
    for (qsizetype i = 0; i < back.size(); ++i) {
        QCOMPARE(back.at(i), ids.at(i));
        QCOMPARE(back.at(i).metaType(),
                 strings ? QMetaType::fromType<QString>() : QMetaType::fromType<qint64>());
    }
}

void TestProtoConvert::floatPlaceholderGroup()
{
    const FloatVectors queries{2, {1.0f, -2.5f, 0.0f, 3.75f, 1e-7f, -1e7f}};
    const std::string bytes = proto::placeholderGroup(queries);

    pb::common::PlaceholderGroup group;
    QVERIFY(group.ParseFromString(bytes));
    QCOMPARE(group.placeholders_size(), 1);
    const auto &ph = group.placeholders(0);
    QCOMPARE(ph.tag(), std::string("$0"));
    QCOMPARE(ph.type(), pb::common::PlaceholderType::FloatVector);
    QCOMPARE(int(ph.type()), 101);
    QCOMPARE(ph.values_size(), 3);
    QCOMPARE(QByteArray::fromStdString(ph.values(0)).toHex(), QByteArray("0000803f000020c0"));
    for (int q = 0; q < 3; ++q) {
        const std::string &value = ph.values(q);
        QCOMPARE(value.size(), size_t(queries.dim) * sizeof(float));
        QList<float> decoded;
        for (int k = 0; k < queries.dim; ++k)
            decoded.append(qFromLittleEndian<float>(value.data() + k * sizeof(float)));
        QCOMPARE(decoded, queries.row(q));
    }
}

// dim in bits, dim / 8 bytes per row, one placeholder value of packed bytes per query (type 100).
void TestProtoConvert::binaryVectorsOnTheWire()
{
    const QByteArray bits("\x0f\xa0\xff\x00", 4);
    pb::schema::FieldData fd;
    proto::toProto(FieldColumn::binaryVectors(QStringLiteral("b"), 16, bits), &fd);
    QCOMPARE(fd.vectors().dim(), 16);
    QCOMPARE(QByteArray::fromStdString(fd.vectors().binary_vector()), bits);
    const FieldColumn back = proto::fromProto(fd);
    QCOMPARE(back.rowCount(), qsizetype(2));
    QCOMPARE(back.value(1).toByteArray(), QByteArray("\xff\x00", 2));

    pb::common::PlaceholderGroup group;
    QVERIFY(group.ParseFromString(proto::placeholderGroup(BinaryVectors{16, bits})));
    QCOMPARE(group.placeholders_size(), 1);
    const auto &ph = group.placeholders(0);
    QCOMPARE(ph.type(), pb::common::PlaceholderType::BinaryVector);
    QCOMPARE(int(pb::common::PlaceholderType::BinaryVector), 100);
    QCOMPARE(ph.values_size(), 2);
    QCOMPARE(QByteArray::fromStdString(ph.values(0)), QByteArray("\x0f\xa0", 2));

    // A dimension that is not whole bytes, or bytes that do not fill whole rows, are refused.
    QCOMPARE(test::expectError([] {
                 pb::schema::FieldData bad;
                 proto::toProto(FieldColumn::binaryVectors(QStringLiteral("b"), 12, QByteArray(2, 'x')),
                                &bad);
             }).kind,
             ErrorKind::InvalidArgument);
    QCOMPARE(test::expectError([&] {
                 proto::placeholderGroup(BinaryVectors{16, QByteArray(3, 'x')});
             }).kind,
             ErrorKind::InvalidArgument);
}

// FLOAT16, BFLOAT16 and INT8 vectors come back as their float values (never an empty cell), and are
// refused, not sent as float vectors, on the way out.
void TestProtoConvert::halfAndInt8VectorsReadAsFloats()
{
    const auto le16 = [](std::initializer_list<quint16> words) {
        std::string out;
        for (quint16 w : words) {
            out.push_back(char(w & 0xff));
            out.push_back(char(w >> 8));
        }
        return out;
    };
    pb::schema::FieldData half;
    half.set_type(pb::schema::DataType::Float16Vector);
    half.mutable_vectors()->set_dim(2);
    half.mutable_vectors()->set_float16_vector(le16({0x3c00, 0xc000, 0x3800, 0x7bff})); // 1, -2, 0.5, 65504
    const FieldColumn h = proto::fromProto(half);
    QCOMPARE(h.type, DataType::Float16Vector);
    QCOMPARE(h.rowCount(), qsizetype(2));
    QCOMPARE(std::get<FloatVectors>(h.data).values, (QList<float>{1.0f, -2.0f, 0.5f, 65504.0f}));

    pb::schema::FieldData brain;
    brain.set_type(pb::schema::DataType::BFloat16Vector);
    brain.mutable_vectors()->set_dim(2);
    brain.mutable_vectors()->set_bfloat16_vector(le16({0x3f80, 0xc040})); // 1, -3
    QCOMPARE(std::get<FloatVectors>(proto::fromProto(brain).data).values, (QList<float>{1.0f, -3.0f}));

    pb::schema::FieldData int8;
    int8.set_type(pb::schema::DataType::Int8Vector);
    int8.mutable_vectors()->set_dim(3);
    int8.mutable_vectors()->set_int8_vector(std::string("\x7f\x80\x00", 3));
    QCOMPARE(std::get<FloatVectors>(proto::fromProto(int8).data).values,
             (QList<float>{127.0f, -128.0f, 0.0f}));

    const MilvusError e = test::expectError([&] {
        pb::schema::FieldData out;
        proto::toProto(h, &out);
    });
    QCOMPARE(e.kind, ErrorKind::InvalidArgument);
    QVERIFY2(e.reason.contains(QLatin1String("Float16Vector")), qPrintable(e.reason));
}

void TestProtoConvert::sparsePlaceholderGroup()
{
    const QList<SparseVector> queries{{{3, 9}, {0.5f, 1.5f}}, {{100000}, {-2.0f}}};
    const std::string bytes = proto::placeholderGroup(queries);

    pb::common::PlaceholderGroup group;
    QVERIFY(group.ParseFromString(bytes));
    QCOMPARE(group.placeholders_size(), 1);
    const auto &ph = group.placeholders(0);
    QCOMPARE(ph.tag(), std::string("$0"));
    QCOMPARE(ph.type(), pb::common::PlaceholderType::SparseFloatVector);
    QCOMPARE(int(ph.type()), 104);
    QCOMPARE(ph.values_size(), 2);
    QCOMPARE(QByteArray::fromStdString(ph.values(1)), le32(100000) + leFloat(-2.0f));
    for (int q = 0; q < 2; ++q)
        QCOMPARE(proto::sparseFromBytes(ph.values(q)), queries.at(q));
}

void TestProtoConvert::invalidInput_data()
{
    QTest::addColumn<Action>("action");
    QTest::addColumn<QString>("reasonContains");

    const auto toFieldData = [](FieldColumn c) {
        return Action([c] {
            pb::schema::FieldData fd;
            proto::toProto(c, &fd);
        });
    };
    const SparseVector mismatched{{1, 2, 3}, {0.5f, 0.25f}};

    QTest::newRow("float vectors not a multiple of dim")
        << toFieldData(FieldColumn::floatVectors(QStringLiteral("v"), 3, {1, 2, 3, 4})) << "dimension 3";
    QTest::newRow("float vectors with dim 0")
        << toFieldData(FieldColumn::floatVectors(QStringLiteral("v"), 0, {1, 2})) << "dimension 0";
    QTest::newRow("column without data")
        << toFieldData(makeColumn(QStringLiteral("empty"), DataType::Int64, {})) << "no data";
    QTest::newRow("sparse indices/values mismatch (bytes)")
        << Action([mismatched] { proto::sparseToBytes(mismatched); }) << "3 indices but 2 values";
    QTest::newRow("sparse indices/values mismatch (column)")
        << toFieldData(
               makeColumn(QStringLiteral("sp"), DataType::SparseFloatVector, QList<SparseVector>{mismatched}))
        << "3 indices but 2 values";
    QTest::newRow("sparse indices/values mismatch (search)")
        << Action([mismatched] { proto::placeholderGroup(QList<SparseVector>{mismatched}); })
        << "3 indices but 2 values";
    QTest::newRow("array of unsupported element type")
        << toFieldData(makeColumn(QStringLiteral("a"), DataType::Array, QList<QVariantList>{{1}}, {},
                                  DataType::FloatVector))
        << "unsupported array element type";
    QTest::newRow("search floats not a multiple of dim") << Action([] {
        proto::placeholderGroup(FloatVectors{4, {1, 2, 3, 4, 5}});
    }) << "at least one whole";
    QTest::newRow("search with dim 0") << Action([] {
        proto::placeholderGroup(FloatVectors{0, {}});
    }) << "at least one whole";
    // A search needs at least one query vector; an empty group only earns a less helpful server error.
    QTest::newRow("empty float placeholder group") << Action([] {
        proto::placeholderGroup(FloatVectors{8, {}});
    }) << "at least one";
    QTest::newRow("empty sparse placeholder group")
        << Action([] { proto::placeholderGroup(QList<SparseVector>{}); }) << "at least one";
}

void TestProtoConvert::invalidInput()
{
    QFETCH(Action, action);
    QFETCH(QString, reasonContains);

    const std::optional<MilvusError> error = errorFrom(action);
    QVERIFY2(error.has_value(), "no MilvusException was thrown");
    QCOMPARE(error->kind, ErrorKind::InvalidArgument);
    QVERIFY2(error->reason.contains(reasonContains), qPrintable(error->reason));
}

// --- responses ---------------------------------------------------------------------------------------

void TestProtoConvert::searchResults_data()
{
    QTest::addColumn<IdList>("ids");
    const QList<qint64> ints{101, 102, 301, 302, 303};
    const QStringList strs{QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("c1"),
                           QStringLiteral("c2"), QStringLiteral("c3")};
    QTest::newRow("int ids") << IdList{ints};
    QTest::newRow("string ids") << IdList{strs};
}

void TestProtoConvert::searchResults()
{
    QFETCH(IdList, ids);

    // Three queries; the second found nothing. Milvus flattens all hits into one list, split by topks.
    pb::schema::SearchResultData m;
    m.set_num_queries(3);
    m.set_top_k(3);
    for (long long k : {2, 0, 3})
        m.add_topks(k);
    const QList<float> scores{0.95f, 0.9f, 0.7f, 0.65f, 0.6f};
    for (float s : scores)
        m.add_scores(s);
    proto::toProto(ids, m.mutable_ids());
    m.set_primary_field_name("pk");
    auto *title = m.add_fields_data();
    title->set_field_name("title");
    title->set_type(pb::schema::DataType::VarChar);
    for (const char *t : {"alpha", "beta", "gamma", "delta", "epsilon"})
        title->mutable_scalars()->mutable_string_data()->add_data(t);
    addJsonRows(m.add_fields_data(), QStringLiteral("$meta"),
                {obj({{QStringLiteral("color"), QStringLiteral("red")}, {QStringLiteral("n"), 1}}),
                 obj({{QStringLiteral("color"), QStringLiteral("blue")}}), QJsonObject(),
                 obj({{QStringLiteral("n"), 3}, {QStringLiteral("tags"), QJsonArray{QStringLiteral("x")}}}),
                 obj({{QStringLiteral("color"), QStringLiteral("green")}, {QStringLiteral("n"), 5}})},
                true);

    pb::schema::SearchResultData received;
    QVERIFY(overTheWire(m, &received));
    const SearchResults r = proto::fromProto(received);

    QCOMPARE(r.primaryField, QStringLiteral("pk"));
    QCOMPARE(r.queries.size(), 3);
    QCOMPARE(r.queries.at(0).size(), 2);
    QCOMPARE(r.queries.at(1).size(), 0);
    QCOMPARE(r.queries.at(2).size(), 3);

    const auto hit = [&](qsizetype flat, QVariantMap fields) {
        return SearchHit{ids.at(flat), scores.at(flat), std::move(fields)};
    };
    const auto title_ = [](const char *t) {
        return QVariantMap{{QStringLiteral("title"), QString::fromLatin1(t)}};
    };
    const auto with = [](QVariantMap m, const QString &k, const QVariant &v) {
        m.insert(k, v);
        return m;
    };
    // Dynamic keys become ordinary fields of the hit; "$meta" itself never shows up.
    const QList<SearchHit> q0{
        hit(0, with(with(title_("alpha"), QStringLiteral("color"), QStringLiteral("red")),
                    QStringLiteral("n"), 1)),
        hit(1, with(title_("beta"), QStringLiteral("color"), QStringLiteral("blue"))),
    };
    const QList<SearchHit> q2{
        hit(2, title_("gamma")),
        hit(3, with(with(title_("delta"), QStringLiteral("n"), 3), QStringLiteral("tags"),
                    QVariantList{QStringLiteral("x")})),
        hit(4, with(with(title_("epsilon"), QStringLiteral("color"), QStringLiteral("green")),
                    QStringLiteral("n"), 5)),
    };
    QCOMPARE(r.queries.at(0), q0);
    QCOMPARE(r.queries.at(2), q2);
    for (const auto &hits : r.queries)
        for (const auto &h : hits) {
            QVERIFY(!h.fields.contains(QStringLiteral("$meta")));
            QCOMPARE(h.id.metaType(), ids.at(0).metaType());
        }
}

void TestProtoConvert::searchResultsTruncated()
{
    // topks promising more hits than ids were sent must not read past the end.
    pb::schema::SearchResultData m;
    m.add_topks(2);
    m.add_topks(2);
    for (qint64 id : {1, 2, 3})
        m.mutable_ids()->mutable_int_id()->add_data(id);
    for (float s : {0.1f, 0.2f, 0.3f})
        m.add_scores(s);

    const SearchResults r = proto::fromProto(m);
    QCOMPARE(r.queries.size(), 2);
    QCOMPARE(r.queries.at(0).size(), 2);
    QCOMPARE(r.queries.at(1).size(), 1);
    QCOMPARE(r.queries.at(1).at(0).id, QVariant(qint64(3)));
    QCOMPARE(r.queries.at(1).at(0).score, 0.3f);
}

void TestProtoConvert::queryResults()
{
    pb::milvus::QueryResults m;
    m.set_primary_field_name("pk");
    m.set_collection_name("c");
    auto *pk = m.add_fields_data();
    pk->set_field_name("pk");
    pk->set_type(pb::schema::DataType::Int64);
    for (qint64 v : {1, 2, 3})
        pk->mutable_scalars()->mutable_long_data()->add_data(v);
    auto *title = m.add_fields_data();
    title->set_field_name("title");
    title->set_type(pb::schema::DataType::VarChar);
    for (const char *t : {"a", "b", "c"})
        title->mutable_scalars()->mutable_string_data()->add_data(t);
    auto *vec = m.add_fields_data();
    vec->set_field_name("vec");
    vec->set_type(pb::schema::DataType::FloatVector);
    vec->mutable_vectors()->set_dim(2);
    for (float f : {0.5f, 1.5f, 2.5f, 3.5f, -1.0f, 0.0f})
        vec->mutable_vectors()->mutable_float_vector()->add_data(f);
    // Nullable, in the compressed form: only rows 0 and 2 have a value.
    auto *score = m.add_fields_data();
    score->set_field_name("score");
    score->set_type(pb::schema::DataType::Double);
    for (bool v : {true, false, true})
        score->add_valid_data(v);
    score->mutable_scalars()->mutable_double_data()->add_data(0.25);
    score->mutable_scalars()->mutable_double_data()->add_data(0.75);
    addJsonRows(m.add_fields_data(), QStringLiteral("$meta"),
                {obj({{QStringLiteral("k"), QStringLiteral("v1")}}), QJsonObject(),
                 obj({{QStringLiteral("k"), QStringLiteral("v3")}, {QStringLiteral("extra"), true}})},
                true);

    pb::milvus::QueryResults received;
    QVERIFY(overTheWire(m, &received));
    const QueryResult r = proto::fromProto(received);

    QCOMPARE(r.primaryField, QStringLiteral("pk"));
    QCOMPARE(r.columns.size(), 5);
    QCOMPARE(r.rowCount(), 3);
    QVERIFY(r.column(QStringLiteral("title")) != nullptr);
    QCOMPARE(r.column(QStringLiteral("title"))->type, DataType::VarChar);
    QCOMPARE(r.column(QStringLiteral("missing")), nullptr);
    QVERIFY(r.column(QStringLiteral("$meta"))->isDynamic);

    const QList<QVariantMap> expected{
        {{QStringLiteral("pk"), qint64(1)},
         {QStringLiteral("title"), QStringLiteral("a")},
         {QStringLiteral("vec"), QVariantList{0.5, 1.5}},
         {QStringLiteral("score"), 0.25},
         {QStringLiteral("k"), QStringLiteral("v1")}},
        {{QStringLiteral("pk"), qint64(2)},
         {QStringLiteral("title"), QStringLiteral("b")},
         {QStringLiteral("vec"), QVariantList{2.5, 3.5}},
         {QStringLiteral("score"), QVariant()}},
        {{QStringLiteral("pk"), qint64(3)},
         {QStringLiteral("title"), QStringLiteral("c")},
         {QStringLiteral("vec"), QVariantList{-1.0, 0.0}},
         {QStringLiteral("score"), 0.75},
         {QStringLiteral("k"), QStringLiteral("v3")},
         {QStringLiteral("extra"), true}},
    };
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QVariantMap row = r.row(i);
        QCOMPARE(row.keys(), expected.at(i).keys());
        for (auto it = expected.at(i).cbegin(); it != expected.at(i).cend(); ++it)
            QCOMPARE(row.value(it.key()), it.value());
    }
    QCOMPARE(QueryResult().rowCount(), 0);
}

void TestProtoConvert::mutationResult_data()
{
    QTest::addColumn<IdList>("ids");
    QTest::newRow("int ids") << IdList{QList<qint64>{10, 11, 12}};
    QTest::newRow("string ids") << IdList{
        QStringList{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")}};
}

void TestProtoConvert::mutationResult()
{
    QFETCH(IdList, ids);

    pb::milvus::MutationResult m;
    proto::toProto(ids, m.mutable_ids());
    m.set_insert_cnt(3);
    m.set_delete_cnt(4);
    m.set_upsert_cnt(5);
    m.set_timestamp(449876543210987654ULL);
    m.add_err_index(1);
    m.add_err_index(7);
    m.add_succ_index(0);

    pb::milvus::MutationResult received;
    QVERIFY(overTheWire(m, &received));
    const MutationResult r = proto::fromProto(received);
    QCOMPARE(r.ids, ids);
    QCOMPARE(r.insertCount, 3);
    QCOMPARE(r.deleteCount, 4);
    QCOMPARE(r.upsertCount, 5);
    QCOMPARE(r.timestamp, quint64(449876543210987654ULL));
    QCOMPARE(r.errorIndex, (QList<quint32>{1, 7}));
}

void TestProtoConvert::indexDescription()
{
    pb::milvus::IndexDescription m;
    m.set_index_name("vec_idx");
    m.set_field_name("vec");
    m.set_indexid(4242424242LL);
    for (const auto &[k, v] : {std::pair{"index_type", "HNSW"}, std::pair{"metric_type", "COSINE"},
                               std::pair{"params", R"({"M":16,"efConstruction":200})"}}) {
        auto *kv = m.add_params();
        kv->set_key(k);
        kv->set_value(v);
    }
    m.set_indexed_rows(900);
    m.set_total_rows(1000);
    m.set_pending_index_rows(100);
    m.set_state(pb::common::IndexState::Failed);
    m.set_index_state_fail_reason("disk full");

    pb::milvus::IndexDescription received;
    QVERIFY(overTheWire(m, &received));
    const IndexDescription d = proto::fromProto(received);
    QCOMPARE(d.indexName, QStringLiteral("vec_idx"));
    QCOMPARE(d.fieldName, QStringLiteral("vec"));
    QCOMPARE(d.indexId, 4242424242LL);
    QCOMPARE(d.indexType(), QStringLiteral("HNSW"));
    QCOMPARE(d.metricType(), QStringLiteral("COSINE"));
    QCOMPARE(d.params.value(QStringLiteral("params")), QStringLiteral(R"({"M":16,"efConstruction":200})"));
    QCOMPARE(d.params.size(), 3);
    QCOMPARE(d.indexedRows, 900);
    QCOMPARE(d.totalRows, 1000);
    QCOMPARE(d.pendingRows, 100);
    QCOMPARE(d.state, 4);
    QCOMPARE(d.failReason, QStringLiteral("disk full"));
}

void TestProtoConvert::describeCollection_data()
{
    QTest::addColumn<QString>("responseName");
    QTest::addColumn<int>("consistency");
    QTest::addColumn<QString>("expectedName");

    QTest::newRow("name in response") << "books" << int(ConsistencyLevel::Session) << "books";
    // Older servers leave collection_name empty; the schema still names the collection.
    QTest::newRow("name only in schema") << "" << int(ConsistencyLevel::Strong) << "schema_name";
    QTest::newRow("eventually") << "c" << int(ConsistencyLevel::Eventually) << "c";
    QTest::newRow("customized") << "c" << int(ConsistencyLevel::Customized) << "c";
}

void TestProtoConvert::describeCollection()
{
    QFETCH(QString, responseName);
    QFETCH(int, consistency);
    QFETCH(QString, expectedName);

    CollectionSchema schema;
    schema.name = QStringLiteral("schema_name");
    schema.enableDynamicField = true;
    schema.fields = {
        makeField(QStringLiteral("id"), DataType::Int64, [](FieldSchema &f) { f.isPrimaryKey = true; }),
        makeField(QStringLiteral("v"), DataType::FloatVector,
                  [](FieldSchema &f) { f.typeParams.insert(QStringLiteral("dim"), QStringLiteral("16")); })};

    pb::milvus::DescribeCollectionResponse m;
    proto::toProto(schema, m.mutable_schema());
    m.set_collection_name(responseName.toStdString());
    m.set_collectionid(458000000000000001LL);
    m.set_db_name("analytics");
    m.add_aliases("alias_one");
    m.add_aliases("alias_two");
    m.set_consistency_level(pb::common::ConsistencyLevel(consistency));
    m.set_shards_num(2);
    m.set_num_partitions(64);
    m.set_created_utc_timestamp(1715000000123ULL);
    m.set_created_timestamp(449000000000000000ULL); // hybrid timestamp; must not be mistaken for the UTC one
    auto *prop = m.add_properties();
    prop->set_key("collection.ttl.seconds");
    prop->set_value("86400");

    pb::milvus::DescribeCollectionResponse received;
    QVERIFY(overTheWire(m, &received));
    const CollectionDescription d = proto::fromProto(received);
    QCOMPARE(d.collectionName, expectedName);
    QVERIFY(d.schema == schema);
    QCOMPARE(d.collectionId, 458000000000000001LL);
    QCOMPARE(d.dbName, QStringLiteral("analytics"));
    QCOMPARE(d.aliases, (QStringList{QStringLiteral("alias_one"), QStringLiteral("alias_two")}));
    QCOMPARE(int(d.consistency), consistency);
    QCOMPARE(d.shards, 2);
    QCOMPARE(d.numPartitions, 64);
    QCOMPARE(d.createdUtcMs, quint64(1715000000123ULL));
    QCOMPARE(d.properties,
             (QMap<QString, QString>{{QStringLiteral("collection.ttl.seconds"), QStringLiteral("86400")}}));
}

} // namespace mx

QTEST_APPLESS_MAIN(mx::TestProtoConvert)
#include "tst_protoconvert.moc"
