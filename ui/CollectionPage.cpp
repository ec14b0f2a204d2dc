#include "CollectionPage.h"

#include "CollectionDetails.h"
#include "CollectionOverview.h"

namespace mx {

CollectionPage::CollectionPage(std::shared_ptr<MilvusClient> client, const QString &database,
                               const QString &collection, QWidget *parent)
    : QTabWidget(parent)
    , m_client(std::move(client))
    , m_database(database)
    , m_collection(collection)
    , m_details(new CollectionDetails(m_client, database, collection, this))
    , m_overview(new CollectionOverview(m_details, this))
{
    setObjectName(QStringLiteral("collectionPage"));
    setDocumentMode(true);
    addTab(m_overview, tr("Overview"));
    m_details->refresh();
}

void CollectionPage::refresh()
{
    m_details->refresh();
}

} // namespace mx
