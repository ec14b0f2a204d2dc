#pragma once

#include "IntervalSeries.h"
#include "LatencySummary.h"
#include "LoadTestReport.h"
#include "LoadTestTypes.h"
#include "PhaseResult.h"

#include <QList>
#include <QString>

namespace mx {

// The phase in progress, as of the last 100 ms tick.
struct PhaseProgress
{
    QString label;
    OpKind op = OpKind::Search;
    LoadMode mode = LoadMode::Sync;
    int concurrency = 1;
    double targetRate = 0;
    qint64 elapsedNs = 0;
    qint64 issued = 0;
    qint64 completed = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 rows = 0;
    qint64 inFlight = 0;
    qint64 embeddingNs = 0; // summed over successful operations
    qint64 milvusNs = 0;
    LatencySummary latency;
    LatencySummary latencyUncorrected;
    ErrorStats errors;
    IntervalSeries intervals; // closed 100 ms intervals of this phase
};

// An immutable picture of an engine's progress. LoadTestEngine::snapshot() hands out a shared pointer
// to the latest one (rebuilt every 100 ms and on every state change), so readers at any rate pay one
// atomic reference count and never block the engine.
struct RunSnapshot
{
    enum class State
    {
        Idle,
        Preparing, // creating/populating the collection
        WarmingUp, // running operations that are not measured
        Running,   // the measured phase
        Checking,  // integrity check, cleanup
        Finished,
        Stopped, // stop() was called; partial results are kept
        Failed   // the plan could not run (e.g. no server); see message
    };

    State state = State::Idle;
    quint64 sequence = 0; // increases with every published snapshot
    int runIndex = -1;    // index into the plan's runs
    int runCount = 0;
    QString runLabel;
    QString collection;
    QString message;             // the last notable event (warnings, failures), empty if none
    PhaseProgress phase;         // the phase in progress (or the last one)
    QList<PhaseResult> finished; // every phase finished so far, in order (sweep points, tutorial runs)
    // Every run finished so far: TutorialPreset::table(completedRuns) is the tutorial table so far.
    QList<RunResult> completedRuns;

    bool isActive() const
    {
        return state != State::Idle && state != State::Finished && state != State::Stopped &&
               state != State::Failed;
    }
};

QString runStateName(RunSnapshot::State state);

} // namespace mx
