#include "ScratchStore.h"

#include "MilvusError.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace mx {

namespace {

FieldSchema field(const QString &name, DataType type, QMap<QString, QString> params = {})
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    f.typeParams = std::move(params);
    return f;
}

const QString kMaxLength = QStringLiteral("max_length");
const QString kVarcharMax = QStringLiteral("65535");

} // namespace

QString ScratchStore::newName(const QString &tag)
{
    QString clean = tag;
    for (QChar &c : clean)
        if (!c.isLetterOrNumber())
            c = QLatin1Char('_');
    return QStringLiteral("%1%2_%3_%4")
        .arg(prefix(), clean, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd_hhmmss")))
        .arg(QRandomGenerator::global()->bounded(1u << 30), 0, 36);
}

StoreLayout ScratchStore::create(MilvusClient &client, const QString &name, int dim,
                                 const CallOptions &options)
{
    if (!isScratchName(name))
        throwError(
            ErrorKind::InvalidArgument, QStringLiteral("CreateCollection"),
            QStringLiteral("scratch collections must be named %1...; '%2' is not").arg(prefix(), name));
    if (dim <= 0)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("CreateCollection"),
                   QStringLiteral("the embedding dimension is not known (got %1)").arg(dim));
    StoreLayout layout;
    layout.dim = dim;
    FieldSchema pk = field(layout.pkField, DataType::Int64);
    pk.isPrimaryKey = true;
    pk.autoId = true;
    CollectionSchema schema;
    schema.autoId = true;
    schema.description =
        QStringLiteral("Milvus Explorer load-test scratch collection (dropped after the run)");
    schema.fields = {
        pk,
        field(layout.textField, DataType::VarChar, {{kMaxLength, kVarcharMax}}),
        field(layout.vectorField, DataType::FloatVector, {{QStringLiteral("dim"), QString::number(dim)}}),
        field(layout.idField, DataType::VarChar, {{kMaxLength, kVarcharMax}}),
        field(layout.scoreField, DataType::Double),
        field(layout.categoryField, DataType::VarChar, {{kMaxLength, kVarcharMax}})};
    CreateCollectionRequest create;
    create.collection = name;
    create.schema = schema;
    create.consistency = ConsistencyLevel::Session;
    create.options = options;
    client.createCollection(create);
    CreateIndexRequest index;
    index.collection = name;
    index.fieldName = layout.vectorField;
    index.indexType = QStringLiteral("AUTOINDEX");
    index.metricType = QStringLiteral("L2");
    index.options = options;
    client.createIndex(index);
    LoadCollectionRequest load;
    load.collection = name;
    load.options = options;
    client.loadCollection(load);
    return layout;
}

QList<qint64> ScratchStore::populate(MilvusClient &client, EmbeddingProvider &embedder, const QString &name,
                                     const StoreLayout &layout, const TutorialDocuments &docs, qint64 first,
                                     qint64 n, const CallOptions &options)
{
    constexpr qint64 kBatch = 500;
    QList<qint64> keys;
    keys.reserve(n);
    for (qint64 b = first; b < first + n; b += kBatch) {
        const qint64 size = std::min(kBatch, first + n - b);
        const QStringList texts = docs.texts(b, size);
        InsertRequest insert;
        insert.collection = name;
        insert.columns = docs.columns(b, embedder.embedDocuments(texts, options), layout, texts);
        insert.options = options;
        const MutationResult m = client.insert(insert);
        const auto *ids = std::get_if<QList<qint64>>(&m.ids.ids);
        if (m.insertCount != size || !ids || ids->size() != size)
            throwError(ErrorKind::Milvus, QStringLiteral("Insert"),
                       QStringLiteral("populating %1: the server acknowledged %2 of %3 rows")
                           .arg(name)
                           .arg(m.insertCount)
                           .arg(size));
        keys.append(*ids);
    }
    return keys;
}

qint64 ScratchStore::count(MilvusClient &client, const QString &name, const CallOptions &options)
{
    QueryRequest q;
    q.collection = name;
    q.outputFields = {QStringLiteral("count(*)")};
    q.consistency = ConsistencyLevel::Strong; // every acknowledged write must be visible to the count
    q.options = options;
    const QueryResult r = client.query(q);
    const FieldColumn *c = r.column(QStringLiteral("count(*)"));
    if (!c || c->rowCount() != 1)
        throwError(ErrorKind::Milvus, QStringLiteral("Query"),
                   QStringLiteral("count(*) on %1 returned no count").arg(name));
    return c->value(0).toLongLong();
}

void ScratchStore::drop(MilvusClient &client, const QString &name, const CallOptions &options)
{
    if (!isScratchName(name))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("DropCollection"),
                   QStringLiteral("refusing to drop '%1': the load tester drops only its own %2 collections")
                       .arg(name, prefix()));
    client.dropCollection(CollectionRequest{name, options});
}

StoreLayout ScratchStore::describe(MilvusClient &client, const QString &name, const CallOptions &options)
{
    const CollectionDescription d = client.describeCollection(CollectionRequest{name, options});
    StoreLayout layout;
    const auto vectors = d.schema.vectorFields();
    const FieldSchema *vector = nullptr;
    for (const FieldSchema *f : vectors)
        if (f->type == DataType::FloatVector && (!vector || f->name == layout.vectorField))
            vector = f;
    if (!vector)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("DescribeCollection"),
                   QStringLiteral("collection '%1' has no FLOAT_VECTOR field to search").arg(name));
    layout.vectorField = vector->name;
    layout.dim = vector->dim();
    if (const FieldSchema *pk = d.schema.primaryField()) {
        layout.pkField = pk->name;
        layout.pkIsInt = pk->type == DataType::Int64;
    }
    auto has = [&](const QString &f, DataType t) {
        const FieldSchema *s = d.schema.field(f);
        return s && s->type == t;
    };
    layout.langchainShape =
        has(layout.textField, DataType::VarChar) && has(layout.idField, DataType::VarChar) &&
        has(layout.scoreField, DataType::Double) && has(layout.categoryField, DataType::VarChar) &&
        layout.vectorField == QLatin1String("vector") && layout.pkIsInt;
    return layout;
}

QList<qint64> ScratchStore::primaryKeys(MilvusClient &client, const QString &name, const StoreLayout &layout,
                                        qint64 limit, const CallOptions &options)
{
    if (!layout.pkIsInt)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Query"),
                   QStringLiteral("collection '%1' has a VARCHAR primary key; only INT64 keys are supported")
                       .arg(name));
    QueryRequest q;
    q.collection = name;
    q.outputFields = {layout.pkField};
    q.limit = limit;
    q.options = options;
    const QueryResult r = client.query(q);
    QList<qint64> keys;
    if (const FieldColumn *c = r.column(layout.pkField))
        for (qsizetype i = 0; i < c->rowCount(); ++i)
            keys.append(c->value(i).toLongLong());
    return keys;
}

} // namespace mx
