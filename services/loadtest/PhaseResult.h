#pragma once

#include "IntervalSeries.h"
#include "LatencyHistogram.h"
#include "LoadTestTypes.h"

#include <QMap>

namespace mx {

// One measured phase: a run in one mode at one concurrency (a sweep has one phase per point). Totals
// are exact; percentiles are derived from the histograms on demand.
struct PhaseResult
{
    QString label;
    OpKind op = OpKind::Search;
    LoadMode mode = LoadMode::Sync;
    int concurrency = 1;   // in-flight limit (Sync: 1; Async: the count; Rate: 0 = unlimited)
    double targetRate = 0; // Rate mode only, ops/s
    int batch = 1;
    qint64 startedAtMs = 0;  // UTC, ms since the epoch
    qint64 wallNs = 0;       // from the phase's start until its last operation ended
    qint64 sendSpanNs = 0;   // from the first send to the last send
    qint64 maxSendLagNs = 0; // how far sends fell behind their planned start (Rate mode)
    qint64 issued = 0;
    qint64 completed = 0; // succeeded
    qint64 failed = 0;
    qint64 cancelled = 0; // ended by stop()
    qint64 abandoned = 0; // still running when the phase gave up waiting for them
    qint64 rows = 0;
    qint64 insertedRows = 0;
    qint64 deletedRows = 0;
    qint64 upsertedRows = 0;
    qint64 unknownOutcomeWrites = 0; // failed without a clear answer, or abandoned at the drain
    qint64 abandonedWrites = 0;      // of the abandoned operations, those that write (also unknown outcome)
    qint64 serverDeleteCount = 0;    // sum of the server's delete_cnt (keys named): shown, not trusted
    qint64 timedOut = 0;             // failed with a timeout (counted at their deadline in `latency`)
    qint64 firstOpServiceNs = -1;    // service time of the earliest-sent successful operation
    qint64 maxInFlight = 0;
    bool stopped = false; // ended early by stop()
    // Successful ops from the planned start, plus timed-out ops at their deadline: the corrected
    // response time (Rate), time to complete since the phase began (Async), service time (Sync, Bounded).
    LatencyHistogram latency;
    LatencyHistogram latencyUncorrected; // successful ops: service time, from the actual send to the answer
    LatencyHistogram failedLatency;      // failed ops (not cancelled): from the send to the failure
    LatencyHistogram embedding;          // per-op embedding time
    LatencyHistogram milvus;             // per-op Milvus time
    ErrorStats errors;
    CpuStats cpu;
    QMap<QString, qint64> completedByOp;
    IntervalSeries intervals;

    double seconds() const { return double(wallNs) / 1e9; }
    double throughput() const { return wallNs > 0 ? double(completed) / seconds() : 0.0; }
    double rowsPerSecond() const { return wallNs > 0 ? double(rows) / seconds() : 0.0; }
    // Sends per second over the send span: what an open-loop run achieved against its target.
    double achievedSendRate() const
    {
        return sendSpanNs > 0 && issued > 1 ? double(issued - 1) / (double(sendSpanNs) / 1e9) : 0.0;
    }
    qint64 senderCpuPerOpNs() const { return issued ? cpu.senderThreadNs / issued : 0; }
    qint64 processCpuPerOpNs() const { return issued ? cpu.processNs / issued : 0; }
    int saturatedIntervals() const;

    // issued = completed + failed + cancelled + abandoned: every operation accounted exactly once. A
    // phase (or a report read from a file) that breaks it is flagged, never trusted.
    bool balanced() const { return issued == completed + failed + cancelled + abandoned; }
    // The first operation took far longer than the typical one (e.g. a collection still loading):
    // more than 5x the median service time and 50 ms above it, with at least 3 successes.
    bool firstOpStalled() const;
    // What `latency` measures in this phase's mode, for labels.
    QString latencyName() const;
};

} // namespace mx
