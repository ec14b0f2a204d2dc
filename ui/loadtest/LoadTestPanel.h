#pragma once

#include "LoadTestReport.h"
#include "RunHistoryStore.h"
#include "RunSnapshot.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;

namespace mx {

class LoadTestCharts;
class LoadTestConfigForm;
class LoadTestEngine;
class PhaseResultsTable;
class RunComparisonTable;
class Session;
class SnapshotSource;
class TutorialResultsTable;

// The load tester: settings, Start / Tutorial preset / Stop, live charts, results, run history with a
// side-by-side comparison, and export. The engine runs on its own thread; the panel only reads
// snapshots from a SnapshotSource on a 50 ms timer (at most 20 redraws a second, however fast the
// source produces) and gets the report through a future continuation on the GUI thread. GUI thread
// only; nothing here blocks on the network.
class LoadTestPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRedrawIntervalMs = 50;

    LoadTestPanel(Session *session, QWidget *parent = nullptr);
    ~LoadTestPanel() override; // stops a run in progress

    LoadTestConfigForm *form() const { return m_form; }
    LoadTestCharts *charts() const { return m_charts; }
    PhaseResultsTable *resultsTable() const { return m_results; }
    TutorialResultsTable *tutorialTable() const { return m_tutorial; }
    RunComparisonTable *comparisonTable() const { return m_comparison; }
    QListWidget *historyList() const { return m_historyList; }

    // Starts `plan` on a new engine against the session's server; false (with the reason in the status
    // line) when there is no connection, the plan is invalid or a run is in progress.
    bool start(const LoadTestPlan &plan);
    bool startFromForm();
    bool startTutorialPreset(); // counts 10 and 100, a 1,000-doc store, the form's repeats
    void stop();                // cancels in-flight operations; partial results are kept
    // Charts a replay (or any other source) through the same path as the engine; no report at the end.
    // Ignored while a run is in progress. The caller starts and stops the source.
    void watch(std::shared_ptr<SnapshotSource> source);
    bool isRunning() const { return m_running; }

    const LoadTestReport &lastReport() const { return m_report; }
    QString lastSavedRun() const { return m_lastSaved; }
    QString statusText() const;
    int redrawCount() const { return m_redraws; }
    // Time the GUI thread spent in redraws (reading the snapshot, tables, charts, replot): for benches.
    double redrawMaxMs() const { return double(m_redrawMaxNs) / 1e6; }
    double redrawTotalMs() const { return double(m_redrawTotalNs) / 1e6; }
    // The same in GUI-thread CPU time: wall time above it is time the thread was not scheduled.
    double redrawCpuMaxMs() const { return double(m_redrawCpuMaxNs) / 1e6; }

    void setHistoryStore(const RunHistoryStore &store);
    void reloadHistory();
    bool compareRuns(const QString &fileA, const QString &fileB);
    bool exportCsv(const QString &file);
    bool exportJson(const QString &file);
    QStringList saveChartsPng(const QString &basePath);
    QStringList saveChartsPdf(const QString &basePath);

signals:
    void runFinished(const mx::LoadTestReport &report);
    void watchFinished();
    void redrawn();

private:
    void begin(std::shared_ptr<SnapshotSource> source);
    void poll();
    void finish(const LoadTestReport &report);
    void setStatus(const QString &text, bool error = false);
    void updateButtons();
    void refreshCollections();
    void compareSelected();
    void exportWithDialog(int kind);

    Session *m_session;
    LoadTestConfigForm *m_form;
    LoadTestCharts *m_charts;
    PhaseResultsTable *m_results;
    TutorialResultsTable *m_tutorial;
    RunComparisonTable *m_comparison;
    QListWidget *m_historyList;
    QTabWidget *m_tabs;
    QLabel *m_status;
    QLabel *m_live;
    QPushButton *m_start;
    QPushButton *m_preset;
    QComboBox *m_presetVariant; // faithful or clean
    QPushButton *m_stop;
    QList<QPushButton *> m_exportButtons;

    std::shared_ptr<LoadTestEngine> m_engine;
    std::shared_ptr<SnapshotSource> m_source;
    QTimer m_redrawTimer;
    QElapsedTimer m_runClock;
    quint64 m_lastSequence = ~0ULL;
    qsizetype m_resultsRuns = -1;
    bool m_running = false;
    bool m_sawActive = false;
    int m_redraws = 0;
    qint64 m_redrawMaxNs = 0;
    qint64 m_redrawTotalNs = 0;
    qint64 m_redrawCpuMaxNs = 0;
    LoadTestReport m_report;
    RunHistoryStore m_history;
    QString m_lastSaved;
};

} // namespace mx
