// SearchService against a real Milvus server of its own (mx::test::TestServer): every input mode, every
// result mode, relevance per metric, filters, string keys through the shared literal quoting, the MMR
// pool, cancellation and the deadline, and typed errors. Expected hits come from direct MilvusClient calls
// or from the test's own arithmetic, never from the service itself.

#include "LocalEmbeddingProvider.h"
#include "MilvusClient.h"
#include "Mmr.h"
#include "SearchService.h"
#include "SearchTestData.h"
#include "TestSupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QPromise>
#include <QScopeGuard>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QThreadPool>

#include <atomic>
#include <mutex>

// Runs the request and declares `outcome`, or fails the test with the run's error.
#define MX_RUN(outcome, request)                                                                             \
    SearchOutcome outcome;                                                                                   \
    do {                                                                                                     \
        QString why_;                                                                                        \
        if (!tryRun(request, &outcome, &why_))                                                               \
            QFAIL(qPrintable(why_));                                                                         \
    } while (false)

namespace mx {

using namespace test;

namespace {
// An embedding provider (not Milvus) that answers only when the test opens its gate, so a run can be caught
// in the middle. It fails its call with Cancelled when the call's token fires, as the real providers do.
class GatedProvider final : public EmbeddingProvider
{
public:
    // `honoursCancel` false: a provider that keeps going after the token fires (the run must still end).
    explicit GatedProvider(int dim, bool honoursCancel = true)
        : m_dim(dim)
        , m_honoursCancel(honoursCancel)
    {}
    ~GatedProvider() override { open(); }

    QString name() const override { return QStringLiteral("gated"); }
    bool isSemantic() const override { return false; }
    int dimension() const override { return m_dim; }

    QFuture<QList<Embedding>> embedDocumentsAsync(const QStringList &texts,
                                                  const CallOptions &options) override
    {
        auto promise = std::make_shared<QPromise<QList<Embedding>>>();
        promise->start();
        auto settled = std::make_shared<std::atomic<bool>>(false);
        const int dim = m_dim;
        auto answer = [promise, settled, texts, dim] {
            if (settled->exchange(true))
                return;
            QList<Embedding> out;
            for (const QString &t : texts)
                out << LocalEmbeddingProvider::embed(t, dim);
            promise->addResult(out);
            promise->finish();
        };
        if (options.cancel && m_honoursCancel) {
            // The promise held weakly: the token outlives the call (it is the run's), and a strong
            // reference here made a cycle token -> callback -> promise -> continuation -> run -> token
            // that LeakSanitizer reported (docs/sanitizers.md).
            options.cancel->registerCallback(
                [cancelled = m_cancelledCalls, weak = std::weak_ptr(promise), settled] {
                    const auto promise = weak.lock();
                    if (!promise || settled->exchange(true))
                        return;
                    ++*cancelled;
                    promise->setException(MilvusException(MilvusError{ErrorKind::Cancelled,
                                                                      QStringLiteral("Embeddings"),
                                                                      0,
                                                                      0,
                                                                      0,
                                                                      0,
                                                                      QStringLiteral("cancelled"),
                                                                      {}}));
                    promise->finish();
                });
        }
        {
            std::lock_guard lock(m_mutex);
            ++m_calls;
            if (m_open) {
                answer();
            } else {
                m_waiting.push_back(answer);
            }
        }
        return promise->future();
    }
    QFuture<Embedding> embedQueryAsync(const QString &, const CallOptions &) override
    {
        return QtFuture::makeExceptionalFuture<Embedding>(std::make_exception_ptr(
            MilvusException(MilvusError{ErrorKind::InvalidArgument,
                                        QStringLiteral("Embeddings"),
                                        0,
                                        0,
                                        0,
                                        0,
                                        QStringLiteral("not used by the search service"),
                                        {}})));
    }
    QList<Embedding> embedDocuments(const QStringList &texts, const CallOptions &options) override
    {
        return embedDocumentsAsync(texts, options).result();
    }
    Embedding embedQuery(const QString &text, const CallOptions &options) override
    {
        return embedQueryAsync(text, options).result();
    }

    void open()
    {
        std::vector<std::function<void()>> waiting;
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
            waiting.swap(m_waiting);
        }
        for (auto &answer : waiting)
            answer();
    }
    int calls() const
    {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }
    int cancelledCalls() const { return *m_cancelledCalls; }

private:
    const int m_dim;
    const bool m_honoursCancel;
    mutable std::mutex m_mutex;
    bool m_open = false;
    int m_calls = 0;
    const std::shared_ptr<std::atomic<int>> m_cancelledCalls = std::make_shared<std::atomic<int>>(0);
    std::vector<std::function<void()>> m_waiting;
};

QVariantList idsOf(const QList<SearchHit> &hits)
{
    QVariantList out;
    for (const auto &h : hits)
        out << h.id;
    return out;
}

QVariantList idsOf(const SearchOutcome &o, int query = 0)
{
    QVariantList out;
    for (const auto &row : o.rows) {
        if (row.query == query)
            out << row.id;
    }
    return out;
}

QString vectorJson(const QList<QList<float>> &vectors)
{
    QStringList rows;
    for (const auto &v : vectors) {
        QStringList parts;
        for (float x : v)
            parts << QString::number(double(x), 'g', 9);
        rows << QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    return vectors.size() == 1 ? rows.first()
                               : QLatin1Char('[') + rows.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// The future's error; a marker that fails the caller's checks when it succeeded, or failed and still
// carried a result (a failure must never look like data).
MilvusError errorOf(QFuture<SearchOutcome> future)
{
    MilvusError e = expectError([&] { await(future); });
    if (future.resultCount() != 0) {
        e.kind = ErrorKind::Transport;
        e.reason = QStringLiteral("<the failed run also carried a result>");
    }
    return e;
}
} // namespace

class TestSearchService : public QObject
{
    Q_OBJECT

    TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    QString m_docs;    // texts embedded with the local provider, COSINE
    QString m_rich;    // richSchema, L2
    QString m_richCos; // richSchema, COSINE
    QString m_richIp;  // richSchema, IP
    QString m_keys;    // VARCHAR primary keys with quotes, backslashes and control characters
    QTemporaryDir m_files;
    static constexpr int kTextDim = 64;
    static constexpr int kDim = 8;

    SearchRunRequest request(const QString &collection, ResultMode mode = ResultMode::WithScore)
    {
        SearchRunRequest r;
        r.spec.collection = collection;
        r.spec.vectorField = QStringLiteral("vec");
        r.spec.resultMode = mode;
        r.schema = m_client->describeCollection(CollectionRequest{collection}).schema;
        const auto indexes = m_client->describeIndex(IndexRequest{collection, QStringLiteral("vec"), {}});
        r.indexMetric = indexes.isEmpty() ? QString() : indexes.first().metricType();
        r.options.timeout = std::chrono::milliseconds(60000);
        // Rows written just before: a standalone server's default (Bounded) could miss them.
        r.spec.consistency = ConsistencyLevel::Strong;
        return r;
    }

    // The run's outcome; *error gets the failure (a test must not throw out of a test function).
    bool tryRun(const SearchRunRequest &r, SearchOutcome *outcome, QString *error)
    {
        try {
            *outcome = await(SearchService(m_client).run(r));
            return true;
        } catch (const MilvusException &e) {
            *error = e.error().message();
        }
        return false;
    }

    SearchResults directSearch(const QString &collection, const QList<QList<float>> &vectors, int k,
                               const QString &filter = {})
    {
        SearchRequest r;
        r.collection = collection;
        r.annsField = QStringLiteral("vec");
        r.vectors.dim = int(vectors.first().size());
        for (const auto &v : vectors)
            r.vectors.values << v;
        r.topK = k;
        r.filter = filter;
        r.consistency = ConsistencyLevel::Strong;
        return m_client->search(r);
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_files.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(content);
        return path;
    }

    static QStringList keyTexts()
    {
        return {QStringLiteral("plain"),
                QStringLiteral("with \"quotes\""),
                QStringLiteral("back\\slash"),
                QStringLiteral("tab\there"),
                QStringLiteral("line\nbreak"),
                QStringLiteral("cr\rx"),
                QStringLiteral("ctl") + QChar(0x01) + QStringLiteral("char"),
                QStringLiteral("nul") + QChar(0) + QStringLiteral("esc") + QChar(0x1b) +
                    QStringLiteral("del") + QChar(0x7f)};
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = std::shared_ptr<MilvusClient>(m_server.client());
        m_docs = createTextCollection(*m_client, QStringLiteral("docs"), kTextDim, QStringLiteral("COSINE"));
        m_rich = createRichCollection(*m_client, QStringLiteral("rich"), kDim, 200, QStringLiteral("L2"));
        m_richCos =
            createRichCollection(*m_client, QStringLiteral("richcos"), kDim, 200, QStringLiteral("COSINE"));
        m_richIp = createRichCollection(*m_client, QStringLiteral("richip"), kDim, 200, QStringLiteral("IP"));

        m_keys = uniqueName(QStringLiteral("keys"));
        CollectionSchema schema;
        FieldSchema key;
        key.name = QStringLiteral("key");
        key.type = DataType::VarChar;
        key.isPrimaryKey = true;
        key.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("64"));
        FieldSchema vec;
        vec.name = QStringLiteral("vec");
        vec.type = DataType::FloatVector;
        vec.typeParams.insert(QStringLiteral("dim"), QString::number(kDim));
        schema.fields = {key, vec};
        m_client->createCollection(CreateCollectionRequest{m_keys, schema});
        QList<float> flat;
        for (qsizetype i = 0; i < keyTexts().size(); ++i)
            flat << vectorFor(500 + i, kDim);
        m_client->insert(InsertRequest{m_keys,
                                       {},
                                       {FieldColumn::varchars(QStringLiteral("key"), keyTexts()),
                                        FieldColumn::floatVectors(QStringLiteral("vec"), kDim, flat)},
                                       {}});
        CreateIndexRequest index;
        index.collection = m_keys;
        index.fieldName = QStringLiteral("vec");
        index.indexType = QStringLiteral("FLAT");
        index.metricType = QStringLiteral("L2");
        m_client->createIndex(index);
        m_client->loadCollection(LoadCollectionRequest{m_keys});
    }

    void textQueryThroughTheLocalProvider()
    {
        SearchRunRequest r = request(m_docs);
        r.spec.inputMode = QueryInputMode::Text;
        r.spec.queryText = QStringLiteral("apple pie with a cinnamon crust");
        r.spec.topK = 5;
        r.provider = std::make_shared<LocalEmbeddingProvider>(kTextDim);
        MX_RUN(o, r);

        const Embedding q = LocalEmbeddingProvider::embed(r.spec.queryText, kTextDim);
        const SearchResults direct = directSearch(m_docs, {q}, 5);
        QCOMPARE(o.nq, 1);
        QCOMPARE(idsOf(o), idsOf(direct.queries.first()));
        QCOMPARE(o.rows.first().id.toLongLong(), 0); // "Apple pie recipe with cinnamon ..."
        QCOMPARE(o.metric, QStringLiteral("COSINE"));
        QVERIFY(o.embeddingMs.has_value());
        QVERIFY(o.milvusMs > 0 && o.totalMs >= o.milvusMs);
        QVERIFY(!o.rerankMs.has_value());
        QCOMPARE(o.spec, r.spec);
        QCOMPARE(o.primaryField, QStringLiteral("id"));
    }

    void vectorQuery_data()
    {
        QTest::addColumn<QList<qint64>>("queryIds");
        QTest::addColumn<int>("topK");
        QTest::newRow("one vector") << QList<qint64>{10} << 5;
        QTest::newRow("three vectors") << QList<qint64>{3, 77, 150} << 4;
    }
    void vectorQuery()
    {
        QFETCH(QList<qint64>, queryIds);
        QFETCH(int, topK);
        QList<QList<float>> vectors;
        for (qint64 id : queryIds)
            vectors << vectorFor(id, kDim);
        SearchRunRequest r = request(m_rich, ResultMode::Similarity);
        r.spec.inputMode = QueryInputMode::Vector;
        r.spec.vectorJson = vectorJson(vectors);
        r.spec.topK = topK;
        MX_RUN(o, r);
        const SearchResults direct = directSearch(m_rich, vectors, topK);
        QCOMPARE(o.nq, int(queryIds.size()));
        QCOMPARE(o.rows.size(), int(queryIds.size()) * topK);
        for (int q = 0; q < queryIds.size(); ++q) {
            QCOMPARE(idsOf(o, q), idsOf(direct.queries.at(q)));
            QCOMPARE(idsOf(o, q).first().toLongLong(), queryIds.at(q)); // each finds itself first
        }
        QVERIFY(!o.embeddingMs.has_value());
    }

    void entityIdQuery_data()
    {
        QTest::addColumn<QString>("collection");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("integer key") << QStringLiteral("rich") << QStringLiteral(" 42 ")
                                     << QVariant(qint64(42));
        for (const QString &k : keyTexts())
            QTest::newRow(qPrintable(
                QStringLiteral("string key %1").arg(QString::fromLatin1(k.toUtf8().toPercentEncoding()))))
                << QStringLiteral("keys") << k << QVariant(k);
        QTest::newRow("string key typed in quotes")
            << QStringLiteral("keys") << QStringLiteral("\"with \\\"quotes\\\"\"") << QVariant();
    }
    void entityIdQuery()
    {
        QFETCH(QString, collection);
        QFETCH(QString, typed);
        QFETCH(QVariant, expected);
        SearchRunRequest r = request(collection == QLatin1String("rich") ? m_rich : m_keys);
        r.spec.inputMode = QueryInputMode::EntityId;
        r.spec.entityId = typed;
        r.spec.topK = 3;
        if (!expected.isValid()) {
            // Surrounding quotes are taken off; the rest is the key as written (escapes included).
            const MilvusError e = errorOf(SearchService(m_client).run(r));
            QCOMPARE(e.kind, ErrorKind::InvalidArgument);
            QVERIFY2(e.reason.contains(QStringLiteral("no entity with primary key")), qPrintable(e.reason));
            return;
        }
        MX_RUN(o, r);
        QCOMPARE(o.rows.size(), 3);
        QCOMPARE(o.rows.first().id, expected); // its own stored vector finds it first
        QCOMPARE(*o.rows.first().distance, 0.0);
    }

    void fileOfQueries()
    {
        const auto docs = sampleDocuments();
        const Embedding v = LocalEmbeddingProvider::embed(docs.at(7).text, kTextDim);
        QStringList parts;
        for (float x : v)
            parts << QString::number(double(x), 'g', 9);
        const QByteArray content = "\"" + docs.at(12).text.toUtf8() + "\"\n\n[" +
                                   parts.join(QStringLiteral(", ")).toUtf8() + "]\n{\"text\": \"" +
                                   docs.at(20).text.toUtf8() + "\"}\n";
        SearchRunRequest r = request(m_docs);
        r.spec.inputMode = QueryInputMode::File;
        r.spec.filePath = writeFile(QStringLiteral("queries.jsonl"), content);
        r.spec.topK = 3;
        r.provider = std::make_shared<LocalEmbeddingProvider>(kTextDim);
        MX_RUN(o, r);
        QCOMPARE(o.nq, 3);
        QCOMPARE(idsOf(o, 0).first().toLongLong(), 12);
        QCOMPARE(idsOf(o, 1).first().toLongLong(), 7);
        QCOMPARE(idsOf(o, 2).first().toLongLong(), 20);
        QVERIFY(o.embeddingMs.has_value());

        r.spec.filePath = m_files.filePath(QStringLiteral("missing.jsonl"));
        const MilvusError e = errorOf(SearchService(m_client).run(r));
        QCOMPARE(e.kind, ErrorKind::InvalidArgument);
        QVERIFY2(e.reason.contains(QStringLiteral("cannot read ") + r.spec.filePath), qPrintable(e.reason));
    }

    void mmr_data()
    {
        QTest::addColumn<double>("lambda");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("fetchK");
        QTest::newRow("relevance only") << 1.0 << 5 << 20;
        QTest::newRow("diversity only") << 0.0 << 5 << 20;
        QTest::newRow("balanced") << 0.5 << 4 << 12;
        QTest::newRow("fetch_k = k") << 0.0 << 5 << 5;
        QTest::newRow("fetch_k < k: k candidates") << 0.3 << 6 << 2;
    }
    void mmr()
    {
        QFETCH(double, lambda);
        QFETCH(int, k);
        QFETCH(int, fetchK);
        const QList<QList<float>> queries{vectorFor(10, kDim), vectorFor(99, kDim)};
        SearchRunRequest r = request(m_richCos, ResultMode::Mmr);
        r.spec.inputMode = QueryInputMode::Vector;
        r.spec.vectorJson = vectorJson(queries);
        r.spec.topK = k;
        r.spec.fetchK = fetchK;
        r.spec.lambdaMult = lambda;
        MX_RUN(o, r);
        QVERIFY(o.rerankMs.has_value());
        QCOMPARE(o.nq, 2);

        // Expected: the project's MMR over the candidates Milvus returns, with vectors the test generated.
        const SearchResults fetched = directSearch(m_richCos, queries, std::max(k, fetchK));
        for (int q = 0; q < queries.size(); ++q) {
            QList<QList<float>> candidates;
            for (const auto &hit : fetched.queries.at(q))
                candidates << vectorFor(hit.id.toLongLong(), kDim);
            QVariantList expected;
            for (int i : maximalMarginalRelevance(queries.at(q), candidates, lambda, k))
                expected << fetched.queries.at(q).at(i).id;
            QCOMPARE(idsOf(o, q), expected);
            if (lambda == 1.0) // relevance only: COSINE's plain similarity order
                QCOMPARE(idsOf(o, q), idsOf(fetched.queries.at(q)).mid(0, k));
        }
        for (const auto &row : o.rows)
            QVERIFY(qAbs(*row.relevance - (*row.distance + 1) / 2) < 1e-12);
    }

    void scoreWithRelevance_data()
    {
        QTest::addColumn<QString>("collection");
        QTest::addColumn<QString>("metric");
        QTest::newRow("L2") << QStringLiteral("rich") << QStringLiteral("L2");
        QTest::newRow("COSINE") << QStringLiteral("richcos") << QStringLiteral("COSINE");
        QTest::newRow("IP") << QStringLiteral("richip") << QStringLiteral("IP");
    }
    void scoreWithRelevance()
    {
        QFETCH(QString, collection);
        QFETCH(QString, metric);
        const QString name = collection == QLatin1String("rich")      ? m_rich
                             : collection == QLatin1String("richcos") ? m_richCos
                                                                      : m_richIp;
        SearchRunRequest r = request(name);
        r.spec.inputMode = QueryInputMode::Vector;
        r.spec.vectorJson = vectorJson({vectorFor(33, kDim)});
        r.spec.topK = 6;
        MX_RUN(o, r);
        QCOMPARE(o.metric, metric);
        const SearchResults direct = directSearch(name, {vectorFor(33, kDim)}, 6);
        QCOMPARE(o.rows.size(), 6);
        for (int i = 0; i < 6; ++i) {
            const SearchResultRow &row = o.rows.at(i);
            QCOMPARE(row.rank, i + 1);
            QCOMPARE(*row.distance, double(direct.queries.first().at(i).score));
            // langchain-milvus's mapping: L2 1 - d/4, IP and COSINE (s + 1)/2.
            const double expected =
                metric == QLatin1String("L2") ? 1 - *row.distance / 4 : (*row.distance + 1) / 2;
            QVERIFY2(qAbs(*row.relevance - expected) < 1e-12,
                     qPrintable(QStringLiteral("%1 vs %2").arg(*row.relevance).arg(expected)));
        }
    }

    void filter_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("outputFields");
        QTest::addColumn<QVariantList>("expected"); // exact ids in order, or empty: check by predicate
        QTest::newRow("search with a filter") << int(ResultMode::WithScore) << QStringLiteral("id < 5")
                                              << QStringList{QStringLiteral("title")} << QVariantList{};
        QTest::newRow("metadata query") << int(ResultMode::Metadata) << QStringLiteral("id in [3, 1, 2]")
                                        << QStringList{QStringLiteral("title"), QStringLiteral("score")}
                                        << QVariantList{qint64(1), qint64(2), qint64(3)};
        QTest::newRow("primary keys of a string match")
            << int(ResultMode::PrimaryKeys) << QStringLiteral("title == \"document 17\"") << QStringList{}
            << QVariantList{qint64(17)};
    }
    void filter()
    {
        QFETCH(int, mode);
        QFETCH(QString, filter);
        QFETCH(QStringList, outputFields);
        QFETCH(QVariantList, expected);
        SearchRunRequest r = request(m_rich, ResultMode(mode));
        r.spec.inputMode = QueryInputMode::Vector;
        r.spec.vectorJson = vectorJson({vectorFor(150, kDim)});
        r.spec.filter = filter;
        r.spec.outputFields = outputFields;
        r.spec.topK = 10;
        MX_RUN(o, r);
        if (expected.isEmpty()) {
            QCOMPARE(o.rows.size(), 5);
            for (const auto &row : o.rows) {
                QVERIFY(row.id.toLongLong() < 5);
                QCOMPARE(row.fields.value(QStringLiteral("title")).toString(),
                         QStringLiteral("document %1").arg(row.id.toLongLong()));
            }
            return;
        }
        QVariantList ids = idsOf(o);
        std::sort(ids.begin(), ids.end(),
                  [](const QVariant &a, const QVariant &b) { return a.toLongLong() < b.toLongLong(); });
        QCOMPARE(ids, expected);
        QCOMPARE(o.nq, 0);
        for (const auto &row : o.rows) {
            QVERIFY(!row.distance && !row.relevance);
            if (ResultMode(mode) == ResultMode::PrimaryKeys)
                QVERIFY(row.fields.isEmpty());
            else
                QCOMPARE(row.fields.value(QStringLiteral("title")).toString(),
                         QStringLiteral("document %1").arg(row.id.toLongLong()));
        }
    }

    // The blocking steps (file parsing, MMR) run on pools of their own: with every thread of the global pool
    // held, a file + MMR search still completes.
    void blockingWorkStaysOffTheGlobalPool()
    {
        QThreadPool *global = QThreadPool::globalInstance();
        QSemaphore release;
        const int threads = global->maxThreadCount();
        for (int i = 0; i < threads; ++i)
            global->start([&release] { release.acquire(); });
        QVERIFY(QTest::qWaitFor([&] { return global->activeThreadCount() == threads; }, 5000));
        const auto cleanup = qScopeGuard([&] {
            release.release(threads);
            global->waitForDone();
        });

        const QByteArray content = vectorJson({vectorFor(5, kDim)}).toUtf8() + "\n" +
                                   vectorJson({vectorFor(6, kDim)}).toUtf8() + "\n";
        SearchRunRequest r = request(m_richCos, ResultMode::Mmr);
        r.spec.inputMode = QueryInputMode::File;
        r.spec.filePath = writeFile(QStringLiteral("vectors.jsonl"), content);
        r.spec.topK = 3;
        r.spec.fetchK = 10;
        SearchOutcome o;
        QString error;
        QVERIFY2(tryRun(r, &o, &error), qPrintable(error));
        QCOMPARE(o.nq, 2);
        QCOMPARE(idsOf(o, 0).first().toLongLong(), 5);
        QCOMPARE(idsOf(o, 1).first().toLongLong(), 6);
        QVERIFY(o.rerankMs.has_value());
    }

    void cancelMidRun_data()
    {
        QTest::addColumn<bool>("honoursCancel");
        QTest::newRow("the step in flight stops too") << true;
        QTest::newRow("the step in flight keeps going") << false;
    }
    void cancelMidRun()
    {
        QFETCH(bool, honoursCancel);
        auto provider = std::make_shared<GatedProvider>(kTextDim, honoursCancel);
        SearchRunRequest r = request(m_docs);
        r.spec.inputMode = QueryInputMode::Text;
        r.spec.queryText = QStringLiteral("rocket engines");
        r.provider = provider;
        r.options.cancel = CancelToken::create();
        QFuture<SearchOutcome> future = SearchService(m_client).run(r);
        QVERIFY(QTest::qWaitFor([&] { return provider->calls() == 1; }, 5000));
        QTest::qWait(50);
        QVERIFY(!future.isFinished()); // waiting on the embedding
        QElapsedTimer clock;
        clock.start();
        r.options.cancel->cancel();
        QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 1000));
        QVERIFY2(clock.elapsed() < 500, "the cancel did not end the run at once");
        const MilvusError e = errorOf(future);
        QCOMPARE(e.kind, ErrorKind::Cancelled);
        QCOMPARE(provider->cancelledCalls(), honoursCancel ? 1 : 0); // the call in flight got the same token
        provider->open();                                            // a late answer changes nothing
        QTest::qWait(200);
        QCOMPARE(future.resultCount(), 0);

        // A token cancelled before the run starts: Cancelled, and the provider is never asked.
        auto unused = std::make_shared<GatedProvider>(kTextDim);
        r.provider = unused;
        r.options.cancel = CancelToken::create();
        r.options.cancel->cancel();
        QCOMPARE(errorOf(SearchService(m_client).run(r)).kind, ErrorKind::Cancelled);
        QCOMPARE(unused->calls(), 0);
    }

    void deadlinePassesBetweenSteps()
    {
        auto provider = std::make_shared<GatedProvider>(kTextDim);
        SearchRunRequest r = request(m_docs);
        r.spec.inputMode = QueryInputMode::Text;
        r.spec.queryText = QStringLiteral("rocket engines");
        r.provider = provider;
        r.options.timeout = std::chrono::milliseconds(300);
        QFuture<SearchOutcome> future = SearchService(m_client).run(r);
        QVERIFY(QTest::qWaitFor([&] { return provider->calls() == 1; }, 5000));
        QTest::qWait(400);
        provider->open(); // the embedding answers after the deadline: the search is not sent
        const MilvusError e = errorOf(future);
        QCOMPARE(e.kind, ErrorKind::Timeout);
        QVERIFY2(e.reason.contains(QStringLiteral("deadline of 300 ms")), qPrintable(e.reason));

        // Within the deadline the same run succeeds.
        auto quick = std::make_shared<GatedProvider>(kTextDim);
        quick->open();
        r.provider = quick;
        r.options.timeout = std::chrono::milliseconds(30000);
        MX_RUN(o, r);
        QCOMPARE(o.rows.size(), 10);
    }

    void malformedFilterIsAMilvusError_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("operation");
        QTest::newRow("search") << int(ResultMode::WithScore) << QStringLiteral("id >>> 3")
                                << QStringLiteral("Search");
        QTest::newRow("search, wrong type")
            << int(ResultMode::Similarity) << QStringLiteral("title > 1") << QStringLiteral("Search");
        QTest::newRow("mmr") << int(ResultMode::Mmr) << QStringLiteral("id >>> 3")
                             << QStringLiteral("Search");
        QTest::newRow("metadata query")
            << int(ResultMode::Metadata) << QStringLiteral("title = = 'x'") << QStringLiteral("Query");
    }
    void malformedFilterIsAMilvusError()
    {
        QFETCH(int, mode);
        QFETCH(QString, filter);
        QFETCH(QString, operation);
        SearchRunRequest r = request(m_rich, ResultMode(mode));
        r.spec.inputMode = QueryInputMode::Vector;
        r.spec.vectorJson = vectorJson({vectorFor(1, kDim)});
        r.spec.filter = filter;
        const MilvusError e = errorOf(SearchService(m_client).run(r));
        QCOMPARE(e.kind, ErrorKind::Milvus);
        QCOMPARE(e.operation, operation);
        QVERIFY(e.milvusCode != 0 || e.legacyCode != 0);
    }

    void wrongDimensionIsRejectedBeforeMilvus_data()
    {
        QTest::addColumn<int>("input");
        QTest::addColumn<QStringList>("needles");
        QTest::newRow("pasted vector")
            << int(QueryInputMode::Vector)
            << QStringList{"the pasted vector gives a vector of dimension 3", "field vec", "has dimension 8"};
        QTest::newRow("provider of another dimension")
            << int(QueryInputMode::Text) << QStringList{"gives a vector of dimension 16", "has dimension 8"};
        QTest::newRow("one line of a file")
            << int(QueryInputMode::File) << QStringList{"the queries file", "(query 2)", "dimension 2"};
    }
    void wrongDimensionIsRejectedBeforeMilvus()
    {
        QFETCH(int, input);
        QFETCH(QStringList, needles);
        SearchRunRequest r = request(m_rich);
        r.spec.inputMode = QueryInputMode(input);
        r.spec.vectorJson = QStringLiteral("[0.1, 0.2, 0.3]");
        r.spec.queryText = QStringLiteral("document 3");
        r.spec.filePath = writeFile(QStringLiteral("mixed.jsonl"),
                                    vectorJson({vectorFor(1, kDim)}).toUtf8() + "\n[1, 2]\n");
        r.provider = std::make_shared<LocalEmbeddingProvider>(16);
        const MilvusError e = errorOf(SearchService(m_client).run(r));
        QCOMPARE(e.kind, ErrorKind::InvalidArgument);
        for (const QString &needle : needles)
            QVERIFY2(e.reason.contains(needle), qPrintable(e.reason));
    }

    void inputErrors_data()
    {
        QTest::addColumn<int>("input");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("needle");
        QTest::newRow("empty text") << int(QueryInputMode::Text) << "  "
                                    << ""
                                    << "query is empty";
        QTest::newRow("no provider") << int(QueryInputMode::Text) << "x"
                                     << ""
                                     << "no embedding provider";
        QTest::newRow("truncated vector") << int(QueryInputMode::Vector) << "[0.1,"
                                          << ""
                                          << "not valid JSON";
        QTest::newRow("unknown entity") << int(QueryInputMode::EntityId) << "999999"
                                        << ""
                                        << "no entity with primary key 999999";
        QTest::newRow("no file") << int(QueryInputMode::File) << ""
                                 << ""
                                 << "choose a queries file";
        QTest::newRow("params not an object") << int(QueryInputMode::Vector) << "[1,2,3,4,5,6,7,8]"
                                              << "[64]"
                                              << "search parameters must be a JSON object";
    }
    void inputErrors()
    {
        QFETCH(int, input);
        QFETCH(QString, value);
        QFETCH(QString, params);
        QFETCH(QString, needle);
        SearchRunRequest r = request(m_rich);
        r.spec.inputMode = QueryInputMode(input);
        r.spec.queryText = value;
        r.spec.vectorJson = value;
        r.spec.entityId = value;
        r.spec.filePath = value;
        r.spec.searchParams = params;
        const MilvusError e = errorOf(SearchService(m_client).run(r));
        QCOMPARE(e.kind, ErrorKind::InvalidArgument);
        QVERIFY2(e.reason.contains(needle), qPrintable(e.reason));
    }

    void notConnected()
    {
        SearchRunRequest r = request(m_rich);
        const MilvusError e = errorOf(SearchService().run(r));
        QCOMPARE(e.kind, ErrorKind::InvalidArgument);
        QCOMPARE(e.reason, QStringLiteral("not connected"));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestSearchService)

#include "tst_searchservice.moc"
