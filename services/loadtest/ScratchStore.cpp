#include "ScratchStore.h"

#include "MilvusError.h"

#include "CancelToken.h"
#include "CpuClock.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <thread>

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

QString ScratchStore::newName(const QString &tag, const QString &prefix)
{
    QString clean = tag;
    for (QChar &c : clean)
        if (!c.isLetterOrNumber())
            c = QLatin1Char('_');
    return QStringLiteral("%1%2_%3_%4")
        .arg(prefix, clean, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd_hhmmss")))
        .arg(QRandomGenerator::global()->bounded(1u << 30), 0, 36);
}

StoreLayout ScratchStore::create(MilvusClient &client, const QString &name, int dim,
                                 const CallOptions &options, const QString &prefix, bool autoId)
{
    if (!isScratchName(name, prefix))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("CreateCollection"),
                   QStringLiteral("scratch collections must be named %1...; '%2' is not").arg(prefix, name));
    if (dim <= 0)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("CreateCollection"),
                   QStringLiteral("the embedding dimension is not known (got %1)").arg(dim));
    StoreLayout layout;
    layout.dim = dim;
    layout.autoId = autoId;
    FieldSchema pk = field(layout.pkField, DataType::Int64);
    pk.isPrimaryKey = true;
    pk.autoId = autoId;
    CollectionSchema schema;
    schema.autoId = autoId;
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

void ScratchStore::drop(MilvusClient &client, const QString &name, const CallOptions &options,
                        const QString &prefix)
{
    if (!isScratchName(name, prefix))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("DropCollection"),
                   QStringLiteral("refusing to drop '%1': the load tester drops only its own %2 collections")
                       .arg(name, prefix));
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
        layout.autoId = pk->autoId;
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

QString ScratchStore::Readiness::describe() const
{
    QString index =
        indexedRows < 0
            ? QStringLiteral("no index")
            : QStringLiteral("index %1, %2/%3 rows indexed").arg(indexState).arg(indexedRows).arg(totalRows);
    return QStringLiteral("loaded %1%, %2, ready after %3 ms")
        .arg(loadProgress)
        .arg(index)
        .arg(double(waitNs) / 1e6, 0, 'f', 0);
}

ScratchStore::Readiness ScratchStore::waitUntilReady(MilvusClient &client, const QString &name,
                                                     const QString &vectorField, bool flush,
                                                     const CallOptions &options)
{
    const qint64 start = CpuClock::steadyNowNs();
    const qint64 deadline = options.timeout.count() > 0
                                ? start + std::chrono::nanoseconds(options.timeout).count()
                                : std::numeric_limits<qint64>::max();
    auto remaining = [&] {
        CallOptions o = options;
        o.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::nanoseconds(std::max<qint64>(deadline - CpuClock::steadyNowNs(), 1'000'000)));
        return o;
    };
    auto pause = [&](const QString &what) {
        if (options.cancel && options.cancel->isCancelled())
            throwError(ErrorKind::Cancelled, QStringLiteral("Load test"),
                       QStringLiteral("stopped while waiting for %1").arg(what));
        if (CpuClock::steadyNowNs() >= deadline)
            throwError(ErrorKind::Timeout, QStringLiteral("Load test"),
                       QStringLiteral("%1 was not ready in time: %2").arg(name, what));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    };
    if (flush) {
        FlushRequest f;
        f.collections = {name};
        f.options = remaining();
        client.flush(f);
    }
    Readiness r;
    for (;;) {
        r.loadProgress = client.getLoadingProgress(LoadStateRequest{name, {}, remaining()});
        if (r.loadProgress >= 100)
            break;
        // A collection nobody is loading would never get there: say so instead of waiting out the deadline.
        // (Only after a while: right after a LoadCollection the state may not have moved yet.)
        if (CpuClock::steadyNowNs() - start > 3'000'000'000LL &&
            client.getLoadState(LoadStateRequest{name, {}, remaining()}) == LoadState::NotLoad)
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                       QStringLiteral("%1 is not loaded: load it before load-testing it").arg(name));
        pause(QStringLiteral("loading (%1%)").arg(r.loadProgress));
    }
    for (;;) {
        QList<IndexDescription> indexes;
        try {
            indexes = client.describeIndex(IndexRequest{name, vectorField, {}, remaining()});
        } catch (const MilvusException &e) {
            // A collection without an index (Milvus Lite loads those) has nothing to wait for.
            if (e.error().kind == ErrorKind::Milvus &&
                e.error().reason.contains(QLatin1String("index"), Qt::CaseInsensitive) &&
                e.error().reason.contains(QLatin1String("not"), Qt::CaseInsensitive))
                break;
            throw;
        }
        bool ready = true;
        r.indexedRows = r.totalRows = 0;
        for (const IndexDescription &d : std::as_const(indexes)) {
            constexpr int kFinished = 3;
            constexpr int kFailed = 4;
            if (d.state == kFailed)
                throwError(ErrorKind::Milvus, QStringLiteral("DescribeIndex"),
                           QStringLiteral("the index of %1.%2 failed to build: %3")
                               .arg(name, d.fieldName, d.failReason));
            r.indexedRows += d.indexedRows;
            r.totalRows += d.totalRows;
            r.indexState =
                d.state == kFinished ? QStringLiteral("Finished") : QStringLiteral("state %1").arg(d.state);
            ready = ready && d.state == kFinished && d.indexedRows >= d.totalRows && d.pendingRows == 0;
        }
        if (indexes.isEmpty())
            r.indexedRows = r.totalRows = -1;
        if (ready)
            break;
        pause(QStringLiteral("its index (%1 of %2 rows indexed)").arg(r.indexedRows).arg(r.totalRows));
    }
    r.waitNs = CpuClock::steadyNowNs() - start;
    return r;
}

qint64 ScratchStore::probeSearch(MilvusClient &client, const QString &name, const StoreLayout &layout,
                                 std::optional<ConsistencyLevel> consistency, const CallOptions &options)
{
    SearchRequest s;
    s.collection = name;
    s.annsField = layout.vectorField;
    QList<float> unit(layout.dim, 0.0f);
    if (!unit.isEmpty())
        unit[0] = 1.0f;
    s.vectors = FloatVectors{layout.dim, unit};
    s.topK = 1;
    s.consistency = consistency;
    s.options = options;
    const qint64 start = CpuClock::steadyNowNs();
    client.search(s);
    return CpuClock::steadyNowNs() - start;
}

QList<QPair<qint64, Embedding>> ScratchStore::vectors(MilvusClient &client, const QString &name,
                                                      const StoreLayout &layout, qint64 limit,
                                                      const CallOptions &options)
{
    if (!layout.pkIsInt)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Query"),
                   QStringLiteral("exact search needs an INT64 primary key; '%1' has another").arg(name));
    constexpr qint64 kPage = 4096;
    QList<QPair<qint64, Embedding>> out;
    std::optional<qint64> last;
    while (out.size() < limit) {
        QueryRequest q;
        q.collection = name;
        q.outputFields = {layout.pkField, layout.vectorField};
        q.filter = last ? QStringLiteral("%1 > %2").arg(layout.pkField).arg(*last) : QString();
        q.limit = std::min(kPage, limit - out.size());
        q.iterator = true; // the smallest keys first, so the next page starts after the last one
        q.consistency = ConsistencyLevel::Strong;
        q.options = options;
        const QueryResult r = client.query(q);
        const FieldColumn *pk = r.column(layout.pkField);
        const FieldColumn *vec = r.column(layout.vectorField);
        if (!pk || !vec || pk->rowCount() == 0)
            break;
        const auto *floats = std::get_if<FloatVectors>(&vec->data);
        if (!floats || floats->dim != layout.dim)
            throwError(
                ErrorKind::Milvus, QStringLiteral("Query"),
                QStringLiteral("%1 returned no float vectors of dimension %2").arg(name).arg(layout.dim));
        for (qsizetype i = 0; i < pk->rowCount() && out.size() < limit; ++i) {
            const qint64 key = pk->value(i).toLongLong();
            if (last && key <= *last)
                continue; // a server that returns more than asked
            out.append({key, floats->row(i)});
        }
        const qint64 pageLast = pk->value(pk->rowCount() - 1).toLongLong();
        if (last && pageLast <= *last)
            break;
        last = pageLast;
        if (pk->rowCount() < q.limit)
            break;
    }
    return out;
}

} // namespace mx
