#pragma once

#include "LatencyHistogram.h"
#include "LoadTestTypes.h"
#include "PhaseResult.h"
#include "RunSnapshot.h"

#include <atomic>
#include <ctime>
#include <limits>
#include <mutex>

namespace mx {

// How one operation ended. Times are CpuClock::steadyNowNs() values.
struct OpOutcome
{
    qint64 plannedNs = 0; // when the schedule wanted it to start (= sentNs outside Rate/Async mode)
    qint64 sentNs = 0;    // when it was actually issued
    qint64 endNs = 0;
    qint64 deadlineNs = 0; // sentNs + the per-operation deadline (0: none): where a timeout is counted
    bool ok = false;
    bool cancelled = false; // ended by stop(); counted apart from failures
    OpResult result;
    MilvusError error;
};

// Collects the outcomes of one phase into totals and 100 ms intervals. record() and opStarted() may be
// called from any thread (gRPC completion threads included) and are short: a mutex and a few
// histogram increments. tick() closes the intervals that are due and refreshes the live view; the
// PhaseRunner calls it every 100 ms from a ticker thread. Outcomes recorded after finish() are ignored
// (a late answer cannot change a finished result).
class MetricsRecorder
{
public:
    static constexpr qint64 kIntervalNs = 100'000'000;

    explicit MetricsRecorder(qint64 startNs);

    void setSenderClock(clockid_t clock); // the sending thread's CPU clock, sampled per interval
    void opStarted();
    void record(const OpOutcome &outcome);
    void tick(qint64 nowNs);
    // Closes the last (partial) interval and returns the totals; metadata (label, mode, CPU over the
    // phase) is the caller's to fill in.
    PhaseResult finish(qint64 endNs);

    qint64 inFlight() const { return m_inFlight.load(std::memory_order_relaxed); }
    // The phase so far, as of the last tick (cheap: summaries and shared interval chunks).
    PhaseProgress progress() const;

    // A write that failed without a clear answer (timeout, lost connection, cancel) may or may not
    // have been applied by the server.
    static bool isUnknownOutcomeWrite(const MilvusError &error);

private:
    void closeIntervalsBefore(qint64 relNs);
    void closeCurrentInterval(qint64 endRelNs);
    void refreshProgress(qint64 nowNs);

    const qint64 m_startNs;
    std::atomic<qint64> m_inFlight{0};
    std::atomic<qint64> m_issued{0};

    mutable std::mutex m_mutex;
    bool m_finished = false;
    clockid_t m_senderClock{};
    bool m_hasSenderClock = false;
    qint64 m_lastSenderCpuNs = 0;
    qint64 m_lastProcessCpuNs = 0;

    // Totals.
    PhaseResult m_total;
    // The interval being filled.
    IntervalMetrics m_current;
    LatencyHistogram m_currentLatency;
    LatencyHistogram m_currentUncorrected;
    qint64 m_currentMaxInFlight = 0;
    qint64 m_lastCpuSampleRelNs = 0;
    qint64 m_firstOkSentNs = std::numeric_limits<qint64>::max();

    PhaseProgress m_progress; // refreshed on tick
};

} // namespace mx
