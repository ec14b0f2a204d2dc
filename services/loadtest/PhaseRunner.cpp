#include "PhaseRunner.h"

#include "CpuClock.h"

#include <QDateTime>
#include <QHash>

#include <chrono>
#include <condition_variable>
#include <thread>
#include <unordered_set>

namespace mx {

namespace {

std::chrono::steady_clock::time_point steadyAt(qint64 ns)
{
    return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

// gRPC's and the embedder's shares, the work threads' and the busiest thread, from two samples of every
// thread's CPU time. `senderTid` is the sending thread (the caller): its own figure is senderThreadNs.
void splitThreadCpu(const QList<CpuClock::ThreadTime> &before, const QList<CpuClock::ThreadTime> &after,
                    qint64 senderTid, CpuStats *cpu)
{
    QHash<qint64, qint64> start;
    for (const auto &t : before)
        start.insert(t.tid, t.cpuNs);
    for (const auto &t : after) {
        const qint64 used = t.cpuNs - start.value(t.tid, 0);
        const bool grpc = CpuClock::isGrpcThread(t.name);
        const bool embedder = CpuClock::isEmbedderThread(t.name);
        if (grpc)
            cpu->grpcThreadsNs += used;
        if (embedder)
            cpu->embedderThreadsNs += used;
        if (used > cpu->busiestThreadNs) {
            cpu->busiestThreadNs = used;
            cpu->busiestThread = t.name;
        }
        if ((grpc || embedder || t.tid == senderTid) && used > cpu->busiestWorkThreadNs) {
            cpu->busiestWorkThreadNs = used;
            cpu->busiestWorkThread = t.tid == senderTid ? QStringLiteral("sender (%1)").arg(t.name) : t.name;
        }
    }
    cpu->workThreadsNs = cpu->senderThreadNs + cpu->grpcThreadsNs + cpu->embedderThreadsNs;
    cpu->cores = CpuClock::onlineCpus();
}

} // namespace

// What completions (on other threads) share with the sending thread; kept alive by every operation
// still in flight, so a late answer after the phase ended touches valid memory.
struct PhaseRunner::Shared
{
    std::shared_ptr<MetricsRecorder> recorder;
    std::shared_ptr<CancelToken> stop;
    std::mutex mutex;
    std::condition_variable changed;
    qint64 inFlight = 0;
    qint64 issued = 0;
    qint64 firstSentNs = -1;
    qint64 lastSentNs = -1;
    qint64 lastEndNs = -1;
    qint64 maxSendLagNs = 0;
    qint64 deadlineNs = 0;                      // per-operation deadline (0: none)
    std::unordered_set<qint64> inFlightIndexes; // which operations are still out, for the drain
    bool closed = false; // the phase stopped waiting: later answers are not counted (they were abandoned)

    void sent(qint64 index, qint64 plannedNs, qint64 sentNs)
    {
        std::lock_guard lock(mutex);
        ++inFlight;
        ++issued;
        inFlightIndexes.insert(index);
        if (firstSentNs < 0)
            firstSentNs = sentNs;
        lastSentNs = sentNs;
        maxSendLagNs = std::max(maxSendLagNs, sentNs - plannedNs);
    }

    // Recording and leaving the in-flight set happen under one lock with the drain's decision, so an
    // operation is either completed/failed/cancelled or abandoned, never both.
    void ended(qint64 index, OpOutcome outcome)
    {
        std::lock_guard lock(mutex);
        if (closed)
            return;
        outcome.deadlineNs = deadlineNs > 0 ? outcome.sentNs + deadlineNs : 0;
        recorder->record(outcome);
        --inFlight;
        inFlightIndexes.erase(index);
        lastEndNs = std::max(lastEndNs, outcome.endNs);
        changed.notify_all();
    }

    void classify(OpOutcome &o, const std::exception_ptr &e) const
    {
        o.ok = false;
        o.error = errorFromException(e);
        o.cancelled = o.error.kind == ErrorKind::Cancelled && stop->isCancelled();
    }
};

PhaseRunner::PhaseRunner(LoadOperation &op, std::shared_ptr<CancelToken> stop)
    : m_op(op)
    , m_stop(stop ? std::move(stop) : CancelToken::create())
{}

QList<int> PhaseRunner::sweepLevels(int maxConcurrency)
{
    QList<int> levels;
    for (int c = 1; c < maxConcurrency; c *= 2)
        levels.append(c);
    levels.append(std::max(1, maxConcurrency));
    return levels;
}

PhaseResult PhaseRunner::run(const PhaseParams &p)
{
    if (p.count <= 0 && p.durationNs <= 0)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                   QStringLiteral("a phase needs a count or a duration"));
    if (p.mode == LoadMode::Async && p.count <= 0)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                   QStringLiteral("async (all at once) mode needs a count: it issues them all together"));
    if (p.mode == LoadMode::Rate && !(p.rate > 0))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                   QStringLiteral("rate mode needs a rate above 0 operations per second"));
    if (p.mode == LoadMode::Bounded && p.concurrency < 1)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                   QStringLiteral("bounded mode needs a concurrency of at least 1"));
    if (p.mode == LoadMode::Sweep)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                   QStringLiteral("a sweep runs through runSweep()"));

    const qint64 startedAtMs = QDateTime::currentMSecsSinceEpoch();
    const qint64 senderCpu0 = CpuClock::threadCpuNs();
    const qint64 processCpu0 = CpuClock::processCpuNs();
    const QList<CpuClock::ThreadTime> threads0 = CpuClock::threadTimes();
    const qint64 start = CpuClock::steadyNowNs();

    auto shared = std::make_shared<Shared>();
    shared->recorder = std::make_shared<MetricsRecorder>(start);
    shared->stop = m_stop;
    shared->deadlineNs = std::chrono::nanoseconds(p.options.timeout).count();
    shared->recorder->setSenderClock(CpuClock::currentThreadClock());
    // Stop must wake a sender that sleeps until the next planned send or waits for a free slot.
    CancelRegistration wake(m_stop, [weak = std::weak_ptr<Shared>(shared)] {
        if (auto s = weak.lock()) {
            std::lock_guard lock(s->mutex);
            s->changed.notify_all();
        }
    });

    // The ticker closes 100 ms intervals even while the sender is blocked in a call.
    std::mutex tickMutex;
    std::condition_variable tickWake;
    bool tickerDone = false;
    std::thread ticker([&] {
        CpuClock::nameCurrentThread("mx-lt-ticker");
        std::unique_lock lock(tickMutex);
        qint64 next = start + MetricsRecorder::kIntervalNs;
        while (!tickerDone) {
            if (tickWake.wait_until(lock, steadyAt(next), [&] { return tickerDone; }))
                break;
            lock.unlock();
            shared->recorder->tick(CpuClock::steadyNowNs());
            if (m_onTick)
                m_onTick(*shared->recorder);
            lock.lock();
            next += MetricsRecorder::kIntervalNs;
            next = std::max(next, CpuClock::steadyNowNs() + MetricsRecorder::kIntervalNs / 10);
        }
    });

    if (p.mode == LoadMode::Sync)
        sendSync(p, *shared);
    else
        sendAsync(p, shared);

    // Drain: wait for what is in flight (cancelled operations end quickly).
    const qint64 drainNs = p.drainTimeoutNs > 0
                               ? p.drainTimeoutNs
                               : std::chrono::nanoseconds(p.options.timeout).count() + 5'000'000'000LL;
    qint64 abandoned = 0;
    qint64 abandonedWrites = 0;
    PhaseResult r;
    {
        std::unique_lock lock(shared->mutex);
        const bool drained = shared->changed.wait_until(lock, steadyAt(CpuClock::steadyNowNs() + drainNs),
                                                        [&] { return shared->inFlight == 0; });
        shared->closed = true;
        abandoned = shared->inFlight;
        for (qint64 index : shared->inFlightIndexes)
            abandonedWrites += m_op.writesAt(index) ? 1 : 0;
        const qint64 end =
            drained ? std::max({shared->lastEndNs, shared->lastSentNs, start}) : CpuClock::steadyNowNs();
        r = shared->recorder->finish(end);
    }
    {
        std::lock_guard lock(tickMutex);
        tickerDone = true;
    }
    tickWake.notify_all();
    ticker.join();

    std::lock_guard lock(shared->mutex);
    r.label = p.label;
    r.mode = p.mode;
    r.concurrency = p.mode == LoadMode::Sync ? 1 : p.mode == LoadMode::Async ? int(p.count) : p.concurrency;
    r.targetRate = p.mode == LoadMode::Rate ? p.rate : 0;
    r.startedAtMs = startedAtMs;
    r.abandoned = abandoned;
    // A write still unanswered may or may not be applied: its outcome is unknown.
    r.abandonedWrites = abandonedWrites;
    r.unknownOutcomeWrites += abandonedWrites;
    r.stopped = m_stop->isCancelled();
    r.sendSpanNs = shared->issued > 1 ? shared->lastSentNs - shared->firstSentNs : 0;
    r.maxSendLagNs = shared->maxSendLagNs;
    r.cpu.senderThreadNs = CpuClock::threadCpuNs() - senderCpu0;
    r.cpu.processNs = CpuClock::processCpuNs() - processCpu0;
    r.cpu.wallNs = r.wallNs;
    splitThreadCpu(threads0, CpuClock::threadTimes(), CpuClock::currentThreadId(), &r.cpu);
    m_nextIndex = p.firstIndex + shared->issued;
    return r;
}

void PhaseRunner::sendSync(const PhaseParams &p, Shared &s)
{
    CallOptions options = p.options;
    options.cancel = m_stop;
    const qint64 start = CpuClock::steadyNowNs();
    for (qint64 i = 0; (p.count <= 0 || i < p.count) && !m_stop->isCancelled(); ++i) {
        const qint64 sent = CpuClock::steadyNowNs();
        if (p.durationNs > 0 && sent - start >= p.durationNs)
            break;
        const qint64 index = p.firstIndex + i;
        s.recorder->opStarted();
        s.sent(index, sent, sent);
        OpOutcome o;
        o.plannedNs = o.sentNs = sent;
        try {
            o.result = m_op.run(index, options);
            o.ok = true;
        } catch (...) {
            s.classify(o, std::current_exception());
        }
        o.endNs = CpuClock::steadyNowNs();
        s.ended(index, o);
    }
}

void PhaseRunner::sendAsync(const PhaseParams &p, const std::shared_ptr<Shared> &s)
{
    CallOptions options = p.options;
    options.cancel = m_stop;
    const qint64 start = CpuClock::steadyNowNs();
    const double periodNs = p.mode == LoadMode::Rate ? 1e9 / p.rate : 0.0;
    const int limit = p.mode == LoadMode::Bounded || p.mode == LoadMode::Rate ? p.concurrency : 0;

    for (qint64 i = 0; p.count <= 0 || i < p.count; ++i) {
        qint64 planned = start;
        if (p.mode == LoadMode::Rate) {
            // Planned times come from the start, not from the previous send, so lateness never drifts.
            planned = start + qint64(double(i) * periodNs);
            if (p.durationNs > 0 && planned - start >= p.durationNs)
                break;
            std::unique_lock lock(s->mutex);
            s->changed.wait_until(lock, steadyAt(planned), [&] { return m_stop->isCancelled(); });
        } else if (p.durationNs > 0 && CpuClock::steadyNowNs() - start >= p.durationNs) {
            break;
        }
        if (limit > 0) {
            std::unique_lock lock(s->mutex);
            s->changed.wait(lock, [&] { return s->inFlight < limit || m_stop->isCancelled(); });
        }
        if (m_stop->isCancelled())
            break;
        if (p.mode == LoadMode::Bounded && p.durationNs > 0 &&
            CpuClock::steadyNowNs() - start >= p.durationNs)
            break;
        if (p.mode == LoadMode::Bounded)
            planned = CpuClock::steadyNowNs();
        issue(s, p.firstIndex + i, planned, options);
    }
}

void PhaseRunner::issue(const std::shared_ptr<Shared> &s, qint64 index, qint64 plannedNs,
                        const CallOptions &options)
{
    s->recorder->opStarted();
    const qint64 sent = CpuClock::steadyNowNs();
    s->sent(index, plannedNs, sent);
    QFuture<OpResult> f;
    try {
        f = m_op.start(index, options);
    } catch (...) {
        f = QtFuture::makeExceptionalFuture<OpResult>(std::current_exception());
    }
    f.then(QtFuture::Launch::Sync, [s, index, plannedNs, sent](QFuture<OpResult> done) {
         OpOutcome o;
         o.plannedNs = plannedNs;
         o.sentNs = sent;
         try {
             o.result = done.result();
             o.ok = true;
         } catch (...) {
             s->classify(o, std::current_exception());
         }
         o.endNs = CpuClock::steadyNowNs();
         s->ended(index, o);
     }).onCanceled([s, index, plannedNs, sent] {
        OpOutcome o;
        o.plannedNs = plannedNs;
        o.sentNs = sent;
        o.endNs = CpuClock::steadyNowNs();
        o.cancelled = s->stop->isCancelled();
        o.error.kind = ErrorKind::Cancelled;
        o.error.operation = QStringLiteral("Load test");
        o.error.reason = QStringLiteral("the operation's future was cancelled");
        s->ended(index, o);
    });
}

QList<PhaseResult> PhaseRunner::runSweep(const PhaseParams &params, int maxConcurrency,
                                         const LevelCallback &before, const PhaseCallback &after)
{
    QList<PhaseResult> out;
    PhaseParams p = params;
    p.mode = LoadMode::Bounded;
    for (int level : sweepLevels(maxConcurrency)) {
        if (m_stop->isCancelled())
            break;
        p.concurrency = level;
        p.label = params.label.isEmpty() ? QStringLiteral("c=%1").arg(level)
                                         : QStringLiteral("%1 c=%2").arg(params.label).arg(level);
        if (before)
            before(p.label, level);
        PhaseResult r = run(p);
        r.mode = LoadMode::Sweep;
        if (after)
            after(r);
        out.append(r);
        p.firstIndex = m_nextIndex;
    }
    return out;
}

} // namespace mx
