#include "PhaseResultsTable.h"

#include "ReportSummary.h"

#include <QHeaderView>

namespace mx {

PhaseResultsTable::PhaseResultsTable(QWidget *parent)
    : QTableWidget(0, ColumnCount, parent)
{
    setObjectName(QStringLiteral("phaseResults"));
    setHorizontalHeaderLabels({tr("Run"), tr("Op"), tr("Mode"), tr("Count"), tr("Seconds"), tr("ops/s"),
                               tr("rows/s"), tr("p50 service"), tr("p90 service"), tr("p99 service"),
                               tr("p99.9 service"), tr("max service"), tr("p99 to complete / corrected"),
                               tr("Recall@k"), tr("Client CPU / op"), tr("Conditions"), tr("Errors"),
                               tr("Integrity")});
    horizontalHeaderItem(ClientCpu)->setToolTip(
        tr("Client CPU per operation: the sending thread, gRPC's threads, and the whole process (everything "
           "it does, including this panel's chart redraws)"));
    horizontalHeaderItem(P50)->setToolTip(tr("Service time: from each operation's send to its answer"));
    horizontalHeaderItem(P99Other)->setToolTip(
        tr("Async: time from the gather's start to each answer. Rate: from each operation's planned start, "
           "timeouts at their deadline (coordinated-omission corrected)"));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    verticalHeader()->hide();
    setWordWrap(false);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
}

void PhaseResultsTable::setRuns(const QList<RunResult> &runs)
{
    int rows = 0;
    for (const RunResult &r : runs)
        rows += std::max<int>(1, int(r.phases.size()));
    setRowCount(rows);
    m_integrityProblems = 0;
    int row = 0;
    auto set = [&](int column, const QString &text, Qt::Alignment align = Qt::AlignRight) {
        auto *item = new QTableWidgetItem(text);
        item->setTextAlignment(align | Qt::AlignVCenter);
        setItem(row, column, item);
        return item;
    };
    for (const RunResult &run : runs) {
        const bool writes = run.spec.writes();
        const bool bad = run.integrity.checked ? !run.integrity.ok() : !run.integrity.error.isEmpty();
        m_integrityProblems += bad ? 1 : 0;
        const QString verdict =
            !writes && !run.integrity.checked ? tr("n/a (read-only)") : run.integrity.describe();
        if (run.phases.isEmpty()) {
            set(Run, run.label, Qt::AlignLeft);
            set(Errors, run.error.isEmpty() ? QStringLiteral("0") : run.error, Qt::AlignLeft);
            ++row;
            continue;
        }
        for (const PhaseResult &p : run.phases) {
            set(Run, p.label.isEmpty() ? run.label : p.label, Qt::AlignLeft);
            set(Op, opKindName(p.op), Qt::AlignLeft);
            set(Mode,
                p.mode == LoadMode::Sweep || p.mode == LoadMode::Bounded
                    ? QStringLiteral("%1 c=%2").arg(loadModeName(p.mode)).arg(p.concurrency)
                    : loadModeName(p.mode),
                Qt::AlignLeft);
            set(Count, QString::number(p.completed));
            set(Seconds, QString::number(p.seconds(), 'f', 3));
            set(OpsPerSecond, ReportSummary::number(p.throughput(), 1));
            set(RowsPerSecond, ReportSummary::number(p.rowsPerSecond(), 1));
            const LatencyHistogram &service = p.latencyUncorrected;
            set(P50, ReportSummary::duration(service.percentile(50)));
            set(P90, ReportSummary::duration(service.percentile(90)));
            set(P99, ReportSummary::duration(service.percentile(99)));
            set(P999, ReportSummary::duration(service.percentile(99.9)));
            set(Max, ReportSummary::duration(service.max()));
            set(P99Other, p.mode == LoadMode::Async || p.mode == LoadMode::Rate
                              ? ReportSummary::duration(p.latency.percentile(99))
                              : QStringLiteral("="))
                ->setToolTip(p.latencyName());
            set(Recall, run.recall.measured          ? QString::number(run.recall.recall, 'f', 3)
                        : run.recall.error.isEmpty() ? QString()
                                                     : tr("not measured"))
                ->setToolTip(run.recall.describe());
            const qint64 ops = std::max<qint64>(p.issued, 1);
            set(ClientCpu,
                tr("send %1 · gRPC %2 · process %3")
                    .arg(ReportSummary::duration(p.senderCpuPerOpNs()),
                         ReportSummary::duration(p.cpu.grpcThreadsNs / ops),
                         ReportSummary::duration(p.processCpuPerOpNs())),
                Qt::AlignLeft)
                ->setToolTip(
                    tr("Client CPU per operation: %1. The whole process includes everything it does, "
                       "this panel's chart redraws too.")
                        .arg(ReportSummary::cpuPerOperation(p)));
            QStringList conditions;
            if (!run.readConsistency.isEmpty())
                conditions << tr("reads %1").arg(run.readConsistency);
            conditions << (run.milvusInFlightLimit > 0 ? tr("≤%1 in flight").arg(run.milvusInFlightLimit)
                                                       : tr("all at once"));
            if (run.channels > 1)
                conditions << tr("%1 channels").arg(run.channels);
            if (p.firstOpStalled())
                conditions << tr("FIRST-OP STALL %1").arg(ReportSummary::duration(p.firstOpServiceNs));
            if (!p.balanced())
                conditions << tr("ACCOUNTING BROKEN");
            if (p.cpu.clientSaturated())
                conditions << tr("CLIENT SATURATED: %1").arg(p.cpu.saturationReason());
            auto *cond = set(Conditions, conditions.join(QStringLiteral("; ")), Qt::AlignLeft);
            cond->setToolTip(run.readiness + QLatin1Char('\n') + ReportSummary::channels(run));
            if (p.firstOpStalled() || !p.balanced() || p.cpu.clientSaturated())
                cond->setForeground(Qt::red);
            auto *errors = set(Errors, QString::number(p.failed + p.cancelled));
            errors->setToolTip(p.failedLatency.count() > 0
                                   ? tr("failures' own latency p99 %1; %2 timed out")
                                         .arg(ReportSummary::duration(p.failedLatency.percentile(99)))
                                         .arg(p.timedOut)
                                   : QString());
            if (p.failed > 0)
                errors->setForeground(Qt::red);
            auto *integrity = set(Integrity, verdict, Qt::AlignLeft);
            integrity->setToolTip(verdict);
            if (bad) {
                integrity->setForeground(Qt::white);
                integrity->setBackground(QColor(0xc6, 0x28, 0x28));
                QFont f = integrity->font();
                f.setBold(true);
                integrity->setFont(f);
            }
            ++row;
        }
    }
}

} // namespace mx
