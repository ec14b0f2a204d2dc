#include "ReportMerger.h"

#include "TutorialPreset.h"

namespace mx {

namespace {

QString joinDistinct(const QString &a, const QString &b)
{
    if (a == b || b.isEmpty())
        return a;
    if (a.isEmpty())
        return b;
    QStringList parts = a.split(QStringLiteral(" | "));
    if (!parts.contains(b))
        parts.append(b);
    return parts.join(QStringLiteral(" | "));
}

IntegrityResult mergeIntegrity(const IntegrityResult &a, const IntegrityResult &b)
{
    if (!a.checked)
        return b;
    if (!b.checked)
        return a;
    IntegrityResult r = a;
    r.collection = joinDistinct(a.collection, b.collection);
    r.before += b.before;
    r.inserted += b.inserted;
    r.deleted += b.deleted;
    r.expected += b.expected;
    r.actual += b.actual;
    r.unknownOutcomeWrites += b.unknownOutcomeWrites;
    r.error = joinDistinct(a.error, b.error);
    return r;
}

QString runKey(const RunResult &r, int occurrence)
{
    if (!r.spec.presetKey.isEmpty())
        return r.spec.presetKey;
    return QStringLiteral("%1#%2").arg(r.label).arg(occurrence);
}

QList<QString> keysOf(const QList<RunResult> &runs)
{
    QList<QString> keys;
    QMap<QString, int> seen;
    for (const RunResult &r : runs)
        keys.append(runKey(r, seen[r.label]++));
    return keys;
}

} // namespace

IntervalMetrics ReportMerger::mergeIntervals(const IntervalMetrics &a, const IntervalMetrics &b)
{
    IntervalMetrics m = a;
    m.durationNs = std::max(a.durationNs, b.durationNs);
    m.completed += b.completed;
    m.failed += b.failed;
    m.cancelled += b.cancelled;
    m.rows += b.rows;
    m.inFlight += b.inFlight;
    m.maxInFlight += b.maxInFlight;
    m.embeddingNs += b.embeddingNs;
    m.milvusNs += b.milvusNs;
    m.senderCpuNs += b.senderCpuNs;
    m.processCpuNs += b.processCpuNs;
    m.latency = LatencyHistogram::Sparse::merged(a.latency, b.latency);
    m.latencyUncorrected = LatencyHistogram::Sparse::merged(a.latencyUncorrected, b.latencyUncorrected);
    m.latencySummary = LatencySummary::of(m.latency);
    m.uncorrectedSummary = LatencySummary::of(m.latencyUncorrected);
    return m;
}

PhaseResult ReportMerger::mergePhases(const PhaseResult &a, const PhaseResult &b)
{
    PhaseResult m = a;
    m.startedAtMs = std::min(a.startedAtMs, b.startedAtMs);
    m.wallNs = std::max(a.wallNs, b.wallNs);
    m.sendSpanNs = std::max(a.sendSpanNs, b.sendSpanNs);
    m.maxSendLagNs = std::max(a.maxSendLagNs, b.maxSendLagNs);
    m.concurrency = a.concurrency + b.concurrency;
    m.targetRate = a.targetRate + b.targetRate;
    m.issued += b.issued;
    m.completed += b.completed;
    m.failed += b.failed;
    m.cancelled += b.cancelled;
    m.abandoned += b.abandoned;
    m.rows += b.rows;
    m.insertedRows += b.insertedRows;
    m.deletedRows += b.deletedRows;
    m.upsertedRows += b.upsertedRows;
    m.unknownOutcomeWrites += b.unknownOutcomeWrites;
    m.abandonedWrites += b.abandonedWrites;
    m.serverDeleteCount += b.serverDeleteCount;
    m.timedOut += b.timedOut;
    m.firstOpServiceNs = std::max(a.firstOpServiceNs, b.firstOpServiceNs); // the worse first operation
    m.maxInFlight += b.maxInFlight;
    m.stopped = a.stopped || b.stopped;
    m.latency.merge(b.latency);
    m.latencyUncorrected.merge(b.latencyUncorrected);
    m.failedLatency.merge(b.failedLatency);
    m.embedding.merge(b.embedding);
    m.milvus.merge(b.milvus);
    m.errors.merge(b.errors);
    m.cpu.senderThreadNs += b.cpu.senderThreadNs;
    m.cpu.processNs += b.cpu.processNs;
    m.cpu.grpcThreadsNs += b.cpu.grpcThreadsNs;
    m.cpu.embedderThreadsNs += b.cpu.embedderThreadsNs;
    m.cpu.workThreadsNs += b.cpu.workThreadsNs;
    if (b.cpu.busiestWorkThreadNs > m.cpu.busiestWorkThreadNs) {
        m.cpu.busiestWorkThreadNs = b.cpu.busiestWorkThreadNs;
        m.cpu.busiestWorkThread = b.cpu.busiestWorkThread;
    }
    if (b.cpu.busiestThreadNs > m.cpu.busiestThreadNs) {
        m.cpu.busiestThreadNs = b.cpu.busiestThreadNs;
        m.cpu.busiestThread = b.cpu.busiestThread;
    }
    m.cpu.cores += b.cpu.cores;
    m.cpu.wallNs = std::max(a.cpu.wallNs, b.cpu.wallNs);
    for (auto it = b.completedByOp.cbegin(); it != b.completedByOp.cend(); ++it)
        m.completedByOp[it.key()] += it.value();
    IntervalSeries intervals;
    const qsizetype n = std::max(a.intervals.size(), b.intervals.size());
    for (qsizetype i = 0; i < n; ++i) {
        if (i < a.intervals.size() && i < b.intervals.size())
            intervals.append(mergeIntervals(a.intervals.at(i), b.intervals.at(i)));
        else
            intervals.append(i < a.intervals.size() ? a.intervals.at(i) : b.intervals.at(i));
    }
    m.intervals = intervals;
    return m;
}

LoadTestReport ReportMerger::merge(const LoadTestReport &a, const LoadTestReport &b)
{
    LoadTestReport r = a;
    r.createdAt = std::min(a.createdAt, b.createdAt);
    for (const QString &h : b.hosts)
        if (!r.hosts.contains(h))
            r.hosts.append(h);
    r.serverUri = joinDistinct(a.serverUri, b.serverUri);
    r.serverVersion = joinDistinct(a.serverVersion, b.serverVersion);
    r.embedder = joinDistinct(a.embedder, b.embedder);
    r.preset = joinDistinct(a.preset, b.preset);
    r.stopped = a.stopped || b.stopped;
    r.error = joinDistinct(a.error, b.error);
    r.mergedFrom = a.mergedFrom + b.mergedFrom;
    for (const QString &w : b.warnings)
        if (!r.warnings.contains(w))
            r.warnings.append(w);
    if (a.embedder != b.embedder || a.dimension != b.dimension)
        r.warnings.append(QStringLiteral("merged reports used different embedders (%1, dimension %2 and %3, "
                                         "dimension %4)")
                              .arg(a.embedder)
                              .arg(a.dimension)
                              .arg(b.embedder)
                              .arg(b.dimension));

    const QList<QString> keysA = keysOf(a.runs);
    const QList<QString> keysB = keysOf(b.runs);
    for (qsizetype j = 0; j < b.runs.size(); ++j) {
        const RunResult &rb = b.runs.at(j);
        const qsizetype i = keysA.indexOf(keysB.at(j));
        if (i < 0) {
            r.runs.append(rb);
            continue;
        }
        RunResult &ra = r.runs[i];
        for (qsizetype p = 0; p < rb.phases.size(); ++p) {
            if (p < ra.phases.size())
                ra.phases[p] = mergePhases(ra.phases.at(p), rb.phases.at(p));
            else
                ra.phases.append(rb.phases.at(p));
        }
        ra.collection = joinDistinct(ra.collection, rb.collection);
        ra.storeDocs += rb.storeDocs;
        ra.setupNs = std::max(ra.setupNs, rb.setupNs);
        ra.timedSetupNs = std::max(ra.timedSetupNs, rb.timedSetupNs);
        ra.readyWaitNs = std::max(ra.readyWaitNs, rb.readyWaitNs);
        ra.readConsistency = joinDistinct(ra.readConsistency, rb.readConsistency);
        ra.milvusInFlightLimit += rb.milvusInFlightLimit;
        // Each report's channels are connections of their own: together the server saw all of them.
        ra.channels += rb.channels;
        ra.operationsPerChannel += rb.operationsPerChannel;
        ra.warmupIssued += rb.warmupIssued;
        ra.warmupFailed += rb.warmupFailed;
        ra.integrity = mergeIntegrity(ra.integrity, rb.integrity);
        ra.error = joinDistinct(ra.error, rb.error);
        ra.stopped = ra.stopped || rb.stopped;
        for (const QString &w : rb.warnings)
            if (!ra.warnings.contains(w))
                ra.warnings.append(w);
    }
    if (TutorialPreset::isPreset(r.preset))
        r.tutorial = TutorialPreset::table(r.runs);
    return r;
}

} // namespace mx
