#include "MainWindow.h"

#include "CollectionListModel.h"
#include "ConnectDialog.h"
#include "MilvusClient.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace mx {

MainWindow::MainWindow(Session *session, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_model(new CollectionListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Milvus Explorer"));

    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *connectAction = toolbar->addAction(style()->standardIcon(QStyle::SP_DriveNetIcon), tr("Connect…"));
    connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    connectAction->setToolTip(tr("Connect to a Milvus server (Ctrl+K)"));
    connect(connectAction, &QAction::triggered, this, &MainWindow::showConnectDialog);
    auto *refreshAction = toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"));
    refreshAction->setShortcut(QKeySequence::Refresh);
    refreshAction->setToolTip(tr("Reload the collection list (F5)"));
    connect(refreshAction, &QAction::triggered, m_model, &CollectionListModel::refresh);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("errorBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c6cb;"
                       " border-radius: 4px; padding: 8px; }"));
    m_banner->hide();
    layout->addWidget(m_banner);

    m_filter = new QLineEdit(central);
    m_filter->setObjectName(QStringLiteral("collectionFilter"));
    m_filter->setPlaceholderText(tr("Filter collections…"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(CollectionListModel::NameColumn);
    m_proxy->setSortRole(Qt::DisplayRole);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_table = new QTableView(central);
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
    layout->addWidget(m_table);
    setCentralWidget(central);

    m_stateLabel = new QLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("connectionState"));
    m_versionLabel = new QLabel(this);
    m_versionLabel->setObjectName(QStringLiteral("serverVersion"));
    m_countLabel = new QLabel(this);
    statusBar()->addWidget(m_stateLabel, 1);
    statusBar()->addPermanentWidget(m_countLabel);
    statusBar()->addPermanentWidget(m_versionLabel);

    connect(m_session, &Session::stateChanged, this, &MainWindow::onSessionStateChanged);
    connect(m_session, &Session::failed, this, [this](const MilvusError &e) { showError(e.message()); });
    connect(m_model, &CollectionListModel::errorOccurred, this, &MainWindow::showError);
    connect(m_model, &CollectionListModel::refreshed, this, [this] {
        m_countLabel->setText(tr("%n collection(s)", nullptr, m_model->rowCount()));
        emit collectionsShown();
    });
    connect(m_model, &CollectionListModel::errorOccurred, this, [this] { emit collectionsShown(); });

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray()))
        resize(900, 560);
    onSessionStateChanged();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    QMainWindow::closeEvent(event);
}

void MainWindow::showError(const QString &message)
{
    m_banner->setText(message);
    m_banner->setVisible(!message.isEmpty());
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
    m_versionLabel->setText(
        m_session->serverVersion().isEmpty() ? QString() : tr("Server %1").arg(m_session->serverVersion()));
    if (state == Session::State::Connected) {
        showError({});
        m_model->setClient(m_session->client());
        m_model->refresh();
    } else if (state != Session::State::Failed) {
        m_model->setClient(nullptr);
        m_countLabel->clear();
    }
}

void MainWindow::showConnectDialog()
{
    ConnectDialog dialog(this);
    dialog.setConfig(m_session->isEmbedded() || !m_session->client() ? ConnectionConfig{}
                                                                     : m_session->client()->config(),
                     m_session->isEmbedded());
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.useEmbedded())
        m_session->connectEmbedded();
    else
        m_session->connectTo(dialog.config());
}

} // namespace mx
