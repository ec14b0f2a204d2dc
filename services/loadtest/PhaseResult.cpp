#include "PhaseResult.h"

namespace mx {

int PhaseResult::saturatedIntervals() const
{
    int n = 0;
    for (qsizetype i = 0; i < intervals.size(); ++i)
        n += intervals.at(i).senderSaturated() ? 1 : 0;
    return n;
}

bool PhaseResult::firstOpStalled() const
{
    if (firstOpServiceNs < 0 || latencyUncorrected.count() < 3)
        return false;
    const qint64 median = latencyUncorrected.percentile(50);
    return firstOpServiceNs > 5 * median && firstOpServiceNs - median > 50'000'000;
}

QString PhaseResult::latencyName() const
{
    switch (mode) {
    case LoadMode::Async:
        return QStringLiteral("time to complete (from the phase's start)");
    case LoadMode::Rate:
        return QStringLiteral("response time from the planned start (coordinated-omission corrected)");
    case LoadMode::Sync:
    case LoadMode::Bounded:
    case LoadMode::Sweep:
        break;
    }
    return QStringLiteral("service time (send to answer)");
}

} // namespace mx
