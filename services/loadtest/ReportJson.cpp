#include "ReportJson.h"

#include "ScratchStore.h"
#include "TutorialPreset.h"

#include <QJsonArray>

namespace mx {

namespace {

using Json = QJsonObject;

QJsonValue num(qint64 v)
{
    constexpr qint64 kExact = qint64(1) << 53;
    return v > -kExact && v < kExact ? QJsonValue(double(v)) : QJsonValue(QString::number(v));
}

// A count or duration as the tool writes it. Anything at or beyond +-2^62 is no figure a run can make
// (and converting a double beyond 2^63 is undefined, found by fuzz_loadtest_report): it reads as the
// fallback, and merging two reports cannot overflow.
qint64 i64(const QJsonValue &v, qint64 fallback = 0)
{
    constexpr qint64 kLimit = qint64(1) << 62;
    if (v.isString()) {
        bool ok = false;
        const qint64 x = v.toString().toLongLong(&ok);
        return ok && x > -kLimit && x < kLimit ? x : fallback;
    }
    if (!v.isDouble())
        return fallback;
    const double d = v.toDouble();
    return d > -double(kLimit) && d < double(kLimit) ? qint64(d) : fallback;
}

QJsonObject intMap(const QMap<int, qint64> &m)
{
    QJsonObject o;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        o.insert(QString::number(it.key()), num(it.value()));
    return o;
}

QMap<int, qint64> intMapFrom(const QJsonObject &o)
{
    QMap<int, qint64> m;
    for (auto it = o.begin(); it != o.end(); ++it)
        m.insert(it.key().toInt(), i64(it.value()));
    return m;
}

QJsonObject stringMap(const QMap<QString, qint64> &m)
{
    QJsonObject o;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        o.insert(it.key(), num(it.value()));
    return o;
}

QMap<QString, qint64> stringMapFrom(const QJsonObject &o)
{
    QMap<QString, qint64> m;
    for (auto it = o.begin(); it != o.end(); ++it)
        m.insert(it.key(), i64(it.value()));
    return m;
}

QJsonArray strings(const QStringList &l)
{
    return QJsonArray::fromStringList(l);
}

QJsonArray numbers(const QList<qint64> &l)
{
    QJsonArray out;
    for (qint64 v : l)
        out.append(num(v));
    return out;
}

QStringList stringsFrom(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &s : v.toArray())
        out.append(s.toString());
    return out;
}

bool histogramFrom(const QJsonValue &v, const char *what, LatencyHistogram *out, QString *error)
{
    QString why;
    if (!LatencyHistogram::fromJson(v.toObject(), out, &why)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QLatin1String(what), why);
        return false;
    }
    return true;
}

} // namespace

QJsonObject ReportJson::errorsToJson(const ErrorStats &e)
{
    return Json{{QStringLiteral("total"), num(e.total)},
                {QStringLiteral("byKind"), stringMap(e.byKind)},
                {QStringLiteral("byGrpcStatus"), intMap(e.byGrpcStatus)},
                {QStringLiteral("byMilvusCode"), intMap(e.byMilvusCode)},
                {QStringLiteral("samples"), strings(e.samples)}};
}

ErrorStats ReportJson::errorsFromJson(const QJsonObject &j)
{
    ErrorStats e;
    e.total = i64(j.value(QStringLiteral("total")));
    e.byKind = stringMapFrom(j.value(QStringLiteral("byKind")).toObject());
    e.byGrpcStatus = intMapFrom(j.value(QStringLiteral("byGrpcStatus")).toObject());
    e.byMilvusCode = intMapFrom(j.value(QStringLiteral("byMilvusCode")).toObject());
    e.samples = stringsFrom(j.value(QStringLiteral("samples")));
    return e;
}

QJsonObject ReportJson::integrityToJson(const IntegrityResult &i)
{
    Json o{{QStringLiteral("checked"), i.checked}};
    if (!i.checked)
        return o;
    o.insert(QStringLiteral("collection"), i.collection);
    o.insert(QStringLiteral("before"), num(i.before));
    o.insert(QStringLiteral("inserted"), num(i.inserted));
    o.insert(QStringLiteral("deleted"), num(i.deleted));
    o.insert(QStringLiteral("expected"), num(i.expected));
    o.insert(QStringLiteral("actual"), num(i.actual));
    o.insert(QStringLiteral("difference"), num(i.difference()));
    o.insert(QStringLiteral("unknownOutcomeWrites"), num(i.unknownOutcomeWrites));
    o.insert(QStringLiteral("ok"), i.ok());
    o.insert(QStringLiteral("error"), i.error);
    o.insert(QStringLiteral("summary"), i.describe());
    return o;
}

IntegrityResult ReportJson::integrityFromJson(const QJsonObject &j)
{
    IntegrityResult i;
    i.checked = j.value(QStringLiteral("checked")).toBool();
    i.collection = j.value(QStringLiteral("collection")).toString();
    i.before = i64(j.value(QStringLiteral("before")));
    i.inserted = i64(j.value(QStringLiteral("inserted")));
    i.deleted = i64(j.value(QStringLiteral("deleted")));
    i.expected = i64(j.value(QStringLiteral("expected")));
    i.actual = i64(j.value(QStringLiteral("actual")));
    i.unknownOutcomeWrites = i64(j.value(QStringLiteral("unknownOutcomeWrites")));
    i.error = j.value(QStringLiteral("error")).toString();
    return i;
}

QJsonObject ReportJson::intervalToJson(const IntervalMetrics &m)
{
    return Json{{QStringLiteral("index"), num(m.index)},
                {QStringLiteral("startNs"), num(m.startNs)},
                {QStringLiteral("durationNs"), num(m.durationNs)},
                {QStringLiteral("completed"), num(m.completed)},
                {QStringLiteral("failed"), num(m.failed)},
                {QStringLiteral("cancelled"), num(m.cancelled)},
                {QStringLiteral("rows"), num(m.rows)},
                {QStringLiteral("inFlight"), num(m.inFlight)},
                {QStringLiteral("maxInFlight"), num(m.maxInFlight)},
                {QStringLiteral("embeddingNs"), num(m.embeddingNs)},
                {QStringLiteral("milvusNs"), num(m.milvusNs)},
                {QStringLiteral("senderCpuNs"), num(m.senderCpuNs)},
                {QStringLiteral("processCpuNs"), num(m.processCpuNs)},
                {QStringLiteral("latency"), m.latency.toJson(false)},
                {QStringLiteral("latencyUncorrected"), m.latencyUncorrected.toJson(false)},
                {QStringLiteral("derived"),
                 Json{{QStringLiteral("opsPerSecond"), m.opsPerSecond()},
                      {QStringLiteral("rowsPerSecond"), m.rowsPerSecond()},
                      {QStringLiteral("senderSaturated"), m.senderSaturated()},
                      {QStringLiteral("latency"), m.latencySummary.toJson()},
                      {QStringLiteral("latencyUncorrected"), m.uncorrectedSummary.toJson()}}}};
}

bool ReportJson::intervalFromJson(const QJsonObject &j, IntervalMetrics *out, QString *error)
{
    IntervalMetrics m;
    m.index = i64(j.value(QStringLiteral("index")));
    m.startNs = i64(j.value(QStringLiteral("startNs")));
    m.durationNs = i64(j.value(QStringLiteral("durationNs")));
    m.completed = i64(j.value(QStringLiteral("completed")));
    m.failed = i64(j.value(QStringLiteral("failed")));
    m.cancelled = i64(j.value(QStringLiteral("cancelled")));
    m.rows = i64(j.value(QStringLiteral("rows")));
    m.inFlight = i64(j.value(QStringLiteral("inFlight")));
    m.maxInFlight = i64(j.value(QStringLiteral("maxInFlight")));
    m.embeddingNs = i64(j.value(QStringLiteral("embeddingNs")));
    m.milvusNs = i64(j.value(QStringLiteral("milvusNs")));
    m.senderCpuNs = i64(j.value(QStringLiteral("senderCpuNs")));
    m.processCpuNs = i64(j.value(QStringLiteral("processCpuNs")));
    if (!LatencyHistogram::Sparse::fromJson(j.value(QStringLiteral("latency")).toObject(), &m.latency,
                                            error) ||
        !LatencyHistogram::Sparse::fromJson(j.value(QStringLiteral("latencyUncorrected")).toObject(),
                                            &m.latencyUncorrected, error))
        return false;
    m.latencySummary = LatencySummary::of(m.latency);
    m.uncorrectedSummary = LatencySummary::of(m.latencyUncorrected);
    *out = m;
    return true;
}

QJsonObject ReportJson::phaseToJson(const PhaseResult &p)
{
    QJsonArray intervals;
    for (qsizetype i = 0; i < p.intervals.size(); ++i)
        intervals.append(intervalToJson(p.intervals.at(i)));
    return Json{
        {QStringLiteral("label"), p.label},
        {QStringLiteral("op"), opKindName(p.op)},
        {QStringLiteral("mode"), loadModeName(p.mode)},
        {QStringLiteral("concurrency"), p.concurrency},
        {QStringLiteral("targetRate"), p.targetRate},
        {QStringLiteral("batch"), p.batch},
        {QStringLiteral("startedAtMs"), num(p.startedAtMs)},
        {QStringLiteral("wallNs"), num(p.wallNs)},
        {QStringLiteral("sendSpanNs"), num(p.sendSpanNs)},
        {QStringLiteral("maxSendLagNs"), num(p.maxSendLagNs)},
        {QStringLiteral("issued"), num(p.issued)},
        {QStringLiteral("completed"), num(p.completed)},
        {QStringLiteral("failed"), num(p.failed)},
        {QStringLiteral("cancelled"), num(p.cancelled)},
        {QStringLiteral("abandoned"), num(p.abandoned)},
        {QStringLiteral("rows"), num(p.rows)},
        {QStringLiteral("insertedRows"), num(p.insertedRows)},
        {QStringLiteral("deletedRows"), num(p.deletedRows)},
        {QStringLiteral("upsertedRows"), num(p.upsertedRows)},
        {QStringLiteral("unknownOutcomeWrites"), num(p.unknownOutcomeWrites)},
        {QStringLiteral("abandonedWrites"), num(p.abandonedWrites)},
        {QStringLiteral("serverDeleteCount"), num(p.serverDeleteCount)},
        {QStringLiteral("timedOut"), num(p.timedOut)},
        {QStringLiteral("firstOpServiceNs"), num(p.firstOpServiceNs)},
        {QStringLiteral("maxInFlight"), num(p.maxInFlight)},
        {QStringLiteral("stopped"), p.stopped},
        {QStringLiteral("latency"), p.latency.toJson()},
        {QStringLiteral("latencyUncorrected"), p.latencyUncorrected.toJson()},
        {QStringLiteral("failedLatency"), p.failedLatency.toJson()},
        {QStringLiteral("embedding"), p.embedding.toJson()},
        {QStringLiteral("milvus"), p.milvus.toJson()},
        {QStringLiteral("errors"), errorsToJson(p.errors)},
        {QStringLiteral("cpu"), Json{{QStringLiteral("senderThreadNs"), num(p.cpu.senderThreadNs)},
                                     {QStringLiteral("processNs"), num(p.cpu.processNs)},
                                     {QStringLiteral("grpcThreadsNs"), num(p.cpu.grpcThreadsNs)},
                                     {QStringLiteral("busiestThread"), p.cpu.busiestThread},
                                     {QStringLiteral("busiestThreadNs"), num(p.cpu.busiestThreadNs)},
                                     {QStringLiteral("embedderThreadsNs"), num(p.cpu.embedderThreadsNs)},
                                     {QStringLiteral("workThreadsNs"), num(p.cpu.workThreadsNs)},
                                     {QStringLiteral("busiestWorkThread"), p.cpu.busiestWorkThread},
                                     {QStringLiteral("busiestWorkThreadNs"), num(p.cpu.busiestWorkThreadNs)},
                                     {QStringLiteral("cores"), p.cpu.cores},
                                     {QStringLiteral("wallNs"), num(p.cpu.wallNs)}}},
        {QStringLiteral("completedByOp"), stringMap(p.completedByOp)},
        {QStringLiteral("intervals"), intervals},
        {QStringLiteral("derived"),
         Json{{QStringLiteral("seconds"), p.seconds()},
              {QStringLiteral("throughput"), p.throughput()},
              {QStringLiteral("rowsPerSecond"), p.rowsPerSecond()},
              {QStringLiteral("achievedSendRate"), p.achievedSendRate()},
              {QStringLiteral("latency"), LatencySummary::of(p.latency).toJson()},
              {QStringLiteral("latencyUncorrected"), LatencySummary::of(p.latencyUncorrected).toJson()},
              {QStringLiteral("latencyMeasures"), p.latencyName()},
              {QStringLiteral("latencyUncorrectedMeasures"), QStringLiteral("service time (send to answer)")},
              {QStringLiteral("failedLatency"), LatencySummary::of(p.failedLatency).toJson()},
              {QStringLiteral("balanced"), p.balanced()},
              {QStringLiteral("firstOpStalled"), p.firstOpStalled()},
              {QStringLiteral("embedding"), LatencySummary::of(p.embedding).toJson()},
              {QStringLiteral("milvus"), LatencySummary::of(p.milvus).toJson()},
              {QStringLiteral("senderCpuPerOpNs"), num(p.senderCpuPerOpNs())},
              {QStringLiteral("processCpuPerOpNs"), num(p.processCpuPerOpNs())},
              {QStringLiteral("senderCoreFraction"), p.cpu.senderCoreFraction()},
              {QStringLiteral("senderSaturated"), p.cpu.senderSaturated()},
              {QStringLiteral("grpcCpuPerOpNs"), num(p.issued ? p.cpu.grpcThreadsNs / p.issued : 0)},
              {QStringLiteral("embedderCpuPerOpNs"), num(p.issued ? p.cpu.embedderThreadsNs / p.issued : 0)},
              {QStringLiteral("workCoresFraction"), p.cpu.workCoresFraction()},
              {QStringLiteral("clientSaturated"), p.cpu.clientSaturated()},
              {QStringLiteral("saturation"), p.cpu.saturationReason()},
              {QStringLiteral("saturatedIntervals"), p.saturatedIntervals()}}},
    };
}

bool ReportJson::phaseFromJson(const QJsonObject &j, PhaseResult *out, QString *error, int version)
{
    PhaseResult p;
    p.label = j.value(QStringLiteral("label")).toString();
    p.op = opKindFromName(j.value(QStringLiteral("op")).toString()).value_or(OpKind::Search);
    p.mode = loadModeFromName(j.value(QStringLiteral("mode")).toString()).value_or(LoadMode::Sync);
    p.concurrency = j.value(QStringLiteral("concurrency")).toInt();
    p.targetRate = j.value(QStringLiteral("targetRate")).toDouble();
    p.batch = j.value(QStringLiteral("batch")).toInt(1);
    p.startedAtMs = i64(j.value(QStringLiteral("startedAtMs")));
    p.wallNs = i64(j.value(QStringLiteral("wallNs")));
    p.sendSpanNs = i64(j.value(QStringLiteral("sendSpanNs")));
    p.maxSendLagNs = i64(j.value(QStringLiteral("maxSendLagNs")));
    p.issued = i64(j.value(QStringLiteral("issued")));
    p.completed = i64(j.value(QStringLiteral("completed")));
    p.failed = i64(j.value(QStringLiteral("failed")));
    p.cancelled = i64(j.value(QStringLiteral("cancelled")));
    p.abandoned = i64(j.value(QStringLiteral("abandoned")));
    p.rows = i64(j.value(QStringLiteral("rows")));
    p.insertedRows = i64(j.value(QStringLiteral("insertedRows")));
    p.deletedRows = i64(j.value(QStringLiteral("deletedRows")));
    p.upsertedRows = i64(j.value(QStringLiteral("upsertedRows")));
    p.unknownOutcomeWrites = i64(j.value(QStringLiteral("unknownOutcomeWrites")));
    p.abandonedWrites = i64(j.value(QStringLiteral("abandonedWrites")));
    p.serverDeleteCount = i64(j.value(QStringLiteral("serverDeleteCount")));
    p.timedOut = i64(j.value(QStringLiteral("timedOut")));
    p.firstOpServiceNs = i64(j.value(QStringLiteral("firstOpServiceNs")), -1);
    p.maxInFlight = i64(j.value(QStringLiteral("maxInFlight")));
    p.stopped = j.value(QStringLiteral("stopped")).toBool();
    if (!histogramFrom(j.value(QStringLiteral("latency")), "latency", &p.latency, error) ||
        !histogramFrom(j.value(QStringLiteral("latencyUncorrected")), "latencyUncorrected",
                       &p.latencyUncorrected, error) ||
        !histogramFrom(j.value(QStringLiteral("embedding")), "embedding", &p.embedding, error) ||
        !histogramFrom(j.value(QStringLiteral("milvus")), "milvus", &p.milvus, error))
        return false;
    if (j.contains(QStringLiteral("failedLatency")) &&
        !histogramFrom(j.value(QStringLiteral("failedLatency")), "failedLatency", &p.failedLatency, error))
        return false;
    // Version 1 held successes only; version 2 also the timeouts, at their deadline.
    const qint64 expectedLatencies = p.completed + (version >= 2 ? p.timedOut : 0);
    if (p.latency.count() != expectedLatencies) {
        if (error)
            *error = QStringLiteral("phase '%1': %2 completed (and timed-out) operations but %3 latencies")
                         .arg(p.label)
                         .arg(expectedLatencies)
                         .arg(p.latency.count());
        return false;
    }
    p.errors = errorsFromJson(j.value(QStringLiteral("errors")).toObject());
    const Json cpu = j.value(QStringLiteral("cpu")).toObject();
    p.cpu.senderThreadNs = i64(cpu.value(QStringLiteral("senderThreadNs")));
    p.cpu.processNs = i64(cpu.value(QStringLiteral("processNs")));
    p.cpu.grpcThreadsNs = i64(cpu.value(QStringLiteral("grpcThreadsNs")));
    p.cpu.busiestThread = cpu.value(QStringLiteral("busiestThread")).toString();
    p.cpu.busiestThreadNs = i64(cpu.value(QStringLiteral("busiestThreadNs")));
    p.cpu.embedderThreadsNs = i64(cpu.value(QStringLiteral("embedderThreadsNs")));
    // Reports before the work-thread split: the sender and gRPC threads are the work threads known.
    p.cpu.workThreadsNs =
        i64(cpu.value(QStringLiteral("workThreadsNs")), p.cpu.senderThreadNs + p.cpu.grpcThreadsNs);
    p.cpu.busiestWorkThread = cpu.value(QStringLiteral("busiestWorkThread")).toString();
    p.cpu.busiestWorkThreadNs = i64(cpu.value(QStringLiteral("busiestWorkThreadNs")));
    p.cpu.cores = cpu.value(QStringLiteral("cores")).toInt();
    p.cpu.wallNs = i64(cpu.value(QStringLiteral("wallNs")));
    p.completedByOp = stringMapFrom(j.value(QStringLiteral("completedByOp")).toObject());
    for (const QJsonValue &v : j.value(QStringLiteral("intervals")).toArray()) {
        IntervalMetrics m;
        if (!intervalFromJson(v.toObject(), &m, error))
            return false;
        p.intervals.append(m);
    }
    *out = p;
    return true;
}

QJsonObject ReportJson::toJson(const LoadTestReport &r)
{
    QJsonArray runs;
    for (const RunResult &run : r.runs) {
        QJsonArray phases;
        for (const PhaseResult &p : run.phases)
            phases.append(phaseToJson(p));
        runs.append(Json{{QStringLiteral("label"), run.label},
                         {QStringLiteral("spec"), run.spec.toJson()},
                         {QStringLiteral("collection"), run.collection},
                         {QStringLiteral("scratchCollection"), run.scratchCollection},
                         {QStringLiteral("storeDocs"), num(run.storeDocs)},
                         {QStringLiteral("setupNs"), num(run.setupNs)},
                         {QStringLiteral("warmupIssued"), num(run.warmupIssued)},
                         {QStringLiteral("warmupFailed"), num(run.warmupFailed)},
                         {QStringLiteral("timedSetupNs"), num(run.timedSetupNs)},
                         {QStringLiteral("readyWaitNs"), num(run.readyWaitNs)},
                         {QStringLiteral("readiness"), run.readiness},
                         {QStringLiteral("readConsistency"), run.readConsistency},
                         {QStringLiteral("milvusInFlightLimit"), run.milvusInFlightLimit},
                         {QStringLiteral("channels"), run.channels},
                         {QStringLiteral("operationsPerChannel"), numbers(run.operationsPerChannel)},
                         {QStringLiteral("recall"), run.recall.toJson()},
                         {QStringLiteral("phases"), phases},
                         {QStringLiteral("integrity"), integrityToJson(run.integrity)},
                         {QStringLiteral("error"), run.error},
                         {QStringLiteral("stopped"), run.stopped},
                         {QStringLiteral("warnings"), strings(run.warnings)}});
    }
    Json o{
        {QStringLiteral("schema"), LoadTestReport::schemaId()},
        {QStringLiteral("tool"), r.tool},
        {QStringLiteral("toolVersion"), r.toolVersion},
        {QStringLiteral("createdAt"), r.createdAt},
        {QStringLiteral("hosts"), strings(r.hosts)},
        {QStringLiteral("serverUri"), r.serverUri},
        {QStringLiteral("serverVersion"), r.serverVersion},
        {QStringLiteral("embedder"), r.embedder},
        {QStringLiteral("embedderSemantic"), r.embedderSemantic},
        {QStringLiteral("dimension"), r.dimension},
        {QStringLiteral("preset"), r.preset},
        {QStringLiteral("seed"), QString::number(r.seed)},
        {QStringLiteral("scratchPrefix"), r.scratchPrefix},
        {QStringLiteral("embeddingInFlight"), r.embeddingInFlight},
        {QStringLiteral("mergedFrom"), r.mergedFrom},
        {QStringLiteral("stopped"), r.stopped},
        {QStringLiteral("error"), r.error},
        {QStringLiteral("warnings"), strings(r.warnings)},
        {QStringLiteral("histogramLayout"),
         Json{{QStringLiteral("unit"), QStringLiteral("ns")},
              {QStringLiteral("lowestTrackableNs"), num(LatencyHistogram::kLowestNs)},
              {QStringLiteral("highestTrackableNs"), num(LatencyHistogram::kHighestNs)},
              {QStringLiteral("significantDigits"), LatencyHistogram::kSignificantDigits},
              {QStringLiteral("subBucketCount"), 2048}}},
        {QStringLiteral("runs"), runs},
        {QStringLiteral("totals"), Json{{QStringLiteral("completed"), num(r.totalCompleted())},
                                        {QStringLiteral("failed"), num(r.totalFailed())},
                                        {QStringLiteral("integrityProblems"), r.integrityProblems()},
                                        {QStringLiteral("integrityDifference"), num(r.integrityDifference())},
                                        {QStringLiteral("unbalancedPhases"), r.unbalancedPhases()},
                                        {QStringLiteral("stalledPhases"), r.stalledPhases()}}}};
    if (r.tutorial)
        o.insert(QStringLiteral("tutorial"), r.tutorial->toJson());
    return o;
}

bool ReportJson::fromJson(const QJsonObject &j, LoadTestReport *out, QString *error)
{
    const QString schema = j.value(QStringLiteral("schema")).toString();
    const int version = schema == LoadTestReport::schemaId()     ? 2
                        : schema == LoadTestReport::schemaIdV1() ? 1
                                                                 : 0;
    if (version == 0) {
        if (error)
            *error = QStringLiteral("not a %1 (or /1) report (schema is '%2')")
                         .arg(LoadTestReport::schemaId(), schema);
        return false;
    }
    LoadTestReport r;
    r.tool = j.value(QStringLiteral("tool")).toString();
    r.toolVersion = j.value(QStringLiteral("toolVersion")).toString();
    r.createdAt = j.value(QStringLiteral("createdAt")).toString();
    r.hosts = stringsFrom(j.value(QStringLiteral("hosts")));
    r.serverUri = j.value(QStringLiteral("serverUri")).toString();
    r.serverVersion = j.value(QStringLiteral("serverVersion")).toString();
    r.embedder = j.value(QStringLiteral("embedder")).toString();
    r.embedderSemantic = j.value(QStringLiteral("embedderSemantic")).toBool();
    r.dimension = j.value(QStringLiteral("dimension")).toInt();
    r.preset = j.value(QStringLiteral("preset")).toString();
    r.seed = j.value(QStringLiteral("seed")).toString().toULongLong();
    r.scratchPrefix = j.value(QStringLiteral("scratchPrefix")).toString(ScratchStore::prefix());
    r.embeddingInFlight = j.value(QStringLiteral("embeddingInFlight")).toInt();
    r.mergedFrom = j.value(QStringLiteral("mergedFrom")).toInt(1);
    r.stopped = j.value(QStringLiteral("stopped")).toBool();
    r.error = j.value(QStringLiteral("error")).toString();
    r.warnings = stringsFrom(j.value(QStringLiteral("warnings")));
    for (const QJsonValue &v : j.value(QStringLiteral("runs")).toArray()) {
        const Json rj = v.toObject();
        RunResult run;
        run.label = rj.value(QStringLiteral("label")).toString();
        run.spec = RunSpec::fromJson(rj.value(QStringLiteral("spec")).toObject());
        run.collection = rj.value(QStringLiteral("collection")).toString();
        run.scratchCollection = rj.value(QStringLiteral("scratchCollection")).toBool();
        run.storeDocs = i64(rj.value(QStringLiteral("storeDocs")));
        run.setupNs = i64(rj.value(QStringLiteral("setupNs")));
        run.warmupIssued = i64(rj.value(QStringLiteral("warmupIssued")));
        run.warmupFailed = i64(rj.value(QStringLiteral("warmupFailed")));
        run.timedSetupNs = i64(rj.value(QStringLiteral("timedSetupNs")));
        run.readyWaitNs = i64(rj.value(QStringLiteral("readyWaitNs")));
        run.readiness = rj.value(QStringLiteral("readiness")).toString();
        run.readConsistency = rj.value(QStringLiteral("readConsistency")).toString();
        run.milvusInFlightLimit = rj.value(QStringLiteral("milvusInFlightLimit")).toInt();
        run.channels = std::max(1, rj.value(QStringLiteral("channels")).toInt(1)); // absent: one (older)
        for (const QJsonValue &c : rj.value(QStringLiteral("operationsPerChannel")).toArray())
            run.operationsPerChannel.append(i64(c));
        run.recall = RecallResult::fromJson(rj.value(QStringLiteral("recall")).toObject());
        for (const QJsonValue &pv : rj.value(QStringLiteral("phases")).toArray()) {
            PhaseResult p;
            if (!phaseFromJson(pv.toObject(), &p, error, version))
                return false;
            run.phases.append(p);
        }
        run.integrity = integrityFromJson(rj.value(QStringLiteral("integrity")).toObject());
        run.error = rj.value(QStringLiteral("error")).toString();
        run.stopped = rj.value(QStringLiteral("stopped")).toBool();
        run.warnings = stringsFrom(rj.value(QStringLiteral("warnings")));
        r.runs.append(run);
    }
    // The table is derived data: computed again from the runs rather than trusted.
    if (TutorialPreset::isPreset(r.preset))
        r.tutorial = TutorialPreset::table(r.runs);
    // A report whose accounting does not add up is read (it is evidence) but flagged.
    if (const int bad = r.unbalancedPhases(); bad > 0)
        r.warnings.append(
            QStringLiteral("%1 phase(s) break issued = completed + failed + cancelled + abandoned").arg(bad));
    *out = r;
    return true;
}

} // namespace mx
