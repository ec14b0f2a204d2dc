// 1,000 async searches in flight on one client: all complete, none lost, each identical to the same
// search done blocking. And the call bookkeeping stays quiet: its helper thread does not wake per call.

#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

namespace mx {

namespace {

// Context switches (voluntary + involuntary) of this process's threads named `name`, from /proc.
qint64 contextSwitchesOf(const QByteArray &name)
{
    qint64 total = 0;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name)
            continue;
        QFile status(tasks.filePath(tid + QStringLiteral("/status")));
        if (!status.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.contains("ctxt_switches:"))
                total += line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
    }
    return total;
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

    // The call tracker's thread (it cancels the RPC of a cancelled future) polls while calls are in
    // flight; it must not be woken for each call: that cost two context switches and several system
    // calls per RPC (issue 9, client cost). 400 async calls one after another, each waited for: the
    // thread may wake about twice per poll interval (20 ms), never twice per call.
    void trackerDoesNotWakePerCall()
    {
        constexpr int kCalls = 400;
        const qint64 before = contextSwitchesOf("mx-calltracker");
        QVERIFY2(before > 0, "no thread named mx-calltracker: the tracker is not running or not named");
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < kCalls; ++i) {
            auto f = m_client->getVersionAsync();
            f.waitForFinished();
            QVERIFY(!f.result().isEmpty());
        }
        const qint64 ms = clock.elapsed();
        const qint64 switches = contextSwitchesOf("mx-calltracker") - before;
        const qint64 allowed = std::min<qint64>(kCalls / 2, 2 * (ms / 20) + 10);
        qInfo("%d sequential async calls in %lld ms: the tracker thread switched %lld times (allowed %lld)",
              kCalls, ms, switches, allowed);
        QVERIFY2(switches <= allowed,
                 qPrintable(QStringLiteral("%1 context switches for %2 calls").arg(switches).arg(kCalls)));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestConcurrency)
#include "tst_concurrency.moc"
