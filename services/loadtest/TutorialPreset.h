#pragma once

#include "LoadTestConfig.h"
#include "LoadTestReport.h"
#include "TutorialTable.h"

namespace mx {

// The langchain-milvus async tutorial as a preset: add, search and delete, at counts 10 and 100, each
// run async (all at once, gathered) and then sync (one at a time), repeated R times; search and delete
// work on a store of 1,000 documents; the result is the tutorial's table with the sync/async speedup
// and its 95% confidence interval. Pure functions, thread-safe.
class TutorialPreset
{
public:
    static constexpr int kDefaultRepeats = 3;

    // Store handling, as in the tutorial: add runs each get a fresh empty store; delete runs each get
    // a fresh store of 1,000 documents (deletes consume it); search runs share one store of 1,000
    // documents (searches do not change it; the tutorial also builds it once per table row).
    static LoadTestPlan plan(int repeats = kDefaultRepeats, const QList<qint64> &counts = {10, 100},
                             qint64 storeDocs = 1000);
    // The table from the runs the plan produced (runs without a tutorial key are ignored).
    static TutorialTable table(const QList<RunResult> &runs);
    static QString method();
};

} // namespace mx
