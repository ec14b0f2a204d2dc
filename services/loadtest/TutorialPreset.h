#pragma once

#include "LoadTestConfig.h"
#include "LoadTestReport.h"
#include "TutorialTable.h"

namespace mx {

// The langchain-milvus async tutorial as a preset: add, search and delete, at counts 10 and 100, each
// run async (all at once, gathered) and sync (one at a time), repeated R times; search and delete work
// on a store of 1,000 documents; the result is the tutorial's table with the sync/async speedup and its
// 95% confidence interval. Two variants (below). Pure functions, thread-safe.
class TutorialPreset
{
public:
    static constexpr int kDefaultRepeats = 3;
    static constexpr qint64 kCleanWarmupOps = 5;

    // Faithful: the tutorial exactly. Per operation and repeat: async 10, async 100, then sync 10,
    // sync 100; one store per mode shared by both counts (so async 100's deletes of doc_0..doc_9 find
    // them gone, as the tutorial's do); the first add's store setup (create, index, load) inside the
    // timed window; searches ask for langchain's output fields; no warm-up unless asked.
    // Clean: every run gets a fresh store, created, filled, flushed and loaded outside the clock, and a
    // warm-up of kCleanWarmupOps operations before it is timed.
    enum class Variant
    {
        Clean,
        Faithful
    };
    static QString presetName(Variant v); // "tutorial-clean", "tutorial-faithful"
    static std::optional<Variant> variantFromName(const QString &name); // "tutorial" is the clean one
    static bool isPreset(const QString &preset) { return variantFromName(preset).has_value(); }

    // warmupOps < 0: the variant's default (0 faithful, kCleanWarmupOps clean).
    static LoadTestPlan plan(int repeats = kDefaultRepeats, const QList<qint64> &counts = {10, 100},
                             qint64 storeDocs = 1000, Variant variant = Variant::Clean, qint64 warmupOps = -1,
                             qint64 warmupMs = 0);
    // The table from the runs the plan produced (runs without a tutorial key are ignored).
    static TutorialTable table(const QList<RunResult> &runs);
    static QString method();
};

} // namespace mx
