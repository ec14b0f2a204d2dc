#include "ReportSummary.h"

#include <QLocale>

namespace mx {

namespace {

constexpr qsizetype kCompactAbove = 6;

QString pad(const QString &s, int width)
{
    return width < 0 ? s.leftJustified(-width) : s.rightJustified(width);
}

QString grpcStatusName(int code)
{
    static const char *const kNames[] = {
        "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
        "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
        "DATA_LOSS", "UNAUTHENTICATED"};
    return code >= 0 && code < int(std::size(kNames)) ? QString::fromLatin1(kNames[code])
                                                      : QStringLiteral("status %1").arg(code);
}

QString errorLine(const ErrorStats &e)
{
    QStringList parts;
    for (auto it = e.byKind.cbegin(); it != e.byKind.cend(); ++it)
        parts.append(QStringLiteral("%1: %2").arg(it.key()).arg(it.value()));
    for (auto it = e.byGrpcStatus.cbegin(); it != e.byGrpcStatus.cend(); ++it)
        parts.append(
            QStringLiteral("gRPC %1 (%2): %3").arg(grpcStatusName(it.key())).arg(it.key()).arg(it.value()));
    for (auto it = e.byMilvusCode.cbegin(); it != e.byMilvusCode.cend(); ++it)
        parts.append(QStringLiteral("Milvus code %1: %2").arg(it.key()).arg(it.value()));
    return parts.join(QStringLiteral("; "));
}

bool needsALook(const RunResult &run)
{
    if (!run.error.isEmpty() || run.stopped || !run.warnings.isEmpty() ||
        (run.integrity.checked && !run.integrity.ok()) || !run.integrity.error.isEmpty())
        return true;
    if (run.recall.measured || !run.recall.error.isEmpty())
        return true;
    for (const PhaseResult &p : run.phases)
        if (p.failed > 0 || p.abandoned > 0 || p.cpu.clientSaturated() || !p.balanced() || p.firstOpStalled())
            return true;
    return false;
}

QStringList runDetails(const RunResult &run)
{
    QStringList out;
    for (const PhaseResult &p : run.phases) {
        const QString prefix =
            run.phases.size() > 1 ? QStringLiteral("  [%1] ").arg(p.label) : QStringLiteral("  ");
        const qint64 embed = p.embedding.sum();
        const qint64 milvus = p.milvus.sum();
        if (p.completed > 0 && p.embedding.count() > 0)
            out << prefix + QStringLiteral("time per op: embedding %1, Milvus %2 (embedding %3% of the two)")
                                .arg(ReportSummary::duration(embed / p.completed),
                                     ReportSummary::duration(milvus / p.completed))
                                .arg(100.0 * double(embed) / double(std::max<qint64>(embed + milvus, 1)), 0,
                                     'f', 1);
        else if (p.completed > 0)
            out << prefix + QStringLiteral("time per op: Milvus %1 (no embedding step)")
                                .arg(ReportSummary::duration(milvus / p.completed));
        const QString busiest =
            p.cpu.busiestWorkThread.isEmpty() ? p.cpu.busiestThread : p.cpu.busiestWorkThread;
        out << prefix +
                   QStringLiteral("client CPU per op: %1 (the whole process: everything it does; in the app "
                                  "also the panel's chart redraws); sending thread used %2% of a core, "
                                  "busiest working thread %3 %4%")
                       .arg(ReportSummary::cpuPerOperation(p))
                       .arg(100.0 * p.cpu.senderCoreFraction(), 0, 'f', 0)
                       .arg(busiest.isEmpty() ? QStringLiteral("?") : busiest)
                       .arg(100.0 * p.cpu.fractionOfCore(p.cpu.busiestWorkThread.isEmpty()
                                                             ? p.cpu.busiestThreadNs
                                                             : p.cpu.busiestWorkThreadNs),
                            0, 'f', 0);
        if (p.cpu.clientSaturated())
            out << prefix +
                       QStringLiteral("WARNING: the client saturated (%1): the client, not the server, may "
                                      "limit these numbers")
                           .arg(p.cpu.saturationReason());
        if (const int n = p.saturatedIntervals(); n > 0)
            out << prefix +
                       QStringLiteral("WARNING: the sending thread used 90% of a core or more in %1 of %2 "
                                      "100 ms intervals")
                           .arg(n)
                           .arg(p.intervals.size());
        if (p.mode == LoadMode::Async && p.completed > 0) {
            const LatencySummary t = LatencySummary::of(p.latency);
            out << prefix + QStringLiteral("time to complete (from the gather's start, not per-operation "
                                           "latency): p50 %1, p99 %2, max %3")
                                .arg(ReportSummary::duration(t.p50Ns), ReportSummary::duration(t.p99Ns),
                                     ReportSummary::duration(t.maxNs));
        }
        if (p.failedLatency.count() > 0) {
            const LatencySummary f = LatencySummary::of(p.failedLatency);
            out << prefix +
                       QStringLiteral("failures' own latency (send to failure): p50 %1, p99 %2, max %3; %4 "
                                      "timed out (counted at their deadline in the corrected figures)")
                           .arg(ReportSummary::duration(f.p50Ns), ReportSummary::duration(f.p99Ns),
                                ReportSummary::duration(f.maxNs))
                           .arg(p.timedOut);
        }
        if (p.firstOpStalled())
            out << prefix +
                       QStringLiteral("FIRST-OPERATION STALL: the first operation took %1 against a median "
                                      "of %2: the store was probably not ready")
                           .arg(ReportSummary::duration(p.firstOpServiceNs),
                                ReportSummary::duration(p.latencyUncorrected.percentile(50)));
        if (!p.balanced())
            out << prefix +
                       QStringLiteral("ACCOUNTING BROKEN: issued %1 != completed %2 + failed %3 + cancelled "
                                      "%4 + abandoned %5: do not trust this phase")
                           .arg(p.issued)
                           .arg(p.completed)
                           .arg(p.failed)
                           .arg(p.cancelled)
                           .arg(p.abandoned);
        if (p.op == OpKind::Delete || p.serverDeleteCount > 0)
            out << prefix +
                       QStringLiteral("deletes: %1 live rows named (counted), server delete_cnt %2 (keys "
                                      "named, not rows removed)")
                           .arg(p.deletedRows)
                           .arg(p.serverDeleteCount);
        if (p.failed > 0)
            out << prefix + QStringLiteral("ERRORS: %1 failed (%2)").arg(p.failed).arg(errorLine(p.errors));
        for (const QString &s : p.errors.samples)
            out << prefix + QStringLiteral("  e.g. %1").arg(s);
        if (p.cancelled > 0 || p.abandoned > 0)
            out << prefix +
                       QStringLiteral("%1 cancelled by stop, %2 abandoned (no answer in time; %3 of them "
                                      "writes of unknown outcome)")
                           .arg(p.cancelled)
                           .arg(p.abandoned)
                           .arg(p.abandonedWrites);
    }
    QStringList setup;
    if (!run.readiness.isEmpty())
        setup << QStringLiteral("store %1").arg(run.readiness);
    if (!run.readConsistency.isEmpty())
        setup << QStringLiteral("reads at %1").arg(run.readConsistency);
    setup << (run.milvusInFlightLimit > 0
                  ? QStringLiteral("Milvus in flight at most %1").arg(run.milvusInFlightLimit)
                  : QStringLiteral("Milvus in flight: no limit (all at once)"));
    setup << ReportSummary::channels(run);
    if (run.timedSetupNs > 0)
        setup << QStringLiteral("store setup %1 counted in the run's seconds (as the tutorial's first add)")
                     .arg(ReportSummary::duration(run.timedSetupNs));
    out << QStringLiteral("  %1").arg(setup.join(QStringLiteral("; ")));
    if (run.recall.measured || !run.recall.error.isEmpty())
        out << QStringLiteral("  %1").arg(run.recall.describe());
    if (run.warmupIssued > 0)
        out << QStringLiteral("  warm-up: %1 operations (%2 failed), not measured")
                   .arg(run.warmupIssued)
                   .arg(run.warmupFailed);
    if (run.integrity.checked || !run.integrity.error.isEmpty())
        out << QStringLiteral("  integrity: %1").arg(run.integrity.describe());
    if (run.stopped)
        out << QStringLiteral("  stopped before the end: partial results");
    if (!run.error.isEmpty())
        out << QStringLiteral("  RUN ERROR: %1").arg(run.error);
    for (const QString &w : run.warnings)
        out << QStringLiteral("  warning: %1").arg(w);
    return out;
}

} // namespace

QString ReportSummary::number(double v, int decimals)
{
    return QLocale::c().toString(v, 'f', decimals);
}

QString ReportSummary::channels(const RunResult &run)
{
    if (run.channels <= 1)
        return QStringLiteral("1 gRPC channel (one connection)");
    QStringList split;
    for (qint64 n : run.operationsPerChannel)
        split << QString::number(n);
    return QStringLiteral("%1 gRPC channels (connections)%2")
        .arg(run.channels)
        .arg(split.isEmpty() ? QString()
                             : QStringLiteral(", operations per channel ") + split.join(QLatin1Char('/')));
}

QString ReportSummary::cpuPerOperation(const PhaseResult &p)
{
    const qint64 ops = std::max<qint64>(p.issued, 1);
    return QStringLiteral("sending thread %1, gRPC threads %2, embedder threads %3, whole process %4")
        .arg(duration(p.senderCpuPerOpNs()), duration(p.cpu.grpcThreadsNs / ops),
             duration(p.cpu.embedderThreadsNs / ops), duration(p.processCpuPerOpNs()));
}

QString ReportSummary::duration(qint64 ns)
{
    const double v = double(ns);
    if (ns < 1'000'000)
        return QStringLiteral("%1 µs").arg(v / 1e3, 0, 'f', v < 1e4 ? 1 : 0);
    if (ns < 1'000'000'000)
        return QStringLiteral("%1 ms").arg(v / 1e6, 0, 'f', v < 1e7 ? 2 : 1);
    return QStringLiteral("%1 s").arg(v / 1e9, 0, 'f', 2);
}

QString ReportSummary::phaseHeader()
{
    // The percentile columns are per-operation service time (send to answer) in every mode; async's
    // time to complete and rate's corrected response time have lines of their own.
    return QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
        .arg(pad(QStringLiteral("phase"), -26), pad(QStringLiteral("ok"), 7),
             pad(QStringLiteral("failed"), 6), pad(QStringLiteral("wall"), 8),
             pad(QStringLiteral("ops/s"), 8), pad(QStringLiteral("rows/s"), 8), pad(QStringLiteral("p50"), 9),
             pad(QStringLiteral("p90"), 9), pad(QStringLiteral("p99"), 9))
        .arg(pad(QStringLiteral("p99.9"), 9), pad(QStringLiteral("max"), 9));
}

QString ReportSummary::phaseLine(const PhaseResult &p)
{
    const LatencySummary l = LatencySummary::of(p.latencyUncorrected);
    QString label = p.label;
    if (label.size() > 26) // keep both ends: the start names the operation, the end the variant
        label = label.left(12) + QStringLiteral("…") + label.right(13);
    QString line = QStringLiteral("  %1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
                       .arg(pad(label, -26), pad(QString::number(p.completed), 7),
                            pad(QString::number(p.failed + p.abandoned), 6), pad(duration(p.wallNs), 8),
                            pad(number(p.throughput(), 1), 8), pad(number(p.rowsPerSecond(), 1), 8),
                            pad(duration(l.p50Ns), 9), pad(duration(l.p90Ns), 9), pad(duration(l.p99Ns), 9))
                       .arg(pad(duration(l.p999Ns), 9), pad(duration(l.maxNs), 9));
    if (p.mode == LoadMode::Rate) {
        const LatencySummary u = LatencySummary::of(p.latency);
        // Columns of the line above: label, ok, failed, wall, ops/s, rows/s, then the percentiles.
        line += QStringLiteral("\n  %1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11")
                    .arg(pad(QStringLiteral("  corrected (from plan)"), -26), pad(QString(), 7),
                         pad(QString(), 6), pad(QString(), 8), pad(QString(), 8), pad(QString(), 8),
                         pad(duration(u.p50Ns), 9), pad(duration(u.p90Ns), 9), pad(duration(u.p99Ns), 9))
                    .arg(pad(duration(u.p999Ns), 9), pad(duration(u.maxNs), 9));
        line += QStringLiteral("\n    rate: target %1/s, sent %2/s, sender at most %3 behind schedule")
                    .arg(number(p.targetRate, 1), number(p.achievedSendRate(), 1), duration(p.maxSendLagNs));
    }
    return line;
}

QString ReportSummary::tutorialTable(const TutorialTable &t)
{
    QStringList out;
    out << QStringLiteral("The tutorial's table (seconds per run, mean [95% CI] over repeats):");
    out << QStringLiteral(
        "| op     | count | async s                  | sync s                   | sync/async [95% CI]    "
        "| async p99 | sync p99  | errors |");
    // p99 columns: per-operation service time (send to answer) in both modes, so they compare.
    out << QStringLiteral(
        "|--------|-------|--------------------------|--------------------------|------------------------"
        "|-----------|-----------|--------|");
    auto secs = [](const MeanEstimate &m) {
        if (m.n < 2)
            return QStringLiteral("%1 (n=%2)").arg(m.mean, 0, 'f', 3).arg(m.n);
        return QStringLiteral("%1 [%2, %3]")
            .arg(m.mean, 0, 'f', 3)
            .arg(m.low, 0, 'f', 3)
            .arg(m.high, 0, 'f', 3);
    };
    for (const TutorialRow &r : t.rows) {
        const QString speed =
            r.speedup.hasInterval
                ? QStringLiteral("%1x [%2, %3]")
                      .arg(r.speedup.ratio, 0, 'f', 1)
                      .arg(r.speedup.low, 0, 'f', 1)
                      .arg(r.speedup.high, 0, 'f', 1)
                : QStringLiteral("%1x (%2)").arg(r.speedup.ratio, 0, 'f', 1).arg(r.speedup.note);
        out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 | %8 |")
                   .arg(pad(r.op, -6), pad(QString::number(r.count), 5), pad(secs(r.async), -24),
                        pad(secs(r.sync), -24), pad(speed, -22), pad(duration(r.asyncLatency.p99Ns), 9),
                        pad(duration(r.syncLatency.p99Ns), 9), pad(QString::number(r.errors), 6));
    }
    for (const TutorialRow &r : t.rows)
        if (r.firstOpStalls > 0 || r.unbalanced > 0)
            out << QStringLiteral(
                       "WARNING: %1 n=%2: %3 phase(s) with a first-operation stall, %4 with broken "
                       "accounting: the row is suspect")
                       .arg(r.op)
                       .arg(r.count)
                       .arg(r.firstOpStalls)
                       .arg(r.unbalanced);
    out << QStringLiteral("p99 = service time per operation (send to answer) in both modes.");
    out << QStringLiteral("Method: %1.").arg(t.method);
    return out.join(QLatin1Char('\n'));
}

QString ReportSummary::text(const LoadTestReport &r)
{
    QStringList out;
    out << QStringLiteral("Milvus load test: %1 (server %2), embedder %3 (%4, dimension %5), host %6%7; "
                          "embedding requests in flight: %8; scratch prefix %9")
               .arg(r.serverUri,
                    r.serverVersion.isEmpty() ? QStringLiteral("version unknown") : r.serverVersion,
                    r.embedder,
                    r.embedderSemantic ? QStringLiteral("semantic") : QStringLiteral("lexical stand-in"))
               .arg(r.dimension)
               .arg(r.hosts.join(QStringLiteral(", ")),
                    r.mergedFrom > 1 ? QStringLiteral(" (merged from %1 reports)").arg(r.mergedFrom)
                                     : QString(),
                    r.embeddingInFlight > 0 ? QStringLiteral("at most %1").arg(r.embeddingInFlight)
                                            : QStringLiteral("no limit"),
                    r.scratchPrefix);
    if (!r.error.isEmpty())
        out << QStringLiteral("FAILED: %1").arg(r.error);
    // Many runs (the tutorial preset has 36): one line each, details only where something needs a look.
    const bool compact = r.runs.size() > kCompactAbove;
    if (compact) {
        out << QString();
        out << QStringLiteral("%1 runs (details below only for runs that need a look):").arg(r.runs.size());
        out << phaseHeader();
        for (const RunResult &run : r.runs) {
            for (const PhaseResult &p : run.phases)
                out << phaseLine(p);
            if (run.phases.isEmpty())
                out << QStringLiteral("  %1: no measurement (%2)").arg(run.label, run.error);
        }
    }
    for (qsizetype i = 0; i < r.runs.size(); ++i) {
        const RunResult &run = r.runs.at(i);
        if (compact && !needsALook(run))
            continue;
        out << QString();
        out << QStringLiteral("Run %1/%2: %3 on %4%5 (%6 documents before)")
                   .arg(i + 1)
                   .arg(r.runs.size())
                   .arg(run.label,
                        run.collection.isEmpty() ? QStringLiteral("(no collection)") : run.collection,
                        run.scratchCollection ? QStringLiteral(", scratch")
                                              : QStringLiteral(", USER COLLECTION"))
                   .arg(run.storeDocs);
        if (!run.phases.isEmpty() && !compact) {
            out << phaseHeader();
            for (const PhaseResult &p : run.phases)
                out << phaseLine(p);
        }
        out << runDetails(run);
    }
    if (r.tutorial) {
        out << QString();
        out << tutorialTable(*r.tutorial);
    }
    for (const QString &w : r.warnings)
        out << QStringLiteral("warning: %1").arg(w);
    out << QString();
    QStringList verdict;
    verdict
        << QStringLiteral("%1 operations succeeded, %2 failed").arg(r.totalCompleted()).arg(r.totalFailed());
    if (r.integrityProblems() > 0)
        verdict << QStringLiteral(
                       "INTEGRITY: %1 run(s) with a difference or a failed check (total |difference| "
                       "%2 rows)")
                       .arg(r.integrityProblems())
                       .arg(r.integrityDifference());
    if (r.stopped)
        verdict << QStringLiteral("stopped early");
    if (const int n = r.unbalancedPhases(); n > 0)
        verdict << QStringLiteral("ACCOUNTING BROKEN in %1 phase(s)").arg(n);
    if (const int n = r.stalledPhases(); n > 0)
        verdict << QStringLiteral("FIRST-OPERATION STALL in %1 phase(s)").arg(n);
    out << QStringLiteral("Result: %1").arg(verdict.join(QStringLiteral("; ")));
    return out.join(QLatin1Char('\n'));
}

} // namespace mx
