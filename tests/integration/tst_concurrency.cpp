// 1,000 async searches in flight on one client: all complete, none lost, each identical to the same
// search done blocking. And async calls hand nothing over between threads that they need not.

#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QSemaphore>
#include <QStringList>

#include <unistd.h>

#include <atomic>
#include <functional>

namespace mx {

namespace {

// Voluntary context switches of this process's threads, from /proc: the calling thread, the client's
// completion thread ("mx-calls") and all the others (gRPC's own threads among them), with the others'
// counts by thread name to say who woke. A hand-over between threads is a voluntary switch (the thread
// that takes the work sleeps again when done); involuntary ones are the machine's load preempting a
// thread, which says nothing of the client (a CI run with two other tests beside this one counted 0.54
// per call on other threads, voluntary and involuntary together).
struct Switches
{
    qint64 caller = 0;
    qint64 completion = 0;
    qint64 others = 0;
    QMap<QByteArray, qint64> byName; // the others
    qint64 total() const { return caller + completion + others; }
    Switches operator-(const Switches &o) const
    {
        Switches d{caller - o.caller, completion - o.completion, others - o.others, byName};
        for (auto it = o.byName.cbegin(); it != o.byName.cend(); ++it)
            d.byName[it.key()] -= it.value();
        return d;
    }
    QString othersNamed() const
    {
        QStringList parts;
        for (auto it = byName.cbegin(); it != byName.cend(); ++it)
            if (it.value() != 0)
                parts << QStringLiteral("%1 %2").arg(QString::fromUtf8(it.key())).arg(it.value());
        return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
    }
};

Switches switchesNow()
{
    Switches s;
    const QString self = QString::number(gettid());
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        QFile status(tasks.filePath(tid + QStringLiteral("/status")));
        if (!comm.open(QIODevice::ReadOnly) || !status.open(QIODevice::ReadOnly))
            continue;
        const QByteArray name = comm.readAll().trimmed();
        qint64 n = 0;
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("voluntary_ctxt_switches:"))
                n = line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
        if (tid == self) {
            s.caller += n;
        } else if (name == "mx-calls") {
            s.completion += n;
        } else {
            s.others += n;
            s.byName[name] += n;
        }
    }
    return s;
}

} // namespace

class TestConcurrency : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::unique_ptr<MilvusClient> m_client;
    QString m_collection;
    static constexpr int kDim = 16;
    static constexpr int kRows = 3000;
    static constexpr int kSearches = 1000;

    SearchRequest searchFor(int i) const
    {
        SearchRequest s;
        s.collection = m_collection;
        s.annsField = QStringLiteral("vec");
        s.vectors = FloatVectors{kDim, test::vectorFor(100000 + i, kDim)};
        s.topK = 5;
        s.metricType = QStringLiteral("L2");
        s.outputFields = {QStringLiteral("title")};
        if (i % 3 == 0)
            s.filter = QStringLiteral("score > 2.5");
        s.options.timeout = std::chrono::minutes(5);
        return s;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        m_collection = test::createLoadedCollection(*m_client, QStringLiteral("conc"), kDim, kRows);
    }

    void thousandInFlight()
    {
        QList<QFuture<SearchResults>> futures;
        futures.reserve(kSearches);
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < kSearches; ++i)
            futures.append(m_client->searchAsync(searchFor(i)));
        const qint64 issueMs = clock.elapsed();
        // Issuing must not wait for answers: all of them are in flight at once.
        const int inFlightAfterIssue = m_client->inFlight();
        qInfo("issued %d searches in %lld ms; %d in flight right after", kSearches, issueMs,
              inFlightAfterIssue);
        QVERIFY(inFlightAfterIssue > kSearches / 2);

        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::all_of(futures.cbegin(), futures.cend(),
                                   [](const auto &f) { return f.isFinished(); });
            },
            300000));
        const qint64 asyncMs = clock.elapsed();
        QCOMPARE(m_client->inFlight(), 0);

        int compared = 0;
        clock.restart();
        for (int i = 0; i < kSearches; ++i) {
            QVERIFY2(futures[i].resultCount() == 1,
                     qPrintable(QStringLiteral("search %1 has no result").arg(i)));
            const SearchResults asyncResult = futures[i].result();
            const SearchResults blocking = m_client->search(searchFor(i));
            QCOMPARE(asyncResult.queries.size(), 1);
            QCOMPARE(asyncResult.queries[0].size(), 5);
            QCOMPARE(asyncResult.queries, blocking.queries);
            ++compared;
        }
        qInfo("all %d async searches done in %lld ms; %d blocking ones in %lld ms; results identical",
              kSearches, asyncMs, compared, clock.elapsed());
    }

    // An RPC wakes no thread but the one that waits for it and the client's completion thread (issue 9,
    // client cost). With gRPC's callback API, an answer read by one of gRPC's threads was handed to its
    // callback executor, a second wake-up per async call; and once a process had made async calls, gRPC's
    // pollers took over the reads of its blocking calls too (5.4-5.9 switches per blocking call on the
    // standalone, 4.7 of them on gRPC's threads). Now the client's own thread polls the completion queue,
    // only while calls are in flight, and completes the call itself. Per call, for blocking calls, async
    // calls each started by the previous one's continuation (no hand-over at all: at most blocking + 1; a
    // hand-over adds 2 or more, as the waited-for form shows), and async calls each waited for (the
    // waiting thread is woken, and again for the future's mutex, which Qt holds while it wakes it; how
    // often the completion thread wakes depends on how many pieces the server's answer comes in, so no
    // bound against blocking): other threads wake at most once per two calls. Voluntary switches: measured
    // 0.00-0.07 per call, with three busy loops beside the test too; the callback API: 2.1 on Lite and 3.1
    // on the standalone (chained; gRPC's "nexting_thread"), so the test fails on it on both.
    void asyncHandsOverNoMoreThanNeeded()
    {
        constexpr int kCalls = 400;
        QVERIFY(!m_client->getVersion().isEmpty()); // connected
        const auto perCall = [](const Switches &d) { return double(d.total()) / kCalls; };
        const auto othersPerCall = [](const Switches &d) { return double(d.others) / kCalls; };

        Switches before = switchesNow();
        for (int i = 0; i < kCalls; ++i)
            QVERIFY(!m_client->getVersion().isEmpty());
        const Switches blocking = switchesNow() - before;

        before = switchesNow();
        for (int i = 0; i < kCalls; ++i) {
            auto f = m_client->getVersionAsync();
            f.waitForFinished();
            QVERIFY(!f.result().isEmpty());
        }
        const Switches waited = switchesNow() - before;

        QSemaphore done;
        std::atomic<int> failures{0};
        std::function<void(int)> step = [&](int i) {
            if (i == kCalls) {
                done.release();
                return;
            }
            m_client->getVersionAsync().then(QtFuture::Launch::Sync, [&, i](QFuture<QString> f) {
                try {
                    if (f.result().isEmpty())
                        ++failures;
                } catch (...) {
                    ++failures;
                }
                step(i + 1);
            });
        };
        before = switchesNow();
        step(0);
        QVERIFY(done.tryAcquire(1, 120000));
        const Switches chained = switchesNow() - before;
        QCOMPARE(failures.load(), 0);
        qInfo("voluntary context switches per call (other threads'): blocking %.2f (%.2f), async chained "
              "%.2f (%.2f), "
              "async waited for %.2f (%.2f)",
              perCall(blocking), othersPerCall(blocking), perCall(chained), othersPerCall(chained),
              perCall(waited), othersPerCall(waited));
        for (const Switches *d : {&blocking, &chained, &waited})
            QVERIFY2(othersPerCall(*d) <= 0.5,
                     qPrintable(QStringLiteral("other threads woke %1 times per call (%2)")
                                    .arg(othersPerCall(*d))
                                    .arg(d->othersNamed())));
        QVERIFY(perCall(chained) <= perCall(blocking) + 1.0);
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestConcurrency)
#include "tst_concurrency.moc"
