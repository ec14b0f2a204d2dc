// The pipeline as a chain of steps on one shared Run. Each step starts an async call (embedding, Milvus,
// file parsing on dataThreadPool(), MMR on its pool) and continues on the thread that finished it; the
// continuations only build the next request or read an answer. The Run settles its promise once: with the
// outcome, with the first failure, or from the cancel token's callback; whatever arrives after that is
// dropped.

#include "SearchService.h"

#include "DataTask.h"
#include "MilvusClient.h"
#include "Mmr.h"
#include "QueryInputs.h"
#include "VectorStore.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QPromise>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>

#include <mutex>
#include <utility>

namespace mx {

namespace {
const QString kOperation = QStringLiteral("Search");
const QString kEmbeddings = QStringLiteral("Embeddings");

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

[[noreturn]] void invalid(const QString &reason)
{
    throwError(ErrorKind::InvalidArgument, kOperation, reason);
}

MilvusError cancelledError()
{
    MilvusError e;
    e.kind = ErrorKind::Cancelled;
    e.operation = kOperation;
    e.reason = QStringLiteral("the search was cancelled");
    return e;
}

QJsonObject parseSearchParams(const QString &text)
{
    if (text.trimmed().isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        invalid(QStringLiteral("the search parameters must be a JSON object, e.g. {\"ef\": 64} (%1)")
                    .arg(error.error != QJsonParseError::NoError ? error.errorString()
                                                                 : QStringLiteral("not an object")));
    return doc.object();
}

// Output field columns: the requested ones first (as ordered), then any others the rows carry (dynamic
// fields expanded from "$meta" or "*").
QStringList fieldColumnsOf(const QStringList &requested, const QList<SearchResultRow> &rows)
{
    QStringList out;
    for (const QString &f : requested) {
        if (f != QLatin1String("$meta") && f != QLatin1String("*"))
            out << f;
    }
    QSet<QString> seen(out.cbegin(), out.cend());
    for (const auto &row : rows) {
        for (auto it = row.fields.cbegin(); it != row.fields.cend(); ++it) {
            if (!seen.contains(it.key())) {
                seen.insert(it.key());
                out << it.key();
            }
        }
    }
    return out;
}

// One run in flight. The steps run one after another, so the step fields need no lock; the promise is
// settled under m_mutex because the cancel callback may race with the last step.
class Run
{
public:
    Run(const SearchRunRequest &request, std::shared_ptr<MilvusClient> milvus)
        : spec(request.spec)
        , metric(request.spec.metric.isEmpty() ? request.indexMetric : request.spec.metric)
        , client(std::move(milvus))
        , provider(request.provider)
        , token(request.options.cancel ? request.options.cancel : CancelToken::create())
        , m_timeout(request.options.timeout)
    {
        if (const FieldSchema *pk = request.schema.primaryField())
            primary = *pk;
        if (const FieldSchema *vf = request.schema.field(spec.vectorField))
            vectorField = *vf;
        if (m_timeout.count() > 0)
            m_deadline.setRemainingTime(m_timeout);
        total.start();
        m_promise.start();
    }

    QFuture<SearchOutcome> future() { return m_promise.future(); }

    // Settles the run as cancelled as soon as the token fires (at once when it already has). Not undone:
    // the callback holds the run weakly and is gone with the token, or unregistered when the run settles.
    void watchCancel(const std::shared_ptr<Run> &self)
    {
        const std::weak_ptr<Run> weak = self;
        const quint64 id = token->registerCallback([weak] {
            if (const auto run = weak.lock())
                run->settle(nullptr, cancelledError(), false);
        });
        std::lock_guard lock(m_mutex);
        m_cancelId = id;
    }

    bool isSettled() const
    {
        std::lock_guard lock(m_mutex);
        return m_settled;
    }

    // The options of the next call: the run's database and token, and what is left of the deadline.
    // Throws Cancelled or Timeout when the run must not start another call.
    CallOptions callOptions() const
    {
        if (token->isCancelled())
            throw MilvusException(cancelledError());
        CallOptions o;
        o.dbName = spec.database;
        o.cancel = token;
        if (m_timeout.count() > 0) {
            const qint64 left = m_deadline.remainingTime();
            if (left <= 0)
                throwError(ErrorKind::Timeout, kOperation,
                           QStringLiteral("the search did not finish within its deadline of %1 ms")
                               .arg(m_timeout.count()));
            o.timeout = std::chrono::milliseconds(left);
        }
        return o;
    }

    void succeed(SearchOutcome outcome) { settle(&outcome, {}, true); }
    void fail(const MilvusError &error) { settle(nullptr, error, true); }

    const SearchSpec spec;
    const QString metric;
    FieldSchema primary;
    FieldSchema vectorField;
    QJsonObject searchParams;
    const std::shared_ptr<MilvusClient> client;
    std::shared_ptr<EmbeddingProvider> provider; // released once the embedding call has started
    const std::shared_ptr<CancelToken> token;
    QElapsedTimer total;
    std::optional<double> embeddingMs;
    double milvusMs = 0;
    std::optional<double> rerankMs;

private:
    void settle(SearchOutcome *outcome, const MilvusError &error, bool unregister)
    {
        quint64 cancelId = 0;
        {
            std::lock_guard lock(m_mutex);
            if (m_settled)
                return;
            m_settled = true;
            if (outcome)
                m_promise.addResult(std::move(*outcome));
            else
                m_promise.setException(MilvusException(error));
            m_promise.finish();
            cancelId = m_cancelId;
        }
        // Not from inside the token's callback: the token holds its lock while it runs callbacks.
        if (unregister)
            token->unregister(cancelId);
    }

    const std::chrono::milliseconds m_timeout;
    QDeadlineTimer m_deadline{QDeadlineTimer::Forever};
    mutable std::mutex m_mutex;
    bool m_settled = false;
    quint64 m_cancelId = 0;
    QPromise<SearchOutcome> m_promise;
};
using RunPtr = std::shared_ptr<Run>;

// Continues the run with `onResult` when `future` succeeds, fails it with the future's error otherwise;
// nothing happens once the run has settled (cancelled, timed out or failed elsewhere).
template<typename T, typename Fn>
void step(const RunPtr &run, QFuture<T> future, Fn onResult)
{
    future
        .then([run, onResult](QFuture<T> done) {
            if (run->isSettled())
                return;
            try {
                if constexpr (std::is_void_v<T>) {
                    done.waitForFinished(); // finished already; rethrows a failure
                    onResult();
                } else {
                    onResult(done.result());
                }
            } catch (...) {
                run->fail(errorFromException(std::current_exception()));
            }
        })
        .onCanceled([run] { run->fail(cancelledError()); });
}

void finish(const RunPtr &run, SearchOutcome outcome)
{
    const SearchSpec &spec = run->spec;
    outcome.spec = spec;
    outcome.metric = run->metric;
    outcome.primaryField = run->primary.name;
    outcome.fieldColumns = spec.resultMode == ResultMode::PrimaryKeys
                               ? QStringList()
                               : fieldColumnsOf(spec.outputFields, outcome.rows);
    outcome.fieldColumns.removeAll(run->primary.name);
    outcome.embeddingMs = run->embeddingMs;
    outcome.milvusMs = run->milvusMs;
    outcome.rerankMs = run->rerankMs;
    outcome.totalMs = msSince(run->total);
    run->succeed(std::move(outcome));
}

SearchResultRow scoredRow(const RunPtr &run, int query, int rank, const SearchHit &hit)
{
    return {query,     rank, hit.id, double(hit.score), VectorStore::relevanceScore(run->metric, hit.score),
            hit.fields};
}

void checkDimensions(const RunPtr &run, const QList<Embedding> &vectors, const QString &source)
{
    const int dim = run->vectorField.dim();
    for (qsizetype i = 0; i < vectors.size(); ++i) {
        if (vectors.at(i).size() == dim)
            continue;
        const QString which = vectors.size() > 1 ? QStringLiteral(" (query %1)").arg(i + 1) : QString();
        invalid(QStringLiteral("wrong vector dimension: %1 gives a vector of dimension %2%3, but field %4 of "
                               "collection %5 has dimension %6")
                    .arg(source)
                    .arg(vectors.at(i).size())
                    .arg(which, run->vectorField.name, run->spec.collection)
                    .arg(dim));
    }
}

// MMR: the stored vectors of every query's candidates, then the shared re-ranking on its pool.
void rerank(const RunPtr &run, const QList<Embedding> &vectors, const SearchResults &results)
{
    QVariantList ids;
    for (const auto &hits : results.queries) {
        for (const auto &hit : hits)
            ids << hit.id;
    }
    if (ids.isEmpty()) {
        SearchOutcome outcome;
        outcome.nq = int(vectors.size());
        finish(run, std::move(outcome));
        return;
    }
    const QString pk = run->primary.name;
    const QString field = run->vectorField.name;
    QueryRequest q = storedVectorsQuery(run->spec.collection, pk, field, ids);
    q.consistency = run->spec.consistency;
    q.options = run->callOptions();
    QElapsedTimer clock;
    clock.start();
    step(run, run->client->queryAsync(q),
         [run, vectors, results, clock, pk, field](const QueryResult &stored) {
             run->milvusMs += msSince(clock);
             QList<QList<Embedding>> candidates;
             for (const auto &hits : results.queries) {
                 QVariantList queryIds;
                 for (const auto &hit : hits)
                     queryIds << hit.id;
                 candidates << storedVectorsInOrder(stored, pk, field, queryIds, kOperation);
             }
             run->callOptions(); // neither cancelled nor past the deadline
             QElapsedTimer rerankClock;
             rerankClock.start();
             auto picked = maximalMarginalRelevanceAsync(vectors, candidates, run->spec.lambdaMult,
                                                         run->spec.topK, run->token, kOperation);
             step(run, picked, [run, vectors, results, rerankClock](const QList<QList<int>> &picks) {
                 run->rerankMs = msSince(rerankClock);
                 SearchOutcome outcome;
                 for (int query = 0; query < picks.size(); ++query) {
                     for (int r = 0; r < picks.at(query).size(); ++r)
                         outcome.rows.append(scoredRow(run, query, r + 1,
                                                       results.queries.at(query).at(picks.at(query).at(r))));
                 }
                 outcome.nq = int(vectors.size());
                 finish(run, std::move(outcome));
             });
         });
}

void search(const RunPtr &run, const QList<Embedding> &vectors)
{
    const SearchSpec &spec = run->spec;
    const bool mmr = spec.resultMode == ResultMode::Mmr;
    SearchRequest r;
    r.collection = spec.collection;
    r.annsField = run->vectorField.name;
    r.vectors.dim = run->vectorField.dim();
    for (const auto &v : vectors)
        r.vectors.values.append(v);
    r.topK = mmr ? std::max(spec.fetchK, spec.topK) : spec.topK;
    r.offset = spec.offset;
    r.metricType = spec.metric;
    r.searchParams = run->searchParams;
    r.filter = spec.filter.trimmed();
    r.outputFields = spec.outputFields;
    r.partitions = spec.partitions;
    r.consistency = spec.consistency;
    r.options = run->callOptions();
    QElapsedTimer clock;
    clock.start();
    step(run, run->client->searchAsync(r), [run, vectors, mmr, clock](const SearchResults &results) {
        run->milvusMs += msSince(clock);
        if (mmr) {
            rerank(run, vectors, results);
            return;
        }
        SearchOutcome outcome;
        for (int q = 0; q < results.queries.size(); ++q) {
            const auto &hits = results.queries.at(q);
            for (int i = 0; i < hits.size(); ++i)
                outcome.rows.append(scoredRow(run, q, i + 1, hits.at(i)));
        }
        outcome.nq = int(vectors.size());
        finish(run, std::move(outcome));
    });
}

void embedAndSearch(const RunPtr &run, const QList<QueryLine> &lines)
{
    QStringList texts;
    for (const auto &line : lines) {
        if (line.isText())
            texts << line.text;
    }
    if (texts.isEmpty()) {
        QList<Embedding> vectors;
        for (const auto &line : lines)
            vectors << line.vector;
        checkDimensions(run, vectors, QStringLiteral("the queries file"));
        search(run, vectors);
        return;
    }
    // Released here, on the thread that starts the call: never last on the provider's own thread.
    const std::shared_ptr<EmbeddingProvider> provider = std::exchange(run->provider, nullptr);
    if (!provider)
        throwError(ErrorKind::InvalidArgument, kEmbeddings,
                   QStringLiteral("no embedding provider is configured"));
    const QString providerName = provider->name();
    const CallOptions options = run->callOptions();
    QElapsedTimer clock;
    clock.start();
    auto embedded = provider->embedDocumentsAsync(texts, options);
    step(run, embedded,
         [run, lines, clock, providerName, count = texts.size()](const QList<Embedding> &vectors) {
             run->embeddingMs = msSince(clock);
             if (vectors.size() != count)
                 throwError(ErrorKind::InvalidArgument, kEmbeddings,
                            QStringLiteral("%1 returned %2 vectors for %3 texts")
                                .arg(providerName)
                                .arg(vectors.size())
                                .arg(count));
             checkDimensions(run, vectors, providerName);
             QList<Embedding> merged;
             qsizetype next = 0;
             for (const auto &line : lines)
                 merged << (line.isText() ? vectors.at(next++) : line.vector);
             checkDimensions(run, merged, QStringLiteral("the queries file"));
             search(run, merged);
         });
}

void queryByFilter(const RunPtr &run)
{
    const SearchSpec &spec = run->spec;
    QueryRequest q;
    q.collection = spec.collection;
    q.filter = spec.filter.trimmed();
    if (spec.resultMode == ResultMode::PrimaryKeys || spec.outputFields.isEmpty())
        q.outputFields = {run->primary.name};
    else
        q.outputFields = spec.outputFields;
    q.partitions = spec.partitions;
    q.limit = spec.topK;
    q.offset = spec.offset;
    q.consistency = spec.consistency;
    q.options = run->callOptions();
    QElapsedTimer clock;
    clock.start();
    step(run, run->client->queryAsync(q), [run, clock](const QueryResult &result) {
        run->milvusMs += msSince(clock);
        SearchOutcome outcome;
        const QString pk = result.primaryField.isEmpty() ? run->primary.name : result.primaryField;
        for (qsizetype i = 0; i < result.rowCount(); ++i) {
            QVariantMap fields = result.row(i);
            const QVariant id = fields.take(pk);
            if (run->spec.resultMode == ResultMode::PrimaryKeys)
                fields.clear();
            outcome.rows.append({0, int(i + 1), id, std::nullopt, std::nullopt, fields});
        }
        finish(run, std::move(outcome));
    });
}

void gatherVectors(const RunPtr &run)
{
    const SearchSpec &spec = run->spec;
    if (!needsQueryVectors(spec.resultMode)) {
        queryByFilter(run);
        return;
    }
    if (spec.vectorField.isEmpty())
        invalid(QStringLiteral("choose the vector field to search"));
    if (run->vectorField.type != DataType::FloatVector)
        invalid(QStringLiteral("the workbench searches float vector fields; %1 is %2")
                    .arg(spec.vectorField, dataTypeName(run->vectorField.type)));

    switch (spec.inputMode) {
    case QueryInputMode::Text:
        if (spec.queryText.trimmed().isEmpty())
            invalid(QStringLiteral("the query is empty: type a text to search for"));
        embedAndSearch(run, {QueryLine{spec.queryText, {}}});
        return;
    case QueryInputMode::Vector: {
        const QList<Embedding> vectors = parseQueryVectors(spec.vectorJson);
        checkDimensions(run, vectors, QStringLiteral("the pasted vector"));
        search(run, vectors);
        return;
    }
    case QueryInputMode::EntityId: {
        QueryRequest q;
        q.collection = spec.collection;
        q.filter = primaryKeyFilter(run->primary.name, run->primary.type == DataType::Int64, spec.entityId);
        q.outputFields = {run->vectorField.name};
        q.consistency = spec.consistency;
        q.options = run->callOptions();
        QElapsedTimer clock;
        clock.start();
        step(run, run->client->queryAsync(q), [run, clock](const QueryResult &result) {
            run->milvusMs += msSince(clock);
            const FieldColumn *column = result.column(run->vectorField.name);
            const auto *vectors = column ? std::get_if<FloatVectors>(&column->data) : nullptr;
            if (!vectors || vectors->rows() == 0)
                invalid(QStringLiteral("no entity with primary key %1 in %2")
                            .arg(run->spec.entityId.trimmed(), run->spec.collection));
            search(run, {vectors->row(0)});
        });
        return;
    }
    case QueryInputMode::File: {
        const QString path = spec.filePath;
        if (path.trimmed().isEmpty())
            invalid(QStringLiteral("choose a queries file (JSON lines of texts or vectors)"));
        run->callOptions(); // not cancelled or late before the file is read
        auto parsed = QtConcurrent::run(dataThreadPool(), [path] { return readQueryFile(path); });
        step(run, parsed, [run](const QList<QueryLine> &lines) { embedAndSearch(run, lines); });
        return;
    }
    }
}
} // namespace

SearchService::SearchService(std::shared_ptr<MilvusClient> client)
    : m_client(std::move(client))
{}

QFuture<SearchOutcome> SearchService::run(const SearchRunRequest &request) const
{
    const auto run = std::make_shared<Run>(request, m_client);
    QFuture<SearchOutcome> future = run->future();
    run->watchCancel(run);
    try {
        if (!run->client)
            throwError(ErrorKind::InvalidArgument, kOperation, QStringLiteral("not connected"));
        if (run->spec.collection.isEmpty())
            invalid(QStringLiteral("choose a collection"));
        if (run->primary.name.isEmpty())
            invalid(QStringLiteral("the schema of %1 is not known yet").arg(run->spec.collection));
        run->searchParams = parseSearchParams(run->spec.searchParams);
        gatherVectors(run);
    } catch (...) {
        run->fail(errorFromException(std::current_exception()));
    }
    return future;
}

} // namespace mx
