#pragma once

#include "LoadTestConfig.h"
#include "PhaseResult.h"
#include "RecallCheck.h"
#include "TutorialTable.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace mx {

// One run of a plan: where it ran, its measured phases (one, or one per sweep level), and the
// integrity check after it if it wrote.
struct RunResult
{
    RunSpec spec;
    QString label;
    QString collection;
    bool scratchCollection = true;
    qint64 storeDocs = 0;    // documents in the store before the run
    qint64 setupNs = 0;      // creating and populating the store (and waiting until it is ready)
    qint64 timedSetupNs = 0; // the part of setupNs that counts in the run's seconds (faithful first add)
    qint64 readyWaitNs = 0;  // waiting for load progress 100 and a built index, before the clock
    QString readiness;       // what the server said when the store was declared ready
    QString
        readConsistency; // the level searches and queries used ("Session", "collection default (Bounded)")
    int milvusInFlightLimit = 0;        // at most this many operations in flight (0: none, all at once)
    int channels = 1;                   // gRPC channels (connections) the load went over
    QList<qint64> operationsPerChannel; // measured operations each channel was given (channels > 1)
    RecallResult recall;                // search runs with spec.recall
    qint64 warmupIssued = 0;            // warm-up operations (not in the phases)
    qint64 warmupFailed = 0;
    QList<PhaseResult> phases;
    IntegrityResult integrity;
    QString error; // the run could not start or finish (the phases keep what was measured)
    bool stopped = false;
    QStringList warnings;

    qint64 failed() const;
    qint64 completed() const;
};

// Everything a load test produced; the CLI writes it as JSON (docs/loadtest-report.md describes the
// schema) and `merge` combines several exactly. Plain data.
struct LoadTestReport
{
    // Version 2: timed-out operations count in `latency` at their deadline, failures have their own
    // histogram, abandoned writes are unknown outcomes. Version 1 reports are still read.
    static QString schemaId() { return QStringLiteral("milvus-loadtest-report/2"); }
    static QString schemaIdV1() { return QStringLiteral("milvus-loadtest-report/1"); }

    QString tool = QStringLiteral("milvus-loadtest");
    QString toolVersion;
    QString createdAt; // ISO 8601 UTC
    QStringList hosts; // machines that contributed (more than one after a merge)
    QString serverUri;
    QString serverVersion;
    QString embedder;
    bool embedderSemantic = false;
    int dimension = 0;
    QString preset;
    quint64 seed = 0;
    QString scratchPrefix = QStringLiteral("loadtest_");
    int embeddingInFlight = 0; // the embedder's limit on requests in flight; 0: none
    QList<RunResult> runs;
    std::optional<TutorialTable> tutorial;
    QStringList warnings;
    bool stopped = false;
    QString error;      // the plan could not run at all
    int mergedFrom = 1; // how many reports this one combines

    qint64 totalFailed() const;
    qint64 totalCompleted() const;
    int integrityProblems() const;      // runs whose check found a difference or could not run
    qint64 integrityDifference() const; // sum of |difference| over runs
    int unbalancedPhases() const;       // phases where issued != completed + failed + cancelled + abandoned
    int stalledPhases() const;          // phases whose first operation stalled
};

} // namespace mx
