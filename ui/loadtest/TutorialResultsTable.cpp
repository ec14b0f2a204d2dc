#include "TutorialResultsTable.h"

#include <QHeaderView>

namespace mx {

namespace {

QString withInterval(const MeanEstimate &m)
{
    if (m.n < 2)
        return QStringLiteral("%1").arg(m.mean, 0, 'f', 3);
    return QStringLiteral("%1 [%2, %3]").arg(m.mean, 0, 'f', 3).arg(m.low, 0, 'f', 3).arg(m.high, 0, 'f', 3);
}

} // namespace

TutorialResultsTable::TutorialResultsTable(QWidget *parent)
    : QTableWidget(0, 6, parent)
{
    setObjectName(QStringLiteral("tutorialResults"));
    setHorizontalHeaderLabels({tr("Op"), tr("Count"), tr("Async s (95% CI)"), tr("Sync s (95% CI)"),
                               tr("Speedup sync/async (95% CI)"), tr("Errors")});
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
}

void TutorialResultsTable::setTable(const TutorialTable &table)
{
    setRowCount(int(table.rows.size()));
    for (int row = 0; row < table.rows.size(); ++row) {
        const TutorialRow &r = table.rows[row];
        const QString speedup =
            r.speedup.hasInterval
                ? QStringLiteral("%1x [%2, %3]")
                      .arg(r.speedup.ratio, 0, 'f', 1)
                      .arg(r.speedup.low, 0, 'f', 1)
                      .arg(r.speedup.high, 0, 'f', 1)
                : QStringLiteral("%1x (%2)").arg(r.speedup.ratio, 0, 'f', 1).arg(r.speedup.note);
        const QStringList cells{
            r.op,    QString::number(r.count), withInterval(r.async), withInterval(r.sync),
            speedup, QString::number(r.errors)};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c == 5 && (r.errors > 0 || r.integrityDifferences != 0))
                item->setForeground(Qt::red);
            setItem(row, c, item);
        }
    }
}

} // namespace mx
