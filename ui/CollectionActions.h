#pragma once

#include "ServerCapabilities.h"

#include <QObject>

#include <memory>

class QWidget;
class QMenu;

namespace mx {

class MilvusClient;
class Session;

// The actions on databases, collections, indexes and partitions. Each one asks first where it destroys
// something (typing the name), shows the server's refusal in its dialog or a message box, runs its
// request asynchronously, and reports what changed so the navigator and the tabs can refresh. Only the
// objects the user named are touched. GUI thread only.
class CollectionActions : public QObject
{
    Q_OBJECT
public:
    CollectionActions(Session *session, QWidget *window);

    // Adds the actions that fit the clicked item to `menu` (database and/or collection may be empty).
    void populateMenu(QMenu *menu, const QString &database, const QString &collection);

public slots:
    void createCollection(const QString &database);
    void dropCollection(const QString &database, const QString &collection);
    void renameCollection(const QString &database, const QString &collection);
    void truncateCollection(const QString &database, const QString &collection);
    void loadCollection(const QString &database, const QString &collection);
    void releaseCollection(const QString &database, const QString &collection);
    void createIndex(const QString &database, const QString &collection);
    void dropIndex(const QString &database, const QString &collection, const QString &field,
                   const QString &indexName);
    void createPartition(const QString &database, const QString &collection);
    void dropPartition(const QString &database, const QString &collection, const QString &partition);
    void createDatabase();
    void dropDatabase(const QString &database);

    // Tells every view of the collection that it changed (collectionChanged), e.g. after the Data tab
    // wrote to it.
    void notifyChanged(const QString &database, const QString &collection)
    {
        emit collectionChanged(database, collection);
    }
    // What the connected server supports (for the pages this object's actions serve).
    const ServerCapabilities &capabilities() const;

signals:
    void databasesChanged();
    void collectionsChanged(const QString &database);
    void collectionChanged(const QString &database, const QString &collection);
    void collectionCreated(const QString &database, const QString &collection);
    void collectionDropped(const QString &database, const QString &collection);
    void statusMessage(const QString &text);
    void searchRequested(const QString &database, const QString &collection);

private:
    std::shared_ptr<MilvusClient> client() const;
    void fail(const QString &title, const QString &message);
    void watchLoading(const QString &database, const QString &collection, int attempt);

    Session *m_session;
    QWidget *m_window;
};

} // namespace mx
