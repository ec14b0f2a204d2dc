#include "SystemPanel.h"

#include "MilvusClient.h"
#include "ServerCapabilities.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace mx {

namespace {
QTableView *makeTable(const char *name, QStandardItemModel *model, QWidget *parent)
{
    auto *v = new QTableView(parent);
    v->setObjectName(QString::fromLatin1(name));
    v->setModel(model);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->horizontalHeader()->setStretchLastSection(true);
    v->verticalHeader()->hide();
    return v;
}
} // namespace

SystemPanel::SystemPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(tr("Not connected."), this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    m_components = new QStandardItemModel(0, 6, this);
    m_components->setHorizontalHeaderLabels(
        {tr("Component"), tr("Node"), tr("State"), tr("Health"), tr("Version"), tr("Up since")});
    m_componentsView = makeTable("componentsTable", m_components, this);
    layout->addWidget(new QLabel(tr("Components"), this));
    layout->addWidget(m_componentsView, 2);
    m_nodes = new QStandardItemModel(0, 4, this);
    m_nodes->setHorizontalHeaderLabels({tr("Node"), tr("Type"), tr("Address"), tr("Holds")});
    m_nodesView = makeTable("nodesTable", m_nodes, this);
    layout->addWidget(new QLabel(tr("Query and data nodes"), this));
    layout->addWidget(m_nodesView, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    m_copy = new QPushButton(tr("Copy as JSON"), this);
    m_copy->setObjectName(QStringLiteral("copyJsonButton"));
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    buttons->addWidget(m_copy);
    buttons->addWidget(m_refresh);
    layout->addLayout(buttons);
    connect(m_refresh, &QPushButton::clicked, this, &SystemPanel::refresh);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(json()); });
    m_timer.setInterval(5000);
    connect(&m_timer, &QTimer::timeout, this, &SystemPanel::refresh);
    m_copy->setEnabled(false);
    m_refresh->setEnabled(false);
}

void SystemPanel::setConnection(std::shared_ptr<MilvusClient> client)
{
    m_client = std::move(client);
    ++m_generation;
    m_topology = {};
    m_unavailable.clear();
    m_refresh->setEnabled(m_client != nullptr);
    if (m_client && isVisible())
        m_timer.start();
    refresh();
}

QString SystemPanel::json() const
{
    return QString::fromUtf8(QJsonDocument(m_topology.toJson()).toJson(QJsonDocument::Indented));
}

void SystemPanel::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    if (m_client)
        m_timer.start();
}

void SystemPanel::hideEvent(QHideEvent *e)
{
    QWidget::hideEvent(e);
    m_timer.stop(); // no polling while nobody looks
}

void SystemPanel::refresh()
{
    if (!m_client || m_busy)
        return;
    m_busy = true;
    const quint64 gen = m_generation;
    std::shared_ptr<const MilvusClient> client = m_client;
    m_client->getVersionAsync()
        .then([client](const QString &version) {
            const ServerCapabilities caps = ServerCapabilities::fromVersion(version);
            if (!caps.has(ServerCapabilities::Feature::Metrics))
                throwError(ErrorKind::InvalidArgument, QStringLiteral("System view"),
                           caps.lacks(ServerCapabilities::Feature::Metrics));
            return SystemTopology::load(client);
        })
        .unwrap()
        .then(this, [this, gen](QFuture<SystemTopology> f) {
            m_busy = false;
            if (gen != m_generation)
                return;
            try {
                display(f.result());
            } catch (const MilvusException &e) {
                showError(e.error());
            }
        });
}

void SystemPanel::display(const SystemTopology &t)
{
    m_topology = t;
    ++m_refreshes;
    m_error->hide();
    m_copy->setEnabled(true);
    QString health =
        t.healthy ? tr("healthy") : tr("NOT healthy: %1").arg(t.healthReasons.join(QStringLiteral("; ")));
    m_summary->setText(tr("<b>Milvus %1</b> · deploy mode %2 · built %3 · commit %4 · %5 · %6 components")
                           .arg(t.version.toHtmlEscaped(), t.deployMode.toHtmlEscaped(),
                                t.buildTime.toHtmlEscaped(), t.gitCommit.toHtmlEscaped(), health)
                           .arg(t.nodes.size()));
    m_components->removeRows(0, m_components->rowCount());
    for (const SystemNode &n : t.nodes) {
        const QString state = !n.state.isEmpty() ? n.state
                              : n.hasError       ? tr("Error")
                                                 : tr("Up (from metrics)");
        m_components->appendRow({new QStandardItem(n.name), new QStandardItem(QString::number(n.id)),
                                 new QStandardItem(state),
                                 new QStandardItem(n.hasError ? n.errorReason : tr("OK")),
                                 new QStandardItem(n.buildVersion), new QStandardItem(n.created)});
    }
    m_nodes->removeRows(0, m_nodes->rowCount());
    for (const SystemNode &n : t.nodes) {
        if (n.type != QLatin1String("querynode") && n.type != QLatin1String("datanode"))
            continue;
        QStringList held;
        for (const qint64 id : n.holds)
            held.append(t.collectionName(id));
        const QString ip = n.raw.value(QStringLiteral("infos"))
                               .toObject()
                               .value(QStringLiteral("hardware_infos"))
                               .toObject()
                               .value(QStringLiteral("ip"))
                               .toString();
        m_nodes->appendRow(
            {new QStandardItem(n.name), new QStandardItem(n.type), new QStandardItem(ip),
             new QStandardItem(held.isEmpty() ? tr("nothing") : held.join(QStringLiteral(", ")))});
    }
    m_componentsView->resizeColumnsToContents();
    m_nodesView->resizeColumnsToContents();
}

void SystemPanel::showError(const MilvusError &e)
{
    if (e.kind == ErrorKind::InvalidArgument && e.operation == QLatin1String("System view")) {
        m_unavailable = e.reason;
        m_summary->setText(e.reason);
        m_refresh->setEnabled(false);
        m_refresh->setToolTip(e.reason);
        m_copy->setToolTip(e.reason);
        m_timer.stop();
        return;
    }
    m_error->setText(e.kind == ErrorKind::PermissionDenied ? tr("Permission denied: %1").arg(e.message())
                                                           : e.message());
    m_error->show();
}

} // namespace mx
