#include "LoadTestReport.h"

namespace mx {

qint64 RunResult::failed() const
{
    qint64 n = 0;
    for (const auto &p : phases)
        n += p.failed;
    return n;
}

qint64 RunResult::completed() const
{
    qint64 n = 0;
    for (const auto &p : phases)
        n += p.completed;
    return n;
}

qint64 LoadTestReport::totalFailed() const
{
    qint64 n = 0;
    for (const auto &r : runs)
        n += r.failed();
    return n;
}

qint64 LoadTestReport::totalCompleted() const
{
    qint64 n = 0;
    for (const auto &r : runs)
        n += r.completed();
    return n;
}

int LoadTestReport::integrityProblems() const
{
    int n = 0;
    for (const auto &r : runs)
        if (r.integrity.checked && !r.integrity.ok())
            ++n;
    return n;
}

qint64 LoadTestReport::integrityDifference() const
{
    qint64 n = 0;
    for (const auto &r : runs)
        if (r.integrity.checked && r.integrity.error.isEmpty())
            n += qAbs(r.integrity.difference());
    return n;
}

int LoadTestReport::unbalancedPhases() const
{
    int n = 0;
    for (const RunResult &r : runs)
        for (const PhaseResult &p : r.phases)
            n += p.balanced() ? 0 : 1;
    return n;
}

int LoadTestReport::stalledPhases() const
{
    int n = 0;
    for (const RunResult &r : runs)
        for (const PhaseResult &p : r.phases)
            n += p.firstOpStalled() ? 1 : 0;
    return n;
}

} // namespace mx
