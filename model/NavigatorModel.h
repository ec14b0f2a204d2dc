#pragma once

#include "Delivery.h"
#include "MilvusTypes.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

namespace mx {

class MilvusClient;

// The navigation tree: connection → databases → collections, with load-state badges and each
// collection's aliases (ListAliases, both servers: shown after the name and in the tooltip, so the
// filter finds a collection by an alias too). Databases are
// listed when a client is set; a database's collections are fetched lazily (canFetchMore/fetchMore),
// asynchronously, and answers of an earlier generation are dropped. GUI thread only.
class NavigatorModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum class Kind
    {
        Connection,
        Database,
        Collection
    };
    enum Role
    {
        KindRole = Qt::UserRole + 1,
        DatabaseRole,
        CollectionRole,
        LoadStateRole,
        ErrorRole,
        AliasesRole // QStringList; empty until known (or when listing them failed: see the tooltip)
    };

    explicit NavigatorModel(QObject *parent = nullptr);
    ~NavigatorModel() override;

    void setClient(std::shared_ptr<MilvusClient> client, const QString &connectionName);
    void reload();                                // everything, from the databases down
    void reloadDatabase(const QString &database); // one database's collections
    void setLoadState(const QString &database, const QString &collection, LoadState state);
    // Asks again for the collection's load state and for the aliases of its database's collections (an
    // alias moved here came from one of them).
    void refreshCollection(const QString &database, const QString &collection);
    QModelIndex databaseIndex(const QString &database) const;
    QModelIndex collectionIndex(const QString &database, const QString &collection) const;
    bool isBusy() const { return m_pending > 0; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void errorOccurred(const QString &message);
    void busyChanged(bool busy);
    void databasesLoaded();
    void collectionsLoaded(const QString &database);

private:
    void fetchLoadState(const QString &database, const QString &collection, quint64 generation);
    void fetchAliases(const QString &database, const QString &collection, quint64 generation);
    void setAliases(const QString &database, const QString &collection, const QStringList &aliases,
                    const QString &error);
    static constexpr int kLoadPollMs = 1000;
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node) const;
    void fetchDatabases();
    void fetchCollections(Node *db);
    void replaceChildren(Node *parent, Kind kind, const QStringList &names);
    void setPending(int delta);

    std::unique_ptr<Node> m_root; // invisible root; its one child is the connection
    std::shared_ptr<MilvusClient> m_client;
    quint64 m_generation = 0;
    int m_pending = 0;
    Delivery m_delivery{this}; // every answer comes through here (closed first in the destructor)
};

} // namespace mx
