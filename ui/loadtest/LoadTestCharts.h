#pragma once

#include "RunSnapshot.h"
#include "TutorialTable.h"

#include <QString>
#include <QStringList>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPCurve;
class QCPBars;
class QCPErrorBars;

namespace mx {

// The load-test panel's four charts: ops/s over time (sync and async overlaid), latency percentiles
// over time, the sweep curve (throughput vs latency) and the tutorial table as bars with confidence
// whiskers. Fed incrementally from snapshots: consume() appends only what is new since the last call
// and never replots; the owner calls replot() from its coalescing timer. GUI thread only.
class LoadTestCharts : public QWidget
{
    Q_OBJECT
public:
    explicit LoadTestCharts(QWidget *parent = nullptr);

    void reset();
    // Appends the intervals and phases `snapshot` has that were not seen yet. True if anything changed.
    bool consume(const RunSnapshot &snapshot);
    void setTutorial(const TutorialTable &table);
    void replot(); // redraws the charts whose data changed

    // Each chart to "<base>-<chart>.png|pdf"; returns the files written (empty on failure).
    QStringList savePng(const QString &basePath);
    QStringList savePdf(const QString &basePath);

    int throughputPoints() const;
    int latencyPoints() const;
    int sweepPoints() const;
    int tutorialBars() const;
    QCustomPlot *throughputPlot() const { return m_throughput; }

private:
    void addIntervals(const IntervalSeries &intervals, qsizetype from, LoadMode mode);
    void endPhase(const PhaseResult &phase);
    QList<QCustomPlot *> plots() const;
    static QStringList chartNames();

    QCustomPlot *m_throughput;
    QCustomPlot *m_latency;
    QCustomPlot *m_sweep;
    QCustomPlot *m_tutorial;
    QCPGraph *m_syncOps;
    QCPGraph *m_asyncOps;
    QCPGraph *m_p50;
    QCPGraph *m_p90;
    QCPGraph *m_p99;
    QCPCurve *m_sweepP50;
    QCPCurve *m_sweepP99;
    QCPBars *m_asyncBars;
    QCPBars *m_syncBars;
    QCPErrorBars *m_asyncErrors;
    QCPErrorBars *m_syncErrors;

    // Incremental reading state.
    qsizetype m_finishedSeen = 0; // phases of snapshot.finished already drawn
    qsizetype m_currentSeen = 0;  // intervals of the phase in progress already drawn
    QString m_currentLabel;       // identity of the phase in progress: label + index it will finish at
    qsizetype m_currentSlot = -1;
    double m_offsetSeconds = 0; // measured time of the phases before the current one
    bool m_timeDirty = false;
    bool m_sweepDirty = false;
    bool m_tutorialDirty = false;
};

} // namespace mx
