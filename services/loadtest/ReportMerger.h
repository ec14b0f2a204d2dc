#pragma once

#include "LoadTestReport.h"

namespace mx {

// Combines reports of the same plan run at the same time from several machines into one, exactly:
// counts add up, histograms merge (so percentiles are computed from all operations, never averaged),
// intervals merge by index. Runs are matched by preset key, else by label and position among runs of
// that label; phases by position. Unmatched runs and phases are kept as they are. Assumes the
// machines ran concurrently: a merged phase's wall time is the longest, so its throughput is the
// combined rate; maxInFlight adds up (an upper bound of the combined peak). Integrity figures add up
// (each machine checked its own scratch collection). Pure functions, thread-safe.
class ReportMerger
{
public:
    static LoadTestReport merge(const LoadTestReport &a, const LoadTestReport &b);
    static PhaseResult mergePhases(const PhaseResult &a, const PhaseResult &b);
    static IntervalMetrics mergeIntervals(const IntervalMetrics &a, const IntervalMetrics &b);
};

} // namespace mx
