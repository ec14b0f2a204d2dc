#include "NavigatorModel.h"

#include "MilvusClient.h"
#include "MilvusError.h"
#include "StatusIcons.h"

#include <QTimer>

namespace mx {

struct NavigatorModel::Node
{
    Kind kind = Kind::Connection;
    QString name;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    bool fetched = false;
    bool fetching = false;
    LoadState state = LoadState::NotExist;
    bool stateKnown = false;
    QString error;
    QStringList aliases;
    QString aliasError;

    int row() const
    {
        if (!parent)
            return 0;
        for (size_t i = 0; i < parent->children.size(); ++i)
            if (parent->children[i].get() == this)
                return int(i);
        return 0;
    }
    Node *add(Kind k, const QString &n)
    {
        auto child = std::make_unique<Node>();
        child->kind = k;
        child->name = n;
        child->parent = this;
        children.push_back(std::move(child));
        return children.back().get();
    }
    QString database() const
    {
        if (kind == Kind::Database)
            return name;
        if (kind == Kind::Collection && parent)
            return parent->name;
        return {};
    }
};

NavigatorModel::NavigatorModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{}

NavigatorModel::~NavigatorModel()
{
    m_delivery.close(); // answers still on their way are dropped, never run on a dead model
}

void NavigatorModel::setPending(int delta)
{
    const bool was = isBusy();
    m_pending = std::max(0, m_pending + delta);
    if (was != isBusy())
        emit busyChanged(isBusy());
}

void NavigatorModel::setClient(std::shared_ptr<MilvusClient> client, const QString &connectionName)
{
    beginResetModel();
    ++m_generation;
    m_pending = 0;
    m_client = std::move(client);
    m_root = std::make_unique<Node>();
    if (m_client)
        m_root->add(Kind::Connection, connectionName);
    endResetModel();
    if (m_client)
        fetchDatabases();
}

void NavigatorModel::reload()
{
    if (!m_client || m_root->children.empty())
        return;
    // A copy: setClient() replaces the tree this name lives in (a reference into it was read after
    // the old tree was freed: heap corruption, seen as rare crashes in tst_mainwindow).
    const QString connectionName = m_root->children.front()->name;
    setClient(m_client, connectionName);
}

void NavigatorModel::fetchDatabases()
{
    const quint64 gen = m_generation;
    setPending(1);
    m_delivery.deliver(
        m_client->listDatabasesAsync(),
        [this, gen](QStringList dbs) {
            if (gen != m_generation || m_root->children.empty())
                return;
            setPending(-1);
            Node *conn = m_root->children.front().get();
            // "default" first, then alphabetical, as users look for it first.
            std::sort(dbs.begin(), dbs.end(), [](const QString &a, const QString &b) {
                if ((a == QLatin1String("default")) != (b == QLatin1String("default")))
                    return a == QLatin1String("default");
                return a.compare(b, Qt::CaseInsensitive) < 0;
            });
            replaceChildren(conn, Kind::Database, dbs);
            conn->fetched = true;
            emit databasesLoaded();
        },
        [this, gen](const MilvusError &e) {
            if (gen != m_generation || m_root->children.empty())
                return;
            setPending(-1);
            Node *conn = m_root->children.front().get();
            conn->error = e.message();
            const QModelIndex i = indexOf(conn);
            emit dataChanged(i, i);
            emit errorOccurred(conn->error);
        });
}

void NavigatorModel::reloadDatabase(const QString &database)
{
    const QModelIndex idx = databaseIndex(database);
    if (!idx.isValid())
        return;
    Node *db = nodeOf(idx);
    db->fetched = false;
    fetchCollections(db);
}

void NavigatorModel::fetchCollections(Node *db)
{
    if (db->fetching)
        return;
    db->fetching = true;
    const quint64 gen = m_generation;
    const QString dbName = db->name;
    ServerRequest req;
    req.options.dbName = dbName;
    setPending(1);
    m_delivery.deliver(
        m_client->listCollectionsAsync(req),
        [this, gen, dbName](QStringList names) {
            if (gen != m_generation)
                return;
            setPending(-1);
            const QModelIndex dbIndex = databaseIndex(dbName);
            if (!dbIndex.isValid())
                return;
            Node *db = nodeOf(dbIndex);
            db->fetching = false;
            db->fetched = true;
            db->error.clear();
            names.sort(Qt::CaseInsensitive);
            replaceChildren(db, Kind::Collection, names);
            emit collectionsLoaded(dbName);
            for (const auto &n : names) {
                fetchLoadState(dbName, n, gen);
                fetchAliases(dbName, n, gen);
            }
        },
        [this, gen, dbName](const MilvusError &e) {
            if (gen != m_generation)
                return;
            setPending(-1);
            const QModelIndex dbIndex = databaseIndex(dbName);
            if (!dbIndex.isValid())
                return;
            Node *db = nodeOf(dbIndex);
            db->fetching = false;
            db->error = e.message();
            emit dataChanged(dbIndex, dbIndex);
            emit errorOccurred(db->error);
        });
}

void NavigatorModel::replaceChildren(Node *parent, Kind kind, const QStringList &names)
{
    const QModelIndex parentIndex = indexOf(parent);
    if (!parent->children.empty()) {
        beginRemoveRows(parentIndex, 0, int(parent->children.size()) - 1);
        parent->children.clear();
        endRemoveRows();
    }
    if (!names.isEmpty()) {
        beginInsertRows(parentIndex, 0, int(names.size()) - 1);
        for (const auto &n : names)
            parent->add(kind, n);
        endInsertRows();
    }
}

void NavigatorModel::fetchLoadState(const QString &database, const QString &collection, quint64 gen)
{
    LoadStateRequest ls{collection};
    ls.options.dbName = database;
    m_delivery.deliver(
        m_client->getLoadStateAsync(ls),
        [this, gen, database, collection](LoadState s) {
            if (gen != m_generation)
                return;
            setLoadState(database, collection, s);
            // A load in progress (wherever it started, the server's own after a restart too) is followed
            // until it ends.
            if (s == LoadState::Loading)
                QTimer::singleShot(kLoadPollMs, this, [this, gen, database, collection] {
                    if (gen == m_generation && collectionIndex(database, collection).isValid())
                        fetchLoadState(database, collection, gen);
                });
        },
        [](const MilvusError &) {}); // the badge stays as it was; the overview shows the error
}

void NavigatorModel::fetchAliases(const QString &database, const QString &collection, quint64 gen)
{
    CollectionRequest req{collection, {}};
    req.options.dbName = database;
    // The row is looked up again by name: the tree may have been rebuilt by the time the answer comes.
    m_delivery.deliver(
        m_client->listAliasesAsync(req),
        [this, gen, database, collection](QStringList aliases) {
            if (gen != m_generation)
                return;
            aliases.sort(Qt::CaseInsensitive);
            setAliases(database, collection, aliases, {});
        },
        [this, gen, database, collection](const MilvusError &e) {
            if (gen == m_generation)
                setAliases(database, collection, {}, e.message());
        });
}

void NavigatorModel::setAliases(const QString &database, const QString &collection,
                                const QStringList &aliases, const QString &error)
{
    const QModelIndex i = collectionIndex(database, collection);
    if (!i.isValid())
        return;
    Node *n = nodeOf(i);
    if (n->aliases == aliases && n->aliasError == error)
        return;
    n->aliases = aliases;
    n->aliasError = error;
    emit dataChanged(i, i);
}

void NavigatorModel::refreshCollection(const QString &database, const QString &collection)
{
    if (!m_client || !collectionIndex(database, collection).isValid())
        return;
    fetchLoadState(database, collection, m_generation);
    for (const auto &c : nodeOf(databaseIndex(database))->children)
        fetchAliases(database, c->name, m_generation);
}

void NavigatorModel::setLoadState(const QString &database, const QString &collection, LoadState state)
{
    const QModelIndex i = collectionIndex(database, collection);
    if (!i.isValid())
        return;
    Node *n = nodeOf(i);
    n->state = state;
    n->stateKnown = true;
    emit dataChanged(i, i);
}

QModelIndex NavigatorModel::databaseIndex(const QString &database) const
{
    if (m_root->children.empty())
        return {};
    Node *conn = m_root->children.front().get();
    for (const auto &db : conn->children)
        if (db->name == database)
            return indexOf(db.get());
    return {};
}

QModelIndex NavigatorModel::collectionIndex(const QString &database, const QString &collection) const
{
    const QModelIndex dbIndex = databaseIndex(database);
    if (!dbIndex.isValid())
        return {};
    for (const auto &c : nodeOf(dbIndex)->children)
        if (c->name == collection)
            return indexOf(c.get());
    return {};
}

NavigatorModel::Node *NavigatorModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex NavigatorModel::indexOf(Node *node) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row(), 0, node);
}

QModelIndex NavigatorModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *p = nodeOf(parent);
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex NavigatorModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int NavigatorModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int NavigatorModel::columnCount(const QModelIndex &) const
{
    return 1;
}

bool NavigatorModel::hasChildren(const QModelIndex &parent) const
{
    const Node *n = nodeOf(parent);
    if (n->kind == Kind::Collection && parent.isValid())
        return false;
    if (n->kind == Kind::Database && !n->fetched)
        return true; // unknown until fetched: show the expander
    return !n->children.empty();
}

bool NavigatorModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *n = nodeOf(parent);
    return parent.isValid() && n->kind == Kind::Database && !n->fetched && !n->fetching && m_client;
}

void NavigatorModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    // Views (and the model tester) call fetchMore from inside their handlers of this model's signals. A
    // reply that is already there when the continuation is attached is applied at once, which would
    // nest a row insertion inside the one being reported: start from the event loop instead.
    Node *db = nodeOf(parent);
    db->fetching = true;
    const quint64 gen = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, gen, name = db->name] {
            const QModelIndex index = databaseIndex(name);
            if (gen != m_generation || !index.isValid())
                return;
            Node *node = nodeOf(index);
            node->fetching = false;
            fetchCollections(node);
        },
        Qt::QueuedConnection);
}

QVariant NavigatorModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *n = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        if (n->kind == Kind::Collection && !n->aliases.isEmpty())
            return (n->aliases.size() == 1 ? tr("%1  (alias %2)") : tr("%1  (aliases %2)"))
                .arg(n->name, n->aliases.join(QStringLiteral(", ")));
        return n->name;
    case Qt::ToolTipRole: {
        if (!n->error.isEmpty())
            return n->error;
        QString tip = n->kind == Kind::Collection && n->stateKnown
                          ? tr("%1 (%2)").arg(n->name, loadStateName(n->state))
                          : n->name;
        if (!n->aliases.isEmpty())
            tip += QLatin1Char('\n') + tr("Aliases: %1").arg(n->aliases.join(QStringLiteral(", ")));
        if (!n->aliasError.isEmpty())
            tip += QLatin1Char('\n') + tr("Aliases unknown: %1").arg(n->aliasError);
        return tip;
    }
    case Qt::DecorationRole:
        if (!n->error.isEmpty())
            return errorIcon();
        if (n->kind == Kind::Collection && n->stateKnown)
            return loadStateIcon(n->state);
        return {};
    case KindRole:
        return int(n->kind);
    case DatabaseRole:
        return n->database();
    case CollectionRole:
        return n->kind == Kind::Collection ? n->name : QString();
    case LoadStateRole:
        return n->stateKnown ? QVariant(int(n->state)) : QVariant();
    case ErrorRole:
        return n->error;
    case AliasesRole:
        return n->aliases;
    default:
        return {};
    }
}

} // namespace mx
