#include "PhaseResult.h"

namespace mx {

int PhaseResult::saturatedIntervals() const
{
    int n = 0;
    for (qsizetype i = 0; i < intervals.size(); ++i)
        n += intervals.at(i).senderSaturated() ? 1 : 0;
    return n;
}

} // namespace mx
