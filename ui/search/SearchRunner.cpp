#include "SearchRunner.h"

#include "MilvusClient.h"
#include "Mmr.h"
#include "VectorStore.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QtConcurrent/QtConcurrentRun>

namespace mx {

namespace {
const QString kOperation = QStringLiteral("Search");

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

[[noreturn]] void invalid(const QString &reason)
{
    throwError(ErrorKind::InvalidArgument, kOperation, reason);
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
} // namespace

struct SearchRunner::Run
{
    SearchSpec spec;
    QString collection;
    QString metric;
    FieldSchema primary;
    FieldSchema vectorField;
    QJsonObject searchParams;
    std::shared_ptr<CancelToken> token = CancelToken::create();
    QElapsedTimer total;
    std::optional<double> embeddingMs;
    double milvusMs = 0;
    std::optional<double> rerankMs;
};

SearchRunner::SearchRunner(QObject *parent)
    : QObject(parent)
{
    m_pool.setObjectName(QStringLiteral("SearchRunnerPool"));
    m_pool.setMaxThreadCount(2);
}

SearchRunner::~SearchRunner()
{
    if (m_run)
        m_run->token->cancel();
    m_run.reset();
    m_provider.reset();
    m_pool.waitForDone();
}

void SearchRunner::setClient(std::shared_ptr<MilvusClient> client)
{
    cancel();
    m_client = std::move(client);
}

CallOptions SearchRunner::callOptions(const RunPtr &run) const
{
    CallOptions o;
    o.dbName = run->spec.database;
    o.cancel = run->token;
    return o;
}

template<typename T, typename Fn>
void SearchRunner::step(const RunPtr &run, QFuture<T> future, Fn onResult)
{
    future
        .then(this,
              [this, run, onResult](QFuture<T> done) {
                  if (run != m_run)
                      return; // cancelled or replaced: a late answer
                  try {
                      if constexpr (std::is_void_v<T>) {
                          done.waitForFinished(); // finished already; rethrows a failure
                          onResult();
                      } else {
                          onResult(done.result());
                      }
                  } catch (...) {
                      fail(run, errorFromException(std::current_exception()));
                  }
              })
        .onCanceled(this, [this, run] {
            MilvusError e;
            e.kind = ErrorKind::Cancelled;
            e.operation = kOperation;
            e.reason = QStringLiteral("a step of the search was cancelled");
            fail(run, e);
        });
}

void SearchRunner::start(const SearchSpec &spec, const CollectionSchema &schema, const QString &indexMetric,
                         std::shared_ptr<EmbeddingProvider> provider)
{
    const bool wasRunning = isRunning();
    if (m_run)
        m_run->token->cancel(); // replaced: its late answers are dropped below
    auto run = std::make_shared<Run>();
    run->spec = spec;
    run->collection = spec.collection;
    run->metric = spec.metric.isEmpty() ? indexMetric : spec.metric;
    // Held here and not in the Run: continuations may be destroyed on a network thread (when this object is
    // gone), and an HTTP provider must not be destroyed on its own thread.
    m_provider = std::move(provider);
    run->total.start();
    if (const FieldSchema *pk = schema.primaryField())
        run->primary = *pk;
    if (const FieldSchema *vf = schema.field(spec.vectorField))
        run->vectorField = *vf;
    m_run = run;
    if (!wasRunning)
        emit runningChanged(true);

    // Even input errors are reported from the event loop, so callers see one order of events.
    QMetaObject::invokeMethod(
        this,
        [this, run] {
            if (run != m_run)
                return;
            try {
                if (!m_client)
                    throwError(ErrorKind::InvalidArgument, kOperation, QStringLiteral("not connected"));
                if (run->collection.isEmpty())
                    invalid(QStringLiteral("choose a collection"));
                if (run->primary.name.isEmpty())
                    invalid(QStringLiteral("the schema of %1 is not known yet").arg(run->collection));
                run->searchParams = parseSearchParams(run->spec.searchParams);
                gatherVectors(run);
            } catch (...) {
                fail(run, errorFromException(std::current_exception()));
            }
        },
        Qt::QueuedConnection);
}

void SearchRunner::cancel()
{
    if (!m_run)
        return;
    m_run->token->cancel();
    m_run.reset();
    m_provider.reset();
    emit runningChanged(false);
    emit cancelled();
}

void SearchRunner::gatherVectors(const RunPtr &run)
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
        q.collection = run->collection;
        q.filter = primaryKeyFilter(run->primary.name, run->primary.type == DataType::Int64, spec.entityId);
        q.outputFields = {run->vectorField.name};
        q.consistency = spec.consistency;
        q.options = callOptions(run);
        QElapsedTimer clock;
        clock.start();
        step(run, m_client->queryAsync(q), [this, run, clock](const QueryResult &result) {
            run->milvusMs += msSince(clock);
            const FieldColumn *column = result.column(run->vectorField.name);
            const auto *vectors = column ? std::get_if<FloatVectors>(&column->data) : nullptr;
            if (!vectors || vectors->rows() == 0)
                invalid(QStringLiteral("no entity with primary key %1 in %2")
                            .arg(run->spec.entityId.trimmed(), run->collection));
            search(run, {vectors->row(0)});
        });
        return;
    }
    case QueryInputMode::File: {
        const QString path = spec.filePath;
        if (path.trimmed().isEmpty())
            invalid(QStringLiteral("choose a queries file (JSON lines of texts or vectors)"));
        auto parsed = QtConcurrent::run(&m_pool, [path] {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                invalid(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
            return parseQueryLines(file.readAll());
        });
        step(run, parsed, [this, run](const QList<QueryLine> &lines) { embedAndSearch(run, lines); });
        return;
    }
    }
}

void SearchRunner::embedAndSearch(const RunPtr &run, const QList<QueryLine> &lines)
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
    if (!m_provider)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Embeddings"),
                   QStringLiteral("no embedding provider is configured"));
    const QString providerName = m_provider->name();
    QElapsedTimer clock;
    clock.start();
    auto embedded = m_provider->embedDocumentsAsync(texts, callOptions(run));
    step(run, embedded, [this, run, lines, clock, providerName](const QList<Embedding> &vectors) {
        run->embeddingMs = msSince(clock);
        m_provider.reset();
        if (vectors.size() != qsizetype(std::count_if(lines.cbegin(), lines.cend(),
                                                      [](const QueryLine &l) { return l.isText(); })))
            throwError(
                ErrorKind::InvalidArgument, QStringLiteral("Embeddings"),
                QStringLiteral("%1 returned %2 vectors for the texts").arg(providerName).arg(vectors.size()));
        checkDimensions(run, vectors, providerName);
        QList<Embedding> merged;
        qsizetype next = 0;
        for (const auto &line : lines)
            merged << (line.isText() ? vectors.at(next++) : line.vector);
        checkDimensions(run, merged, QStringLiteral("the queries file"));
        search(run, merged);
    });
}

void SearchRunner::checkDimensions(const RunPtr &run, const QList<Embedding> &vectors,
                                   const QString &source) const
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
                    .arg(which, run->vectorField.name, run->collection)
                    .arg(dim));
    }
}

void SearchRunner::search(const RunPtr &run, const QList<Embedding> &vectors)
{
    const SearchSpec &spec = run->spec;
    const bool mmr = spec.resultMode == ResultMode::Mmr;
    SearchRequest r;
    r.collection = run->collection;
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
    r.options = callOptions(run);
    QElapsedTimer clock;
    clock.start();
    step(run, m_client->searchAsync(r), [this, run, vectors, mmr, clock](const SearchResults &results) {
        run->milvusMs += msSince(clock);
        if (mmr) {
            rerank(run, vectors, results);
            return;
        }
        SearchOutcome outcome;
        for (int q = 0; q < results.queries.size(); ++q) {
            const auto &hits = results.queries.at(q);
            for (int i = 0; i < hits.size(); ++i) {
                const SearchHit &hit = hits.at(i);
                outcome.rows.append({q, i + 1, hit.id, double(hit.score),
                                     VectorStore::relevanceScore(run->metric, hit.score), hit.fields});
            }
        }
        outcome.nq = int(vectors.size());
        finish(run, std::move(outcome));
    });
}

void SearchRunner::rerank(const RunPtr &run, const QList<Embedding> &vectors, const SearchResults &results)
{
    QVariantList ids;
    QSet<QString> seen;
    for (const auto &hits : results.queries) {
        for (const auto &hit : hits) {
            if (!seen.contains(hit.id.toString())) {
                seen.insert(hit.id.toString());
                ids << hit.id;
            }
        }
    }
    if (ids.isEmpty()) {
        SearchOutcome outcome;
        outcome.nq = int(vectors.size());
        finish(run, std::move(outcome));
        return;
    }
    // The stored vectors of the fetched candidates, as langchain-milvus reads them for MMR.
    QueryRequest q;
    q.collection = run->collection;
    q.filter = primaryKeysFilter(run->primary.name, ids);
    q.outputFields = {run->vectorField.name};
    q.consistency = run->spec.consistency;
    q.options = callOptions(run);
    QElapsedTimer clock;
    clock.start();
    step(run, m_client->queryAsync(q), [this, run, vectors, results, clock](const QueryResult &stored) {
        run->milvusMs += msSince(clock);
        QHash<QString, Embedding> byId;
        const FieldColumn *pk = stored.column(run->primary.name);
        const FieldColumn *column = stored.column(run->vectorField.name);
        const auto *flat = column ? std::get_if<FloatVectors>(&column->data) : nullptr;
        if (!pk || !flat)
            throwError(ErrorKind::Milvus, kOperation,
                       QStringLiteral("the stored vectors for MMR were not returned"));
        for (qsizetype i = 0; i < pk->rowCount(); ++i)
            byId.insert(pk->value(i).toString(), flat->row(i));
        QList<QList<Embedding>> candidates;
        for (const auto &hits : results.queries) {
            QList<Embedding> c;
            for (const auto &hit : hits) {
                const auto it = byId.constFind(hit.id.toString());
                if (it == byId.cend())
                    invalid(QStringLiteral("entity %1 was deleted during the search; run it again")
                                .arg(hit.id.toString()));
                c << *it;
            }
            candidates << c;
        }
        const SearchSpec spec = run->spec;
        const auto token = run->token;
        QElapsedTimer rerankClock;
        rerankClock.start();
        auto picked = QtConcurrent::run(&m_pool, [vectors, candidates, spec, token] {
            QList<QList<int>> out;
            for (qsizetype q = 0; q < candidates.size(); ++q) {
                if (token->isCancelled())
                    throwError(ErrorKind::Cancelled, kOperation, QStringLiteral("cancelled"));
                out << maximalMarginalRelevance(vectors.at(q), candidates.at(q), spec.lambdaMult, spec.topK);
            }
            return out;
        });
        step(run, picked, [this, run, vectors, results, rerankClock](const QList<QList<int>> &picks) {
            run->rerankMs = msSince(rerankClock);
            SearchOutcome outcome;
            for (int q = 0; q < picks.size(); ++q) {
                for (int r = 0; r < picks.at(q).size(); ++r) {
                    const SearchHit &hit = results.queries.at(q).at(picks.at(q).at(r));
                    outcome.rows.append({q, r + 1, hit.id, double(hit.score),
                                         VectorStore::relevanceScore(run->metric, hit.score), hit.fields});
                }
            }
            outcome.nq = int(vectors.size());
            finish(run, std::move(outcome));
        });
    });
}

void SearchRunner::queryByFilter(const RunPtr &run)
{
    const SearchSpec &spec = run->spec;
    QueryRequest q;
    q.collection = run->collection;
    q.filter = spec.filter.trimmed();
    if (spec.resultMode == ResultMode::PrimaryKeys || spec.outputFields.isEmpty())
        q.outputFields = {run->primary.name};
    else
        q.outputFields = spec.outputFields;
    q.partitions = spec.partitions;
    q.limit = spec.topK;
    q.offset = spec.offset;
    q.consistency = spec.consistency;
    q.options = callOptions(run);
    QElapsedTimer clock;
    clock.start();
    step(run, m_client->queryAsync(q), [this, run, clock](const QueryResult &result) {
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

void SearchRunner::finish(const RunPtr &run, SearchOutcome outcome)
{
    if (run != m_run)
        return;
    outcome.spec = run->spec;
    outcome.metric = run->metric;
    outcome.primaryField = run->primary.name;
    outcome.fieldColumns = run->spec.resultMode == ResultMode::PrimaryKeys
                               ? QStringList()
                               : fieldColumnsOf(run->spec.outputFields, outcome.rows);
    outcome.fieldColumns.removeAll(run->primary.name);
    outcome.embeddingMs = run->embeddingMs;
    outcome.milvusMs = run->milvusMs;
    outcome.rerankMs = run->rerankMs;
    outcome.totalMs = msSince(run->total);
    m_run.reset();
    m_provider.reset();
    emit runningChanged(false);
    emit finished(outcome);
}

void SearchRunner::fail(const RunPtr &run, const MilvusError &error)
{
    if (run != m_run)
        return;
    m_run.reset();
    m_provider.reset();
    emit runningChanged(false);
    emit failed(error);
}

} // namespace mx
