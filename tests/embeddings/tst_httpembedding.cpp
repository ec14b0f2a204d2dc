// HttpEmbeddingProvider against a real OpenAI-compatible server (embedding_server.py) started by the
// test: batching and order, the concurrency limit, retries honouring Retry-After, every typed error,
// cancellation of pending retries, an event loop that stays responsive through a 429 storm, and the
// blocking form against the async one.

#include "EmbeddingTestServer.h"
#include "HttpEmbeddingProvider.h"
#include "HttpRetry.h"
#include "LocalEmbeddingProvider.h"
#include "MilvusError.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QTcpServer>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>

using namespace std::chrono_literals;

namespace mx {

namespace {

constexpr int ServerDefaultDim = 32; // embedding_server.py's DEFAULT_DIM

QList<Embedding> localVectors(const QStringList &texts, int dim)
{
    QList<Embedding> out;
    for (const QString &t : texts)
        out << LocalEmbeddingProvider::embed(t, dim);
    return out;
}

QStringList numbered(int n)
{
    QStringList texts;
    for (int i = 0; i < n; ++i)
        texts << QStringLiteral("text number %1").arg(i);
    return texts;
}

// Runs fn on a thread of its own and returns the error it throws (or a "no error" marker).
template<typename Fn>
MilvusError errorOnWorkerThread(Fn fn, const std::function<void()> &whileRunning = {})
{
    MilvusError error;
    std::unique_ptr<QThread> thread(QThread::create([&] { error = test::expectError(fn); }));
    thread->start();
    if (whileRunning)
        whileRunning();
    if (!QTest::qWaitFor([&] { return thread->isFinished(); }, 60000))
        qFatal("worker thread did not finish");
    thread->wait();
    return error;
}

} // namespace

class TestHttpEmbedding : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void endpointFromBaseUrl_data();
    void endpointFromBaseUrl();
    void rejectsBadConfig_data();
    void rejectsBadConfig();
    void parseRetryAfter_data();
    void parseRetryAfter();
    void backoffGrowsAndIsCapped();

    void batchesKeepInputOrder();
    void concurrencyLimit_data();
    void concurrencyLimit();
    void requestBodyAndDimensions();
    void base64Reply();
    void emptyInputSendsNothing();
    void blockingMatchesAsync();

    void retryAfterIsHonoured_data();
    void retryAfterIsHonoured();
    void serverErrorThenSuccess();
    void timeout_data();
    void timeout();
    void malformedReply_data();
    void malformedReply();
    void wrongDimension();
    void dimensionDrift();
    void apiKey_data();
    void apiKey();
    void unknownModel();
    void connectionRefused();
    void rateLimitStormKeepsEventLoopResponsive();
    void cancelTokenStopsPendingRetry_data();
    void cancelTokenStopsPendingRetry();
    void cancelFutureStopsPendingRetry();
    void destroyingProviderCancelsCalls();

private:
    HttpEmbeddingProvider::Config config(const QString &model) const;
    int requestCount() { return m_server.stats().value(QLatin1String("requests")).toInt(-1); }
    bool waitForRequests(int n)
    {
        return QTest::qWaitFor([&] { return requestCount() >= n; }, 10000);
    }

    test::EmbeddingTestServer m_server;
};

void TestHttpEmbedding::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
}

void TestHttpEmbedding::init()
{
    QVERIFY(m_server.reset());
}

HttpEmbeddingProvider::Config TestHttpEmbedding::config(const QString &model) const
{
    HttpEmbeddingProvider::Config c;
    c.baseUrl = m_server.baseUrl();
    c.model = model;
    c.timeout = 10s;
    c.initialBackoff = 50ms;
    c.maxBackoff = 400ms;
    return c;
}

void TestHttpEmbedding::endpointFromBaseUrl_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("endpoint");
    QTest::newRow("root") << "http://h:8080"
                          << "http://h:8080/v1/embeddings";
    QTest::newRow("slash") << "http://h:8080/"
                           << "http://h:8080/v1/embeddings";
    QTest::newRow("v1") << "https://api.openai.com/v1"
                        << "https://api.openai.com/v1/embeddings";
    QTest::newRow("v1 slash") << "https://api.openai.com/v1/"
                              << "https://api.openai.com/v1/embeddings";
    QTest::newRow("prefix") << "http://h/proxy/ollama"
                            << "http://h/proxy/ollama/v1/embeddings";
    QTest::newRow("full") << "http://h/v1/embeddings"
                          << "http://h/v1/embeddings";
    QTest::newRow("ftp") << "ftp://h/"
                         << "";
    QTest::newRow("no scheme") << "localhost:11434"
                               << "";
    QTest::newRow("empty") << ""
                           << "";
}

void TestHttpEmbedding::endpointFromBaseUrl()
{
    QFETCH(QString, base);
    QFETCH(QString, endpoint);
    const QUrl url = HttpEmbeddingProvider::endpointFor(base);
    QCOMPARE(url.isValid() ? url.toString() : QString(), endpoint);
}

void TestHttpEmbedding::rejectsBadConfig_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("url") << "url"
                         << "not an http";
    QTest::newRow("model") << "model"
                           << "no embedding model";
    QTest::newRow("batch") << "batch"
                           << "batch size";
    QTest::newRow("concurrency") << "concurrency"
                                 << "concurrent";
    QTest::newRow("dimensions") << "dimensions"
                                << "dimension";
    QTest::newRow("retries") << "retries"
                             << "retries";
}

void TestHttpEmbedding::rejectsBadConfig()
{
    QFETCH(QString, field);
    QFETCH(QString, mentions);
    auto c = config(QStringLiteral("normal"));
    if (field == QLatin1String("url"))
        c.baseUrl = QStringLiteral("file:///etc");
    else if (field == QLatin1String("model"))
        c.model = QStringLiteral("  ");
    else if (field == QLatin1String("batch"))
        c.batchSize = 0;
    else if (field == QLatin1String("concurrency"))
        c.maxConcurrentRequests = 0;
    else if (field == QLatin1String("dimensions"))
        c.dimensions = 0;
    else
        c.maxRetries = -1;
    const MilvusError e = test::expectError([&] { HttpEmbeddingProvider p(c); });
    QCOMPARE(e.kind, ErrorKind::InvalidArgument);
    QVERIFY2(e.reason.contains(mentions), qPrintable(e.reason));
}

void TestHttpEmbedding::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expectedMs"); // -1: unparsable
    QTest::newRow("seconds") << QByteArray("2") << qint64(2000);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("spaces") << QByteArray(" 7 ") << qint64(7000);
    QTest::newRow("fraction") << QByteArray("1.5") << qint64(1500);
    QTest::newRow("imf-fixdate") << QByteArray("Wed, 21 Oct 2015 07:28:05 GMT") << qint64(5000);
    QTest::newRow("rfc850") << QByteArray("Wednesday, 21-Oct-15 07:28:10 GMT") << qint64(10000);
    QTest::newRow("asctime") << QByteArray("Wed Oct 21 07:28:03 2015") << qint64(3000);
    QTest::newRow("past date") << QByteArray("Wed, 21 Oct 2015 07:27:00 GMT") << qint64(0);
    QTest::newRow("negative") << QByteArray("-3") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
}

void TestHttpEmbedding::parseRetryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expectedMs);
    const QDateTime now(QDate(2015, 10, 21), QTime(7, 28, 0), Qt::UTC);
    const auto delay = detail::parseRetryAfter(value, now);
    QCOMPARE(delay.has_value() ? delay->count() : qint64(-1), expectedMs);
}

void TestHttpEmbedding::backoffGrowsAndIsCapped()
{
    using detail::backoffDelay;
    // Equal jitter: [base/2, base], base = min(cap, initial * 2^retry).
    QCOMPARE(backoffDelay(0, 500ms, 30s, 0.0), 250ms);
    QCOMPARE(backoffDelay(0, 500ms, 30s, 1.0), 500ms);
    QCOMPARE(backoffDelay(3, 500ms, 30s, 1.0), 4000ms);
    QCOMPARE(backoffDelay(3, 500ms, 30s, 0.5), 3000ms);
    QCOMPARE(backoffDelay(10, 500ms, 30s, 1.0), 30000ms);
    QCOMPARE(backoffDelay(10, 500ms, 30s, 0.0), 15000ms);
    QCOMPARE(backoffDelay(1000, 500ms, 30s, 1.0), 30000ms); // no overflow
}

void TestHttpEmbedding::batchesKeepInputOrder()
{
    auto c = config(QStringLiteral("stagger:300")); // the first batch answers last
    c.batchSize = 3;
    c.maxConcurrentRequests = 4;
    HttpEmbeddingProvider p(c);
    QCOMPARE(p.dimension(), 0);
    const QStringList texts = numbered(10);
    const QList<Embedding> vectors = test::await(p.embedDocumentsAsync(texts), 20000);
    QCOMPARE(vectors.size(), 10);
    QCOMPARE(vectors, localVectors(texts, ServerDefaultDim));
    QCOMPARE(p.dimension(), ServerDefaultDim);

    const QJsonObject stats = m_server.stats();
    QCOMPARE(stats.value(QLatin1String("requests")).toInt(), 4);
    QCOMPARE(stats.value(QLatin1String("max_batch")).toInt(), 3);
    QList<int> sizes;
    for (const QJsonValue &v : stats.value(QLatin1String("batch_sizes")).toArray())
        sizes << v.toInt();
    std::sort(sizes.begin(), sizes.end());
    QCOMPARE(sizes, (QList<int>{1, 3, 3, 3}));
}

void TestHttpEmbedding::concurrencyLimit_data()
{
    QTest::addColumn<int>("limit");
    QTest::newRow("1") << 1;
    QTest::newRow("2") << 2;
    QTest::newRow("3") << 3;
    // Above Qt's 6 connections per host and network manager: the provider must spread requests.
    QTest::newRow("10") << 10;
    QTest::newRow("12") << 12;
}

void TestHttpEmbedding::concurrencyLimit()
{
    QFETCH(int, limit);
    auto c = config(QStringLiteral("normal:150")); // long enough for requests to overlap
    c.batchSize = 1;
    c.maxConcurrentRequests = limit;
    HttpEmbeddingProvider p(c);
    // Two calls at once share the provider's limit.
    const QStringList a = numbered(6);
    const QStringList b{QStringLiteral("b0"), QStringLiteral("b1"), QStringLiteral("b2"),
                        QStringLiteral("b3"), QStringLiteral("b4"), QStringLiteral("b5")};
    auto fa = p.embedDocumentsAsync(a);
    auto fb = p.embedDocumentsAsync(b);
    QCOMPARE(test::await(fa, 30000), localVectors(a, ServerDefaultDim));
    QCOMPARE(test::await(fb, 30000), localVectors(b, ServerDefaultDim));
    const QJsonObject stats = m_server.stats();
    QCOMPARE(stats.value(QLatin1String("requests")).toInt(), 12);
    QCOMPARE(stats.value(QLatin1String("max_batch")).toInt(), 1);
    QCOMPARE(stats.value(QLatin1String("peak_concurrency")).toInt(), limit);
}

void TestHttpEmbedding::requestBodyAndDimensions()
{
    auto c = config(QStringLiteral("normal"));
    c.dimensions = 16;
    HttpEmbeddingProvider p(c);
    QCOMPARE(p.dimension(), 16);
    const QStringList texts{QStringLiteral("Hello, World"), QStringLiteral("ab")};
    QCOMPARE(test::await(p.embedDocumentsAsync(texts)), localVectors(texts, 16));
    const QJsonObject stats = m_server.stats();
    const QJsonObject sent = stats.value(QLatin1String("last_request")).toObject();
    QCOMPARE(sent.value(QLatin1String("model")).toString(), QStringLiteral("normal"));
    QCOMPARE(sent.value(QLatin1String("input")).toArray(), QJsonArray::fromStringList(texts));
    QCOMPARE(sent.value(QLatin1String("encoding_format")).toString(), QStringLiteral("float"));
    QCOMPARE(sent.value(QLatin1String("dimensions")).toInt(), 16);
    QVERIFY(stats.value(QLatin1String("last_authorization")).isNull()); // no key, no header

    QVERIFY(m_server.reset());
    HttpEmbeddingProvider plain(config(QStringLiteral("normal")));
    QCOMPARE(test::await(plain.embedQueryAsync(texts[0])), LocalEmbeddingProvider::embed(texts[0], 32));
    QVERIFY(!m_server.stats()
                 .value(QLatin1String("last_request"))
                 .toObject()
                 .contains(QLatin1String("dimensions")));
}

void TestHttpEmbedding::base64Reply()
{
    HttpEmbeddingProvider p(config(QStringLiteral("base64")));
    const QStringList texts = numbered(3);
    QCOMPARE(test::await(p.embedDocumentsAsync(texts)), localVectors(texts, ServerDefaultDim));
}

void TestHttpEmbedding::emptyInputSendsNothing()
{
    HttpEmbeddingProvider p(config(QStringLiteral("normal")));
    QCOMPARE(test::await(p.embedDocumentsAsync({})), QList<Embedding>());
    QCOMPARE(p.embedDocuments({}), QList<Embedding>());
    QCOMPARE(requestCount(), 0);
}

void TestHttpEmbedding::blockingMatchesAsync()
{
    auto c = config(QStringLiteral("normal"));
    c.batchSize = 2;
    HttpEmbeddingProvider p(c);
    const QStringList texts = numbered(5);
    QList<Embedding> blocking;
    Embedding blockingQuery;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        blocking = p.embedDocuments(texts);
        blockingQuery = p.embedQuery(texts[3]);
    }));
    worker->start();
    QVERIFY(QTest::qWaitFor([&] { return worker->isFinished(); }, 20000));
    const QList<Embedding> async = test::await(p.embedDocumentsAsync(texts));
    QCOMPARE(blocking.size(), 5);
    QCOMPARE(async, blocking);
    QCOMPARE(blocking, localVectors(texts, ServerDefaultDim));
    QCOMPARE(test::await(p.embedQueryAsync(texts[3])), blockingQuery);
    QCOMPARE(blockingQuery, blocking[3]);
}

void TestHttpEmbedding::retryAfterIsHonoured_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("delay-seconds") << "429:1:1";
    // An HTTP-date 2 s ahead, with whole-second resolution: the wait is between 1 and 2 s.
    QTest::newRow("http-date") << "429:1:date2";
}

void TestHttpEmbedding::retryAfterIsHonoured()
{
    QFETCH(QString, model);
    HttpEmbeddingProvider p(config(model)); // backoff alone would retry after 25-50 ms
    QElapsedTimer clock;
    clock.start();
    const QList<Embedding> vectors = test::await(p.embedDocumentsAsync({QStringLiteral("x")}), 20000);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(vectors, localVectors({QStringLiteral("x")}, ServerDefaultDim));
    QCOMPARE(requestCount(), 2);
    QVERIFY2(elapsed >= 950 && elapsed < 4000, qPrintable(QString::number(elapsed)));
}

void TestHttpEmbedding::serverErrorThenSuccess()
{
    HttpEmbeddingProvider p(config(QStringLiteral("500:1")));
    const QStringList texts = numbered(2);
    QCOMPARE(p.embedDocuments(texts), localVectors(texts, ServerDefaultDim));
    QCOMPARE(requestCount(), 2);
}

void TestHttpEmbedding::timeout_data()
{
    QTest::addColumn<bool>("perCall");
    QTest::newRow("config") << false;
    QTest::newRow("call options") << true;
}

void TestHttpEmbedding::timeout()
{
    QFETCH(bool, perCall);
    auto c = config(QStringLiteral("slow:5000"));
    CallOptions options;
    if (perCall)
        options.timeout = 300ms;
    else
        c.timeout = 300ms;
    HttpEmbeddingProvider p(c);
    QElapsedTimer clock;
    clock.start();
    const MilvusError e =
        test::expectError([&] { test::await(p.embedDocumentsAsync({"x"}, options), 10000); });
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(e.kind, ErrorKind::Timeout);
    QVERIFY2(e.reason.contains(QLatin1String("within 300 ms")), qPrintable(e.message()));
    QVERIFY2(elapsed >= 250 && elapsed < 2500, qPrintable(QString::number(elapsed)));
    QCOMPARE(requestCount(), 1); // a timeout is not retried
}

void TestHttpEmbedding::malformedReply_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("truncated JSON") << "malformed"
                                    << "not JSON";
    QTest::newRow("no data") << "no-data"
                             << "no \"data\" list";
    QTest::newRow("null embedding") << "bad-embedding"
                                    << "embedding is missing";
    QTest::newRow("count") << "count-mismatch"
                           << "3 embeddings for 2 inputs";
}

void TestHttpEmbedding::malformedReply()
{
    QFETCH(QString, model);
    QFETCH(QString, mentions);
    HttpEmbeddingProvider p(config(model));
    const MilvusError e = test::expectError([&] { p.embedDocuments(numbered(2)); });
    QCOMPARE(e.kind, ErrorKind::Http);
    QCOMPARE(e.httpStatus, 200);
    QVERIFY2(e.reason.contains(QLatin1String("malformed reply")), qPrintable(e.message()));
    QVERIFY2(e.reason.contains(mentions), qPrintable(e.message()));
}

void TestHttpEmbedding::wrongDimension()
{
    auto c = config(QStringLiteral("wrongdim"));
    c.dimensions = 16;
    HttpEmbeddingProvider p(c);
    const MilvusError e = test::expectError([&] { test::await(p.embedDocumentsAsync(numbered(2))); });
    QCOMPARE(e.kind, ErrorKind::Http);
    QVERIFY2(e.reason.contains(QLatin1String("dimension 17")) &&
                 e.reason.contains(QLatin1String("dimensions=16")),
             qPrintable(e.message()));
}

void TestHttpEmbedding::dimensionDrift()
{
    auto c = config(QStringLiteral("drift")); // request k answers 32 + k dimensions
    c.batchSize = 1;
    c.maxConcurrentRequests = 1;
    HttpEmbeddingProvider p(c);
    const MilvusError e = test::expectError([&] { p.embedDocuments(numbered(2)); });
    QCOMPARE(e.kind, ErrorKind::Http);
    QVERIFY2(e.reason.contains(QLatin1String("dimension 33 but earlier replies had dimension 32")),
             qPrintable(e.message()));
}

void TestHttpEmbedding::apiKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("mentions"); // empty: success
    QTest::newRow("none") << ""
                          << "requires an API key and none is configured";
    QTest::newRow("wrong") << "wrong-key-123"
                           << "the API key was rejected";
    QTest::newRow("right") << "test-key"
                           << "";
}

void TestHttpEmbedding::apiKey()
{
    QFETCH(QString, key);
    QFETCH(QString, mentions);
    auto c = config(QStringLiteral("auth"));
    c.apiKey = key;
    HttpEmbeddingProvider p(c);
    if (mentions.isEmpty()) {
        QCOMPARE(p.embedQuery(QStringLiteral("x")), LocalEmbeddingProvider::embed(QStringLiteral("x"), 32));
        QCOMPARE(m_server.stats().value(QLatin1String("last_authorization")).toString(),
                 QStringLiteral("Bearer test-key"));
        return;
    }
    const MilvusError e = test::expectError([&] { test::await(p.embedQueryAsync(QStringLiteral("x"))); });
    QCOMPARE(e.kind, ErrorKind::Http);
    QCOMPARE(e.httpStatus, 401);
    QVERIFY2(e.reason.contains(mentions), qPrintable(e.message()));
    QVERIFY2(e.reason.contains(QLatin1String("Incorrect API key provided")), qPrintable(e.message()));
    if (!key.isEmpty())
        QVERIFY2(!e.message().contains(key) && !e.detail.contains(key), qPrintable(e.message()));
    QCOMPARE(requestCount(), 1); // not retried
}

void TestHttpEmbedding::unknownModel()
{
    HttpEmbeddingProvider p(config(QStringLiteral("no-such-model")));
    const MilvusError e = test::expectError([&] { p.embedQuery(QStringLiteral("x")); });
    QCOMPARE(e.kind, ErrorKind::Http);
    QCOMPARE(e.httpStatus, 404);
    QVERIFY2(e.reason.contains(QLatin1String("\"no-such-model\"")), qPrintable(e.message()));
    QVERIFY2(e.reason.contains(m_server.baseUrl() + QLatin1String("/v1/embeddings")),
             qPrintable(e.message()));
    QVERIFY2(e.reason.contains(QLatin1String("not found")), qPrintable(e.message()));
}

void TestHttpEmbedding::connectionRefused()
{
    QTcpServer probe; // a port that was free a moment ago, with nothing listening now
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    auto c = config(QStringLiteral("normal"));
    c.baseUrl = QStringLiteral("http://127.0.0.1:%1").arg(port);
    HttpEmbeddingProvider p(c);
    QElapsedTimer clock;
    clock.start();
    const MilvusError e = test::expectError([&] { test::await(p.embedQueryAsync(QStringLiteral("x"))); });
    QCOMPARE(e.kind, ErrorKind::Transport);
    QVERIFY2(e.reason.contains(QLatin1String("connection refused")), qPrintable(e.message()));
    QVERIFY2(e.reason.contains(c.baseUrl), qPrintable(e.message()));
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed()))); // not retried
}

void TestHttpEmbedding::rateLimitStormKeepsEventLoopResponsive()
{
    auto c = config(QStringLiteral("429:inf:none")); // always 429, no Retry-After: exponential backoff
    c.maxRetries = 5;
    c.initialBackoff = 40ms;
    c.maxBackoff = 400ms;
    HttpEmbeddingProvider p(c);

    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 maxGap = 0;
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        maxGap = std::max(maxGap, now - last);
        last = now;
        ++ticks;
    });
    ticker.start();

    QFuture<QList<Embedding>> future = p.embedDocumentsAsync(numbered(2));
    QFutureWatcher<QList<Embedding>> watcher;
    QEventLoop loop; // a plain event loop, as the GUI thread runs one
    connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    loop.exec();
    ticker.stop();
    const qint64 elapsed = clock.elapsed();

    QVERIFY(future.isFinished());
    const MilvusError e = test::expectError([&] { future.waitForFinished(); });
    QCOMPARE(e.kind, ErrorKind::Http);
    QCOMPARE(e.httpStatus, 429);
    QVERIFY2(e.reason.contains(QLatin1String("rate limited")) &&
                 e.reason.contains(QLatin1String("after 5 retries")),
             qPrintable(e.message()));
    QCOMPARE(requestCount(), 6);
    // Backoffs 40, 80, 160, 320, 400 ms, each jittered to [half, full].
    QVERIFY2(elapsed >= 480 && elapsed < 5000, qPrintable(QString::number(elapsed)));
    QVERIFY2(maxGap < 100, qPrintable(QStringLiteral("the event loop stalled for %1 ms").arg(maxGap)));
    QVERIFY2(ticks >= elapsed / 20, qPrintable(QStringLiteral("%1 ticks in %2 ms").arg(ticks).arg(elapsed)));
}

void TestHttpEmbedding::cancelTokenStopsPendingRetry_data()
{
    QTest::addColumn<bool>("blocking");
    QTest::newRow("async") << false;
    QTest::newRow("blocking") << true;
}

void TestHttpEmbedding::cancelTokenStopsPendingRetry()
{
    QFETCH(bool, blocking);
    HttpEmbeddingProvider p(config(QStringLiteral("429:inf:30"))); // the retry would wait 30 s
    CallOptions options;
    options.cancel = CancelToken::create();
    QElapsedTimer sinceCancel;
    auto cancelAfterFirstRequest = [&] {
        QVERIFY(waitForRequests(1));
        QTest::qWait(100); // the 429 has arrived and the retry is pending
        sinceCancel.start();
        options.cancel->cancel();
    };

    MilvusError e;
    if (blocking) {
        e = errorOnWorkerThread([&] { p.embedDocuments(numbered(3), options); }, cancelAfterFirstRequest);
    } else {
        auto future = p.embedDocumentsAsync(numbered(3), options);
        cancelAfterFirstRequest();
        QVERIFY(test::waitForFuture(future, 5000));
        e = test::expectError([&] { future.waitForFinished(); });
    }
    QVERIFY2(sinceCancel.elapsed() < 1000, qPrintable(QString::number(sinceCancel.elapsed())));
    QCOMPARE(e.kind, ErrorKind::Cancelled);
    QTest::qWait(300);
    QCOMPARE(requestCount(), 1);
}

void TestHttpEmbedding::cancelFutureStopsPendingRetry()
{
    HttpEmbeddingProvider p(config(QStringLiteral("429:inf:1")));
    auto future = p.embedDocumentsAsync(numbered(2));
    QVERIFY(waitForRequests(1));
    future.cancel();
    QVERIFY(test::waitForFuture(future, 1000));
    QVERIFY(future.isCanceled());
    QCOMPARE(future.resultCount(), 0);
    QTest::qWait(1500); // past the Retry-After: a retry that was not stopped would show up now
    QCOMPARE(requestCount(), 1);
}

void TestHttpEmbedding::destroyingProviderCancelsCalls()
{
    auto p = std::make_unique<HttpEmbeddingProvider>(config(QStringLiteral("429:inf:30")));
    auto pending = p->embedDocumentsAsync(numbered(2));
    auto inFlight = std::make_unique<HttpEmbeddingProvider>(config(QStringLiteral("slow:5000")));
    auto slow = inFlight->embedQueryAsync(QStringLiteral("x"));
    QVERIFY(waitForRequests(2));
    QElapsedTimer clock;
    clock.start();
    p.reset();
    inFlight.reset();
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(pending.isFinished() && slow.isFinished());
    for (const MilvusError &e : {test::expectError([&] { pending.waitForFinished(); }),
                                 test::expectError([&] { slow.waitForFinished(); })}) {
        QCOMPARE(e.kind, ErrorKind::Cancelled);
        QVERIFY2(e.reason.contains(QLatin1String("destroyed")), qPrintable(e.message()));
    }
}

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestHttpEmbedding)
#include "tst_httpembedding.moc"
