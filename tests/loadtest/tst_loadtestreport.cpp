// Reports: JSON round trip, exact merge (histograms merge, percentiles recomputed, never averaged), the
// tutorial table, and a summary that says loudly when something is wrong.

#include "FakeOperation.h"
#include "PhaseRunner.h"
#include "ReportJson.h"
#include "ReportMerger.h"
#include "ReportSummary.h"
#include "TutorialPreset.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <random>

namespace mx {

namespace {

constexpr qint64 kMs = 1'000'000;

PhaseResult measuredPhase(qint64 latencyNs, qint64 count, qint64 failEvery = 0)
{
    test::FakeOperation op({latencyNs, -1, 0, failEvery});
    PhaseRunner runner(op, CancelToken::create());
    PhaseParams p;
    p.label = QStringLiteral("phase");
    p.mode = LoadMode::Rate;
    p.rate = 2000;
    p.count = count;
    p.concurrency = 0;
    PhaseResult r = runner.run(p);
    r.op = OpKind::Search;
    return r;
}

LoadTestReport reportWith(const PhaseResult &phase, const QString &host)
{
    LoadTestReport r;
    r.toolVersion = QStringLiteral("test");
    r.createdAt = QStringLiteral("2026-01-01T00:00:00.000Z");
    r.hosts = {host};
    r.serverUri = QStringLiteral("http://127.0.0.1:19530");
    r.embedder = QStringLiteral("fake");
    r.dimension = 16;
    r.seed = 42;
    RunResult run;
    run.label = QStringLiteral("search rate");
    run.spec.op = OpKind::Search;
    run.spec.mode = LoadMode::Rate;
    run.collection = QStringLiteral("loadtest_search_%1").arg(host);
    run.phases = {phase};
    run.integrity.checked = true;
    run.integrity.collection = run.collection;
    run.integrity.before = 1000;
    run.integrity.inserted = 10;
    run.integrity.expected = 1010;
    run.integrity.actual = 1010;
    r.runs = {run};
    return r;
}

} // namespace

class TestLoadTestReport : public QObject
{
    Q_OBJECT

private slots:
    void jsonRoundTrip()
    {
        LoadTestReport r = reportWith(measuredPhase(2 * kMs, 600, 7), QStringLiteral("a"));
        r.runs[0].warnings = {QStringLiteral("w")};
        r.warnings = {QStringLiteral("top")};
        const QJsonObject json = ReportJson::toJson(r);
        const QByteArray text = QJsonDocument(json).toJson();
        LoadTestReport back;
        QString error;
        QVERIFY2(ReportJson::fromJson(QJsonDocument::fromJson(text).object(), &back, &error),
                 qPrintable(error));
        // Written again, the report is the same document: nothing was lost or rounded.
        QCOMPARE(QJsonDocument(ReportJson::toJson(back)).toJson(), text);
        const PhaseResult &p = back.runs.at(0).phases.at(0);
        QVERIFY(p.latency == r.runs[0].phases[0].latency);
        QCOMPARE(p.intervals.size(), r.runs[0].phases[0].intervals.size());
        QCOMPARE(p.errors.total, p.failed);
        QVERIFY(p.failed > 0);
        QCOMPARE(back.runs.at(0).integrity.ok(), true);

        // Not a report: refused.
        QVERIFY(!ReportJson::fromJson(QJsonObject{{QStringLiteral("schema"), QStringLiteral("x")}}, &back,
                                      &error));
        QVERIFY(error.contains(LoadTestReport::schemaId()));
        // A report whose counts disagree with its histograms: refused.
        QJsonObject bad = json;
        QJsonArray runs = bad.value(QStringLiteral("runs")).toArray();
        QJsonObject run = runs.at(0).toObject();
        QJsonArray phases = run.value(QStringLiteral("phases")).toArray();
        QJsonObject phase = phases.at(0).toObject();
        phase.insert(QStringLiteral("completed"), 1);
        phases[0] = phase;
        run.insert(QStringLiteral("phases"), phases);
        runs[0] = run;
        bad.insert(QStringLiteral("runs"), runs);
        QVERIFY(!ReportJson::fromJson(bad, &back, &error));
    }

    void mergeIsExact()
    {
        // Two "machines" with very different latencies: the merged p99 is the p99 of all operations,
        // which is not the average of the two p99s.
        LatencyHistogram a;
        LatencyHistogram b;
        LatencyHistogram all;
        std::mt19937_64 rng(7);
        for (int i = 0; i < 9000; ++i) {
            const qint64 v = std::uniform_int_distribution<qint64>(kMs, 5 * kMs)(rng);
            a.record(v);
            all.record(v);
        }
        for (int i = 0; i < 1000; ++i) {
            const qint64 v = std::uniform_int_distribution<qint64>(100 * kMs, 200 * kMs)(rng);
            b.record(v);
            all.record(v);
        }
        PhaseResult pa = measuredPhase(kMs, 100);
        PhaseResult pb = measuredPhase(kMs, 100);
        pa.latency = a;
        pa.completed = a.count();
        pb.latency = b;
        pb.completed = b.count();
        const LoadTestReport ra = reportWith(pa, QStringLiteral("a"));
        const LoadTestReport rb = reportWith(pb, QStringLiteral("b"));

        // Through JSON files, as the CLI does.
        LoadTestReport ja;
        LoadTestReport jb;
        QString error;
        QVERIFY(ReportJson::fromJson(ReportJson::toJson(ra), &ja, &error));
        QVERIFY(ReportJson::fromJson(ReportJson::toJson(rb), &jb, &error));
        const LoadTestReport m = ReportMerger::merge(ja, jb);
        QCOMPARE(m.mergedFrom, 2);
        QCOMPARE(m.hosts, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(m.runs.size(), 1);
        const PhaseResult &p = m.runs[0].phases[0];
        QVERIFY(p.latency == all);
        QCOMPARE(p.latency.percentile(99), all.percentile(99));
        QCOMPARE(p.completed, qint64(10000));
        QVERIFY(all.percentile(99) >= 100 * kMs);
        QVERIFY(all.percentile(99) != (a.percentile(99) + b.percentile(99)) / 2);
        // Intervals merge by index, exactly.
        QCOMPARE(p.intervals.size(), std::max(pa.intervals.size(), pb.intervals.size()));
        QCOMPARE(p.intervals.at(0).completed, pa.intervals.at(0).completed + pb.intervals.at(0).completed);
        // Integrity adds up per collection.
        QCOMPARE(m.runs[0].integrity.expected, qint64(2020));
        QVERIFY(m.runs[0].integrity.ok());
        // Merge is symmetric in its exact parts.
        const LoadTestReport m2 = ReportMerger::merge(jb, ja);
        QVERIFY(m2.runs[0].phases[0].latency == p.latency);
    }

    void tutorialTableFromRuns()
    {
        QList<RunResult> runs;
        const LoadTestPlan plan = TutorialPreset::plan(3, {10});
        const QMap<QString, double> secs{
            {QStringLiteral("add:async"), 1.0},    {QStringLiteral("add:sync"), 3.0},
            {QStringLiteral("search:async"), 0.5}, {QStringLiteral("search:sync"), 2.0},
            {QStringLiteral("delete:async"), 0.2}, {QStringLiteral("delete:sync"), 1.0}};
        int i = 0;
        for (const RunSpec &s : plan.runs) {
            RunResult r;
            r.spec = s;
            PhaseResult p;
            const double base = secs.value(opKindName(s.op) + QLatin1Char(':') + loadModeName(s.mode));
            p.wallNs = qint64((base + 0.01 * (i++ % 3)) * 1e9);
            p.completed = 10;
            p.issued = 10;
            for (int k = 0; k < 10; ++k) {
                p.latency.record(p.wallNs / 10);
                p.latencyUncorrected.record(p.wallNs / 20); // service time: what the p99 columns show
            }
            r.phases = {p};
            runs.append(r);
        }
        const TutorialTable t = TutorialPreset::table(runs);
        QCOMPARE(t.rows.size(), 3);
        QCOMPARE(t.rows[0].op, QStringLiteral("add"));
        QCOMPARE(t.rows[0].asyncSeconds.size(), 3);
        QCOMPARE(t.rows[0].syncSeconds.size(), 3);
        const SpeedupEstimate expected =
            SpeedupStatistics::ratioOfMeans(t.rows[0].syncSeconds, t.rows[0].asyncSeconds);
        QCOMPARE(t.rows[0].speedup.ratio, expected.ratio);
        QVERIFY(t.rows[0].speedup.hasInterval);
        QVERIFY(std::abs(t.rows[2].speedup.ratio - 1.01 / 0.21) < 0.2);
        // Both latency columns are per-operation service time; async's time to complete is apart.
        // (service time was recorded as wall/20, time to complete as wall/10: the row must not mix them)
        QVERIFY(t.rows[0].asyncLatency.maxNs * 3 / 2 < t.rows[0].asyncTimeToComplete.maxNs);
        QVERIFY(t.rows[0].syncLatency.maxNs < qint64(3.03e9 / 20 * 1.01));
        QCOMPARE(t.rows[0].unbalanced, qint64(0));
        const QString text = ReportSummary::tutorialTable(t);
        QVERIFY(text.contains(QLatin1String("| add")));
        QVERIFY(text.contains(QLatin1String("sync/async")));
        qInfo().noquote() << text;
    }

    void summaryIsLoudAboutProblems()
    {
        LoadTestReport r = reportWith(measuredPhase(kMs, 200, 10), QStringLiteral("a"));
        r.runs[0].integrity.actual = 1003; // seven rows lost
        const QString text = ReportSummary::text(r);
        qInfo().noquote() << text;
        QVERIFY(text.contains(QLatin1String("INTEGRITY DIFFERENCE of -7 rows")));
        QVERIFY(text.contains(QLatin1String("ERRORS: 20 failed")));
        QVERIFY(text.contains(QLatin1String("Milvus code 65535: 20")));
        QVERIFY(text.contains(QLatin1String("corrected (from plan)")));
        QVERIFY(text.contains(QLatin1String("failures' own latency")));
        QVERIFY(!text.contains(QLatin1String("ACCOUNTING BROKEN")));
        QCOMPARE(r.integrityProblems(), 1);
        QCOMPARE(r.integrityDifference(), qint64(7));
        QCOMPARE(r.runs[0].phases[0].failedLatency.count(),
                 qint64(20));                                       // failures kept, in their own histogram
        QCOMPARE(r.runs[0].phases[0].latency.count(), qint64(180)); // no timeouts: successes only

        // A phase whose accounting does not add up is flagged in the summary and when read from a file.
        r.runs[0].phases[0].issued += 3;
        QVERIFY(ReportSummary::text(r).contains(QLatin1String("ACCOUNTING BROKEN")));
        LoadTestReport back;
        QString error;
        QVERIFY2(ReportJson::fromJson(ReportJson::toJson(r), &back, &error), qPrintable(error));
        QCOMPARE(back.unbalancedPhases(), 1);
        QVERIFY(back.warnings.join(QLatin1Char(' ')).contains(QLatin1String("issued = completed")));
    }

    // The saturation warning looks at the threads that do the work: a gRPC thread (or an embedder thread,
    // or the sender) at 90% of a core is flagged, and so are those threads together at 90% of the machine;
    // another thread of the process (the app's GUI thread redrawing charts) is not, though it shows in the
    // whole-process figure. Fed CpuStats values, then through the summary, the JSON and the panel's
    // labels' source (saturationReason).
    void saturationLooksAtWorkingThreads_data()
    {
        QTest::addColumn<qint64>("senderNs");
        QTest::addColumn<qint64>("grpcNs");
        QTest::addColumn<qint64>("embedderNs");
        QTest::addColumn<QString>("busiestWork");
        QTest::addColumn<qint64>("busiestWorkNs");
        QTest::addColumn<QString>("busiest");
        QTest::addColumn<qint64>("busiestNs");
        QTest::addColumn<qint64>("processNs");
        QTest::addColumn<QString>("expected"); // empty: not saturated; else a part of the reason
        const qint64 s = 1'000'000'000;        // the phase's wall time: one second, 4 cores
        QTest::newRow("idle") << s / 10 << s / 5 << qint64(0) << "nexting_thread" << s / 5 << "nexting_thread"
                              << s / 5 << s / 2 << QString();
        QTest::newRow("one gRPC thread saturated")
            << s / 10 << s * 12 / 10 << qint64(0) << "nexting_thread" << s * 95 / 100 << "nexting_thread"
            << s * 95 / 100 << s * 14 / 10 << "thread 'nexting_thread' at 95% of a core";
        QTest::newRow("embedder thread saturated")
            << s / 10 << s / 5 << s * 92 / 100 << "mx-local-embedd" << s * 92 / 100 << "mx-local-embedd"
            << s * 92 / 100 << s * 13 / 10 << "thread 'mx-local-embedd' at 92% of a core";
        QTest::newRow("sending thread saturated")
            << s * 97 / 100 << s / 5 << qint64(0) << "sender (mx-lt-sender)" << s * 97 / 100 << "mx-lt-sender"
            << s * 97 / 100 << s * 12 / 10 << "sending thread at 97% of a core";
        QTest::newRow("working threads use the machine")
            << s * 8 / 10 << s * 258 / 100 << s * 3 / 10 << "sender (mx-lt-sender)" << s * 8 / 10
            << "mx-lt-sender" << s * 8 / 10 << s * 38 / 10
            << "the working threads (sender, gRPC, embedder) at 92% of 4 cores";
        // The GUI thread at a full core and the process at 95% of the machine: not the load's threads.
        QTest::newRow("GUI thread busy") << s / 10 << s / 5 << qint64(0) << "nexting_thread" << s / 5
                                         << "milvus-explore" << s << s * 38 / 10 << QString();
    }

    void saturationLooksAtWorkingThreads()
    {
        QFETCH(qint64, senderNs);
        QFETCH(qint64, grpcNs);
        QFETCH(qint64, embedderNs);
        QFETCH(QString, busiestWork);
        QFETCH(qint64, busiestWorkNs);
        QFETCH(QString, busiest);
        QFETCH(qint64, busiestNs);
        QFETCH(qint64, processNs);
        QFETCH(QString, expected);
        PhaseResult p = measuredPhase(kMs, 20);
        p.cpu = CpuStats{};
        p.cpu.senderThreadNs = senderNs;
        p.cpu.grpcThreadsNs = grpcNs;
        p.cpu.embedderThreadsNs = embedderNs;
        p.cpu.workThreadsNs = senderNs + grpcNs + embedderNs;
        p.cpu.busiestWorkThread = busiestWork;
        p.cpu.busiestWorkThreadNs = busiestWorkNs;
        p.cpu.busiestThread = busiest;
        p.cpu.busiestThreadNs = busiestNs;
        p.cpu.processNs = processNs;
        p.cpu.cores = 4;
        p.cpu.wallNs = 1'000'000'000;
        p.intervals = IntervalSeries(); // no per-interval sender figures: the phase's CpuStats decide
        QCOMPARE(p.cpu.clientSaturated(), !expected.isEmpty());
        QVERIFY2(p.cpu.saturationReason().contains(expected), qPrintable(p.cpu.saturationReason()));

        const LoadTestReport r = reportWith(p, QStringLiteral("a"));
        const QString text = ReportSummary::text(r);
        QCOMPARE(text.contains(QLatin1String("WARNING: the client saturated")), !expected.isEmpty());
        if (!expected.isEmpty())
            QVERIFY2(text.contains(expected), qPrintable(text));
        // Labelled for what they measure, per operation (20 operations).
        QVERIFY2(
            text.contains(
                QStringLiteral("client CPU per op: sending thread %1, gRPC threads %2, "
                               "embedder threads %3, whole process %4 (the whole process: "
                               "everything it does; in the app also the panel's chart redraws)")
                    .arg(ReportSummary::duration(senderNs / 20), ReportSummary::duration(grpcNs / 20),
                         ReportSummary::duration(embedderNs / 20), ReportSummary::duration(processNs / 20))),
            qPrintable(text));

        LoadTestReport back;
        QString error;
        QVERIFY2(ReportJson::fromJson(ReportJson::toJson(r), &back, &error), qPrintable(error));
        const CpuStats &c = back.runs[0].phases[0].cpu;
        QCOMPARE(c.embedderThreadsNs, embedderNs);
        QCOMPARE(c.workThreadsNs, senderNs + grpcNs + embedderNs);
        QCOMPARE(c.busiestWorkThread, busiestWork);
        QCOMPARE(c.busiestWorkThreadNs, busiestWorkNs);
        QCOMPARE(c.saturationReason(), p.cpu.saturationReason());
        const QJsonObject derived = ReportJson::phaseToJson(p).value(QStringLiteral("derived")).toObject();
        QCOMPARE(derived.value(QStringLiteral("clientSaturated")).toBool(), !expected.isEmpty());
        QCOMPARE(derived.value(QStringLiteral("saturation")).toString(), p.cpu.saturationReason());
    }

    // Version 1 reports (before timeouts counted in `latency`) are still read.
    void readsVersion1()
    {
        const LoadTestReport r = reportWith(measuredPhase(kMs, 50), QStringLiteral("a"));
        QJsonObject json = ReportJson::toJson(r);
        json.insert(QStringLiteral("schema"), LoadTestReport::schemaIdV1());
        LoadTestReport back;
        QString error;
        QVERIFY2(ReportJson::fromJson(json, &back, &error), qPrintable(error));
        QCOMPARE(back.runs[0].phases[0].completed, qint64(50));
        json.insert(QStringLiteral("schema"), QStringLiteral("milvus-loadtest-report/9"));
        QVERIFY(!ReportJson::fromJson(json, &back, &error));
    }

    // A count no run can make (fuzz_loadtest_report: 2.39e91 converted to an integer, undefined
    // behaviour) reads as 0, not as whatever the conversion gives; a merge of two such reports cannot
    // overflow.
    void absurdCountsReadAsNothing()
    {
        const LoadTestReport r = reportWith(measuredPhase(kMs, 50), QStringLiteral("a"));
        QJsonObject json = ReportJson::toJson(r);
        QJsonArray runs = json.value(QStringLiteral("runs")).toArray();
        QJsonObject run = runs.at(0).toObject();
        QJsonArray phases = run.value(QStringLiteral("phases")).toArray();
        QJsonObject phase = phases.at(0).toObject();
        phase.insert(QStringLiteral("issued"), 2.39497e91);
        phase.insert(QStringLiteral("failed"), QStringLiteral("9223372036854775807"));
        phases[0] = phase;
        run.insert(QStringLiteral("phases"), phases);
        runs[0] = run;
        json.insert(QStringLiteral("runs"), runs);
        LoadTestReport back;
        QString error;
        if (!ReportJson::fromJson(json, &back, &error))
            return; // refusing is fine too
        QCOMPARE(back.runs[0].phases[0].issued, qint64(0));
        QCOMPARE(back.runs[0].phases[0].failed, qint64(0));
        // The same in a run's settings.
        QCOMPARE(RunSpec::fromJson(QJsonObject{{QStringLiteral("count"), 2.05556e36}}).count, qint64(0));
        QCOMPARE(RunSpec::fromJson(QJsonObject{{QStringLiteral("opTimeoutMs"), -1e300}}).opTimeoutMs,
                 qint64(30000));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestLoadTestReport)
#include "tst_loadtestreport.moc"
