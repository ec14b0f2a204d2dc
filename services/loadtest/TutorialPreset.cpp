#include "TutorialPreset.h"

#include "OperationFactory.h"

#include <QJsonArray>

namespace mx {

namespace {

// "tutorial:<op>:<count>:<mode>:<repeat>"
struct Key
{
    QString op;
    qint64 count = 0;
    QString mode;
    bool valid = false;
};

Key parseKey(const QString &key)
{
    const QStringList p = key.split(QLatin1Char(':'));
    Key k;
    if (p.size() == 5 && p.at(0) == QLatin1String("tutorial")) {
        k.op = p.at(1);
        k.count = p.at(2).toLongLong();
        k.mode = p.at(3);
        k.valid = true;
    }
    return k;
}

} // namespace

QString TutorialPreset::method()
{
    return QStringLiteral(
        "seconds per run = wall clock from the first send to the last answer of the run (as the "
        "tutorial times its loop or gather), embedding included (faithful preset: the first add's "
        "store setup too); latency columns = service time per operation (send to answer) in both "
        "modes; speedup = mean sync seconds / "
        "mean async seconds; 95% interval by the delta method on the log of the ratio with "
        "Welch-Satterthwaite degrees of freedom (Student t); no interval with fewer than 2 "
        "repeats");
}

QString TutorialPreset::presetName(Variant v)
{
    return v == Variant::Faithful ? QStringLiteral("tutorial-faithful") : QStringLiteral("tutorial-clean");
}

std::optional<TutorialPreset::Variant> TutorialPreset::variantFromName(const QString &name)
{
    if (name == QLatin1String("tutorial-faithful"))
        return Variant::Faithful;
    if (name == QLatin1String("tutorial-clean") || name == QLatin1String("tutorial"))
        return Variant::Clean;
    return std::nullopt;
}

LoadTestPlan TutorialPreset::plan(int repeats, const QList<qint64> &counts, qint64 storeDocs, Variant variant,
                                  qint64 warmupOps, qint64 warmupMs)
{
    LoadTestPlan plan;
    plan.preset = presetName(variant);
    const bool faithful = variant == Variant::Faithful;
    if (warmupOps < 0)
        warmupOps = faithful ? 0 : kCleanWarmupOps;
    auto spec = [&](OpKind op, LoadMode mode, qint64 count, int rep) {
        RunSpec s;
        s.op = op;
        s.mode = mode;
        s.count = count;
        s.k = 3;
        s.batch = 1;
        s.storeDocs = op == OpKind::Add ? 0 : storeDocs;
        s.warmupOps = warmupOps;
        s.warmupMs = warmupMs;
        if (faithful) {
            s.storeGroup = QStringLiteral("%1-%2-%3").arg(opKindName(op), loadModeName(mode)).arg(rep);
            s.setupTimed = op == OpKind::Add;
            s.deleteExactDocs = op == OpKind::Delete;
            s.outputFields = OperationFactory::langchainOutputFields(StoreLayout());
        }
        s.presetKey = QStringLiteral("tutorial:%1:%2:%3:%4")
                          .arg(opKindName(op))
                          .arg(count)
                          .arg(loadModeName(mode))
                          .arg(rep);
        s.label =
            QStringLiteral("%1 %2 n=%3 #%4").arg(opKindName(op), loadModeName(mode)).arg(count).arg(rep + 1);
        return s;
    };
    for (OpKind op : {OpKind::Add, OpKind::Search, OpKind::Delete}) {
        if (faithful) {
            // The tutorial's order: async 10, async 100, then sync 10, sync 100.
            for (int rep = 0; rep < std::max(1, repeats); ++rep)
                for (LoadMode mode : {LoadMode::Async, LoadMode::Sync})
                    for (qint64 count : counts)
                        plan.runs.append(spec(op, mode, count, rep));
        } else {
            for (qint64 count : counts)
                for (int rep = 0; rep < std::max(1, repeats); ++rep)
                    for (LoadMode mode : {LoadMode::Async, LoadMode::Sync})
                        plan.runs.append(spec(op, mode, count, rep));
        }
    }
    return plan;
}

TutorialTable TutorialPreset::table(const QList<RunResult> &runs)
{
    struct Acc
    {
        TutorialRow row;
        LatencyHistogram asyncLatency;
        LatencyHistogram syncLatency;
        LatencyHistogram asyncToComplete;
        qint64 asyncEmbed = 0;
        qint64 asyncMilvus = 0;
        qint64 syncEmbed = 0;
        qint64 syncMilvus = 0;
    };
    QList<Acc> rows;
    for (const RunResult &run : runs) {
        const Key key = parseKey(run.spec.presetKey);
        if (!key.valid || run.phases.isEmpty())
            continue;
        auto it = std::find_if(rows.begin(), rows.end(),
                               [&](const Acc &a) { return a.row.op == key.op && a.row.count == key.count; });
        if (it == rows.end()) {
            Acc a;
            a.row.op = key.op;
            a.row.count = key.count;
            rows.append(a);
            it = rows.end() - 1;
        }
        const PhaseResult &p = run.phases.first();
        const bool isAsync = key.mode == QLatin1String("async");
        // Seconds per run as the tutorial times it; the faithful first add's store setup included.
        (isAsync ? it->row.asyncSeconds : it->row.syncSeconds)
            .append(p.seconds() + double(run.timedSetupNs) / 1e9);
        (isAsync ? it->asyncLatency : it->syncLatency).merge(p.latencyUncorrected);
        if (isAsync)
            it->asyncToComplete.merge(p.latency);
        it->row.firstOpStalls += p.firstOpStalled() ? 1 : 0;
        it->row.unbalanced += p.balanced() ? 0 : 1;
        (isAsync ? it->asyncEmbed : it->syncEmbed) += p.embedding.sum();
        (isAsync ? it->asyncMilvus : it->syncMilvus) += p.milvus.sum();
        it->row.errors += p.failed + p.abandoned;
        if (run.integrity.checked && !run.integrity.ok())
            it->row.integrityDifferences += 1;
    }
    auto share = [](qint64 embed, qint64 milvus) {
        return embed + milvus > 0 ? double(embed) / double(embed + milvus) : 0.0;
    };
    TutorialTable table;
    table.method = method();
    for (Acc &a : rows) {
        a.row.async = SpeedupStatistics::mean(a.row.asyncSeconds);
        a.row.sync = SpeedupStatistics::mean(a.row.syncSeconds);
        a.row.speedup = SpeedupStatistics::ratioOfMeans(a.row.syncSeconds, a.row.asyncSeconds);
        a.row.asyncLatency = LatencySummary::of(a.asyncLatency);
        a.row.syncLatency = LatencySummary::of(a.syncLatency);
        a.row.asyncTimeToComplete = LatencySummary::of(a.asyncToComplete);
        a.row.asyncEmbeddingShare = share(a.asyncEmbed, a.asyncMilvus);
        a.row.syncEmbeddingShare = share(a.syncEmbed, a.syncMilvus);
        table.rows.append(a.row);
    }
    return table;
}

QJsonObject TutorialTable::toJson() const
{
    QJsonArray out;
    for (const TutorialRow &r : rows) {
        QJsonArray a;
        QJsonArray s;
        for (double v : r.asyncSeconds)
            a.append(v);
        for (double v : r.syncSeconds)
            s.append(v);
        out.append(QJsonObject{{QStringLiteral("op"), r.op},
                               {QStringLiteral("count"), double(r.count)},
                               {QStringLiteral("asyncSeconds"), a},
                               {QStringLiteral("syncSeconds"), s},
                               {QStringLiteral("async"), r.async.toJson()},
                               {QStringLiteral("sync"), r.sync.toJson()},
                               {QStringLiteral("speedup"), r.speedup.toJson()},
                               {QStringLiteral("asyncLatency"), r.asyncLatency.toJson()},
                               {QStringLiteral("syncLatency"), r.syncLatency.toJson()},
                               {QStringLiteral("asyncEmbeddingShare"), r.asyncEmbeddingShare},
                               {QStringLiteral("syncEmbeddingShare"), r.syncEmbeddingShare},
                               {QStringLiteral("errors"), double(r.errors)},
                               {QStringLiteral("integrityProblems"), double(r.integrityDifferences)},
                               {QStringLiteral("asyncTimeToComplete"), r.asyncTimeToComplete.toJson()},
                               {QStringLiteral("firstOpStalls"), double(r.firstOpStalls)},
                               {QStringLiteral("unbalancedPhases"), double(r.unbalanced)}});
    }
    return QJsonObject{{QStringLiteral("method"), method}, {QStringLiteral("rows"), out}};
}

} // namespace mx
