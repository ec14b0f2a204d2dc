// The results table shows an integrity difference loudly; CSV export and the run comparison carry
// the exact figures. No server: reports are built by hand.
#include "PhaseResultsTable.h"
#include "ReportExporter.h"
#include "RunComparisonTable.h"
#include "RunHistoryStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace mx;

namespace {

RunResult writeRun(qint64 inserted, qint64 actual)
{
    RunResult run;
    run.spec.op = OpKind::Add;
    run.spec.mode = LoadMode::Async;
    run.label = QStringLiteral("add async n=%1").arg(inserted);
    PhaseResult p;
    p.label = run.label;
    p.op = OpKind::Add;
    p.mode = LoadMode::Async;
    p.issued = p.completed = p.rows = p.insertedRows = inserted;
    p.wallNs = 2'000'000'000;
    for (qint64 i = 1; i <= inserted; ++i)
        p.latency.record(i * 1'000'000);
    run.phases << p;
    run.integrity.checked = true;
    run.integrity.inserted = inserted;
    run.integrity.expected = inserted;
    run.integrity.actual = actual;
    return run;
}

} // namespace

class TestLoadTestResults : public QObject
{
    Q_OBJECT
private slots:
    void integrityDifferenceIsLoud_data()
    {
        QTest::addColumn<qint64>("actual");
        QTest::addColumn<bool>("loud");
        QTest::newRow("as expected") << qint64(100) << false;
        QTest::newRow("rows lost") << qint64(97) << true;
        QTest::newRow("rows extra") << qint64(101) << true;
    }

    void integrityDifferenceIsLoud()
    {
        QFETCH(qint64, actual);
        QFETCH(bool, loud);
        PhaseResultsTable table;
        table.setRuns({writeRun(100, actual)});
        QCOMPARE(table.rowCount(), 1);
        QCOMPARE(table.integrityProblems(), loud ? 1 : 0);
        QTableWidgetItem *item = table.item(0, PhaseResultsTable::Integrity);
        QCOMPARE(item->background().color() == QColor(0xc6, 0x28, 0x28), loud);
        QCOMPARE(item->font().bold(), loud);
        QCOMPARE(table.item(0, PhaseResultsTable::Count)->text(), QStringLiteral("100"));
        QCOMPARE(table.item(0, PhaseResultsTable::OpsPerSecond)->text(), QStringLiteral("50.0"));
    }

    // Client CPU per operation in its own column, named for what each figure measures; the channels and
    // a saturated gRPC thread in the conditions; a busy GUI thread alone is not a saturated client.
    void cpuAndChannelsAreLabelled()
    {
        RunResult run = writeRun(100, 100);
        run.channels = 3;
        run.operationsPerChannel = {34, 33, 33};
        PhaseResult &p = run.phases[0];
        p.cpu.wallNs = p.wallNs; // 2 s
        p.cpu.cores = 2;
        p.cpu.senderThreadNs = 4'000'000;    // 40 µs per op
        p.cpu.grpcThreadsNs = 1'900'000'000; // 19 ms per op
        p.cpu.processNs = 2'100'000'000;
        p.cpu.workThreadsNs = p.cpu.senderThreadNs + p.cpu.grpcThreadsNs;
        p.cpu.busiestWorkThread = QStringLiteral("nexting_thread");
        p.cpu.busiestWorkThreadNs = 1'900'000'000; // 95% of a core
        RunResult gui = writeRun(10, 10);
        gui.phases[0].cpu = p.cpu;
        gui.phases[0].cpu.grpcThreadsNs = 20'000'000;
        gui.phases[0].cpu.workThreadsNs = 24'000'000;
        gui.phases[0].cpu.busiestWorkThreadNs = 20'000'000;
        gui.phases[0].cpu.busiestThread = QStringLiteral("milvus-explore");
        gui.phases[0].cpu.busiestThreadNs = 2'000'000'000; // the GUI thread at a full core
        PhaseResultsTable table;
        table.setRuns({run, gui});
        QVERIFY(table.horizontalHeaderItem(PhaseResultsTable::ClientCpu)
                    ->toolTip()
                    .contains(QLatin1String("chart redraws")));
        QTableWidgetItem *cpu = table.item(0, PhaseResultsTable::ClientCpu);
        QCOMPARE(cpu->text(), QStringLiteral("send 40 µs · gRPC 19.0 ms · process 21.0 ms"));
        QVERIFY2(cpu->toolTip().contains(QStringLiteral("sending thread 40 µs, gRPC threads 19.0 ms, "
                                                        "embedder threads")),
                 qPrintable(cpu->toolTip()));
        const QString conditions = table.item(0, PhaseResultsTable::Conditions)->text();
        QVERIFY2(conditions.contains(QLatin1String("3 channels")), qPrintable(conditions));
        QVERIFY2(
            conditions.contains(QLatin1String("CLIENT SATURATED: thread 'nexting_thread' at 95% of a core")),
            qPrintable(conditions));
        QVERIFY(
            table.item(0, PhaseResultsTable::Conditions)
                ->toolTip()
                .contains(QLatin1String("3 gRPC channels (connections), operations per channel 34/33/33")));
        const QString guiConditions = table.item(1, PhaseResultsTable::Conditions)->text();
        QVERIFY2(!guiConditions.contains(QLatin1String("SATURATED")), qPrintable(guiConditions));
        QVERIFY(!guiConditions.contains(QLatin1String("channels")));
    }

    void csvHasOneRowPerPhaseWithExactFigures()
    {
        LoadTestReport report;
        report.runs << writeRun(100, 97) << writeRun(10, 10);
        const QStringList lines = ReportExporter::csv(report).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[1].startsWith(QLatin1String("add async n=100,add async n=100,add,async,")));
        QVERIFY2(
            lines[1].contains(QLatin1String(",50.00,50.00,50.004,90.046,99.025,100.000,100.000,NO,100,97")),
            qPrintable(lines[1]));
        QVERIFY(lines[2].endsWith(QLatin1String(",yes,10,10")));
    }

    void historyRoundTripAndComparison()
    {
        QTemporaryDir dir;
        RunHistoryStore store(dir.path());
        LoadTestReport a, b;
        a.createdAt = QStringLiteral("2026-01-01T00:00:00Z");
        b.createdAt = QStringLiteral("2026-01-02T00:00:00Z");
        a.runs << writeRun(100, 100);
        b.runs << writeRun(200, 200);
        const QString fa = store.save(a);
        const QString fb = store.save(b);
        QVERIFY(!fa.isEmpty() && !fb.isEmpty());
        const auto entries = store.list();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[0].file, fb); // newest first
        LoadTestReport back;
        QVERIFY(store.load(fa, &back));
        QCOMPARE(back.runs[0].phases[0].completed, 100);
        RunComparisonTable table;
        table.compare(back, b);
        QCOMPARE(table.rowCount(), 5);
        QCOMPARE(table.item(1, 1)->text(), QStringLiteral("ops/s"));
        QCOMPARE(table.item(1, 2)->text(), QStringLiteral("50.000"));
        QCOMPARE(table.item(1, 3)->text(), QStringLiteral("100.000"));
        QCOMPARE(table.item(1, 4)->text(), QStringLiteral("2.00x"));
        QString why;
        QVERIFY(!store.load(dir.filePath(QStringLiteral("missing.json")), &back, &why));
        QVERIFY(!why.isEmpty());
    }
};

QTEST_MAIN(TestLoadTestResults)
#include "tst_loadtestresults.moc"
