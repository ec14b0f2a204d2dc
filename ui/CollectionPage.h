#pragma once

#include <QTabWidget>

#include <memory>

namespace mx {

class CollectionActions;
class CollectionDetails;
class CollectionOverview;
class DataView;
class MilvusClient;

// One collection's tab: its overview and (when available) its data.
class CollectionPage : public QTabWidget
{
    Q_OBJECT
public:
    CollectionPage(std::shared_ptr<MilvusClient> client, CollectionActions *actions, const QString &database,
                   const QString &collection, QWidget *parent = nullptr);

    QString database() const { return m_database; }
    QString collection() const { return m_collection; }
    CollectionDetails *details() const { return m_details; }
    CollectionOverview *overview() const { return m_overview; }
    DataView *dataView() const { return m_data; }
    std::shared_ptr<MilvusClient> client() const { return m_client; }

public slots:
    void refresh();

private:
    std::shared_ptr<MilvusClient> m_client;
    QString m_database;
    QString m_collection;
    CollectionDetails *m_details;
    CollectionOverview *m_overview;
    DataView *m_data = nullptr;
};

} // namespace mx
