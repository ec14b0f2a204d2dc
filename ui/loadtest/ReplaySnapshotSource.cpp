#include "ReplaySnapshotSource.h"

#include <QDateTime>

#include <chrono>
#include <cmath>

namespace mx {

namespace {

using Clock = std::chrono::steady_clock;

struct PhaseRef
{
    int run = 0;
    int phase = 0;
};

// Deterministic latencies around `medianNs` with a long tail: what a recording would hold.
LatencyHistogram syntheticLatency(qint64 medianNs, qint64 n, quint64 seed)
{
    LatencyHistogram h;
    quint64 x = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (qint64 i = 0; i < n; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const double u = double((x >> 11) & ((1ULL << 53) - 1)) / double(1ULL << 53);
        // A log-logistic tail: p99 is about 10x the median.
        const double factor = std::pow(u / (1.0 - u + 1e-12), 0.5);
        h.record(qint64(double(medianNs) * std::clamp(factor, 0.05, 200.0)));
    }
    return h;
}

// `n` latencies with the shape of `source`: each bucket gets its share of n (largest remainders kept
// deterministic by carrying the fraction).
LatencyHistogram::Sparse scaledLike(const LatencyHistogram::Sparse &source, qint64 n)
{
    LatencyHistogram h;
    if (source.count <= 0 || n <= 0)
        return h.toSparse();
    double carry = 0;
    qint64 left = n;
    for (const auto &[low, count] : source.buckets) {
        const double exact = double(count) * double(n) / double(source.count) + carry;
        const qint64 take = std::min(left, qint64(std::floor(exact)));
        carry = exact - double(take);
        if (take > 0)
            h.record(std::max(low, LatencyHistogram::kLowestNs), take);
        left -= take;
    }
    if (left > 0 && !source.buckets.isEmpty())
        h.record(std::max(source.buckets.last().first, LatencyHistogram::kLowestNs), left);
    return h.toSparse();
}

} // namespace

ReplaySnapshotSource::ReplaySnapshotSource(LoadTestReport recorded, Options options)
    : m_recorded(std::move(recorded))
    , m_options(options)
    , m_snapshot(std::make_shared<RunSnapshot>())
{}

ReplaySnapshotSource::~ReplaySnapshotSource()
{
    stop();
    if (m_thread.joinable())
        m_thread.join();
}

LoadTestReport ReplaySnapshotSource::synthesize(quint64 seed)
{
    LoadTestReport report;
    report.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    report.serverUri = QStringLiteral("replay://synthetic");
    report.embedder = QStringLiteral("synthetic");
    report.seed = seed;
    auto makeRun = [&](LoadMode mode, const QList<int> &levels, qint64 medianNs) {
        RunResult run;
        run.spec.op = OpKind::Search;
        run.spec.mode = mode;
        run.spec.count = 1000;
        run.spec.concurrency = levels.last();
        run.label = run.spec.describe();
        run.collection = QStringLiteral("loadtest_replay");
        for (int c : levels) {
            PhaseResult p;
            p.label = mode == LoadMode::Sweep ? QStringLiteral("%1 c=%2").arg(run.label).arg(c) : run.label;
            p.op = OpKind::Search;
            p.mode = mode;
            p.concurrency = c;
            p.issued = p.completed = p.rows = 1000;
            // More in flight: more throughput, longer latencies.
            p.latency = syntheticLatency(medianNs * (1 + c / 4), 1000, seed + quint64(c) + quint64(mode));
            p.latencyUncorrected = p.latency;
            p.wallNs = qint64(double(p.latency.sum()) / std::max(1, c));
            run.phases.append(p);
        }
        report.runs.append(run);
    };
    makeRun(LoadMode::Sync, {1}, 2'000'000);
    makeRun(LoadMode::Bounded, {8}, 4'000'000);
    makeRun(LoadMode::Sweep, {1, 2, 4, 8}, 2'000'000);
    return report;
}

void ReplaySnapshotSource::start()
{
    std::lock_guard lock(m_mutex);
    if (m_running || m_thread.joinable())
        return;
    m_running = true;
    m_stopRequested = false;
    m_thread = std::thread([this] { run(); });
}

void ReplaySnapshotSource::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopRequested = true;
    }
    m_wake.notify_all();
}

bool ReplaySnapshotSource::isRunning() const
{
    std::lock_guard lock(m_mutex);
    return m_running;
}

std::shared_ptr<const RunSnapshot> ReplaySnapshotSource::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

void ReplaySnapshotSource::publish(std::shared_ptr<RunSnapshot> next)
{
    std::lock_guard lock(m_mutex);
    next->sequence = m_snapshot->sequence + 1;
    m_snapshot = std::move(next);
}

void ReplaySnapshotSource::run()
{
    QList<PhaseRef> order;
    for (int r = 0; r < m_recorded.runs.size(); ++r)
        for (int p = 0; p < m_recorded.runs[r].phases.size(); ++p)
            order.append({r, p});

    RunSnapshot base;
    base.runCount = int(m_recorded.runs.size());
    base.collection = QStringLiteral("replay");
    const auto tick = std::chrono::milliseconds(std::max(1, m_options.tickMs));
    const auto replayStart = Clock::now();
    bool stopped = order.isEmpty();
    for (qsizetype step = 0; !stopped; ++step) {
        const double elapsedTotal = std::chrono::duration<double>(Clock::now() - replayStart).count();
        if (m_options.totalSeconds > 0 ? elapsedTotal >= m_options.totalSeconds : step >= order.size())
            break;
        const PhaseRef ref = order[step % order.size()];
        const RunResult &recordedRun = m_recorded.runs[ref.run];
        const PhaseResult &recordedPhase = recordedRun.phases[ref.phase];
        const LatencyHistogram::Sparse shape = recordedPhase.latency.toSparse();

        PhaseProgress progress;
        progress.label = recordedPhase.label;
        progress.op = recordedPhase.op;
        progress.mode = recordedPhase.mode;
        progress.concurrency = recordedPhase.concurrency;
        progress.targetRate = m_options.rate;
        LatencyHistogram phaseLatency;
        const auto phaseStart = Clock::now();
        auto lastTick = phaseStart;
        qint64 emitted = 0;
        for (qint64 index = 0;; ++index) {
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait_until(lock, phaseStart + tick * (index + 1), [this] { return m_stopRequested; });
                stopped = m_stopRequested;
            }
            const auto now = Clock::now();
            const double phaseElapsed = std::chrono::duration<double>(now - phaseStart).count();
            const qint64 due = qint64(std::llround(m_options.rate * phaseElapsed));
            IntervalMetrics interval;
            interval.index = index;
            interval.startNs =
                std::chrono::duration_cast<std::chrono::nanoseconds>(lastTick - phaseStart).count();
            interval.durationNs =
                std::chrono::duration_cast<std::chrono::nanoseconds>(now - lastTick).count();
            interval.completed = interval.rows = due - emitted;
            interval.inFlight = interval.maxInFlight = recordedPhase.concurrency;
            interval.latency = interval.latencyUncorrected = scaledLike(shape, interval.completed);
            const LatencyHistogram h = LatencyHistogram::fromSparse(interval.latency);
            interval.latencySummary = interval.uncorrectedSummary = LatencySummary::of(h);
            phaseLatency.merge(h);
            emitted = due;
            lastTick = now;

            progress.elapsedNs =
                std::chrono::duration_cast<std::chrono::nanoseconds>(now - phaseStart).count();
            progress.issued = progress.completed = progress.rows = emitted;
            progress.inFlight = recordedPhase.concurrency;
            progress.latency = progress.latencyUncorrected = LatencySummary::of(phaseLatency);
            progress.intervals.append(interval);

            const bool phaseDone = phaseElapsed >= m_options.phaseSeconds || stopped;
            auto next = std::make_shared<RunSnapshot>(base);
            next->state = RunSnapshot::State::Running;
            next->runIndex = ref.run;
            next->runLabel = recordedRun.label;
            next->phase = progress;
            if (phaseDone) {
                PhaseResult done = recordedPhase;
                done.wallNs = progress.elapsedNs;
                done.issued = done.completed = done.rows = emitted;
                done.latency = done.latencyUncorrected = phaseLatency;
                done.intervals = progress.intervals;
                done.stopped = stopped;
                base.finished.append(done);
                if (ref.phase == recordedRun.phases.size() - 1)
                    base.completedRuns.append(recordedRun); // the recorded figures, for the tables
                next->finished = base.finished;
                next->completedRuns = base.completedRuns;
            }
            publish(std::move(next));
            if (phaseDone)
                break;
        }
    }
    auto last = std::make_shared<RunSnapshot>(*snapshot());
    last->state = stopped ? RunSnapshot::State::Stopped : RunSnapshot::State::Finished;
    publish(std::move(last));
    std::lock_guard lock(m_mutex);
    m_running = false;
}

} // namespace mx
