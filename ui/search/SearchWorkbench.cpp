#include "SearchWorkbench.h"

#include "CancelToken.h"
#include "EmbeddingProvider.h"
#include "EmbeddingProviderPanel.h"
#include "Icons.h"
#include "MilvusClient.h"
#include "QueryInputPanel.h"
#include "SearchHistoryPanel.h"
#include "SearchHistoryStore.h"
#include "SearchOptionsPanel.h"
#include "SearchResultModel.h"
#include "SearchResultsPanel.h"
#include "SearchTargetPanel.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSplitter>
#include <QVBoxLayout>

#include <utility>

namespace mx {

namespace {
QGroupBox *group(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *l = new QVBoxLayout(box);
    l->setContentsMargins(8, 6, 8, 8);
    l->addWidget(content);
    return box;
}

bool isRunKey(const QKeyEvent *e)
{
    return (e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) &&
           (e->modifiers() & Qt::ControlModifier);
}
} // namespace

SearchWorkbench::SearchWorkbench(std::shared_ptr<MilvusClient> client, SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
    , m_client(std::move(client))
    , m_secrets(secrets)
    , m_model(new SearchResultModel(this))
    , m_history(new SearchHistoryStore(this))
{
    setObjectName(QStringLiteral("searchWorkbench"));
    buildUi();
    setClient(m_client);
}

SearchWorkbench::~SearchWorkbench()
{
    dropRun();
}

void SearchWorkbench::buildUi()
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("workbenchSplitter"));
    splitter->setChildrenCollapsible(false);

    // Left: what to search and how.
    auto *scroll = new QScrollArea(splitter);
    scroll->setObjectName(QStringLiteral("settingsScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *settings = new QWidget(scroll);
    auto *sl = new QVBoxLayout(settings);
    sl->setContentsMargins(0, 0, 6, 0);
    m_target = new SearchTargetPanel(settings);
    sl->addWidget(group(tr("Collection"), m_target, settings));
    m_options = new SearchOptionsPanel(settings);
    sl->addWidget(group(tr("Search"), m_options, settings));
    m_provider = new EmbeddingProviderPanel(m_secrets, settings);
    sl->addWidget(group(tr("Embedding provider"), m_provider, settings));
    sl->addStretch();
    scroll->setWidget(settings);
    scroll->setMinimumWidth(settings->sizeHint().width() + 16);
    splitter->addWidget(scroll);

    // Centre: the query and its results.
    auto *centre = new QWidget(splitter);
    auto *cl = new QVBoxLayout(centre);
    cl->setContentsMargins(6, 0, 6, 0);
    m_query = new QueryInputPanel(centre);
    cl->addWidget(m_query);
    auto *runRow = new QHBoxLayout;
    m_run = new QPushButton(icon(QStringLiteral("search")), tr("Run  (Ctrl+Enter)"), centre);
    m_run->setObjectName(QStringLiteral("runButton"));
    runRow->addWidget(m_run);
    m_cancel = new QPushButton(icon(QStringLiteral("stop")), tr("Cancel  (Esc)"), centre);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    runRow->addWidget(m_cancel);
    m_busy = new QProgressBar(centre);
    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->setTextVisible(false);
    m_busy->hide();
    runRow->addWidget(m_busy);
    runRow->addStretch();
    cl->addLayout(runRow);
    m_error = new QLabel(centre);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));
    m_error->hide();
    cl->addWidget(m_error);
    m_results = new SearchResultsPanel(m_model, centre);
    cl->addWidget(m_results, 1);
    splitter->addWidget(centre);

    // Right: history and saved searches.
    m_historyPanel = new SearchHistoryPanel(m_history, splitter);
    m_historyPanel->setMinimumWidth(200);
    splitter->addWidget(m_historyPanel);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 0);
    splitter->setSizes({scroll->minimumWidth(), 800, 240});
    layout->addWidget(splitter);

    for (const auto &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this, this, &SearchWorkbench::run);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    }
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this, this, &SearchWorkbench::cancel);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    // Text editors may claim Ctrl+Enter for themselves; catch it there too.
    for (QWidget *editor : m_query->editors())
        editor->installEventFilter(this);

    connect(m_run, &QPushButton::clicked, this, &SearchWorkbench::run);
    connect(m_cancel, &QPushButton::clicked, this, &SearchWorkbench::cancel);
    connect(m_options, &SearchOptionsPanel::resultModeChanged, this,
            [this](ResultMode mode) { m_query->setQueryNeeded(needsQueryVectors(mode)); });
    m_query->setQueryNeeded(needsQueryVectors(m_options->resultMode()));
    connect(m_target, &SearchTargetPanel::vectorFieldChanged, m_query, &QueryInputPanel::setVectorField);
    connect(m_target, &SearchTargetPanel::collectionChanged, m_historyPanel,
            &SearchHistoryPanel::setCollection);
    connect(m_target, &SearchTargetPanel::errorOccurred, this,
            [this](const QString &message) { showError(message); });
    connect(m_target, &SearchTargetPanel::collectionChanged, this, &SearchWorkbench::clearError);
    connect(m_target, &SearchTargetPanel::schemaLoaded, this, [this] {
        QStringList names;
        for (const auto &f : m_target->schema().fields) {
            if (!f.isDynamic)
                names << f.name;
        }
        m_options->setFieldNames(names);
    });
    connect(m_provider, &EmbeddingProviderPanel::settingsChanged, this, [this] {
        m_cachedProvider.reset();
        m_cachedProviderKey.clear();
    });
    connect(m_historyPanel, &SearchHistoryPanel::specActivated, this, &SearchWorkbench::applySpec);
    connect(m_historyPanel, &SearchHistoryPanel::saveRequested, this, &SearchWorkbench::askSave);
    connect(m_results, &SearchResultsPanel::exportRequested, this, &SearchWorkbench::askExport);
}

bool SearchWorkbench::eventFilter(QObject *watched, QEvent *event)
{
    if ((event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride) &&
        isRunKey(static_cast<QKeyEvent *>(event))) {
        if (event->type() == QEvent::ShortcutOverride) {
            event->ignore(); // let the shortcut have it
            return false;
        }
        run();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void SearchWorkbench::setClient(std::shared_ptr<MilvusClient> client)
{
    cancel();
    m_client = std::move(client);
    m_service = SearchService(m_client);
    m_target->setClient(m_client);
}

void SearchWorkbench::setCollection(const QString &database, const QString &collection)
{
    m_target->setCollection(database, collection);
}

SearchSpec SearchWorkbench::currentSpec() const
{
    SearchSpec spec;
    m_target->fillSpec(spec);
    m_options->fillSpec(spec);
    m_query->fillSpec(spec);
    return spec;
}

void SearchWorkbench::applySpec(const SearchSpec &spec)
{
    m_target->applySpec(spec);
    m_options->applySpec(spec);
    m_query->applySpec(spec);
}

bool SearchWorkbench::isRunning() const
{
    return m_runToken != nullptr;
}

QString SearchWorkbench::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString SearchWorkbench::statusText() const
{
    return m_results->statusText();
}

std::shared_ptr<EmbeddingProvider> SearchWorkbench::providerFor(int dimension)
{
    const EmbeddingSettings settings = m_provider->settings();
    // The key is part of the cache key only as "changed or not"; it never leaves this object.
    const QString key = QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8")
                            .arg(int(settings.kind))
                            .arg(settings.baseUrl, settings.model)
                            .arg(settings.dimensions)
                            .arg(settings.maxRetries)
                            .arg(settings.timeoutMs)
                            .arg(settings.kind == EmbeddingSettings::Kind::LocalLexical ? dimension : 0)
                            .arg(qHash(m_provider->apiKey()));
    if (!m_cachedProvider || key != m_cachedProviderKey) {
        m_cachedProvider = settings.createProvider(dimension, m_provider->apiKey());
        m_cachedProviderKey = key;
    }
    return m_cachedProvider;
}

void SearchWorkbench::run()
{
    clearError();
    SearchRunRequest request;
    request.spec = currentSpec();
    const SearchSpec &spec = request.spec;
    if (spec.collection.isEmpty()) {
        showError(tr("Choose a collection first."));
        return;
    }
    if (!m_target->hasSchema()) {
        showError(tr("The schema of %1 is still loading; run again in a moment.").arg(spec.collection));
        return;
    }
    const bool embeds = needsQueryVectors(spec.resultMode) &&
                        (spec.inputMode == QueryInputMode::Text || spec.inputMode == QueryInputMode::File);
    if (embeds) {
        try {
            request.provider = providerFor(m_target->vectorDimension());
        } catch (...) {
            if (dropRun()) // a run still going would otherwise land after this error
                showIdle();
            onFailed(errorFromException(std::current_exception()));
            return;
        }
    }
    request.schema = m_target->schema();
    request.indexMetric = m_target->indexMetric();
    startRun(std::move(request));
}

void SearchWorkbench::startRun(SearchRunRequest request)
{
    const bool wasRunning = dropRun(); // replaced: its late outcome is dropped below
    const auto token = CancelToken::create();
    request.options.cancel = token;
    m_runToken = token;
    m_results->setStatus(tr("Running…"));
    if (!wasRunning) {
        m_busy->setVisible(true);
        m_cancel->setEnabled(true);
        emit runningChanged(true);
    }
    // A run that fails its input checks may end before then() returns: every state change is made above.
    m_service.run(request)
        .then(this,
              [this, token](QFuture<SearchOutcome> done) {
                  if (token != m_runToken)
                      return; // cancelled or replaced
                  m_runToken.reset();
                  showIdle();
                  try {
                      onFinished(done.result());
                  } catch (...) {
                      onFailed(errorFromException(std::current_exception()));
                  }
              })
        .onCanceled(this, [this, token] {
            // The service settles every run with an outcome or an error; this only keeps the busy state
            // honest.
            if (token == m_runToken)
                cancel();
        });
}

bool SearchWorkbench::dropRun()
{
    // Forgotten before it is cancelled: the service then fails the run at once, and a continuation whose
    // future is already finished runs right inside cancel() on this thread; it must find the run gone.
    const std::shared_ptr<CancelToken> token = std::exchange(m_runToken, nullptr);
    if (!token)
        return false;
    token->cancel();
    return true;
}

void SearchWorkbench::showIdle()
{
    m_busy->setVisible(false);
    m_cancel->setEnabled(false);
    emit runningChanged(false);
}

void SearchWorkbench::cancel()
{
    if (!dropRun())
        return;
    showIdle();
    m_results->setStatus(tr("Cancelled."));
}

void SearchWorkbench::reload()
{
    m_target->reload();
}

void SearchWorkbench::onFinished(const SearchOutcome &outcome)
{
    m_model->setOutcome(outcome);
    m_results->showOutcome(outcome);
    m_history->addToHistory(outcome.spec);
    emit searchFinished();
}

void SearchWorkbench::onFailed(const MilvusError &error)
{
    const QString message = error.message();
    showError(message, error.detail);
    m_results->setStatus(m_model->rowCount() > 0 ? tr("Failed. The results below are from the previous run.")
                                                 : tr("Failed."));
    emit searchFailed(message);
}

void SearchWorkbench::showError(const QString &message, const QString &detail)
{
    m_error->setText(message);
    // Milvus's filter errors put a caret under the column on a line of their own: keep it aligned.
    m_error->setFont(message.contains(QLatin1Char('\n')) ? QFontDatabase::systemFont(QFontDatabase::FixedFont)
                                                         : QFont());
    m_error->setToolTip(detail);
    m_error->show();
}

void SearchWorkbench::clearError()
{
    m_error->clear();
    m_error->setToolTip({});
    m_error->hide();
}

QFuture<void> SearchWorkbench::exportTo(const QString &path, SearchResultExporter::Format format)
{
    return SearchResultExporter::write(m_model->outcome(), path, format);
}

void SearchWorkbench::askExport()
{
    QString selected;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export results"), QStringLiteral("search-results.csv"),
                                     tr("CSV (*.csv);;JSON (*.json)"), &selected);
    if (path.isEmpty())
        return;
    const auto format = selected.startsWith(QLatin1String("JSON")) || path.endsWith(QLatin1String(".json"))
                            ? SearchResultExporter::Format::Json
                            : SearchResultExporter::Format::Csv;
    const qsizetype rows = m_model->rowCount();
    exportTo(path, format)
        .then(this,
              [this, path, rows] { m_results->setStatus(tr("Exported %1 rows to %2").arg(rows).arg(path)); })
        .onFailed(this, [this](const MilvusException &e) { showError(e.error().message()); });
}

void SearchWorkbench::askSave()
{
    bool ok = false;
    const SearchSpec spec = currentSpec();
    const QString name = QInputDialog::getText(this, tr("Save search"), tr("Name:"), QLineEdit::Normal,
                                               spec.summary().left(40), &ok);
    if (ok && !name.trimmed().isEmpty())
        m_history->save(name.trimmed(), spec);
}

} // namespace mx
