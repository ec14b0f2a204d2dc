#pragma once

#include "LoadTestReport.h"

#include <QTableWidget>

namespace mx {

// One row per measured phase: op, mode, count, seconds, ops/s, rows/s, per-operation service time
// p50/p90/p99/p99.9/max, the p99 of async's time to complete or rate's corrected response time, recall@k,
// client CPU per operation by who used it, the conditions (read consistency, in-flight limits, channels,
// readiness, flags for a first-operation stall, broken accounting or a saturated client), errors and the
// integrity verdict of the run it belongs to, in red when the check found a difference or could not run. GUI
// thread only.
class PhaseResultsTable : public QTableWidget
{
    Q_OBJECT
public:
    enum Column
    {
        Run,
        Op,
        Mode,
        Count,
        Seconds,
        OpsPerSecond,
        RowsPerSecond,
        P50,
        P90,
        P99,
        P999,
        Max,
        P99Other, // async: time to complete; rate: corrected (from the planned start); else = P99
        Recall,
        ClientCpu, // per operation: sending thread, gRPC threads, whole process (tooltip: embedder too)
        Conditions,
        Errors,
        Integrity,
        ColumnCount
    };

    explicit PhaseResultsTable(QWidget *parent = nullptr);
    void setRuns(const QList<RunResult> &runs);
    int integrityProblems() const { return m_integrityProblems; }

private:
    int m_integrityProblems = 0;
};

} // namespace mx
