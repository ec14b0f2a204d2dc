#include "RunComparisonTable.h"

#include <QHeaderView>

namespace mx {

namespace {

QList<PhaseResult> phasesOf(const LoadTestReport &r)
{
    QList<PhaseResult> all;
    for (const RunResult &run : r.runs)
        all += run.phases;
    return all;
}

} // namespace

RunComparisonTable::RunComparisonTable(QWidget *parent)
    : QTableWidget(0, 5, parent)
{
    setObjectName(QStringLiteral("runComparison"));
    setHorizontalHeaderLabels({tr("Phase"), tr("Figure"), tr("Run A"), tr("Run B"), tr("B / A")});
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
}

void RunComparisonTable::compare(const LoadTestReport &a, const LoadTestReport &b)
{
    const QList<PhaseResult> pa = phasesOf(a);
    const QList<PhaseResult> pb = phasesOf(b);
    struct Figure
    {
        QString name;
        double (*value)(const PhaseResult &);
    };
    static const QList<Figure> figures{
        {QStringLiteral("seconds"), [](const PhaseResult &p) { return p.seconds(); }},
        {QStringLiteral("ops/s"), [](const PhaseResult &p) { return p.throughput(); }},
        {QStringLiteral("p50 ms"),
         [](const PhaseResult &p) { return double(p.latency.percentile(50)) / 1e6; }},
        {QStringLiteral("p99 ms"),
         [](const PhaseResult &p) { return double(p.latency.percentile(99)) / 1e6; }},
        {QStringLiteral("errors"), [](const PhaseResult &p) { return double(p.failed); }},
    };
    const qsizetype phases = std::max(pa.size(), pb.size());
    setRowCount(int(phases * figures.size()));
    int row = 0;
    for (qsizetype i = 0; i < phases; ++i) {
        const PhaseResult *x = i < pa.size() ? &pa[i] : nullptr;
        const PhaseResult *y = i < pb.size() ? &pb[i] : nullptr;
        const QString label = x && y && x->label != y->label
                                  ? QStringLiteral("%1 | %2").arg(x->label, y->label)
                              : x ? x->label
                                  : y->label;
        for (const Figure &f : figures) {
            const double va = x ? f.value(*x) : 0;
            const double vb = y ? f.value(*y) : 0;
            const QStringList cells{label, f.name, x ? QString::number(va, 'f', 3) : QStringLiteral("-"),
                                    y ? QString::number(vb, 'f', 3) : QStringLiteral("-"),
                                    x && y && va != 0 ? QStringLiteral("%1x").arg(vb / va, 0, 'f', 2)
                                                      : QStringLiteral("-")};
            for (int c = 0; c < cells.size(); ++c)
                setItem(row, c, new QTableWidgetItem(cells[c]));
            ++row;
        }
    }
}

} // namespace mx
