// The load tester as an instrument, against a real server (both kinds): stores ready before the clock
// starts, the read consistency chosen and reported, users' search settings and recall@k, and an
// integrity check that counts only what the server did: wrap-around, overlapping writes, deletes of
// documents already gone, abandoned writes, timeouts counted at their deadline.

#include "FakeEmbeddingProvider.h"
#include "LoadTestEngine.h"
#include "ReportSummary.h"
#include "ScratchStore.h"
#include "TestSupport.h"

#include <csignal>

namespace mx {

namespace {

constexpr int kDim = 16;
constexpr qint64 kMs = 1'000'000;

RunSpec spec(OpKind op, LoadMode mode, qint64 count, qint64 storeDocs)
{
    RunSpec s;
    s.op = op;
    s.mode = mode;
    s.count = count;
    s.storeDocs = storeDocs;
    s.concurrency = 4;
    s.opTimeoutMs = 30000;
    return s;
}

QString errors(const PhaseResult &p)
{
    return p.errors.samples.join(QLatin1Char('\n'));
}

} // namespace

class TestLoadTestIntegrity : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    ConnectionConfig m_config;
    std::shared_ptr<test::FakeEmbeddingProvider> m_embedder =
        std::make_shared<test::FakeEmbeddingProvider>(kDim);

    LoadTestReport runPlan(const LoadTestPlan &plan)
    {
        LoadTestEngine engine(m_config, m_embedder);
        return test::await(engine.start(plan), 300000);
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_config = m_server.config();
    }

    // Every store is loaded (progress 100) and indexed before its timed phase, so the first search is
    // no slower than the rest; the level reads use is the default Session (or the one asked for) and
    // is in the report; k, search parameters and output fields reach the server; recall@k is measured.
    void readyConsistentAndLikeUsersSearch()
    {
        LoadTestPlan plan;
        RunSpec sync = spec(OpKind::Search, LoadMode::Sync, 30, 300);
        sync.k = 5;
        sync.searchParams = QJsonObject{{QStringLiteral("ef"), 64}};
        sync.outputFields = QStringList{QStringLiteral("text")};
        sync.recall = true;
        RunSpec strong = spec(OpKind::Search, LoadMode::Async, 20, 300);
        strong.consistency = ConsistencyLevel::Strong;
        plan.runs = {sync, strong};
        const LoadTestReport r = runPlan(plan);
        qInfo().noquote() << ReportSummary::text(r);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        for (const RunResult &run : r.runs) {
            QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
            QVERIFY2(run.readiness.startsWith(QLatin1String("loaded 100%")), qPrintable(run.readiness));
            // ... and has answered a search through every channel, outside the clock.
            QVERIFY2(run.readiness.contains(QLatin1String("first search answered in")),
                     qPrintable(run.readiness));
            const PhaseResult &p = run.phases.first();
            QVERIFY2(p.failed == 0, qPrintable(errors(p)));
            QVERIFY2(!p.firstOpStalled(), qPrintable(ReportSummary::duration(p.firstOpServiceNs)));
            QVERIFY(p.balanced());
        }
        const RunResult &first = r.runs.at(0);
        QCOMPARE(first.readConsistency, QStringLiteral("Session"));
        QCOMPARE(r.runs.at(1).readConsistency, QStringLiteral("Strong"));
        QCOMPARE(first.phases.first().rows, qint64(5 * 30)); // k = 5 hits each
        QVERIFY2(first.recall.measured, qPrintable(first.recall.error));
        QCOMPARE(first.recall.k, 5);
        QCOMPARE(first.recall.rows, qint64(300));
        QVERIFY(first.recall.queries >= 10);
        QVERIFY2(first.recall.recall >= 0.8, qPrintable(first.recall.describe()));
        QVERIFY(ReportSummary::text(r).contains(QLatin1String("recall@5")));
        QVERIFY(ReportSummary::text(r).contains(QLatin1String("reads at Session")));
    }

    // More operations than rows, one at a time and all at once: deletes never delete a row twice (the
    // extra ones fail clearly), upserts wrap around the store without two writes on one row at a time,
    // and count(*) at Strong agrees with what was counted.
    void wrapAroundAndOverlappingWrites_data()
    {
        QTest::addColumn<int>("op");
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("byPk");
        QTest::addColumn<qint64>(
            "ok"); // of 25 operations on 10 rows; -1: at least 10 (answers may free rows)
        QTest::newRow("upsert sync wraps")
            << int(OpKind::Upsert) << int(LoadMode::Sync) << false << qint64(25);
        QTest::newRow("upsert bounded wraps")
            << int(OpKind::Upsert) << int(LoadMode::Bounded) << false << qint64(25);
        QTest::newRow("upsert async overlaps")
            << int(OpKind::Upsert) << int(LoadMode::Async) << false << qint64(-1);
        QTest::newRow("delete pk sync") << int(OpKind::Delete) << int(LoadMode::Sync) << true << qint64(10);
        QTest::newRow("delete pk async") << int(OpKind::Delete) << int(LoadMode::Async) << true << qint64(10);
        QTest::newRow("delete id async")
            << int(OpKind::Delete) << int(LoadMode::Async) << false << qint64(10);
    }

    void wrapAroundAndOverlappingWrites()
    {
        QFETCH(int, op);
        QFETCH(int, mode);
        QFETCH(bool, byPk);
        QFETCH(qint64, ok);
        LoadTestPlan plan;
        RunSpec s = spec(OpKind(op), LoadMode(mode), 25, 10);
        s.deleteByPrimaryKey = byPk;
        plan.runs = {s};
        const LoadTestReport r = runPlan(plan);
        const RunResult &run = r.runs.first();
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        const PhaseResult &p = run.phases.first();
        qInfo().noquote() << ReportSummary::text(r);
        QCOMPARE(p.issued, qint64(25));
        if (ok >= 0)
            QCOMPARE(p.completed, ok);
        else
            QVERIFY(p.completed >= 10);
        QCOMPARE(p.failed, 25 - p.completed);
        QVERIFY(p.balanced());
        if (p.failed > 0) {
            // Refused by the tool before sending (never sent twice), with the reason.
            QCOMPARE(p.errors.byKind.value(errorKindName(ErrorKind::InvalidArgument)), p.failed);
            QVERIFY(errors(p).contains(QLatin1String("live rows")));
        }
        QCOMPARE(p.unknownOutcomeWrites, qint64(0));
        QVERIFY2(run.integrity.ok(), qPrintable(run.integrity.describe()));
        QCOMPARE(run.integrity.actual, OpKind(op) == OpKind::Delete ? qint64(0) : qint64(10));
        if (OpKind(op) == OpKind::Delete)
            QCOMPARE(p.deletedRows, qint64(10));
    }

    // The faithful tutorial's deletes: one store for n = 10 and then n = 100, each naming doc_0...: the
    // second run's first ten find their rows gone. The server's delete_cnt still counts them; the check
    // counts only live rows and agrees with count(*).
    void deletesOfRowsAlreadyGone()
    {
        LoadTestPlan plan;
        RunSpec a = spec(OpKind::Delete, LoadMode::Async, 5, 30);
        a.storeGroup = QStringLiteral("d");
        a.deleteExactDocs = true;
        RunSpec b = a;
        b.count = 20;
        plan.runs = {a, b};
        const LoadTestReport r = runPlan(plan);
        QVERIFY2(r.runs.at(1).error.isEmpty(), qPrintable(r.runs.at(1).error));
        QCOMPARE(r.runs.at(0).collection, r.runs.at(1).collection); // one store
        const PhaseResult &second = r.runs.at(1).phases.first();
        QCOMPARE(second.completed, qint64(20));
        QCOMPARE(second.deletedRows, qint64(15)); // doc_5..doc_19; doc_0..doc_4 were gone
        QVERIFY2(second.serverDeleteCount >= 15, qPrintable(QString::number(second.serverDeleteCount)));
        for (const RunResult &run : r.runs)
            QVERIFY2(run.integrity.ok(), qPrintable(run.integrity.describe()));
        QCOMPARE(r.runs.at(1).integrity.actual, qint64(10));
        QVERIFY(!m_server.client()->hasCollection(CollectionRequest{r.runs.at(0).collection}));
    }

    // The server frozen (SIGSTOP) under an open loop of adds with a long deadline and a short drain:
    // the writes in flight are abandoned, counted as unknown outcome, the invariant holds, and the
    // difference count(*) finds after the server resumes stays within them.
    void abandonedWritesAreUnknownOutcome()
    {
        LoadTestEngine engine(m_config, m_embedder);
        LoadTestPlan plan;
        RunSpec s = spec(OpKind::Add, LoadMode::Rate, 0, 0);
        s.rate = 40;
        s.concurrency = 0;
        s.durationMs = 2500;
        s.opTimeoutMs = 120000;
        s.drainTimeoutMs = 1000;
        plan.runs = {s};
        QFuture<LoadTestReport> f = engine.start(plan);
        QVERIFY(
            QTest::qWaitFor([&] { return engine.snapshot()->state == RunSnapshot::State::Running; }, 120000));
        QTest::qWait(800);
        const auto pid = pid_t(m_server.server().pid());
        QCOMPARE(::kill(pid, SIGSTOP), 0);
        // Frozen until the phase gave up on what is in flight and the check is about to count.
        const bool checking = QTest::qWaitFor(
            [&] { return engine.snapshot()->state == RunSnapshot::State::Checking || f.isFinished(); },
            30000);
        QCOMPARE(::kill(pid, SIGCONT), 0);
        QVERIFY(checking);
        QVERIFY(test::waitForFuture(f, 120000));
        const LoadTestReport r = f.result();
        qInfo().noquote() << ReportSummary::text(r);
        const RunResult &run = r.runs.first();
        const PhaseResult &p = run.phases.first();
        QVERIFY2(p.abandoned >= 20, qPrintable(QString::number(p.abandoned)));
        QCOMPARE(p.abandonedWrites, p.abandoned);
        QVERIFY(p.unknownOutcomeWrites >= p.abandoned);
        QVERIFY(p.balanced());
        QVERIFY(run.integrity.checked);
        QVERIFY2(run.integrity.error.isEmpty(), qPrintable(run.integrity.error));
        QVERIFY(run.integrity.unknownOutcomeWrites >= p.abandoned);
        QVERIFY2(std::abs(run.integrity.difference()) <= run.integrity.unknownOutcomeWrites,
                 qPrintable(run.integrity.describe()));
        QVERIFY(ReportSummary::text(r).contains(QLatin1String("writes of unknown outcome")));
    }

    // Timeouts under a frozen server count at their deadline in the corrected figures, keep their own
    // latency among the failures, and are in the error table as timeouts.
    void timeoutsCountAtTheirDeadline()
    {
        LoadTestEngine engine(m_config, m_embedder);
        LoadTestPlan plan;
        RunSpec s = spec(OpKind::Search, LoadMode::Rate, 0, 100);
        s.rate = 40;
        s.concurrency = 0;
        s.durationMs = 2500;
        s.opTimeoutMs = 400;
        s.precomputedVectors = true;
        plan.runs = {s};
        QFuture<LoadTestReport> f = engine.start(plan);
        QVERIFY(
            QTest::qWaitFor([&] { return engine.snapshot()->state == RunSnapshot::State::Running; }, 120000));
        QTest::qWait(700);
        const auto pid = pid_t(m_server.server().pid());
        QCOMPARE(::kill(pid, SIGSTOP), 0);
        QTest::qWait(1200);
        QCOMPARE(::kill(pid, SIGCONT), 0);
        QVERIFY(test::waitForFuture(f, 120000));
        const LoadTestReport r = f.result();
        const PhaseResult &p = r.runs.first().phases.first();
        qInfo().noquote() << ReportSummary::text(r);
        QVERIFY2(p.timedOut >= 10, qPrintable(QString::number(p.timedOut)));
        QCOMPARE(p.errors.byKind.value(errorKindName(ErrorKind::Timeout)), p.timedOut);
        QCOMPARE(p.latency.count(), p.completed + p.timedOut);
        QCOMPARE(p.failedLatency.count(), p.failed);
        QVERIFY2(p.latency.percentile(99) >= 400 * kMs,
                 qPrintable(ReportSummary::duration(p.latency.percentile(99))));
        QVERIFY(p.latencyUncorrected.count() == p.completed);
        QVERIFY(p.balanced());
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestLoadTestIntegrity)
#include "tst_loadtest_integrity.moc"
