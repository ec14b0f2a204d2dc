// The phase runner's modes against a fake operation: the open-loop rate, coordinated-omission
// correction, the concurrency limit, the sweep, stop, and the interval metrics.

#include "FakeOperation.h"
#include "MetricsRecorder.h"
#include "PhaseRunner.h"

#include <QTest>

#include <thread>

namespace mx {

using test::FakeOperation;

namespace {

// A writing operation whose answers the test scripts: index i answers after delays[i % size] ns (a
// negative delay: never, until release()), with a Timeout error when `timeouts` is set. Answers come
// from a thread of its own, so late answers can arrive after the phase gave up on them.
class ScriptedWrite : public LoadOperation
{
public:
    ScriptedWrite(QList<qint64> delays, bool timeouts)
        : m_delays(std::move(delays))
        , m_timeouts(timeouts)
    {}
    ~ScriptedWrite() override
    {
        release();
        for (auto &t : m_threads)
            t.join();
    }

    QString name() const override { return QStringLiteral("scripted"); }
    bool writes() const override { return true; }
    OpResult run(qint64, const CallOptions &) override { return {}; }
    QFuture<OpResult> start(qint64 index, const CallOptions &) override
    {
        auto promise = std::make_shared<QPromise<OpResult>>();
        promise->start();
        QFuture<OpResult> f = promise->future();
        const qint64 delay = m_delays.at(index % m_delays.size());
        std::lock_guard lock(m_mutex);
        if (delay < 0) {
            m_held.append(promise);
            return f;
        }
        m_threads.emplace_back([promise, delay, timeouts = m_timeouts] {
            std::this_thread::sleep_for(std::chrono::nanoseconds(delay));
            if (timeouts) {
                MilvusError e;
                e.kind = ErrorKind::Timeout;
                e.operation = QStringLiteral("Insert");
                e.reason = QStringLiteral("deadline exceeded");
                promise->setException(MilvusException(e));
            } else {
                OpResult r;
                r.rows = r.insertedRows = 1;
                promise->addResult(r);
            }
            promise->finish();
        });
        return f;
    }
    // Answers every held operation now (a late answer).
    void release()
    {
        std::lock_guard lock(m_mutex);
        for (auto &p : m_held) {
            p->addResult(OpResult{1, 0, 0, 1});
            p->finish();
        }
        m_held.clear();
    }

private:
    QList<qint64> m_delays;
    bool m_timeouts;
    std::mutex m_mutex;
    QList<std::shared_ptr<QPromise<OpResult>>> m_held;
    std::vector<std::thread> m_threads;
};

} // namespace

class TestPhaseRunner : public QObject
{
    Q_OBJECT

    static constexpr qint64 kMs = 1'000'000;

private slots:
    void rateIsAchievedBelowSaturation_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<qint64>("latencyNs");
        QTest::addColumn<qint64>("count");
        QTest::newRow("200/s instant") << 200.0 << qint64(0) << qint64(400);
        QTest::newRow("1000/s, 5 ms each") << 1000.0 << 5 * kMs << qint64(2000);
        QTest::newRow("50/s, 20 ms each") << 50.0 << 20 * kMs << qint64(100);
    }

    void rateIsAchievedBelowSaturation()
    {
        QFETCH(double, rate);
        QFETCH(qint64, latencyNs);
        QFETCH(qint64, count);
        FakeOperation op({latencyNs});
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Rate;
        p.rate = rate;
        p.count = count;
        p.concurrency = 0;
        const PhaseResult r = runner.run(p);
        QCOMPARE(r.issued, count);
        QCOMPARE(r.completed, count);
        const double achieved = r.achievedSendRate();
        qInfo("target %.0f/s: sent at %.2f/s, throughput %.2f/s, max lag %.3f ms, wall %.3f s", rate,
              achieved, r.throughput(), double(r.maxSendLagNs) / 1e6, r.seconds());
        QVERIFY2(std::abs(achieved - rate) / rate < 0.01, qPrintable(QString::number(achieved)));
        // Completion rate over the whole phase: (count) ops over (count - 1) periods plus one latency.
        const double expectedWall = double(count - 1) / rate + double(latencyNs) / 1e9;
        QVERIFY2(std::abs(r.seconds() - expectedWall) / expectedWall < 0.01,
                 qPrintable(QString::number(r.seconds())));
        QVERIFY(r.targetRate == rate);
        // Below saturation, corrected and uncorrected latencies agree in the median (the sender wakes
        // on time; its occasional late wake-up is what the corrected tail rightly includes).
        QVERIFY(r.latency.percentile(50) - r.latencyUncorrected.percentile(50) < kMs);
    }

    // A client-side stall of 1 s in an open-loop run at 500/s: every operation planned during the stall
    // is sent late. Measured from its planned start (corrected) the stall shows in p99; measured from
    // the send (uncorrected) only the stalled operation itself is slow, so p99 does not see it.
    void coordinatedOmissionIsCorrected()
    {
        FakeOperation op({kMs, /*stallAtIndex*/ 500, /*stallNs*/ 1000 * kMs});
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Rate;
        p.rate = 500;
        p.count = 1500; // 3 s, a third of it planned during the stall
        p.concurrency = 0;
        const PhaseResult r = runner.run(p);
        QCOMPARE(r.completed, qint64(1500));
        const qint64 corrected99 = r.latency.percentile(99);
        const qint64 uncorrected99 = r.latencyUncorrected.percentile(99);
        qInfo("corrected p50 %.2f ms p99 %.1f ms max %.1f ms; uncorrected p50 %.2f ms p99 %.2f ms max %.1f "
              "ms; lag %.0f ms",
              r.latency.percentile(50) / 1e6, corrected99 / 1e6, r.latency.max() / 1e6,
              r.latencyUncorrected.percentile(50) / 1e6, uncorrected99 / 1e6,
              r.latencyUncorrected.max() / 1e6, r.maxSendLagNs / 1e6);
        QVERIFY2(corrected99 >= 900 * kMs, "the stall must show in the corrected p99");
#if defined(__SANITIZE_THREAD__)
        // Under TSan (scripts/sanitize.sh tsan) each continuation that FakeOperation's thread runs costs
        // it a stack restoration for a suppressed report (tsan.supp, ContinuationWrapper), ~1,100 times in
        // this phase: uncorrected p99 166-288 ms measured at load 6-7 (600 ms with io_sync=0 at load 9),
        // 16-27 ms with report_bugs=0. A correction wrongly applied to the uncorrected view would put its
        // p99 near the corrected one (~985 ms), still above this bound.
        const qint64 uncorrectedBound = 800 * kMs;
#else
        const qint64 uncorrectedBound = 50 * kMs;
#endif
        QVERIFY2(uncorrected99 < uncorrectedBound, "the uncorrected p99 must not see the stall");
        QVERIFY(r.latency.max() >= 1000 * kMs);
        QVERIFY(r.maxSendLagNs >= 900 * kMs);
        // The sender catches up: the schedule, not the stall, sets the send rate.
        QVERIFY(std::abs(r.seconds() - 3.0) < 0.1);
    }

    void boundedNeverExceedsConcurrency()
    {
        FakeOperation op({3 * kMs});
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Bounded;
        p.concurrency = 4;
        p.count = 200;
        const PhaseResult r = runner.run(p);
        QCOMPARE(r.completed, qint64(200));
        QCOMPARE(op.maxInFlight(), qint64(4));
        QVERIFY(r.maxInFlight <= 4);
        // 200 ops of 3 ms, 4 at a time: about 150 ms.
        QVERIFY2(r.seconds() > 0.14 && r.seconds() < 0.5, qPrintable(QString::number(r.seconds())));
    }

    void asyncIssuesAllAtOnce()
    {
        FakeOperation op({50 * kMs});
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Async;
        p.count = 300;
        const PhaseResult r = runner.run(p);
        QCOMPARE(r.completed, qint64(300));
        QCOMPARE(op.maxInFlight(), qint64(300));
        QCOMPARE(r.concurrency, 300);
        QVERIFY2(r.seconds() < 0.5, qPrintable(QString::number(r.seconds())));
        // Planned at the start: latency is time to complete, at least the operation's own 50 ms.
        QVERIFY(r.latency.min() >= 50 * kMs);
    }

    void syncRunsOneAtATime()
    {
        FakeOperation op({2 * kMs, -1, 0, /*failEvery*/ 5});
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Sync;
        p.count = 50;
        const PhaseResult r = runner.run(p);
        QCOMPARE(r.issued, qint64(50));
        QCOMPARE(r.completed, qint64(40));
        QCOMPARE(r.failed, qint64(10));
        QCOMPARE(r.errors.total, qint64(10));
        QCOMPARE(r.errors.byMilvusCode.value(65535), qint64(10));
        QCOMPARE(r.errors.byKind.value(errorKindName(ErrorKind::Milvus)), qint64(10));
        QCOMPARE(r.maxInFlight, qint64(1));
        QVERIFY(r.seconds() >= 0.1);
        // The blocking form waits on the sending thread: it used little CPU for its wall time.
        QVERIFY(r.cpu.senderCoreFraction() < 0.5);
    }

    void sweepGivesMonotonePoints()
    {
        FakeOperation op({10 * kMs});
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.count = 64;
        QStringList began;
        int after = 0;
        const QList<PhaseResult> points = runner.runSweep(
            p, 12, [&](const QString &label, int) { began.append(label); }, [&](PhaseResult &) { ++after; });
        QCOMPARE(began.size(), points.size());
        QCOMPARE(after, int(points.size()));
        QCOMPARE(PhaseRunner::sweepLevels(12), (QList<int>{1, 2, 4, 8, 12}));
        QCOMPARE(PhaseRunner::sweepLevels(8), (QList<int>{1, 2, 4, 8}));
        QCOMPARE(PhaseRunner::sweepLevels(1), (QList<int>{1}));
        QCOMPARE(points.size(), 5);
        for (qsizetype i = 0; i < points.size(); ++i) {
            qInfo("c=%d: %.1f ops/s, p50 %.2f ms", points[i].concurrency, points[i].throughput(),
                  points[i].latency.percentile(50) / 1e6);
            QCOMPARE(points[i].completed, qint64(64));
            QCOMPARE(points[i].mode, LoadMode::Sweep);
            if (i > 0) {
                QVERIFY(points[i].concurrency > points[i - 1].concurrency);
                // A fixed-latency server: throughput grows with concurrency.
                QVERIFY(points[i].throughput() > points[i - 1].throughput());
            }
        }
        // Indices continue across points (each point gets new documents).
        QCOMPARE(runner.nextIndex(), qint64(5 * 64));
    }

    void stopKeepsPartialResults()
    {
        FakeOperation op({200 * kMs});
        auto stop = CancelToken::create();
        PhaseRunner runner(op, stop);
        PhaseParams p;
        p.mode = LoadMode::Rate;
        p.rate = 100;
        p.durationNs = 10'000 * kMs;
        p.concurrency = 0;
        std::thread stopper([stop] {
            std::this_thread::sleep_for(std::chrono::milliseconds(600));
            stop->cancel();
        });
        const PhaseResult r = runner.run(p);
        stopper.join();
        qInfo("issued %lld, completed %lld, cancelled %lld in %.2f s", r.issued, r.completed, r.cancelled,
              r.seconds());
        QVERIFY(r.stopped);
        QVERIFY(r.seconds() < 1.5);
        QVERIFY(r.completed >= 30); // the ones that finished before the stop
        QVERIFY(r.cancelled >= 10); // ~20 were in flight
        QCOMPARE(r.completed + r.cancelled + r.failed + r.abandoned, r.issued);
        QCOMPARE(r.failed, qint64(0)); // a stop is not an error
        QCOMPARE(r.abandoned, qint64(0));
    }

    void intervalsAddUpToTotals()
    {
        FakeOperation op({kMs});
        PhaseRunner runner(op, CancelToken::create());
        std::atomic<int> ticks{0};
        std::atomic<qint64> lastSeen{0};
        runner.setTickCallback([&](const MetricsRecorder &rec) {
            ++ticks;
            lastSeen = rec.progress().completed;
        });
        PhaseParams p;
        p.mode = LoadMode::Rate;
        p.rate = 1000;
        p.count = 1000;
        p.concurrency = 0;
        const PhaseResult r = runner.run(p);
        QVERIFY(ticks >= 8);
        QVERIFY(lastSeen > 0 && lastSeen <= r.completed);
        QVERIFY(r.intervals.size() >= 10 && r.intervals.size() <= 11);
        qint64 completed = 0;
        qint64 latencies = 0;
        LatencyHistogram merged;
        for (qsizetype i = 0; i < r.intervals.size(); ++i) {
            const IntervalMetrics &m = r.intervals.at(i);
            QCOMPARE(m.index, qint64(i));
            QCOMPARE(m.startNs, i * MetricsRecorder::kIntervalNs);
            completed += m.completed;
            latencies += m.latency.count;
            merged.merge(LatencyHistogram::fromSparse(m.latency));
            if (i > 0 && i + 1 < r.intervals.size())
                QVERIFY2(std::abs(m.opsPerSecond() - 1000) < 50,
                         qPrintable(QString::number(m.opsPerSecond())));
        }
        QCOMPARE(completed, r.completed);
        QCOMPARE(latencies, r.completed);
        QVERIFY(merged == r.latency); // the intervals partition the phase's latencies exactly
    }

    // A timed-out operation counts in the corrected latency at its deadline (so overload cannot cap p99
    // below the timeout) and keeps its own latency in the failures' histogram.
    void timeoutsCountAtTheDeadline()
    {
        ScriptedWrite op({20 * kMs}, true);
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Rate;
        p.rate = 100;
        p.count = 10;
        p.concurrency = 0;
        p.options.timeout = std::chrono::milliseconds(80);
        const PhaseResult r = runner.run(p);
        QCOMPARE(r.failed, qint64(10));
        QCOMPARE(r.timedOut, qint64(10));
        QCOMPARE(r.completed, qint64(0));
        QCOMPARE(r.latencyUncorrected.count(), qint64(0));
        QCOMPARE(r.latency.count(), qint64(10));
        QVERIFY2(r.latency.percentile(0) >= 80 * kMs, qPrintable(QString::number(r.latency.percentile(0))));
        QCOMPARE(r.failedLatency.count(), qint64(10));
        QVERIFY(r.failedLatency.percentile(100) < 79 * kMs); // when they really failed, apart
        QVERIFY(r.balanced());
    }

    // Writes still unanswered when the drain gives up are abandoned and of unknown outcome; their late
    // answers change nothing, and every operation is counted exactly once.
    void abandonedWritesAreUnknownOutcome()
    {
        ScriptedWrite op({5 * kMs, -1}, false); // odd indexes never answer
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Async;
        p.count = 10;
        p.drainTimeoutNs = 200 * kMs;
        const PhaseResult r = runner.run(p);
        QCOMPARE(r.issued, qint64(10));
        QCOMPARE(r.completed, qint64(5));
        QCOMPARE(r.abandoned, qint64(5));
        QCOMPARE(r.abandonedWrites, qint64(5));
        QCOMPARE(r.unknownOutcomeWrites, qint64(5));
        QVERIFY(r.balanced());
        op.release(); // late answers reach the phase's shared state after it closed: no crash, no count
        QTest::qWait(20);
    }

    // Answers racing the drain's deadline are either counted or abandoned, never both.
    void accountingBalancesWhenAnswersRaceTheDrain()
    {
        for (int round = 0; round < 10; ++round) {
            QList<qint64> delays;
            for (int i = 0; i < 40; ++i)
                delays.append((45 + i % 10) * kMs); // straddle the 50 ms drain deadline
            ScriptedWrite op(delays, false);
            PhaseRunner runner(op, CancelToken::create());
            PhaseParams p;
            p.mode = LoadMode::Async;
            p.count = 40;
            p.drainTimeoutNs = 50 * kMs;
            const PhaseResult r = runner.run(p);
            QVERIFY2(r.balanced(), qPrintable(QStringLiteral("round %1: %2 issued, %3 ok, %4 abandoned")
                                                  .arg(round)
                                                  .arg(r.issued)
                                                  .arg(r.completed)
                                                  .arg(r.abandoned)));
            QCOMPARE(r.completed + r.abandoned, qint64(40));
        }
    }

    // A first operation far slower than the rest is flagged; an even run is not.
    void firstOperationStallIsFlagged_data()
    {
        QTest::addColumn<qint64>("stallNs");
        QTest::addColumn<bool>("flagged");
        QTest::newRow("300 ms stall") << 300 * kMs << true;
        QTest::newRow("no stall") << qint64(0) << false;
    }

    void firstOperationStallIsFlagged()
    {
        QFETCH(qint64, stallNs);
        QFETCH(bool, flagged);
        FakeOperation op({2 * kMs, stallNs > 0 ? 0 : -1, stallNs});
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Sync;
        p.count = 10;
        const PhaseResult r = runner.run(p);
        QCOMPARE(r.firstOpStalled(), flagged);
        QVERIFY(r.firstOpServiceNs >= stallNs);
    }

    void rejectsNonsense()
    {
        FakeOperation op({});
        PhaseRunner runner(op, CancelToken::create());
        PhaseParams p;
        p.mode = LoadMode::Async;
        p.durationNs = 1000 * kMs;
        QVERIFY_THROWS_EXCEPTION(MilvusException, runner.run(p));
        p.mode = LoadMode::Rate;
        p.count = 10;
        p.rate = 0;
        QVERIFY_THROWS_EXCEPTION(MilvusException, runner.run(p));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestPhaseRunner)
#include "tst_phaserunner.moc"
