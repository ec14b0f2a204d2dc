#include "LoadTestPanel.h"

#include "EngineSnapshotSource.h"
#include "Icons.h"
#include "LoadTestCharts.h"
#include "LoadTestConfigForm.h"
#include "LoadTestEngine.h"
#include "MilvusClient.h"
#include "PhaseResultsTable.h"
#include "ReportExporter.h"
#include "ReportSummary.h"
#include "RunComparisonTable.h"
#include "Session.h"
#include "TutorialPreset.h"
#include "TutorialResultsTable.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <numeric>

#include <time.h>

namespace mx {

namespace {

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

LoadTestPanel::LoadTestPanel(Session *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    setObjectName(QStringLiteral("loadTestPanel"));
    m_form = new LoadTestConfigForm(this);
    m_start = new QPushButton(icon(QStringLiteral("play")), tr("Start"), this);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_preset = new QPushButton(icon(QStringLiteral("loadtest")), tr("Tutorial preset"), this);
    m_preset->setObjectName(QStringLiteral("tutorialButton"));
    m_preset->setToolTip(tr("The langchain-milvus async tutorial: add, search, delete at 10 and 100, sync vs "
                            "async, on a 1,000-document store, repeated as set in Repeats"));
    m_presetVariant = new QComboBox(this);
    m_presetVariant->setObjectName(QStringLiteral("tutorialVariant"));
    m_presetVariant->addItem(tr("faithful"), int(TutorialPreset::Variant::Faithful));
    m_presetVariant->addItem(tr("clean"), int(TutorialPreset::Variant::Clean));
    m_presetVariant->setToolTip(
        tr("Faithful: the tutorial exactly (its run order, one store per mode, the first add's store setup "
           "timed, langchain's output fields). Clean: a fresh store per run, set up and loaded before the "
           "clock, a warm-up"));
    m_stop = new QPushButton(icon(QStringLiteral("stop")), tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_status = new QLabel(tr("Idle"), this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_live = new QLabel(this);
    m_live->setObjectName(QStringLiteral("liveFigures"));
    m_live->setWordWrap(true);
    // Room for three lines, so that a long status does not squeeze into the form.
    m_status->setMinimumHeight(m_status->fontMetrics().lineSpacing() * 3);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_live->setMinimumHeight(m_live->fontMetrics().lineSpacing() * 2);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(m_form);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_preset);
    buttons->addWidget(m_presetVariant);
    buttons->addWidget(m_stop);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_status);
    leftLayout->addWidget(m_live);
    leftLayout->addStretch(1);

    m_charts = new LoadTestCharts(this);
    m_results = new PhaseResultsTable(this);
    m_tutorial = new TutorialResultsTable(this);
    auto *resultsPage = new QSplitter(Qt::Vertical, this);
    resultsPage->addWidget(m_results);
    resultsPage->addWidget(m_tutorial);

    auto *historyPage = new QWidget(this);
    m_historyList = new QListWidget(historyPage);
    m_historyList->setObjectName(QStringLiteral("history"));
    m_historyList->setSelectionMode(QAbstractItemView::MultiSelection);
    auto *compare = new QPushButton(tr("Compare the two selected runs"), historyPage);
    compare->setObjectName(QStringLiteral("compareButton"));
    m_comparison = new RunComparisonTable(historyPage);
    auto *historyLayout = new QVBoxLayout(historyPage);
    historyLayout->addWidget(m_historyList, 1);
    historyLayout->addWidget(compare);
    historyLayout->addWidget(m_comparison, 2);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("loadTestTabs"));
    m_tabs->addTab(m_charts, tr("Charts"));
    m_tabs->addTab(resultsPage, tr("Results"));
    m_tabs->addTab(historyPage, tr("History"));

    auto *exportRow = new QHBoxLayout;
    exportRow->addStretch(1);
    const QStringList exportNames{tr("CSV…"), tr("JSON…"), tr("Charts PNG…"), tr("Charts PDF…")};
    for (int i = 0; i < exportNames.size(); ++i) {
        auto *b = new QPushButton(icon(QStringLiteral("export")), exportNames[i], this);
        connect(b, &QPushButton::clicked, this, [this, i] { exportWithDialog(i); });
        exportRow->addWidget(b);
        m_exportButtons << b;
    }
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_tabs, 1);
    rightLayout->addLayout(exportRow);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    connect(m_start, &QPushButton::clicked, this, &LoadTestPanel::startFromForm);
    connect(m_preset, &QPushButton::clicked, this, &LoadTestPanel::startTutorialPreset);
    connect(m_stop, &QPushButton::clicked, this, &LoadTestPanel::stop);
    connect(compare, &QPushButton::clicked, this, &LoadTestPanel::compareSelected);
    m_redrawTimer.setInterval(kRedrawIntervalMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &LoadTestPanel::poll);
    if (m_session) {
        connect(m_session, &Session::connected, this, &LoadTestPanel::refreshCollections);
        connect(m_session, &Session::stateChanged, this, &LoadTestPanel::updateButtons);
        refreshCollections();
    }
    reloadHistory();
    updateButtons();
}

LoadTestPanel::~LoadTestPanel()
{
    if (m_engine)
        m_engine->stop(); // the engine's destructor then waits for its thread
}

QString LoadTestPanel::statusText() const
{
    return m_status->text();
}

void LoadTestPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828; font-weight: bold") : QString());
}

void LoadTestPanel::updateButtons()
{
    const bool connected =
        m_session && m_session->client() && m_session->state() == Session::State::Connected;
    m_start->setEnabled(!m_running && connected);
    m_preset->setEnabled(!m_running && connected);
    m_stop->setEnabled(m_running);
    m_form->setEnabled(!m_running);
}

void LoadTestPanel::refreshCollections()
{
    if (!m_session || !m_session->client())
        return;
    m_session->client()
        ->listCollectionsAsync()
        .then(this, [this](const QStringList &names) { m_form->setCollections(names); })
        .onFailed(this, [this](const MilvusException &e) {
            setStatus(tr("Could not list collections: %1").arg(e.error().message()), true);
        });
}

bool LoadTestPanel::startFromForm()
{
    return start(m_form->plan());
}

bool LoadTestPanel::startTutorialPreset()
{
    const auto variant = TutorialPreset::Variant(m_presetVariant->currentData().toInt());
    // The form's warm-up when it sets one, else the variant's own (clean: a few operations; faithful: none).
    LoadTestPlan plan = TutorialPreset::plan(m_form->repeats(), {10, 100}, 1000, variant,
                                             m_form->warmupOps() > 0 ? m_form->warmupOps() : -1);
    QList<std::optional<QStringList>> presetFields;
    for (const RunSpec &s : plan.runs)
        presetFields.append(s.outputFields);
    m_form->applyCommonSettings(plan);
    for (qsizetype i = 0; i < plan.runs.size(); ++i)
        if (!plan.runs[i].outputFields || plan.runs[i].outputFields->isEmpty())
            plan.runs[i].outputFields = presetFields.at(i);
    return start(plan);
}

bool LoadTestPanel::start(const LoadTestPlan &plan)
{
    if (m_running) {
        setStatus(tr("A run is in progress"), true);
        return false;
    }
    if (!m_session || !m_session->client() || m_session->state() != Session::State::Connected) {
        setStatus(tr("Not connected to a server"), true);
        return false;
    }
    if (const QString problem = plan.validate(); !problem.isEmpty()) {
        setStatus(tr("Cannot run: %1").arg(problem), true);
        return false;
    }
    if (const QString problem = m_form->settingsProblem(); !problem.isEmpty()) {
        setStatus(tr("Cannot run: %1").arg(problem), true);
        return false;
    }
    QString why;
    auto embedder = m_form->makeEmbedder(&why, plan.maxInFlight());
    if (!embedder) {
        setStatus(tr("Embeddings: %1").arg(why), true);
        return false;
    }
    m_engine.reset(); // the previous run has finished; its thread is joined here
    m_engine = std::make_shared<LoadTestEngine>(m_session->client()->config(), embedder);
    begin(std::make_shared<EngineSnapshotSource>(m_engine));
    // The limits are part of what is measured: say them before the first figure appears.
    setStatus(
        tr("Starting… embedding requests in flight: %1; Milvus in flight: %2; gRPC channels: %3")
            .arg(plan.embeddingInFlight > 0 ? tr("at most %1").arg(plan.embeddingInFlight) : tr("no limit"),
                 plan.runs.first().mode == LoadMode::Async ? tr("all at once")
                 : plan.runs.first().mode == LoadMode::Sync
                     ? tr("one at a time")
                     : tr("at most %1").arg(plan.runs.first().concurrency))
            .arg(plan.runs.first().effectiveChannels()));
    m_engine->start(plan).then(this, [this](const LoadTestReport &report) { finish(report); });
    return true;
}

void LoadTestPanel::watch(std::shared_ptr<SnapshotSource> source)
{
    if (m_running) {
        setStatus(tr("A run is in progress"), true);
        return;
    }
    m_engine.reset();
    begin(std::move(source));
}

void LoadTestPanel::begin(std::shared_ptr<SnapshotSource> source)
{
    m_source = std::move(source);
    m_charts->reset();
    m_results->setRuns({});
    m_tutorial->setTable({});
    m_lastSequence = ~0ULL;
    m_resultsRuns = -1;
    m_sawActive = false;
    m_running = true;
    m_runClock.start();
    setStatus(tr("Starting…"));
    updateButtons();
    m_redrawTimer.start();
}

void LoadTestPanel::stop()
{
    if (!m_running)
        return;
    setStatus(tr("Stopping: cancelling operations in flight…"));
    if (m_engine)
        m_engine->stop(); // a replay is stopped by its owner
}

void LoadTestPanel::poll()
{
    if (!m_source)
        return;
    const std::shared_ptr<const RunSnapshot> s = m_source->snapshot();
    if (!s || s->sequence == m_lastSequence)
        return;
    m_lastSequence = s->sequence;
    QElapsedTimer spent;
    spent.start();
    const qint64 cpuBefore = threadCpuNs();
    m_sawActive = m_sawActive || s->isActive();
    m_charts->consume(*s);
    const bool rebuilt = s->completedRuns.size() != m_resultsRuns;
    if (rebuilt) {
        m_resultsRuns = s->completedRuns.size();
        m_results->setRuns(s->completedRuns);
        const TutorialTable table = TutorialPreset::table(s->completedRuns);
        m_tutorial->setTable(table);
        m_charts->setTutorial(table);
    }
    const IntervalSeries &iv = s->phase.intervals;
    m_live->setText(tr("%1  [%2/%3] %4\n%5 done, %6 failed, %7 in flight, %8 ops/s now, p99 %9")
                        .arg(runStateName(s->state))
                        .arg(s->runIndex + 1)
                        .arg(s->runCount)
                        .arg(s->phase.label.isEmpty() ? s->runLabel : s->phase.label)
                        .arg(s->phase.completed)
                        .arg(s->phase.failed)
                        .arg(s->phase.inFlight)
                        .arg(iv.isEmpty() ? 0.0 : iv.last().opsPerSecond(), 0, 'f', 0)
                        .arg(s->phase.completed > 0 ? ReportSummary::duration(s->phase.latency.p99Ns)
                                                    : QStringLiteral("–"))); // nothing measured yet
    if (s->isActive())
        setStatus(tr("Running %1 of %2").arg(s->runIndex + 1).arg(s->runCount));
    m_charts->replot();
    ++m_redraws;
    const qint64 ns = spent.nsecsElapsed();
    const qint64 cpuNs = threadCpuNs() - cpuBefore;
    m_redrawCpuMaxNs = std::max(m_redrawCpuMaxNs, cpuNs);
    m_redrawMaxNs = std::max(m_redrawMaxNs, ns);
    if (ns > 20'000'000 && qEnvironmentVariableIsSet("MX_DEBUG_REDRAW"))
        qWarning("slow redraw %.1f ms (GUI thread CPU %.1f ms): state %s, %d finished, %d intervals, results "
                 "rebuilt %d",
                 double(ns) / 1e6, double(threadCpuNs() - cpuBefore) / 1e6,
                 qPrintable(runStateName(s->state)), int(s->finished.size()), int(s->phase.intervals.size()),
                 int(rebuilt));
    m_redrawTotalNs += ns;
    emit redrawn();
    if (!m_engine && m_sawActive && !s->isActive()) { // a replay ended
        m_redrawTimer.stop();
        m_running = false;
        setStatus(tr("Replay %1").arg(runStateName(s->state)));
        updateButtons();
        emit watchFinished();
    }
}

void LoadTestPanel::finish(const LoadTestReport &report)
{
    poll(); // the last snapshot's intervals
    m_redrawTimer.stop();
    m_running = false;
    m_report = report;
    m_results->setRuns(report.runs);
    const TutorialTable table = report.tutorial ? *report.tutorial : TutorialPreset::table(report.runs);
    m_tutorial->setTable(table);
    m_charts->setTutorial(table);
    m_charts->replot();
    if (!report.error.isEmpty()) {
        setStatus(tr("The run failed: %1").arg(report.error), true);
    } else {
        QString text = report.stopped ? tr("Stopped; partial results kept") : tr("Finished");
        text += tr(": %1 operations, %2 failed").arg(report.totalCompleted()).arg(report.totalFailed());
        const bool integrityBad = report.integrityProblems() > 0;
        if (integrityBad)
            text += tr(". INTEGRITY CHECK FAILED: %1 row(s) differ from the acknowledged writes")
                        .arg(report.integrityDifference());
        setStatus(text, integrityBad || report.totalFailed() > 0);
        if (!report.runs.isEmpty())
            m_tabs->setCurrentIndex(table.rows.isEmpty() ? 0 : 1);
    }
    m_live->setText(
        tr("%1 run(s), %2 operations in %3 phase(s)")
            .arg(report.runs.size())
            .arg(report.totalCompleted())
            .arg(std::accumulate(report.runs.cbegin(), report.runs.cend(), qsizetype(0),
                                 [](qsizetype n, const RunResult &r) { return n + r.phases.size(); })));
    QString why;
    m_lastSaved = m_history.save(report, &why);
    if (m_lastSaved.isEmpty())
        setStatus(statusText() + tr(" (history not saved: %1)").arg(why), true);
    reloadHistory();
    updateButtons();
    emit runFinished(report);
}

void LoadTestPanel::setHistoryStore(const RunHistoryStore &store)
{
    m_history = store;
    reloadHistory();
}

void LoadTestPanel::reloadHistory()
{
    m_historyList->clear();
    for (const RunHistoryStore::Entry &e : m_history.list()) {
        auto *item = new QListWidgetItem(e.title, m_historyList);
        item->setData(Qt::UserRole, e.file);
    }
}

void LoadTestPanel::compareSelected()
{
    const auto selected = m_historyList->selectedItems();
    if (selected.size() != 2) {
        setStatus(tr("Select exactly two runs to compare"), true);
        return;
    }
    compareRuns(selected[1]->data(Qt::UserRole).toString(), selected[0]->data(Qt::UserRole).toString());
}

bool LoadTestPanel::compareRuns(const QString &fileA, const QString &fileB)
{
    LoadTestReport a, b;
    QString why;
    if (!m_history.load(fileA, &a, &why) || !m_history.load(fileB, &b, &why)) {
        setStatus(tr("Cannot compare: %1").arg(why), true);
        return false;
    }
    m_comparison->compare(a, b);
    m_tabs->setCurrentIndex(2);
    setStatus(tr("A: %1\nB: %2").arg(RunHistoryStore::titleOf(a), RunHistoryStore::titleOf(b)));
    return true;
}

bool LoadTestPanel::exportCsv(const QString &file)
{
    QString why;
    const bool ok = ReportExporter::writeCsv(m_report, file, &why);
    setStatus(ok ? tr("Wrote %1").arg(file) : why, !ok);
    return ok;
}

bool LoadTestPanel::exportJson(const QString &file)
{
    QString why;
    const bool ok = ReportExporter::writeJson(m_report, file, &why);
    setStatus(ok ? tr("Wrote %1").arg(file) : why, !ok);
    return ok;
}

QStringList LoadTestPanel::saveChartsPng(const QString &basePath)
{
    const QStringList files = m_charts->savePng(basePath);
    setStatus(files.isEmpty() ? tr("Could not save the charts") : tr("Wrote %1").arg(files.join(", ")),
              files.isEmpty());
    return files;
}

QStringList LoadTestPanel::saveChartsPdf(const QString &basePath)
{
    const QStringList files = m_charts->savePdf(basePath);
    setStatus(files.isEmpty() ? tr("Could not save the charts") : tr("Wrote %1").arg(files.join(", ")),
              files.isEmpty());
    return files;
}

void LoadTestPanel::exportWithDialog(int kind)
{
    static const QStringList filters{tr("CSV (*.csv)"), tr("JSON (*.json)"), tr("PNG base name (*)"),
                                     tr("PDF base name (*)")};
    const QString file = QFileDialog::getSaveFileName(this, tr("Export"), QString(), filters[kind]);
    if (file.isEmpty())
        return;
    switch (kind) {
    case 0:
        exportCsv(file);
        break;
    case 1:
        exportJson(file);
        break;
    case 2:
        saveChartsPng(file);
        break;
    default:
        saveChartsPdf(file);
        break;
    }
}

} // namespace mx
