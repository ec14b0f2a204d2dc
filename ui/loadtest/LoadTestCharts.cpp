#include "LoadTestCharts.h"

#include "LatencyHistogram.h"

#include <QGridLayout>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace mx {

namespace {

bool isSyncMode(LoadMode mode)
{
    return mode == LoadMode::Sync;
}

QCustomPlot *makePlot(const QString &title, const QString &x, const QString &y, QWidget *parent)
{
    auto *plot = new QCustomPlot(parent);
    plot->setObjectName(title);
    plot->setMinimumSize(260, 180);
    plot->plotLayout()->insertRow(0);
    auto *text = new QCPTextElement(plot, title, QFont(plot->font().family(), 10, QFont::Bold));
    plot->plotLayout()->addElement(0, 0, text);
    plot->xAxis->setLabel(x);
    plot->yAxis->setLabel(y);
    plot->setNoAntialiasingOnDrag(true);
    plot->setNotAntialiasedElements(QCP::aeAll); // cheaper redraws while data streams in
    return plot;
}

QPen pen(const QColor &c, qreal width = 1.6)
{
    QPen p(c);
    p.setWidthF(width);
    return p;
}

const QColor kSync(0xd9, 0x5f, 0x02);
const QColor kAsync(0x1b, 0x9e, 0x77);

} // namespace

LoadTestCharts::LoadTestCharts(QWidget *parent)
    : QWidget(parent)
{
    m_throughput = makePlot(tr("Throughput"), tr("measured time (s)"), tr("ops/s"), this);
    m_throughput->setObjectName(QStringLiteral("throughputChart"));
    m_syncOps = m_throughput->addGraph();
    m_syncOps->setName(tr("sync"));
    m_syncOps->setPen(pen(kSync));
    m_asyncOps = m_throughput->addGraph();
    m_asyncOps->setName(tr("async"));
    m_asyncOps->setPen(pen(kAsync));
    // Dots as well as lines: a phase shorter than one 100 ms interval is a single point.
    m_syncOps->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kSync, 3));
    m_asyncOps->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kAsync, 3));
    m_throughput->legend->setVisible(true);
    m_throughput->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    m_latency = makePlot(tr("Latency percentiles"), tr("measured time (s)"), tr("ms"), this);
    m_latency->setObjectName(QStringLiteral("latencyChart"));
    m_latency->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_latency->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    const std::array<std::pair<QString, QColor>, 3> percentiles{{{tr("p50"), QColor(0x1f, 0x77, 0xb4)},
                                                                 {tr("p90"), QColor(0x9467bd)},
                                                                 {tr("p99"), QColor(0xd62728)}}};
    QCPGraph **targets[] = {&m_p50, &m_p90, &m_p99};
    for (int i = 0; i < 3; ++i) {
        *targets[i] = m_latency->addGraph();
        (*targets[i])->setName(percentiles[i].first);
        (*targets[i])->setPen(pen(percentiles[i].second, 1.2));
    }
    m_latency->legend->setVisible(true);
    m_latency->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    m_sweep = makePlot(tr("Sweep: throughput vs latency"), tr("ops/s"), tr("ms"), this);
    m_sweep->setObjectName(QStringLiteral("sweepChart"));
    m_sweepP50 = new QCPCurve(m_sweep->xAxis, m_sweep->yAxis);
    m_sweepP50->setName(tr("p50"));
    m_sweepP50->setPen(pen(QColor(0x1f, 0x77, 0xb4)));
    m_sweepP50->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    m_sweepP99 = new QCPCurve(m_sweep->xAxis, m_sweep->yAxis);
    m_sweepP99->setName(tr("p99"));
    m_sweepP99->setPen(pen(QColor(0xd62728)));
    m_sweepP99->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, 7));
    m_sweep->legend->setVisible(true);
    // High latency sits at low throughput (top left): keep the legend out of the curve's way.
    m_sweep->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    m_tutorial = makePlot(tr("Tutorial: seconds per run (95% CI)"), QString(), tr("s"), this);
    m_tutorial->setObjectName(QStringLiteral("tutorialChart"));
    auto *group = new QCPBarsGroup(m_tutorial);
    m_asyncBars = new QCPBars(m_tutorial->xAxis, m_tutorial->yAxis);
    m_asyncBars->setName(tr("async"));
    m_asyncBars->setBrush(kAsync);
    m_asyncBars->setPen(pen(kAsync.darker(), 1));
    m_asyncBars->setWidth(0.35);
    m_asyncBars->setBarsGroup(group);
    m_syncBars = new QCPBars(m_tutorial->xAxis, m_tutorial->yAxis);
    m_syncBars->setName(tr("sync"));
    m_syncBars->setBrush(kSync);
    m_syncBars->setPen(pen(kSync.darker(), 1));
    m_syncBars->setWidth(0.35);
    m_syncBars->setBarsGroup(group);
    m_asyncErrors = new QCPErrorBars(m_tutorial->xAxis, m_tutorial->yAxis);
    m_asyncErrors->setDataPlottable(m_asyncBars);
    m_asyncErrors->removeFromLegend();
    m_syncErrors = new QCPErrorBars(m_tutorial->xAxis, m_tutorial->yAxis);
    m_syncErrors->setDataPlottable(m_syncBars);
    m_syncErrors->removeFromLegend();
    m_tutorial->legend->setVisible(true);
    m_tutorial->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_throughput, 0, 0);
    grid->addWidget(m_latency, 0, 1);
    grid->addWidget(m_sweep, 1, 0);
    grid->addWidget(m_tutorial, 1, 1);
}

void LoadTestCharts::reset()
{
    for (QCPGraph *g : {m_syncOps, m_asyncOps, m_p50, m_p90, m_p99})
        g->data()->clear();
    m_sweepP50->data()->clear();
    m_sweepP99->data()->clear();
    m_sweep->clearItems();
    setTutorial({});
    m_finishedSeen = 0;
    m_currentSeen = 0;
    m_currentLabel.clear();
    m_currentSlot = -1;
    m_offsetSeconds = 0;
    m_timeDirty = m_sweepDirty = true;
}

void LoadTestCharts::addIntervals(const IntervalSeries &intervals, qsizetype from, LoadMode mode)
{
    QCPGraph *ops = isSyncMode(mode) ? m_syncOps : m_asyncOps;
    for (qsizetype i = from; i < intervals.size(); ++i) {
        const IntervalMetrics &m = intervals.at(i);
        const double t = m_offsetSeconds + double(m.startNs + m.durationNs) / 1e9;
        ops->addData(t, m.opsPerSecond());
        // Intervals carry a summary; derive it from the exact histogram if one does not.
        const LatencySummary summary = m.latencySummary.count > 0 || m.latency.count == 0
                                           ? m.latencySummary
                                           : LatencySummary::of(LatencyHistogram::fromSparse(m.latency));
        if (summary.count > 0) {
            m_p50->addData(t, double(summary.p50Ns) / 1e6);
            m_p90->addData(t, double(summary.p90Ns) / 1e6);
            m_p99->addData(t, double(summary.p99Ns) / 1e6);
        }
        m_timeDirty = true;
    }
}

void LoadTestCharts::endPhase(const PhaseResult &phase)
{
    const double end = m_offsetSeconds + phase.seconds();
    constexpr double gap = std::numeric_limits<double>::quiet_NaN();
    // A gap, so that the line does not join this phase to the next one of the same kind.
    (isSyncMode(phase.mode) ? m_syncOps : m_asyncOps)->addData(end, gap);
    for (QCPGraph *g : {m_p50, m_p90, m_p99})
        g->addData(end, gap);
    m_offsetSeconds = end;
    if (phase.mode == LoadMode::Sweep && phase.completed > 0) {
        m_sweepP50->addData(phase.throughput(), double(phase.latency.percentile(50)) / 1e6);
        m_sweepP99->addData(phase.throughput(), double(phase.latency.percentile(99)) / 1e6);
        auto *label = new QCPItemText(m_sweep);
        label->position->setCoords(phase.throughput(), double(phase.latency.percentile(99)) / 1e6);
        label->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
        label->setText(QStringLiteral("c=%1").arg(phase.concurrency));
        label->setPadding(QMargins(0, 0, 0, 4));
        m_sweepDirty = true;
    }
    m_timeDirty = true;
}

bool LoadTestCharts::consume(const RunSnapshot &s)
{
    for (; m_finishedSeen < s.finished.size(); ++m_finishedSeen) {
        const PhaseResult &p = s.finished[m_finishedSeen];
        const bool wasCurrent = m_currentSlot == m_finishedSeen && m_currentLabel == p.label;
        addIntervals(p.intervals, wasCurrent ? m_currentSeen : 0, p.mode);
        endPhase(p);
        m_currentSeen = 0;
        m_currentSlot = -1;
    }
    if (s.state == RunSnapshot::State::Running) {
        if (m_currentSlot != s.finished.size() || m_currentLabel != s.phase.label) {
            m_currentSlot = s.finished.size();
            m_currentLabel = s.phase.label;
            m_currentSeen = 0;
        }
        addIntervals(s.phase.intervals, m_currentSeen, s.phase.mode);
        m_currentSeen = s.phase.intervals.size();
    }
    return m_timeDirty || m_sweepDirty;
}

void LoadTestCharts::setTutorial(const TutorialTable &table)
{
    QVector<double> keys, asyncMeans, syncMeans, asyncErr, syncErr;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < table.rows.size(); ++i) {
        const TutorialRow &r = table.rows[i];
        keys << i + 1;
        asyncMeans << r.async.mean;
        syncMeans << r.sync.mean;
        asyncErr << r.async.mean - r.async.low;
        syncErr << r.sync.mean - r.sync.low;
        const bool both = !r.asyncSeconds.isEmpty() && !r.syncSeconds.isEmpty(); // else no ratio yet
        ticker->addTick(
            // One item per line: six "search 100 2.7x" labels on one line overlap at the panel's width.
            i + 1, both ? QStringLiteral("%1\n%2\n%3x").arg(r.op).arg(r.count).arg(r.speedup.ratio, 0, 'f', 1)
                        : QStringLiteral("%1\n%2\n…").arg(r.op).arg(r.count));
    }
    m_asyncBars->setData(keys, asyncMeans);
    m_syncBars->setData(keys, syncMeans);
    m_asyncErrors->setData(asyncErr);
    m_syncErrors->setData(syncErr);
    m_tutorial->xAxis->setTicker(ticker);
    m_tutorial->xAxis->setRange(0.3, std::max<double>(1, table.rows.size()) + 0.7);
    double top = 0;
    for (const TutorialRow &r : table.rows)
        top = std::max({top, r.async.high, r.sync.high, r.sync.mean, r.async.mean});
    m_tutorial->yAxis->setRange(0, top > 0 ? top * 1.1 : 1);
    m_tutorialDirty = true;
}

void LoadTestCharts::replot()
{
    if (m_timeDirty) {
        m_throughput->rescaleAxes();
        // Headroom above the highest point, so the legend (top left) does not cover a start-up spike.
        m_throughput->yAxis->setRange(0, m_throughput->yAxis->range().upper * 1.4);
        m_latency->rescaleAxes();
        const QCPRange y = m_latency->yAxis->range();
        m_latency->yAxis->setRange(y.lower / 1.5, y.upper * 3); // log scale: room below, and for the legend
        m_throughput->replot();
        m_latency->replot();
    }
    if (m_sweepDirty) {
        double xLow = 0, xHigh = 0, yHigh = 0;
        bool first = true;
        for (const QCPCurve *c : {m_sweepP50, m_sweepP99})
            for (auto it = c->data()->constBegin(); it != c->data()->constEnd(); ++it) {
                xLow = first ? it->key : std::min(xLow, it->key);
                xHigh = first ? it->key : std::max(xHigh, it->key);
                yHigh = std::max(yHigh, it->value);
                first = false;
            }
        const double pad = std::max(1.0, (xHigh - xLow) * 0.1);
        m_sweep->xAxis->setRange(std::max(0.0, xLow - pad), xHigh + pad);
        // The top third stays free for the legend and the "c=N" labels above the points: the highest
        // point may be at either end of the curve.
        m_sweep->yAxis->setRange(0, yHigh > 0 ? yHigh * 1.5 : 1);
        m_sweep->replot();
    }
    if (m_tutorialDirty)
        m_tutorial->replot();
    m_timeDirty = m_sweepDirty = m_tutorialDirty = false;
}

QList<QCustomPlot *> LoadTestCharts::plots() const
{
    return {m_throughput, m_latency, m_sweep, m_tutorial};
}

QStringList LoadTestCharts::chartNames()
{
    return {QStringLiteral("throughput"), QStringLiteral("latency"), QStringLiteral("sweep"),
            QStringLiteral("tutorial")};
}

QStringList LoadTestCharts::savePng(const QString &basePath)
{
    QStringList written;
    const auto all = plots();
    for (int i = 0; i < all.size(); ++i) {
        const QString file = QStringLiteral("%1-%2.png").arg(basePath, chartNames()[i]);
        if (!all[i]->savePng(file, 800, 500))
            return {};
        written << file;
    }
    return written;
}

QStringList LoadTestCharts::savePdf(const QString &basePath)
{
    QStringList written;
    const auto all = plots();
    for (int i = 0; i < all.size(); ++i) {
        const QString file = QStringLiteral("%1-%2.pdf").arg(basePath, chartNames()[i]);
        if (!all[i]->savePdf(file, 800, 500))
            return {};
        written << file;
    }
    return written;
}

int LoadTestCharts::throughputPoints() const
{
    return m_syncOps->dataCount() + m_asyncOps->dataCount();
}

int LoadTestCharts::latencyPoints() const
{
    return m_p99->dataCount();
}

int LoadTestCharts::sweepPoints() const
{
    return m_sweepP99->dataCount();
}

int LoadTestCharts::tutorialBars() const
{
    return m_asyncBars->dataCount() + m_syncBars->dataCount();
}

} // namespace mx
