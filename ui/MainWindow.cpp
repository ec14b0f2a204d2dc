#include "MainWindow.h"

#include "AdminMenu.h"
#include "CollectionActions.h"
#include "CollectionListModel.h"
#include "CollectionPage.h"
#include "ConnectionProfiles.h"
#include "ConnectionsDialog.h"
#include "Icons.h"
#include "LoadTestPanel.h"
#include "LocalServerSetupDialog.h"
#include "MilvusClient.h"
#include "NavigatorModel.h"
#include "NavigatorPanel.h"
#include "SearchWorkbench.h"
#include "SecretStore.h"
#include "Version.h"
#include "WelcomePanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace mx {

MainWindow::MainWindow(Session *session, ConnectionProfiles *profiles, SecretStore *secrets, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_actions(new CollectionActions(session, this))
    , m_profiles(profiles)
    , m_secrets(secrets)
    , m_navigator(new NavigatorModel(this))
    , m_model(new CollectionListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Milvus Explorer"));

    // --- actions ---
    auto *connectAction = new QAction(icon(QStringLiteral("connect")), tr("Connect…"), this);
    connectAction->setObjectName(QStringLiteral("connectAction"));
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connectAction->setToolTip(tr("Choose, edit or test a connection (Ctrl+K)"));
    connect(connectAction, &QAction::triggered, this, &MainWindow::showConnections);
    auto *refreshAction = new QAction(icon(QStringLiteral("refresh")), tr("Refresh"), this);
    refreshAction->setObjectName(QStringLiteral("refreshAction"));
    refreshAction->setShortcut(QKeySequence::Refresh);
    refreshAction->setToolTip(tr("Reload databases, collections and the open tab (F5)"));
    connect(refreshAction, &QAction::triggered, this, &MainWindow::refreshAll);
    auto *closeTabAction = new QAction(tr("Close tab"), this);
    closeTabAction->setShortcut(QKeySequence::Close);
    connect(closeTabAction, &QAction::triggered, this, [this] { closeTab(m_tabs->currentIndex()); });
    auto *filterAction = new QAction(tr("Find in navigator"), this);
    filterAction->setShortcut(QKeySequence::Find);
    connect(filterAction, &QAction::triggered, this, [this] { m_navigatorPanel->focusFilter(); });
    auto *quitAction = new QAction(tr("Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(connectAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quitAction);
    auto *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(refreshAction);
    viewMenu->addAction(filterAction);
    viewMenu->addAction(closeTabAction);

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(connectAction);
    toolbar->addAction(refreshAction);
    auto *newCollection = toolbar->addAction(icon(QStringLiteral("add")), tr("New collection…"), this,
                                             [this] { m_actions->createCollection(m_database); });
    newCollection->setObjectName(QStringLiteral("newCollectionAction"));
    newCollection->setShortcut(QKeySequence::New);
    fileMenu->insertAction(quitAction, newCollection);
    auto *searchAction = toolbar->addAction(icon(QStringLiteral("search")), tr("Search"), this, [this] {
        auto *page = qobject_cast<CollectionPage *>(m_tabs->currentWidget());
        openSearch(page ? page->database() : m_database, page ? page->collection() : QString());
    });
    searchAction->setObjectName(QStringLiteral("searchAction"));
    searchAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    searchAction->setToolTip(tr("Similarity and metadata search on a collection (Ctrl+Shift+S)"));
    viewMenu->addAction(searchAction);
    auto *loadTestAction = toolbar->addAction(icon(QStringLiteral("loadtest")), tr("Load test"), this,
                                              &MainWindow::openLoadTest);
    loadTestAction->setObjectName(QStringLiteral("loadTestAction"));
    loadTestAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    loadTestAction->setToolTip(tr("Sync vs async throughput on scratch collections (Ctrl+Shift+L)"));
    viewMenu->addAction(loadTestAction);

    // --- navigator (left) ---
    m_navigatorPanel = new NavigatorPanel(m_navigator, this);
    auto *dock = new QDockWidget(tr("Navigator"), this);
    dock->setObjectName(QStringLiteral("navigatorDock"));
    dock->setWidget(m_navigatorPanel);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    viewMenu->addAction(dock->toggleViewAction());
    connect(m_navigatorPanel, &NavigatorPanel::databaseSelected, this, &MainWindow::showDatabase);
    connect(m_navigatorPanel, &NavigatorPanel::collectionActivated, this,
            [this](const QString &db, const QString &coll) { openCollection(db, coll); });
    connect(m_navigator, &NavigatorModel::errorOccurred, this, &MainWindow::showError);
    connect(m_navigatorPanel, &NavigatorPanel::contextMenuRequested, this,
            [this](const QString &db, const QString &coll, const QPoint &pos) {
                QMenu menu(this);
                m_actions->populateMenu(&menu, db, coll);
                if (!menu.isEmpty())
                    menu.exec(pos);
            });
    connect(m_actions, &CollectionActions::databasesChanged, m_navigator, &NavigatorModel::reload);
    connect(m_actions, &CollectionActions::collectionsChanged, this, [this](const QString &db) {
        m_navigator->reloadDatabase(db);
        if (db == m_database)
            m_model->refresh();
    });
    connect(m_actions, &CollectionActions::collectionChanged, this, &MainWindow::refreshCollection);
    connect(m_actions, &CollectionActions::collectionDropped, this, &MainWindow::closeCollectionTab);
    connect(m_actions, &CollectionActions::collectionCreated, this,
            [this](const QString &db, const QString &coll) { openCollection(db, coll); });
    connect(m_actions, &CollectionActions::searchRequested, this,
            [this](const QString &db, const QString &coll) { openSearch(db, coll); });
    connect(m_actions, &CollectionActions::statusMessage, this,
            [this](const QString &text) { statusBar()->showMessage(text, 5000); });

    // --- tabs (right) ---
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("errorBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c6cb;"
                       " border-radius: 4px; padding: 8px; }"));
    m_banner->hide();
    layout->addWidget(m_banner);
    m_tabs = new QTabWidget(central);
    AdminMenu *adminMenu = installAdminMenu(this, m_tabs, [this] { return m_session->client(); });
    connect(m_session, &Session::stateChanged, adminMenu, [this, adminMenu](Session::State s) {
        if (s == Session::State::Connected)
            adminMenu->setConnection(m_session->client(), m_session->capabilities());
        else
            adminMenu->setConnection(nullptr, {});
    });
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_collectionsTab = new QWidget(m_tabs);
    auto *collLayout = new QVBoxLayout(m_collectionsTab);
    m_filter = new QLineEdit(m_collectionsTab);
    m_filter->setObjectName(QStringLiteral("collectionFilter"));
    m_filter->setPlaceholderText(tr("Filter collections…"));
    m_filter->setClearButtonEnabled(true);
    collLayout->addWidget(m_filter);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(CollectionListModel::NameColumn);
    m_proxy->setSortRole(CollectionListModel::SortRole);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_table = new QTableView(m_collectionsTab);
    m_table->setObjectName(QStringLiteral("collectionTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(CollectionListModel::NameColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(CollectionListModel::NameColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->resizeSection(CollectionListModel::RowsColumn, 140);
    m_table->horizontalHeader()->resizeSection(CollectionListModel::LoadStateColumn, 140);
    collLayout->addWidget(m_table);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &i) {
        openCollection(m_database,
                       m_proxy->index(i.row(), CollectionListModel::NameColumn).data().toString());
    });
    m_tabs->addTab(m_collectionsTab, tr("Collections"));
    setUpWelcome(collLayout, menuBar()->addMenu(tr("&Help")));
    m_tabs->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr); // the overview tab stays

    // --- status bar ---
    m_stateLabel = new QLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("connectionState"));
    m_versionLabel = new QLabel(this);
    m_versionLabel->setObjectName(QStringLiteral("serverVersion"));
    m_countLabel = new QLabel(this);
    statusBar()->addWidget(m_stateLabel, 1);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_versionLabel);

    connect(m_session, &Session::stateChanged, this, &MainWindow::onSessionStateChanged);
    // Lost and back again on the same connection: only the status text changes (tabs and models stay).
    const auto showHealth = [this] {
        const QString color =
            m_session->isConnectionLost() ? QStringLiteral("#f9a825") : QStringLiteral("#2e7d32");
        m_stateLabel->setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                                  .arg(color, m_session->stateText().toHtmlEscaped()));
    };
    connect(m_session, &Session::connectionLost, this, showHealth);
    connect(m_session, &Session::reconnected, this, showHealth);
    connect(m_session, &Session::failed, this, [this](const MilvusError &e) { showError(e.message()); });
    connect(m_model, &CollectionListModel::errorOccurred, this, &MainWindow::showError);
    connect(m_model, &CollectionListModel::refreshed, this, [this] {
        m_countLabel->setText(tr("%n collection(s) in %1", nullptr, m_model->rowCount()).arg(m_database));
        updateWelcome();
        emit collectionsShown();
    });
    connect(m_model, &CollectionListModel::errorOccurred, this, [this] { emit collectionsShown(); });

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray()))
        resize(1200, 720);
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
    onSessionStateChanged();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(!message.isEmpty());
}

void MainWindow::showDatabase(const QString &database)
{
    if (database == m_database && m_model->rowCount() > 0)
        return;
    m_database = database;
    m_tabs->setTabText(m_tabs->indexOf(m_collectionsTab), tr("Collections in %1").arg(database));
    m_model->setDatabase(database);
    m_model->refresh();
}

CollectionPage *MainWindow::openCollection(const QString &database, const QString &collection)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *page = qobject_cast<CollectionPage *>(m_tabs->widget(i));
        if (page && page->database() == database && page->collection() == collection) {
            m_tabs->setCurrentIndex(i);
            return page;
        }
    }
    if (!m_session->client())
        return nullptr;
    auto *page = new CollectionPage(m_session->client(), m_actions, database, collection, m_tabs);
    const int index = m_tabs->addTab(page, database == QLatin1String("default")
                                               ? collection
                                               : QStringLiteral("%1.%2").arg(database, collection));
    m_tabs->setTabToolTip(index, tr("Collection %1 in database %2").arg(collection, database));
    m_tabs->setCurrentIndex(index);
    return page;
}

SearchWorkbench *MainWindow::openSearch(const QString &database, const QString &collection)
{
    if (!m_session->client())
        return nullptr;
    if (!m_search) {
        m_search = new SearchWorkbench(m_session->client(), m_secrets, m_tabs);
        m_tabs->addTab(m_search, icon(QStringLiteral("search")), tr("Search"));
    }
    m_search->setCapabilities(m_session->capabilities());
    if (!database.isEmpty())
        m_search->setCollection(database, collection);
    m_tabs->setCurrentWidget(m_search);
    return m_search;
}

LoadTestPanel *MainWindow::openLoadTest()
{
    // The panel follows the session itself (it builds each run's engine from the current connection),
    // so it survives reconnects.
    if (!m_loadTest) {
        m_loadTest = new LoadTestPanel(m_session, m_tabs);
        m_tabs->addTab(m_loadTest, icon(QStringLiteral("loadtest")), tr("Load test"));
    }
    m_tabs->setCurrentWidget(m_loadTest);
    return m_loadTest;
}

void MainWindow::closeTab(int index)
{
    QWidget *w = m_tabs->widget(index);
    if (!w || w == m_collectionsTab)
        return;
    if (w == m_search)
        m_search = nullptr;
    if (w == m_loadTest)
        m_loadTest = nullptr;
    m_tabs->removeTab(index);
    w->deleteLater();
}

void MainWindow::closeCollectionTab(const QString &database, const QString &collection)
{
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        auto *page = qobject_cast<CollectionPage *>(m_tabs->widget(i));
        if (page && page->database() == database && page->collection() == collection)
            closeTab(i);
    }
}

void MainWindow::refreshCollection(const QString &database, const QString &collection)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *page = qobject_cast<CollectionPage *>(m_tabs->widget(i));
        if (page && page->database() == database && page->collection() == collection)
            page->refresh();
    }
    if (database == m_database)
        m_model->refresh();
    m_navigator->refreshCollection(database, collection); // load state and aliases
}

void MainWindow::refreshAll()
{
    m_navigator->reload();
    m_model->refresh();
    if (auto *page = qobject_cast<CollectionPage *>(m_tabs->currentWidget()))
        page->refresh();
}

void MainWindow::onSessionStateChanged()
{
    const auto state = m_session->state();
    QString color = QStringLiteral("#9e9e9e");
    if (state == Session::State::Connected)
        color = QStringLiteral("#2e7d32");
    else if (state == Session::State::Failed)
        color = QStringLiteral("#c62828");
    else if (state != Session::State::Disconnected)
        color = QStringLiteral("#f9a825");
    m_stateLabel->setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                              .arg(color, m_session->stateText().toHtmlEscaped()));
    m_versionLabel->setText(m_session->serverVersion().isEmpty() ? QString()
                                                                 : m_session->capabilities().displayName());
    m_versionLabel->setToolTip(m_session->serverVersion().isEmpty()
                                   ? QString()
                                   : tr("The server reports version %1").arg(m_session->serverVersion()));
    if (state == Session::State::Connected) {
        showError({});
        // Tabs of the previous connection would talk to a server that is no longer current.
        for (int i = m_tabs->count() - 1; i > 0; --i)
            if (m_tabs->widget(i) != m_loadTest)
                closeTab(i);
        m_database = m_session->client()->config().dbName.isEmpty() ? QStringLiteral("default")
                                                                    : m_session->client()->config().dbName;
        m_navigator->setClient(m_session->client(), m_session->displayName());
        m_model->setClient(m_session->client());
        m_model->setDatabase(m_database);
        m_tabs->setTabText(m_tabs->indexOf(m_collectionsTab), tr("Collections in %1").arg(m_database));
        m_model->refresh();
    } else if (state != Session::State::Failed) {
        m_model->setClient(nullptr);
        m_navigator->setClient(nullptr, {});
        m_countLabel->clear();
    }
}

void MainWindow::showConnections()
{
    ConnectionsDialog dialog(m_profiles, m_secrets, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConnectionProfile p = dialog.chosenProfile();
    if (p.embedded) {
        LocalServer::Options options;
        options.kind = p.localKind;
        options.secrets = m_secrets;
        startLocalServer(options);
    } else
        m_session->connectTo(p.config);
    if (!p.name.isEmpty() && !p.embedded)
        m_session->setDisplayName(p.name);
}

void MainWindow::startLocalServer(const LocalServer::Options &options)
{
    if (!options.executable.isEmpty() || !LocalServer::locate(options.kind).isEmpty()) {
        m_session->connectEmbedded(options);
        return;
    }
    auto *dialog = new LocalServerSetupDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &LocalServerSetupDialog::installed, this,
            [this, options] { m_session->connectEmbedded(options); });
    // Declined: starting anyway fails with the message that says how to install them by hand.
    connect(dialog, &LocalServerSetupDialog::declined, this,
            [this, options] { m_session->connectEmbedded(options); });
    dialog->open();
}

void MainWindow::setUpWelcome(QVBoxLayout *collectionsLayout, QMenu *helpMenu)
{
    m_welcome = new WelcomePanel(m_session, m_secrets, m_collectionsTab);
    m_welcome->hide();
    collectionsLayout->insertWidget(0, m_welcome);
    connect(m_welcome, &WelcomePanel::createCollectionRequested, this,
            [this] { m_actions->createCollection(m_database); });
    connect(m_welcome, &WelcomePanel::searchRequested, this,
            [this](const QString &db, const QString &coll) { openSearch(db, coll); });
    connect(m_welcome, &WelcomePanel::tutorialRequested, this, [this] {
        if (auto *panel = openLoadTest())
            panel->startTutorialPreset();
    });
    connect(m_welcome, &WelcomePanel::sampleLoaded, this, [this](const QString &db, const QString &) {
        m_navigator->reloadDatabase(db);
        if (db == m_database)
            m_model->refresh();
    });
    auto *welcome = helpMenu->addAction(tr("&Welcome"), this, [this] {
        WelcomePanel::setDismissed(false);
        m_tabs->setCurrentWidget(m_collectionsTab);
        updateWelcome();
        m_welcome->setVisible(true);
        m_welcome->setFocus();
    });
    welcome->setObjectName(QStringLiteral("welcomeAction"));
    helpMenu->addAction(tr("&About Milvus Explorer"), this, [this] {
        QMessageBox::about(
            this, tr("About Milvus Explorer"),
            tr("<h3>Milvus Explorer %1</h3><p>Browse, search and load-test the Milvus vector database.</p>"
               "<p>Built with Qt %2 (running on Qt %3).</p>")
                .arg(QString::fromLatin1(kVersion), QStringLiteral(QT_VERSION_STR),
                     QString::fromLatin1(qVersion())));
    });
}

void MainWindow::updateWelcome()
{
    m_welcome->setDatabase(m_database);
    // The empty state: a database without collections, or the one the welcome just filled.
    const bool empty = m_model->rowCount() == 0 || !m_welcome->sampleCollection().isEmpty();
    m_welcome->setVisible(!WelcomePanel::isDismissed() && m_session->client() && empty);
}

} // namespace mx
