#pragma once

#include "LatencyHistogram.h"
#include "LatencySummary.h"
#include "MilvusError.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace mx {

// How operations are issued. Sync: one at a time through the blocking client (the tutorial's loop).
// Async: all at once, then wait for all (the tutorial's gather). Bounded: async with at most C in
// flight. Rate: open loop at R operations per second. Sweep: Bounded at concurrency 1, 2, 4 .. C.
enum class LoadMode
{
    Sync,
    Async,
    Bounded,
    Rate,
    Sweep
};
QString loadModeName(LoadMode mode);
std::optional<LoadMode> loadModeFromName(const QString &name);

enum class OpKind
{
    Add,
    Search,
    Delete,
    Upsert,
    Query,
    Mix
};
QString opKindName(OpKind kind);
std::optional<OpKind> opKindFromName(const QString &name);

// What one operation did, as the server acknowledged it.
struct OpResult
{
    qint64 rows = 0;         // rows written, returned or deleted: what rows/s counts
    qint64 embeddingNs = 0;  // time spent turning texts into vectors (0 when none)
    qint64 milvusNs = 0;     // time spent in Milvus calls, from request to answer
    qint64 insertedRows = 0; // acknowledged inserts, for the integrity check
    qint64 deletedRows = 0;  // live rows an acknowledged delete named: the rows that must be gone
    qint64 upsertedRows = 0;
    qint64 serverDeleteCount =
        0;                 // the server's delete_cnt (keys named, not rows removed): shown, not trusted
    QString opName;        // the operation that ran; a mix names the one it picked
    QList<qint64> newKeys; // keys an insert or upsert was given (consumed by the operation's bookkeeping)
};

// A failure that leaves a write's effect unknown (timeout, lost connection, cancel, a gRPC status), as
// opposed to one the server clearly refused or that never left the client.
bool leavesOutcomeUnknown(const MilvusError &error);

// Failures counted three ways: by ErrorKind, by gRPC status (transport-level failures) and by Milvus
// code (gRPC OK but Milvus said no), with a few distinct messages kept as samples.
struct ErrorStats
{
    static constexpr int kMaxSamples = 5;

    qint64 total = 0;
    QMap<QString, qint64> byKind;   // errorKindName()
    QMap<int, qint64> byGrpcStatus; // grpc::StatusCode, for errors that carry one
    QMap<int, qint64> byMilvusCode; // common.Status.code, or the legacy error_code when code is 0
    QStringList samples;

    void add(const MilvusError &error);
    void merge(const ErrorStats &other);
    bool operator==(const ErrorStats &) const = default;
};

// One 100 ms slice of a phase. Latency histograms hold successful operations only, keyed by when
// they completed; failures are counted, never folded into latency.
struct IntervalMetrics
{
    qint64 index = 0;
    qint64 startNs = 0; // from the phase's start
    qint64 durationNs = 0;
    qint64 completed = 0; // succeeded
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 rows = 0;
    qint64 inFlight = 0; // at the interval's end
    qint64 maxInFlight = 0;
    qint64 embeddingNs = 0; // summed over the interval's successful operations
    qint64 milvusNs = 0;
    qint64 senderCpuNs = 0;                      // CPU of the sending thread during the interval
    qint64 processCpuNs = 0;                     // CPU of the whole process during the interval
    LatencyHistogram::Sparse latency;            // from each operation's planned start
    LatencyHistogram::Sparse latencyUncorrected; // from when it was actually sent
    LatencySummary latencySummary;
    LatencySummary uncorrectedSummary;

    double seconds() const { return double(durationNs) / 1e9; }
    double opsPerSecond() const { return durationNs > 0 ? double(completed) / seconds() : 0.0; }
    double rowsPerSecond() const { return durationNs > 0 ? double(rows) / seconds() : 0.0; }
    double senderCoreFraction() const
    {
        return durationNs > 0 ? double(senderCpuNs) / double(durationNs) : 0;
    }
    // The sending thread used (nearly) a whole core: the client, not the server, may be the limit.
    bool senderSaturated() const { return senderCoreFraction() >= 0.9; }
};

// Client CPU over a phase, split by who used it. The whole process includes everything else it does
// (in the app: the panel's chart redraws); the gRPC threads do the async work; the sending thread issues
// (and in sync mode waits for) every operation; the embedder's threads turn texts into vectors.
struct CpuStats
{
    qint64 senderThreadNs = 0;    // getrusage(RUSAGE_THREAD) of the sending thread over the phase
    qint64 processNs = 0;         // getrusage(RUSAGE_SELF) over the phase (every thread of this process)
    qint64 grpcThreadsNs = 0;     // gRPC's own threads, summed (from /proc/self/task/*/schedstat)
    qint64 embedderThreadsNs = 0; // the embedder's threads (local pool, HTTP client thread), summed
    qint64 workThreadsNs = 0;     // the threads that do the load's work: sender + gRPC + embedder
    QString busiestThread;        // the thread (by name) that used the most CPU over the phase
    qint64 busiestThreadNs = 0;
    QString busiestWorkThread; // of the threads that do the work, the one that used the most CPU
    qint64 busiestWorkThreadNs = 0;
    int cores = 0; // CPUs online
    qint64 wallNs = 0;

    double fractionOfCore(qint64 ns) const { return wallNs > 0 ? double(ns) / double(wallNs) : 0.0; }
    double senderCoreFraction() const { return fractionOfCore(senderThreadNs); }
    bool senderSaturated() const { return senderCoreFraction() >= kSaturated; }
    double busiestCoreFraction() const { return fractionOfCore(busiestThreadNs); }
    double busiestWorkCoreFraction() const { return fractionOfCore(busiestWorkThreadNs); }
    double processCoresFraction() const
    {
        return cores > 0 ? fractionOfCore(processNs) / double(cores) : 0.0;
    }
    double workCoresFraction() const
    {
        return cores > 0 ? fractionOfCore(workThreadsNs) / double(cores) : 0.0;
    }
    // The client may be the limit: a thread that does the work (the sender, a gRPC thread, an embedder
    // thread) used 90% of a core, or those threads together used 90% of the machine. Other threads (the
    // app's GUI thread redrawing charts, the load tester's own ticker) do not count: their CPU shows in
    // the whole-process figure, not here.
    bool clientSaturated() const { return !saturationReason().isEmpty(); }
    // Which of the above, in words ("gRPC thread 'nexting_thread' at 95% of a core"); empty when none.
    QString saturationReason() const;

    static constexpr double kSaturated = 0.9;
};

// Acknowledged writes against count(*): expected = before + inserted - deleted (upserts of existing
// keys change nothing). A difference is reported, never explained away: unknownOutcomeWrites counts
// writes that failed in a way that leaves their effect unknown (timeout, lost connection, cancel).
struct IntegrityResult
{
    bool checked = false;
    QString collection;
    qint64 before = 0;
    qint64 inserted = 0;
    qint64 deleted = 0;
    qint64 expected = 0;
    qint64 actual = 0;
    qint64 unknownOutcomeWrites = 0;
    QString error; // the check itself failed (e.g. the server is gone)

    qint64 difference() const { return actual - expected; }
    bool ok() const { return checked && error.isEmpty() && difference() == 0; }
    // One line for the summary: "OK: 1,100 rows as expected" or the loud version.
    QString describe() const;
};

} // namespace mx
