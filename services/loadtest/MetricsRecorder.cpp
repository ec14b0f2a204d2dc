#include "MetricsRecorder.h"

#include "CpuClock.h"

#include <algorithm>

namespace mx {

MetricsRecorder::MetricsRecorder(qint64 startNs)
    : m_startNs(startNs)
    , m_lastProcessCpuNs(CpuClock::clockNs(CLOCK_PROCESS_CPUTIME_ID))
{
    m_current.index = 0;
    m_current.startNs = 0;
}

void MetricsRecorder::setSenderClock(clockid_t clock)
{
    std::lock_guard lock(m_mutex);
    m_senderClock = clock;
    m_hasSenderClock = true;
    m_lastSenderCpuNs = CpuClock::clockNs(clock);
}

void MetricsRecorder::opStarted()
{
    m_issued.fetch_add(1, std::memory_order_relaxed);
    const qint64 now = m_inFlight.fetch_add(1, std::memory_order_relaxed) + 1;
    std::lock_guard lock(m_mutex);
    m_currentMaxInFlight = std::max(m_currentMaxInFlight, now);
    m_total.maxInFlight = std::max(m_total.maxInFlight, now);
}

bool MetricsRecorder::isUnknownOutcomeWrite(const MilvusError &error)
{
    static const QStringList kWrites{QStringLiteral("Insert"), QStringLiteral("Upsert"),
                                     QStringLiteral("Delete")};
    return kWrites.contains(error.operation) && leavesOutcomeUnknown(error);
}

void MetricsRecorder::record(const OpOutcome &o)
{
    m_inFlight.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    if (m_finished)
        return;
    closeIntervalsBefore(o.endNs - m_startNs);
    if (o.ok) {
        const qint64 latency = o.endNs - o.plannedNs;
        const qint64 uncorrected = o.endNs - o.sentNs;
        ++m_total.completed;
        ++m_current.completed;
        m_total.rows += o.result.rows;
        m_current.rows += o.result.rows;
        m_total.insertedRows += o.result.insertedRows;
        m_total.deletedRows += o.result.deletedRows;
        m_total.upsertedRows += o.result.upsertedRows;
        m_total.latency.record(latency);
        m_total.latencyUncorrected.record(uncorrected);
        m_currentLatency.record(latency);
        m_currentUncorrected.record(uncorrected);
        if (o.result.embeddingNs > 0)
            m_total.embedding.record(o.result.embeddingNs);
        if (o.result.milvusNs > 0)
            m_total.milvus.record(o.result.milvusNs);
        m_current.embeddingNs += o.result.embeddingNs;
        m_current.milvusNs += o.result.milvusNs;
        if (!o.result.opName.isEmpty())
            ++m_total.completedByOp[o.result.opName];
        m_total.serverDeleteCount += o.result.serverDeleteCount;
        if (o.sentNs < m_firstOkSentNs) {
            m_firstOkSentNs = o.sentNs;
            m_total.firstOpServiceNs = uncorrected;
        }
    } else if (o.cancelled) {
        ++m_total.cancelled;
        ++m_current.cancelled;
    } else {
        ++m_total.failed;
        ++m_current.failed;
        m_total.errors.add(o.error);
        m_total.failedLatency.record(o.endNs - o.sentNs);
        if (o.error.kind == ErrorKind::Timeout) {
            // An operation that timed out would have taken at least until its deadline: the corrected
            // figures count it there, so overload cannot cap p99 below the timeout.
            const qint64 atDeadline =
                std::max(o.endNs, o.deadlineNs > 0 ? o.deadlineNs : o.endNs) - o.plannedNs;
            ++m_total.timedOut;
            m_total.latency.record(atDeadline);
            m_currentLatency.record(atDeadline);
        }
    }
    if (!o.ok && isUnknownOutcomeWrite(o.error))
        ++m_total.unknownOutcomeWrites;
}

void MetricsRecorder::tick(qint64 nowNs)
{
    std::lock_guard lock(m_mutex);
    if (m_finished)
        return;
    closeIntervalsBefore(nowNs - m_startNs);
    refreshProgress(nowNs);
}

void MetricsRecorder::closeIntervalsBefore(qint64 relNs)
{
    while (relNs >= m_current.startNs + kIntervalNs)
        closeCurrentInterval(m_current.startNs + kIntervalNs);
}

void MetricsRecorder::closeCurrentInterval(qint64 endRelNs)
{
    IntervalMetrics &m = m_current;
    m.durationNs = std::max<qint64>(endRelNs - m.startNs, 0);
    m.inFlight = m_inFlight.load(std::memory_order_relaxed);
    m.maxInFlight = std::max(m_currentMaxInFlight, m.inFlight);
    m.latency = m_currentLatency.toSparse();
    m.latencyUncorrected = m_currentUncorrected.toSparse();
    m.latencySummary = LatencySummary::of(m_currentLatency);
    m.uncorrectedSummary = LatencySummary::of(m_currentUncorrected);

    // CPU is sampled when the interval is closed. The share of the CPU used since the last attributed
    // point that falls into this interval is in proportion to time; the rest stays for the next one
    // (several intervals close at once when no tick came for a while).
    const qint64 nowRel = CpuClock::steadyNowNs() - m_startNs;
    const qint64 sampleSpan = std::max<qint64>(nowRel - m_lastCpuSampleRelNs, 1);
    const double share = std::clamp(double(endRelNs - m_lastCpuSampleRelNs) / double(sampleSpan), 0.0, 1.0);
    if (m_hasSenderClock) {
        const qint64 cpu = CpuClock::clockNs(m_senderClock);
        if (cpu >= 0) {
            m.senderCpuNs = qint64(double(cpu - m_lastSenderCpuNs) * share);
            m_lastSenderCpuNs += m.senderCpuNs;
        }
    }
    const qint64 proc = CpuClock::clockNs(CLOCK_PROCESS_CPUTIME_ID);
    m.processCpuNs = qint64(double(proc - m_lastProcessCpuNs) * share);
    m_lastProcessCpuNs += m.processCpuNs;
    m_lastCpuSampleRelNs = std::max(m_lastCpuSampleRelNs, endRelNs);

    m_total.intervals.append(m);

    const qint64 next = m.index + 1;
    m_current = IntervalMetrics();
    m_current.index = next;
    m_current.startNs = endRelNs;
    m_currentLatency.reset();
    m_currentUncorrected.reset();
    m_currentMaxInFlight = m_inFlight.load(std::memory_order_relaxed);
}

void MetricsRecorder::refreshProgress(qint64 nowNs)
{
    PhaseProgress &p = m_progress;
    p.elapsedNs = nowNs - m_startNs;
    p.issued = m_issued.load(std::memory_order_relaxed);
    p.completed = m_total.completed;
    p.failed = m_total.failed;
    p.cancelled = m_total.cancelled;
    p.rows = m_total.rows;
    p.inFlight = m_inFlight.load(std::memory_order_relaxed);
    p.embeddingNs = m_total.embedding.sum();
    p.milvusNs = m_total.milvus.sum();
    p.latency = LatencySummary::of(m_total.latency);
    p.latencyUncorrected = LatencySummary::of(m_total.latencyUncorrected);
    p.errors = m_total.errors;
    p.intervals = m_total.intervals;
}

PhaseResult MetricsRecorder::finish(qint64 endNs)
{
    std::lock_guard lock(m_mutex);
    if (!m_finished) {
        const qint64 rel = endNs - m_startNs;
        closeIntervalsBefore(rel);
        if (rel > m_current.startNs || m_current.completed || m_current.failed || m_current.cancelled)
            closeCurrentInterval(std::max(rel, m_current.startNs));
        refreshProgress(endNs);
        m_finished = true;
    }
    PhaseResult r = m_total;
    r.issued = m_issued.load(std::memory_order_relaxed);
    r.wallNs = endNs - m_startNs;
    return r;
}

PhaseProgress MetricsRecorder::progress() const
{
    std::lock_guard lock(m_mutex);
    return m_progress;
}

} // namespace mx
