// The replay source produces engine-shaped snapshots at the requested rate, and the panel it feeds
// redraws at no more than 20 Hz however fast the snapshots come.
#include "LoadTestCharts.h"
#include "LoadTestPanel.h"
#include "ReplaySnapshotSource.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace mx;

class TestReplaySnapshotSource : public QObject
{
    Q_OBJECT
private slots:
    void advancesAtTheRequestedRate_data()
    {
        QTest::addColumn<double>("rate");
        QTest::newRow("1,000/s") << 1000.0;
        QTest::newRow("10,000/s") << 10000.0;
        QTest::newRow("50,000/s") << 50000.0;
    }

    void advancesAtTheRequestedRate()
    {
        QFETCH(double, rate);
        ReplaySnapshotSource::Options o;
        o.rate = rate;
        o.phaseSeconds = 10;
        ReplaySnapshotSource replay(ReplaySnapshotSource::synthesize(), o);
        QCOMPARE(replay.snapshot()->state, RunSnapshot::State::Idle);
        replay.start();
        QTest::qWait(1500);
        const auto s = replay.snapshot();
        QCOMPARE(s->state, RunSnapshot::State::Running);
        QVERIFY(s->phase.intervals.size() >= 12);
        const double seconds = double(s->phase.elapsedNs) / 1e9;
        const double achieved = double(s->phase.completed) / seconds;
        QVERIFY2(std::abs(achieved - rate) / rate < 0.01, qPrintable(QString::number(achieved)));
        // The intervals add up to the phase, and each carries latencies for what it completed.
        qint64 sum = 0;
        for (qsizetype i = 0; i < s->phase.intervals.size(); ++i) {
            const IntervalMetrics &m = s->phase.intervals.at(i);
            sum += m.completed;
            QCOMPARE(m.latency.count, m.completed);
            QVERIFY(m.durationNs > 50'000'000 && m.durationNs < 200'000'000);
        }
        QCOMPARE(sum, s->phase.completed);
        QVERIFY(s->phase.latency.p99Ns > s->phase.latency.p50Ns);
        const quint64 seq = s->sequence;
        QTest::qWait(250);
        QVERIFY(replay.snapshot()->sequence > seq);
        replay.stop();
        QVERIFY(QTest::qWaitFor([&] { return !replay.isRunning(); }, 2000));
        QCOMPARE(replay.snapshot()->state, RunSnapshot::State::Stopped);
    }

    void playsEveryPhaseOnceAndFinishes()
    {
        ReplaySnapshotSource::Options o;
        o.rate = 10000;
        o.phaseSeconds = 0.3;
        const LoadTestReport recorded = ReplaySnapshotSource::synthesize();
        ReplaySnapshotSource replay(recorded, o);
        replay.start();
        QVERIFY(
            QTest::qWaitFor([&] { return replay.snapshot()->state == RunSnapshot::State::Finished; }, 10000));
        const auto s = replay.snapshot();
        QCOMPARE(s->finished.size(), 6); // sync, bounded, sweep 1/2/4/8
        QCOMPARE(s->completedRuns.size(), recorded.runs.size());
        for (const PhaseResult &p : s->finished)
            QVERIFY(std::abs(p.throughput() - 10000) < 600);
    }

    void panelRedrawsAtMost20HzUnder10kOpsPerSecond()
    {
        LoadTestPanel panel(nullptr);
        panel.resize(1400, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        ReplaySnapshotSource::Options o;
        o.rate = 10000;
        o.tickMs = 10; // 100 snapshots a second: the panel must coalesce them
        o.phaseSeconds = 0.5;
        o.totalSeconds = 3.5;
        auto replay = std::make_shared<ReplaySnapshotSource>(ReplaySnapshotSource::synthesize(), o);
        QSignalSpy redrawn(&panel, &LoadTestPanel::redrawn);
        QSignalSpy finished(&panel, &LoadTestPanel::watchFinished);
        panel.watch(replay);
        replay->start();
        QTest::qWait(500);
        const int before = panel.redrawCount();
        QElapsedTimer clock;
        clock.start();
        QTest::qWait(2000);
        const int redraws = panel.redrawCount() - before;
        const double seconds = double(clock.elapsed()) / 1000;
        qInfo("%d redraws in %.2f s", redraws, seconds);
        QVERIFY2(redraws <= int(20 * seconds) + 1, qPrintable(QString::number(redraws)));
        QVERIFY2(redraws >= int(12 * seconds), qPrintable(QString::number(redraws))); // it does keep up
        QVERIFY(finished.wait(5000));
        QVERIFY(!panel.isRunning());
        QVERIFY(panel.charts()->throughputPoints() > 20);
        QVERIFY(panel.charts()->latencyPoints() > 20);
        QVERIFY(panel.charts()->sweepPoints() >= 1);
    }
};

QTEST_MAIN(TestReplaySnapshotSource)
#include "tst_replaysnapshotsource.moc"
