#include "CollectionPage.h"

#include "AliasesPanel.h"
#include "CollectionActions.h"
#include "CollectionDetails.h"
#include "CollectionOverview.h"
#include "DataView.h"
#include "Icons.h"
#include "SegmentsPanel.h"

#include <QToolBar>

namespace mx {

CollectionPage::CollectionPage(std::shared_ptr<MilvusClient> client, CollectionActions *actions,
                               const QString &database, const QString &collection, QWidget *parent)
    : QTabWidget(parent)
    , m_client(std::move(client))
    , m_database(database)
    , m_collection(collection)
    , m_details(new CollectionDetails(m_client, database, collection, this))
    , m_overview(new CollectionOverview(m_details, this))
{
    setObjectName(QStringLiteral("collectionPage"));
    m_details->setCapabilities(actions->capabilities());
    setDocumentMode(true);
    addTab(m_overview, tr("Overview"));
    m_data = new DataView(m_client, database, collection, this);
    addTab(m_data, tr("Data"));
    // Writes and loads from the Data tab reach every view of this collection (list, navigator, overview).
    connect(m_data, &DataView::dataChanged, this, [=] { actions->notifyChanged(database, collection); });
    connect(m_data, &DataView::loadRequested, this, [=] { actions->loadCollection(database, collection); });
    // Administration (shown lazily: they ask the server only once their tab is opened).
    auto *segments = new SegmentsPanel(this);
    segments->setConnection(m_client);
    segments->setCollection(collection, database);
    addTab(segments, tr("Segments"));
    auto *aliases = new AliasesPanel(this);
    aliases->setConnection(m_client);
    aliases->setCollection(collection, database);
    addTab(aliases, tr("Aliases"));
    connect(aliases, &AliasesPanel::aliasesChanged, this,
            [=] { actions->notifyChanged(database, collection); });

    QToolBar *bar = m_overview->toolBar();
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(icon(QStringLiteral("refresh")), tr("Refresh"), this, &CollectionPage::refresh);
    bar->addAction(icon(QStringLiteral("copy")), tr("Copy as JSON"), m_overview,
                   &CollectionOverview::copyAsJson);
    bar->addSeparator();
    bar->addAction(icon(QStringLiteral("load")), tr("Load"), this,
                   [=] { actions->loadCollection(database, collection); });
    bar->addAction(icon(QStringLiteral("release")), tr("Release"), this,
                   [=] { actions->releaseCollection(database, collection); });
    bar->addAction(icon(QStringLiteral("index")), tr("Create index…"), this,
                   [=] { actions->createIndex(database, collection); });
    bar->addAction(icon(QStringLiteral("drop")), tr("Drop index…"), this, [=] {
        if (!m_details->indexes().isEmpty()) {
            const auto &i = m_details->indexes().first();
            actions->dropIndex(database, collection, i.fieldName, i.indexName);
        }
    });
    bar->addAction(icon(QStringLiteral("partition")), tr("Create partition…"), this,
                   [=] { actions->createPartition(database, collection); });
    bar->addSeparator();
    bar->addAction(icon(QStringLiteral("rename")), tr("Rename…"), this,
                   [=] { actions->renameCollection(database, collection); });
    bar->addAction(icon(QStringLiteral("truncate")), tr("Truncate…"), this,
                   [=] { actions->truncateCollection(database, collection); });
    bar->addAction(icon(QStringLiteral("drop")), tr("Drop…"), this,
                   [=] { actions->dropCollection(database, collection); });
    m_details->refresh();
}

void CollectionPage::refresh()
{
    m_details->refresh();
    m_data->refresh();
}

} // namespace mx
