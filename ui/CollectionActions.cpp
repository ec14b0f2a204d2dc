#include "CollectionActions.h"

#include "ConfirmDestructiveDialog.h"
#include "CreateCollectionDialog.h"
#include "CreateIndexDialog.h"
#include "EntityCount.h"
#include "Icons.h"
#include "MilvusClient.h"
#include "Session.h"
#include "SimpleNameDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>
#include <QWidget>

namespace mx {

namespace {
CallOptions inDb(const QString &database)
{
    CallOptions o;
    o.dbName = database;
    return o;
}
} // namespace

CollectionActions::CollectionActions(Session *session, QWidget *window)
    : QObject(window)
    , m_session(session)
    , m_window(window)
{}

const ServerCapabilities &CollectionActions::capabilities() const
{
    return m_session->capabilities();
}

std::shared_ptr<MilvusClient> CollectionActions::client() const
{
    return m_session->client();
}

void CollectionActions::fail(const QString &title, const QString &message)
{
    QMessageBox box(QMessageBox::Warning, title, message, QMessageBox::Ok, m_window);
    box.setObjectName(QStringLiteral("actionErrorBox"));
    box.exec();
}

void CollectionActions::populateMenu(QMenu *menu, const QString &database, const QString &collection)
{
    if (!client())
        return;
    if (!collection.isEmpty()) {
        menu->addAction(icon(QStringLiteral("load")), tr("Load"), this,
                        [=] { loadCollection(database, collection); });
        menu->addAction(icon(QStringLiteral("release")), tr("Release"), this,
                        [=] { releaseCollection(database, collection); });
        menu->addAction(icon(QStringLiteral("search")), tr("Search…"), this,
                        [=] { emit searchRequested(database, collection); });
        menu->addSeparator();
        menu->addAction(icon(QStringLiteral("index")), tr("Create index…"), this,
                        [=] { createIndex(database, collection); });
        menu->addAction(icon(QStringLiteral("partition")), tr("Create partition…"), this,
                        [=] { createPartition(database, collection); });
        menu->addSeparator();
        menu->addAction(icon(QStringLiteral("rename")), tr("Rename…"), this,
                        [=] { renameCollection(database, collection); });
        menu->addAction(icon(QStringLiteral("truncate")), tr("Truncate…"), this,
                        [=] { truncateCollection(database, collection); });
        menu->addAction(icon(QStringLiteral("drop")), tr("Drop collection…"), this,
                        [=] { dropCollection(database, collection); });
        menu->addSeparator();
        menu->addAction(icon(QStringLiteral("copy")), tr("Copy name"), this,
                        [=] { QApplication::clipboard()->setText(collection); });
        return;
    }
    if (!database.isEmpty()) {
        menu->addAction(icon(QStringLiteral("add")), tr("New collection…"), this,
                        [=] { createCollection(database); });
        if (database != QLatin1String("default"))
            menu->addAction(icon(QStringLiteral("drop")), tr("Drop database…"), this,
                            [=] { dropDatabase(database); });
        menu->addSeparator();
    }
    menu->addAction(icon(QStringLiteral("database")), tr("New database…"), this,
                    &CollectionActions::createDatabase);
}

void CollectionActions::createCollection(const QString &database)
{
    auto c = client();
    if (!c)
        return;
    auto *dialog = new CreateCollectionDialog(m_window);
    dialog->setCapabilities(m_session->capabilities());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setDatabaseName(database);
    dialog->setDeferredAccept(true);
    connect(dialog, &CreateCollectionDialog::submitRequested, this, [this, dialog, c, database] {
        CreateCollectionRequest req = dialog->request();
        req.options.dbName = database;
        c->createCollectionAsync(req)
            .then(dialog,
                  [this, dialog, database, name = req.collection] {
                      dialog->accept();
                      emit collectionsChanged(database);
                      emit collectionCreated(database, name);
                      emit statusMessage(tr("Created collection %1").arg(name));
                  })
            .onFailed(dialog,
                      [dialog](const MilvusException &e) { dialog->showServerError(e.error().message()); });
    });
    dialog->open();
}

void CollectionActions::dropCollection(const QString &database, const QString &collection)
{
    auto c = client();
    if (!c)
        return;
    // Ask with the row count in the sentence: people read numbers.
    rowCountAsync(c, collection, {}, inDb(database))
        .then(this, [](const RowCount &count) { return count.rows; })
        .onFailed(this, [](const MilvusException &) { return qint64(-1); })
        .then(this, [this, c, database, collection](qint64 rows) {
            const QString what =
                ConfirmDestructiveDialog::describe(tr("Drop"), tr("collection"), collection, database, rows);
            if (!ConfirmDestructiveDialog::confirm(m_window, tr("Drop collection"), what, collection))
                return;
            c->dropCollectionAsync({collection, inDb(database)})
                .then(this,
                      [this, database, collection] {
                          emit collectionDropped(database, collection);
                          emit collectionsChanged(database);
                          emit statusMessage(tr("Dropped collection %1").arg(collection));
                      })
                .onFailed(this, [this](const MilvusException &e) {
                    fail(tr("Drop collection"), e.error().message());
                });
        });
}

void CollectionActions::renameCollection(const QString &database, const QString &collection)
{
    auto c = client();
    if (!c)
        return;
    ServerRequest list;
    list.options = inDb(database);
    c->listCollectionsAsync(list).then(this, [this, c, database, collection](const QStringList &existing) {
        auto *dialog = SimpleNameDialog::renameCollection(collection, existing, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setDeferredAccept(true);
        connect(dialog, &SimpleNameDialog::submitRequested, this, [this, dialog, c, database, collection] {
            const RenameCollectionRequest req{collection, dialog->name(), {}, inDb(database)};
            c->renameCollectionAsync(req)
                .then(dialog,
                      [this, dialog, database, collection, to = req.newName] {
                          dialog->accept();
                          emit collectionDropped(database, collection);
                          emit collectionsChanged(database);
                          emit collectionCreated(database, to);
                      })
                .onFailed(dialog, [dialog](const MilvusException &e) {
                    dialog->showServerError(e.error().message());
                });
        });
        dialog->open();
    });
}

void CollectionActions::truncateCollection(const QString &database, const QString &collection)
{
    auto c = client();
    if (!c)
        return;
    const QString what = ConfirmDestructiveDialog::describe(tr("Delete every entity of"), tr("collection"),
                                                            collection, database);
    if (!ConfirmDestructiveDialog::confirm(m_window, tr("Truncate collection"), what, collection))
        return;
    c->truncateCollectionAsync({collection, inDb(database)})
        .then(this,
              [this, database, collection] {
                  emit collectionChanged(database, collection);
                  emit statusMessage(tr("Truncated %1").arg(collection));
              })
        .onFailed(this,
                  [this](const MilvusException &e) { fail(tr("Truncate collection"), e.error().message()); });
}

void CollectionActions::loadCollection(const QString &database, const QString &collection)
{
    auto c = client();
    if (!c)
        return;
    emit statusMessage(tr("Loading %1…").arg(collection));
    LoadCollectionRequest req{collection};
    req.options = inDb(database);
    req.options.timeout = std::chrono::minutes(10); // loading a large collection takes a while
    c->loadCollectionAsync(req)
        .then(this, [this, database, collection] { watchLoading(database, collection, 0); })
        .onFailed(this,
                  [this](const MilvusException &e) { fail(tr("Load collection"), e.error().message()); });
    emit collectionChanged(database, collection);
}

void CollectionActions::watchLoading(const QString &database, const QString &collection, int attempt)
{
    auto c = client();
    if (!c)
        return;
    c->getLoadingProgressAsync({collection, {}, inDb(database)})
        .then(this,
              [this, database, collection, attempt](int progress) {
                  // Only the status line follows the progress; views refresh once, when it is done
                  // (the overview follows a Loading state on its own).
                  if (progress < 100 && attempt < 1200) {
                      emit statusMessage(tr("Loading %1: %2%").arg(collection).arg(progress));
                      QTimer::singleShot(500, this,
                                         [=, this] { watchLoading(database, collection, attempt + 1); });
                      return;
                  }
                  emit collectionChanged(database, collection);
                  if (progress >= 100)
                      emit statusMessage(tr("Loaded %1").arg(collection));
              })
        .onFailed(this, [this, database, collection](const MilvusException &e) {
            emit statusMessage(e.error().message());
            emit collectionChanged(database, collection);
        });
}

void CollectionActions::releaseCollection(const QString &database, const QString &collection)
{
    auto c = client();
    if (!c)
        return;
    c->releaseCollectionAsync({collection, inDb(database)})
        .then(this,
              [this, database, collection] {
                  emit collectionChanged(database, collection);
                  emit statusMessage(tr("Released %1").arg(collection));
              })
        .onFailed(this,
                  [this](const MilvusException &e) { fail(tr("Release collection"), e.error().message()); });
}

void CollectionActions::createIndex(const QString &database, const QString &collection)
{
    auto c = client();
    if (!c)
        return;
    const ServerCapabilities caps = m_session->capabilities();
    c->describeCollectionAsync({collection, inDb(database)})
        .then(this,
              [this, c, database, collection, caps](const CollectionDescription &desc) {
                  IndexRequest which{collection, {}, {}, inDb(database)};
                  c->describeIndexAsync(which)
                      .then(this,
                            [](const QList<IndexDescription> &list) {
                                QStringList fields;
                                for (const auto &i : list)
                                    fields << i.fieldName;
                                return fields;
                            })
                      .onFailed(this, [](const MilvusException &) { return QStringList(); })
                      .then(this, [this, c, database, collection, caps, desc](const QStringList &indexed) {
                          auto *dialog = new CreateIndexDialog(collection, desc.schema, indexed, m_window);
                          dialog->setAttribute(Qt::WA_DeleteOnClose);
                          dialog->setDatabaseName(database);
                          dialog->setCapabilities(caps);
                          dialog->setDeferredAccept(true);
                          connect(dialog, &CreateIndexDialog::submitRequested, this,
                                  [this, dialog, c, database, collection] {
                                      CreateIndexRequest req = dialog->request();
                                      req.options = inDb(database);
                                      req.options.timeout = std::chrono::minutes(30);
                                      c->createIndexAsync(req)
                                          .then(dialog,
                                                [this, dialog, database, collection] {
                                                    dialog->accept();
                                                    emit collectionChanged(database, collection);
                                                    emit statusMessage(
                                                        tr("Index created on %1").arg(collection));
                                                })
                                          .onFailed(dialog, [dialog](const MilvusException &e) {
                                              dialog->showServerError(e.error().message());
                                          });
                                  });
                          dialog->open();
                      });
              })
        .onFailed(this, [this](const MilvusException &e) { fail(tr("Create index"), e.error().message()); });
}

void CollectionActions::dropIndex(const QString &database, const QString &collection, const QString &field,
                                  const QString &indexName)
{
    auto c = client();
    if (!c)
        return;
    const QString what =
        tr("Drop the index '%1' on field '%2' of collection '%3'? Searches get slower until a new "
           "index is built; Milvus requires the collection to be released first.")
            .arg(indexName, field, collection);
    if (!ConfirmDestructiveDialog::confirm(m_window, tr("Drop index"), what, indexName))
        return;
    c->dropIndexAsync({collection, field, indexName, inDb(database)})
        .then(this, [this, database, collection] { emit collectionChanged(database, collection); })
        .onFailed(this, [this](const MilvusException &e) { fail(tr("Drop index"), e.error().message()); });
}

void CollectionActions::createPartition(const QString &database, const QString &collection)
{
    auto c = client();
    if (!c)
        return;
    c->listPartitionsAsync({collection, inDb(database)})
        .then(this, [this, c, database, collection](const QList<PartitionInfo> &parts) {
            QStringList existing;
            for (const auto &p : parts)
                existing << p.name;
            auto *dialog = SimpleNameDialog::createPartition(collection, existing, m_window);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->setDeferredAccept(true);
            connect(dialog, &SimpleNameDialog::submitRequested, this,
                    [this, dialog, c, database, collection] {
                        c->createPartitionAsync({collection, dialog->name(), inDb(database)})
                            .then(dialog,
                                  [this, dialog, database, collection] {
                                      dialog->accept();
                                      emit collectionChanged(database, collection);
                                  })
                            .onFailed(dialog, [dialog](const MilvusException &e) {
                                dialog->showServerError(e.error().message());
                            });
                    });
            dialog->open();
        });
}

void CollectionActions::dropPartition(const QString &database, const QString &collection,
                                      const QString &partition)
{
    auto c = client();
    if (!c)
        return;
    const QString what = ConfirmDestructiveDialog::describe(tr("Drop"), tr("partition"), partition, database);
    if (!ConfirmDestructiveDialog::confirm(m_window, tr("Drop partition"), what, partition))
        return;
    c->dropPartitionAsync({collection, partition, inDb(database)})
        .then(this, [this, database, collection] { emit collectionChanged(database, collection); })
        .onFailed(this,
                  [this](const MilvusException &e) { fail(tr("Drop partition"), e.error().message()); });
}

void CollectionActions::createDatabase()
{
    auto c = client();
    if (!c)
        return;
    c->listDatabasesAsync().then(this, [this, c](const QStringList &existing) {
        auto *dialog = SimpleNameDialog::createDatabase(existing, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setDeferredAccept(true);
        connect(dialog, &SimpleNameDialog::submitRequested, this, [this, dialog, c] {
            c->createDatabaseAsync({dialog->name()})
                .then(dialog,
                      [this, dialog] {
                          dialog->accept();
                          emit databasesChanged();
                      })
                .onFailed(dialog, [dialog](const MilvusException &e) {
                    dialog->showServerError(e.error().message());
                });
        });
        dialog->open();
    });
}

void CollectionActions::dropDatabase(const QString &database)
{
    auto c = client();
    if (!c)
        return;
    const QString what = ConfirmDestructiveDialog::describe(tr("Drop"), tr("database"), database);
    if (!ConfirmDestructiveDialog::confirm(m_window, tr("Drop database"), what, database))
        return;
    c->dropDatabaseAsync({database})
        .then(this, [this] { emit databasesChanged(); })
        .onFailed(this, [this](const MilvusException &e) { fail(tr("Drop database"), e.error().message()); });
}

} // namespace mx
