// The engine when things go wrong: stop mid-run, the server killed mid-run (SIGKILL), the server
// stalled for a second (SIGSTOP, SIGCONT) during an open-loop run, and rows deleted behind the
// engine's back before the integrity check.

#include "FakeEmbeddingProvider.h"
#include "LoadTestEngine.h"
#include "ReportSummary.h"
#include "TestSupport.h"

#include <QElapsedTimer>

#include <csignal>
#include <thread>

namespace mx {

namespace {

constexpr int kDim = 16;
constexpr qint64 kMs = 1'000'000;

RunSpec openLoop(OpKind op, double rate, qint64 durationMs, qint64 storeDocs = 200)
{
    RunSpec s;
    s.op = op;
    s.mode = LoadMode::Rate;
    s.rate = rate;
    s.concurrency = 0;
    s.count = 0;
    s.durationMs = durationMs;
    s.storeDocs = storeDocs;
    s.opTimeoutMs = 10000;
    return s;
}

// Waits (spinning the event loop, which LocalServer needs) until the engine is in its measured
// phase, then `ms` longer.
bool waitUntilRunning(const LoadTestEngine &engine, int ms)
{
    if (!QTest::qWaitFor([&] { return engine.snapshot()->state == RunSnapshot::State::Running; }, 60000))
        return false;
    QTest::qWait(ms);
    return true;
}

} // namespace

class TestLoadTestFaults : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    ConnectionConfig m_config;
    std::shared_ptr<test::FakeEmbeddingProvider> m_embedder =
        std::make_shared<test::FakeEmbeddingProvider>(kDim);

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_config = m_server.config();
    }

    // Stop while adds are in flight: the run ends promptly, keeps what was measured, and still checks
    // integrity (cancelled inserts may or may not have landed: any difference must be within them).
    void stopMidRun()
    {
        LoadTestEngine engine(m_config, m_embedder);
        LoadTestPlan plan;
        plan.runs = {openLoop(OpKind::Add, 200, 30000, 0)};
        QFuture<LoadTestReport> f = engine.start(plan);
        QVERIFY(waitUntilRunning(engine, 1000));
        QElapsedTimer t;
        t.start();
        engine.stop();
        QVERIFY(test::waitForFuture(f, 20000));
        qInfo("stopped in %lld ms", t.elapsed());
        QVERIFY(t.elapsed() < 5000);
        const LoadTestReport r = f.result();
        QVERIFY(r.stopped);
        QCOMPARE(engine.snapshot()->state, RunSnapshot::State::Stopped);
        const RunResult &run = r.runs.first();
        QVERIFY(run.stopped);
        const PhaseResult &p = run.phases.first();
        QVERIFY(p.stopped);
        QVERIFY(p.completed >= 100); // a second at 200/s
        QCOMPARE(p.failed, qint64(0));
        QCOMPARE(p.completed + p.cancelled + p.failed + p.abandoned, p.issued);
        QVERIFY(p.seconds() < 3);
        QVERIFY2(run.integrity.checked && run.integrity.error.isEmpty(),
                 qPrintable(run.integrity.describe()));
        QVERIFY2(qAbs(run.integrity.difference()) <= run.integrity.unknownOutcomeWrites,
                 qPrintable(run.integrity.describe()));
        qInfo().noquote() << run.integrity.describe();
    }

    void serverStalledShowsInCorrectedPercentiles_data()
    {
        QTest::addColumn<int>("inFlightLimit");
        QTest::newRow("open loop, no limit") << 0;
        // One in flight: the operations planned during the stall are not even sent until it ends, so
        // only the corrected figure can see what the users of those operations would have waited.
        QTest::newRow("one in flight") << 1;
    }

    // Milvus stalled for 1 s in the middle of an open-loop run: every operation planned during the stall
    // finishes late, and the corrected percentiles (from the planned start) show it.
    void serverStalledShowsInCorrectedPercentiles()
    {
        QFETCH(int, inFlightLimit);
        LoadTestEngine engine(m_config, m_embedder);
        LoadTestPlan plan;
        plan.runs = {openLoop(OpKind::Search, 50, 4000)};
        plan.runs[0].concurrency = inFlightLimit;
        QFuture<LoadTestReport> f = engine.start(plan);
        QVERIFY(waitUntilRunning(engine, 1200));
        const auto pid = pid_t(m_server.server().pid());
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, SIGSTOP), 0);
        QTest::qWait(1000);
        QCOMPARE(::kill(pid, SIGCONT), 0);
        QVERIFY(test::waitForFuture(f, 60000));
        const LoadTestReport r = f.result();
        const PhaseResult &p = r.runs.first().phases.first();
        qInfo().noquote() << ReportSummary::phaseHeader() << '\n' << ReportSummary::phaseLine(p);
        QCOMPARE(p.failed, qint64(0));
        QVERIFY(p.completed >= 190);
        QVERIFY2(p.latency.percentile(99) >= 800 * kMs,
                 qPrintable(ReportSummary::duration(p.latency.percentile(99))));
        QVERIFY(p.latency.percentile(90) >= 200 * kMs); // ~a quarter of the operations waited on the stall
        QVERIFY(p.latency.max() >= 900 * kMs);
        QVERIFY(p.latency.percentile(25) < 50 * kMs); // the rest were fast
        // The intervals show where it happened: some interval's p99 is near a second.
        qint64 worst = 0;
        for (qsizetype i = 0; i < p.intervals.size(); ++i)
            worst = std::max(worst, p.intervals.at(i).latencySummary.p99Ns);
        QVERIFY(worst >= 800 * kMs);
        if (inFlightLimit == 1) {
            QVERIFY(p.maxInFlight == 1);
            QVERIFY2(p.latencyUncorrected.percentile(99) < 100 * kMs,
                     qPrintable(ReportSummary::duration(p.latencyUncorrected.percentile(99))));
            QVERIFY(p.maxSendLagNs >= 800 * kMs);
        }
    }

    // Deleting rows behind the engine's back before its integrity check: the check reports the
    // difference, and so does the summary.
    void integrityCatchesSabotage()
    {
        LoadTestEngine engine(m_config, m_embedder);
        engine.setIntegrityHook([](MilvusClient &client, const QString &collection) {
            DeleteRequest d;
            d.collection = collection;
            d.filter = QStringLiteral("id in ['doc_0', 'doc_1', 'doc_2']");
            client.deleteEntities(d);
        });
        LoadTestPlan plan;
        RunSpec s;
        s.op = OpKind::Add;
        s.mode = LoadMode::Async;
        s.count = 20;
        plan.runs = {s};
        const LoadTestReport r = test::await(engine.start(plan), 60000);
        const IntegrityResult &i = r.runs.first().integrity;
        QVERIFY(i.checked);
        QCOMPARE(i.expected, qint64(20));
        QCOMPARE(i.actual, qint64(17));
        QCOMPARE(i.difference(), qint64(-3));
        QVERIFY(!i.ok());
        QCOMPARE(r.integrityProblems(), 1);
        const QString text = ReportSummary::text(r);
        QVERIFY(text.contains(QLatin1String("INTEGRITY DIFFERENCE of -3 rows")));
        QVERIFY(engine.snapshot()->message.contains(QLatin1String("INTEGRITY DIFFERENCE")));
    }

    // SIGKILL in the middle of a run, in the open loop and in the sync loop: the runs end with the
    // failures counted, nothing crashes, and what was measured before is kept.
    void serverKilledMidRun()
    {
        test::TestServer doomed;
        QString error;
        QVERIFY2(doomed.start(&error), qPrintable(error));
        ConnectionConfig config;
        config = doomed.config();
        LoadTestEngine engine(config, m_embedder);
        LoadTestPlan plan;
        RunSpec rate = openLoop(OpKind::Add, 50, 3000, 0);
        RunSpec sync = openLoop(OpKind::Search, 0, 1000, 0);
        sync.mode = LoadMode::Sync;
        plan.runs = {rate, sync};
        QFuture<LoadTestReport> f = engine.start(plan);
        QVERIFY(waitUntilRunning(engine, 1000));
        QCOMPARE(::kill(pid_t(doomed.server().pid()), SIGKILL), 0);
        QVERIFY(test::waitForFuture(f, 60000));
        const LoadTestReport r = f.result();
        qInfo().noquote() << ReportSummary::text(r);
        QCOMPARE(r.runs.size(), 2);
        const RunResult &first = r.runs.at(0);
        QCOMPARE(first.phases.size(), 1);
        const PhaseResult &p = first.phases.first();
        QVERIFY(p.completed >= 30); // before the kill
        QVERIFY(p.failed >= 50);    // after it, until the 3 s were up
        QCOMPARE(p.completed + p.failed + p.cancelled + p.abandoned, p.issued);
        QCOMPARE(p.errors.total, p.failed);
        QVERIFY(p.errors.byKind.value(errorKindName(ErrorKind::Transport)) > 0);
        QVERIFY(p.errors.byGrpcStatus.value(14) > 0); // UNAVAILABLE
        // The check cannot run against a dead server, and says so instead of passing.
        QVERIFY(!first.integrity.ok());
        QVERIFY(!first.integrity.error.isEmpty());
        // The second run cannot even set up: an error, not a crash or an empty success.
        QVERIFY(!r.runs.at(1).error.isEmpty());
        QVERIFY(r.totalFailed() >= 50);
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestLoadTestFaults)
#include "tst_loadtest_faults.moc"
