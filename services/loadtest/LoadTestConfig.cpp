#include "LoadTestConfig.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace mx {

QList<MixEntry> parseMix(const QString &spec, QString *error)
{
    QList<MixEntry> out;
    for (const QString &part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList kv = part.trimmed().split(QLatin1Char(':'));
        const auto op = opKindFromName(kv.value(0).trimmed());
        bool ok = kv.size() == 1;
        const int weight = kv.size() == 2 ? kv.at(1).trimmed().toInt(&ok) : 1;
        if (!op || *op == OpKind::Mix || !ok || weight < 0 || kv.size() > 2) {
            if (error)
                *error = QStringLiteral("mix entry '%1' is not op:weight with op one of add, search, delete, "
                                        "upsert, query")
                             .arg(part.trimmed());
            return {};
        }
        out.append({*op, weight});
    }
    if (out.isEmpty() && error)
        *error = QStringLiteral("the mix is empty");
    return out;
}

QString mixToString(const QList<MixEntry> &mix)
{
    QStringList parts;
    for (const auto &m : mix)
        parts.append(QStringLiteral("%1:%2").arg(opKindName(m.op)).arg(m.weight));
    return parts.join(QLatin1Char(','));
}

qint64 RunSpec::effectiveStoreDocs() const
{
    if (storeDocs >= 0)
        return storeDocs;
    return op == OpKind::Add ? 0 : 1000;
}

bool RunSpec::writes() const
{
    switch (op) {
    case OpKind::Add:
    case OpKind::Delete:
    case OpKind::Upsert:
        return true;
    case OpKind::Search:
    case OpKind::Query:
        return false;
    case OpKind::Mix:
        for (const auto &m : mix)
            if (m.weight > 0 && (m.op == OpKind::Add || m.op == OpKind::Delete || m.op == OpKind::Upsert))
                return true;
        return false;
    }
    return true;
}

QString RunSpec::describe() const
{
    QString what = op == OpKind::Mix ? QStringLiteral("mix(%1)").arg(mixToString(mix)) : opKindName(op);
    QString how = loadModeName(mode);
    if (mode == LoadMode::Bounded)
        how += QStringLiteral(" c=%1").arg(concurrency);
    else if (mode == LoadMode::Sweep)
        how += QStringLiteral(" c<=%1").arg(concurrency);
    else if (mode == LoadMode::Rate)
        how += QStringLiteral(" %1/s").arg(rate);
    if (effectiveChannels() > 1)
        how += QStringLiteral(" ch=%1").arg(channels);
    const QString bound = durationMs > 0 ? QStringLiteral("%1 s").arg(double(durationMs) / 1000.0)
                                         : QStringLiteral("n=%1").arg(count);
    return QStringLiteral("%1 %2 %3").arg(what, how, bound);
}

QJsonObject RunSpec::toJson() const
{
    return QJsonObject{
        {QStringLiteral("label"), label},
        {QStringLiteral("op"), opKindName(op)},
        {QStringLiteral("mix"), mixToString(mix)},
        {QStringLiteral("mode"), loadModeName(mode)},
        {QStringLiteral("count"), double(count)},
        {QStringLiteral("durationMs"), double(durationMs)},
        {QStringLiteral("concurrency"), concurrency},
        {QStringLiteral("channels"), channels},
        {QStringLiteral("rate"), rate},
        {QStringLiteral("warmupOps"), double(warmupOps)},
        {QStringLiteral("warmupMs"), double(warmupMs)},
        {QStringLiteral("batch"), batch},
        {QStringLiteral("k"), k},
        {QStringLiteral("filter"), filter},
        {QStringLiteral("precomputedVectors"), precomputedVectors},
        {QStringLiteral("deleteByPrimaryKey"), deleteByPrimaryKey},
        {QStringLiteral("storeDocs"), double(effectiveStoreDocs())},
        {QStringLiteral("sharedStore"), sharedStore},
        {QStringLiteral("opTimeoutMs"), double(opTimeoutMs)},
        {QStringLiteral("presetKey"), presetKey},
        {QStringLiteral("searchParams"), searchParams},
        {QStringLiteral("outputFields"),
         outputFields ? QJsonValue(QJsonArray::fromStringList(*outputFields)) : QJsonValue()},
        {QStringLiteral("consistency"), consistency ? consistencyLevelName(*consistency) : QString()},
        {QStringLiteral("randomVectorsOnMismatch"), randomVectorsOnMismatch},
        {QStringLiteral("recall"), recall},
        {QStringLiteral("deleteExactDocs"), deleteExactDocs},
        {QStringLiteral("storeGroup"), storeGroup},
        {QStringLiteral("setupTimed"), setupTimed},
        {QStringLiteral("drainTimeoutMs"), double(drainTimeoutMs)},
    };
}

std::optional<ConsistencyLevel> consistencyFromName(const QString &name)
{
    for (ConsistencyLevel l : {ConsistencyLevel::Strong, ConsistencyLevel::Session, ConsistencyLevel::Bounded,
                               ConsistencyLevel::Eventually})
        if (consistencyLevelName(l).compare(name, Qt::CaseInsensitive) == 0)
            return l;
    return std::nullopt;
}

namespace {
// A whole number from a report or plan; beyond +-2^62 it is no setting anyone made (and converting a
// double beyond 2^63 is undefined, found by fuzz_loadtest_report): the fallback then.
qint64 wholeNumber(const QJsonValue &v, double fallback)
{
    const double d = v.toDouble(fallback);
    constexpr double kLimit = double(qint64(1) << 62);
    return d > -kLimit && d < kLimit ? qint64(d) : qint64(fallback);
}
} // namespace

RunSpec RunSpec::fromJson(const QJsonObject &j)
{
    RunSpec s;
    s.label = j.value(QStringLiteral("label")).toString();
    s.op = opKindFromName(j.value(QStringLiteral("op")).toString()).value_or(OpKind::Search);
    s.mix = parseMix(j.value(QStringLiteral("mix")).toString(), nullptr);
    s.mode = loadModeFromName(j.value(QStringLiteral("mode")).toString()).value_or(LoadMode::Sync);
    s.count = wholeNumber(j.value(QStringLiteral("count")), 0);
    s.durationMs = wholeNumber(j.value(QStringLiteral("durationMs")), 0);
    s.concurrency = j.value(QStringLiteral("concurrency")).toInt(1);
    s.channels = j.value(QStringLiteral("channels")).toInt(1); // absent in older reports: one channel
    s.rate = j.value(QStringLiteral("rate")).toDouble();
    s.warmupOps = wholeNumber(j.value(QStringLiteral("warmupOps")), 0);
    s.warmupMs = wholeNumber(j.value(QStringLiteral("warmupMs")), 0);
    s.batch = j.value(QStringLiteral("batch")).toInt(1);
    s.k = j.value(QStringLiteral("k")).toInt(3);
    s.filter = j.value(QStringLiteral("filter")).toString();
    s.precomputedVectors = j.value(QStringLiteral("precomputedVectors")).toBool();
    s.deleteByPrimaryKey = j.value(QStringLiteral("deleteByPrimaryKey")).toBool();
    s.storeDocs = wholeNumber(j.value(QStringLiteral("storeDocs")), -1);
    s.sharedStore = j.value(QStringLiteral("sharedStore")).toBool();
    s.opTimeoutMs = wholeNumber(j.value(QStringLiteral("opTimeoutMs")), 30000);
    s.presetKey = j.value(QStringLiteral("presetKey")).toString();
    s.searchParams = j.value(QStringLiteral("searchParams")).toObject();
    if (j.value(QStringLiteral("outputFields")).isArray()) {
        QStringList fields;
        for (const QJsonValue &v : j.value(QStringLiteral("outputFields")).toArray())
            fields.append(v.toString());
        s.outputFields = fields;
    }
    s.consistency = consistencyFromName(j.value(QStringLiteral("consistency")).toString());
    s.randomVectorsOnMismatch = j.value(QStringLiteral("randomVectorsOnMismatch")).toBool();
    s.recall = j.value(QStringLiteral("recall")).toBool();
    s.deleteExactDocs = j.value(QStringLiteral("deleteExactDocs")).toBool();
    s.storeGroup = j.value(QStringLiteral("storeGroup")).toString();
    s.setupTimed = j.value(QStringLiteral("setupTimed")).toBool();
    s.drainTimeoutMs = wholeNumber(j.value(QStringLiteral("drainTimeoutMs")), 0);
    return s;
}

QString LoadTestPlan::validate() const
{
    if (runs.isEmpty())
        return QStringLiteral("the plan has no runs");
    if (scratchPrefix.isEmpty())
        return QStringLiteral("the scratch prefix must not be empty: it is what marks the collections the "
                              "tool may drop");
    for (QChar c : scratchPrefix)
        if (!(c.isLetterOrNumber() || c == QLatin1Char('_')) || c.unicode() > 127)
            return QStringLiteral("the scratch prefix '%1' may hold only ASCII letters, digits and '_'")
                .arg(scratchPrefix);
    if (!scratchPrefix.at(0).isLetter() && scratchPrefix.at(0) != QLatin1Char('_'))
        return QStringLiteral("the scratch prefix '%1' must start with a letter or '_'").arg(scratchPrefix);
    for (const RunSpec &r : runs) {
        if (!userCollection.isEmpty() && r.writes() && !allowWrites)
            return QStringLiteral(
                       "'%1' writes to collection '%2', which is not a scratch collection: confirm "
                       "writes explicitly (--allow-writes) or use a read-only operation")
                .arg(r.describe(), userCollection);
        if (r.op == OpKind::Mix && r.mix.isEmpty())
            return QStringLiteral("a mix needs at least one op:weight entry");
        if (r.count <= 0 && r.durationMs <= 0)
            return QStringLiteral("'%1' needs a count or a duration").arg(r.describe());
        if (r.mode == LoadMode::Async && r.count <= 0)
            return QStringLiteral("async (all at once) mode needs a count");
        if (r.mode == LoadMode::Rate && !(r.rate > 0))
            return QStringLiteral("rate mode needs --rate above 0");
        if ((r.mode == LoadMode::Bounded || r.mode == LoadMode::Sweep) && r.concurrency < 1)
            return QStringLiteral("bounded and sweep modes need a concurrency of at least 1");
        if (r.channels < 1 || r.channels > RunSpec::kMaxChannels)
            return QStringLiteral("channels must be 1 to %1, not %2")
                .arg(RunSpec::kMaxChannels)
                .arg(r.channels);
        if (r.batch < 1 || r.k < 1)
            return QStringLiteral("batch and k must be at least 1");
    }
    return {};
}

int LoadTestPlan::maxInFlight() const
{
    qint64 most = 1;
    for (const RunSpec &r : runs) {
        qint64 n = 1;
        switch (r.mode) {
        case LoadMode::Sync:
            break;
        case LoadMode::Async:
            n = std::max(r.count, r.warmupOps);
            break;
        case LoadMode::Bounded:
        case LoadMode::Sweep:
            n = r.concurrency;
            break;
        case LoadMode::Rate:
            n = r.concurrency > 0 ? r.concurrency : qint64(std::ceil(r.rate));
            break;
        }
        most = std::max(most, n);
    }
    return int(std::min<qint64>(most, 4096));
}

} // namespace mx
