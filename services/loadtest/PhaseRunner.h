#pragma once

#include "CancelToken.h"
#include "LoadOperation.h"
#include "MetricsRecorder.h"
#include "PhaseResult.h"

#include <functional>
#include <memory>

namespace mx {

struct PhaseParams
{
    QString label;
    LoadMode mode = LoadMode::Sync; // Sync, Async, Bounded or Rate (a sweep is runSweep())
    qint64 count = 0;               // > 0: stop after this many operations
    qint64 durationNs = 0;          // > 0: stop sending after this long (whichever bound comes first)
    int concurrency = 1;            // Bounded: in-flight limit; Rate: limit, 0 = none (pure open loop)
    double rate = 0;                // Rate: operations per second
    qint64 firstIndex = 0;          // operation indices start here (warm-up consumes the first ones)
    CallOptions options;            // per-operation deadline; the runner puts its stop token in
    qint64 drainTimeoutNs = 0;      // wait this long for operations in flight at the end; 0: deadline + 5 s
};

// Runs one phase of operations in one mode and measures it. The calling thread is the sending thread:
// run() issues every operation from it (Sync mode: calls the blocking form on it) and returns when all
// operations issued have ended, or the drain timeout passed (they are then counted as abandoned, the
// writes among them as unknown outcome, and their late answers are ignored). Every operation issued
// ends in exactly one of completed, failed, cancelled and abandoned. A timed-out operation counts in
// the corrected latency at its deadline; failures keep a histogram of their own. Completions are recorded on
// whatever thread they arrive. Rate mode is an open loop: operation i is planned at start + i/rate; it is
// sent at its planned time (or as soon as possible when the sender is behind or at its in-flight limit), and
// its latency is measured from the planned time (corrected, as wrk2 does) and from the send (uncorrected).
// Async mode plans every operation at the phase's start, so its latency is time-to-complete.
// Stop: cancelling the token ends sending at once and cancels operations in flight (they carry the
// token); what was measured so far is returned. Failed operations never throw; run() throws
// MilvusException(InvalidArgument) only for parameters that make no sense.
class PhaseRunner
{
public:
    using TickCallback = std::function<void(const MetricsRecorder &)>;
    using LevelCallback = std::function<void(const QString &label, int concurrency)>;
    using PhaseCallback = std::function<void(PhaseResult &)>;

    PhaseRunner(LoadOperation &op, std::shared_ptr<CancelToken> stop);

    // Called every 100 ms on the ticker thread, after the recorder closed its due intervals.
    void setTickCallback(TickCallback cb) { m_onTick = std::move(cb); }

    PhaseResult run(const PhaseParams &params);
    // Bounded mode at each of sweepLevels(maxConcurrency), one phase per level (mode Sweep, labelled
    // "<label> c=<level>"); `before` runs as a level starts, `after` with its result (may amend it).
    // The one sweep implementation: the engine runs its sweeps through it.
    QList<PhaseResult> runSweep(const PhaseParams &params, int maxConcurrency,
                                const LevelCallback &before = {}, const PhaseCallback &after = {});
    static QList<int> sweepLevels(int maxConcurrency); // 1, 2, 4, ... and maxConcurrency itself

    qint64 nextIndex() const { return m_nextIndex; } // the index after the last operation issued

private:
    struct Shared;
    void sendSync(const PhaseParams &p, Shared &s);
    void sendAsync(const PhaseParams &p, const std::shared_ptr<Shared> &s);
    void issue(const std::shared_ptr<Shared> &s, qint64 index, qint64 plannedNs, const CallOptions &options);

    LoadOperation &m_op;
    std::shared_ptr<CancelToken> m_stop;
    TickCallback m_onTick;
    qint64 m_nextIndex = 0;
};

} // namespace mx
