#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <variant>

namespace mx {

// Values mirror milvus.proto.schema.DataType.
enum class DataType
{
    None = 0,
    Bool = 1,
    Int8 = 2,
    Int16 = 3,
    Int32 = 4,
    Int64 = 5,
    Float = 10,
    Double = 11,
    String = 20,
    VarChar = 21,
    Array = 22,
    Json = 23,
    BinaryVector = 100,
    FloatVector = 101,
    Float16Vector = 102,
    BFloat16Vector = 103,
    SparseFloatVector = 104,
    Int8Vector = 105,
};
QString dataTypeName(DataType t);
std::optional<DataType> dataTypeFromName(const QString &name);
bool isVectorType(DataType t);

// Values mirror milvus.proto.common.ConsistencyLevel.
enum class ConsistencyLevel
{
    Strong = 0,
    Session = 1,
    Bounded = 2,
    Eventually = 3,
    Customized = 4
};
QString consistencyLevelName(ConsistencyLevel level);

// Values mirror milvus.proto.common.LoadState.
enum class LoadState
{
    NotExist = 0,
    NotLoad = 1,
    Loading = 2,
    Loaded = 3
};
QString loadStateName(LoadState state);

struct FieldSchema
{
    QString name;
    DataType type = DataType::None;
    DataType elementType = DataType::None; // for Array
    QString description;
    bool isPrimaryKey = false;
    bool autoId = false;
    bool isPartitionKey = false;
    bool isClusteringKey = false;
    bool isDynamic = false;
    bool nullable = false;
    QVariant defaultValue;             // invalid when none
    QMap<QString, QString> typeParams; // dim, max_length, max_capacity, ...
    int dim() const { return typeParams.value(QStringLiteral("dim")).toInt(); }
    int maxLength() const { return typeParams.value(QStringLiteral("max_length")).toInt(); }
    bool operator==(const FieldSchema &) const = default;
};

struct CollectionSchema
{
    QString name;
    QString description;
    bool autoId = false; // legacy collection-level flag; the primary field's flag is authoritative
    bool enableDynamicField = false;
    QList<FieldSchema> fields;
    QMap<QString, QString> properties;

    const FieldSchema *field(const QString &name) const;
    const FieldSchema *primaryField() const;
    QList<const FieldSchema *> vectorFields() const;
    bool operator==(const CollectionSchema &) const = default;
};

struct FloatVectors
{
    int dim = 0;
    QList<float> values; // row-major, rows * dim
    qsizetype rows() const { return dim > 0 ? values.size() / dim : 0; }
    QList<float> row(qsizetype i) const { return values.mid(i * dim, dim); }
    bool operator==(const FloatVectors &) const = default;
};

// BINARY_VECTOR rows: `dim` bits each (a multiple of 8), packed dim / 8 bytes per row as Milvus moves
// them: dimension 8 * i + k is bit 7 - k of byte i (numpy.packbits order, as pymilvus takes them).
struct BinaryVectors
{
    int dim = 0;      // in bits
    QByteArray bytes; // row-major, rows * dim / 8
    int rowBytes() const { return dim / 8; }
    qsizetype rows() const { return rowBytes() > 0 ? bytes.size() / rowBytes() : 0; }
    QByteArray row(qsizetype i) const { return bytes.mid(i * rowBytes(), rowBytes()); }
    bool operator==(const BinaryVectors &) const = default;
};

struct SparseVector
{
    QList<quint32> indices;
    QList<float> values;
    bool operator==(const SparseVector &) const = default;
};

// One column of entity data, as Milvus moves it on the wire. JSON cells are kept as the UTF-8 JSON
// text the server sent; array cells as QVariantList of the element type. FLOAT16, BFLOAT16 and INT8
// vectors arrive converted to FloatVectors (type kept): shown and exported, never written back.
struct FieldColumn
{
    using Data = std::variant<std::monostate, QList<bool>, QList<qint32>, QList<qint64>, QList<float>,
                              QList<double>, QStringList, QList<QByteArray>, QList<QVariantList>,
                              FloatVectors, QList<SparseVector>, BinaryVectors>;
    QString name;
    DataType type = DataType::None;
    DataType elementType = DataType::None;
    bool isDynamic = false;
    Data data;         // one cell per row, a placeholder where the row is NULL
    QList<bool> valid; // empty: every row valid; else one flag per row (nullable fields)

    qsizetype rowCount() const;
    // Cell as a QVariant: numbers, QString, QJsonValue for JSON, QVariantList for arrays and vectors,
    // QByteArray (the packed bits) for binary vectors.
    QVariant value(qsizetype row) const;
    bool operator==(const FieldColumn &) const = default;

    static FieldColumn int64s(const QString &name, QList<qint64> v);
    static FieldColumn varchars(const QString &name, QStringList v);
    static FieldColumn doubles(const QString &name, QList<double> v);
    static FieldColumn floatVectors(const QString &name, int dim, QList<float> flat);
    static FieldColumn binaryVectors(const QString &name, int dimBits, QByteArray packed);
    static FieldColumn json(const QString &name, const QList<QJsonObject> &objects, bool dynamic = false);
};

// Primary keys: either all integers or all strings.
struct IdList
{
    std::variant<QList<qint64>, QStringList> ids;
    qsizetype size() const;
    QVariant at(qsizetype i) const;
    bool operator==(const IdList &) const = default;
};

struct MutationResult
{
    IdList ids;
    qint64 insertCount = 0;
    qint64 deleteCount = 0;
    qint64 upsertCount = 0;
    quint64 timestamp = 0;
    QList<quint32> errorIndex;
};

// Query output: columnar, one FieldColumn per output field (the dynamic field appears as "$meta").
struct QueryResult
{
    QList<FieldColumn> columns;
    QString primaryField;
    // The output fields as the server resolved them ("*" expanded). A name that is no column is a key of
    // the dynamic field: the full server sends the whole dynamic object and pymilvus keeps only those keys.
    QStringList outputFields;
    qsizetype rowCount() const { return columns.isEmpty() ? 0 : columns.first().rowCount(); }
    const FieldColumn *column(const QString &name) const;
    // One row as name -> value; dynamic fields are expanded into top-level keys (all of them).
    QVariantMap row(qsizetype i) const;
};

struct SearchHit
{
    QVariant id;
    float score = 0; // raw distance/similarity as the server reports it
    QVariantMap fields;
    bool operator==(const SearchHit &) const = default;
};

struct SearchResults
{
    QList<QList<SearchHit>> queries; // one list of hits per query vector, best first
    QString primaryField;
};

struct IndexDescription
{
    QString indexName;
    QString fieldName;
    qint64 indexId = 0;
    QMap<QString, QString> params; // index_type, metric_type, params (JSON), ...
    qint64 indexedRows = 0;
    qint64 totalRows = 0;
    qint64 pendingRows = 0;
    int state = 0; // common.IndexState
    QString failReason;
    QString indexType() const { return params.value(QStringLiteral("index_type")); }
    QString metricType() const { return params.value(QStringLiteral("metric_type")); }
    // The build parameters whatever layout the server keeps them in: a JSON "params" entry (how this
    // app and Milvus Lite send them) and/or one key each (how pymilvus sends them to the full server:
    // "M", "efConstruction"), merged; numbers as numbers.
    QJsonObject buildParams() const;
    QString buildParamsText() const; // compact JSON of buildParams(); empty when there are none
};

struct CollectionDescription
{
    CollectionSchema schema;
    QString collectionName;
    qint64 collectionId = 0;
    QString dbName;
    QStringList aliases;
    ConsistencyLevel consistency = ConsistencyLevel::Bounded;
    int shards = 0;
    qint64 numPartitions = 0;
    quint64 createdUtcMs = 0;
    QMap<QString, QString> properties;
};

struct PartitionInfo
{
    QString name;
    qint64 id = 0;
    quint64 createdUtcMs = 0;
    qint64 inMemoryPercentage = 0;
};

struct ServerInfo
{
    QString buildTags;
    QString buildTime;
    QString gitCommit;
    QString deployMode;
    qint64 identifier = 0;
    QMap<QString, QString> reserved;
};

struct HealthStatus
{
    bool healthy = false;
    QStringList reasons;
};

} // namespace mx
