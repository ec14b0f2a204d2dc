// The navigation tree against Milvus Lite, under QAbstractItemModelTester: databases, lazily fetched
// collections, load-state badges, errors that are not empty trees.

#include "NavigatorModel.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

namespace mx {

class TestNavigatorModel : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        m_client->createCollection({QStringLiteral("zeta"), test::richSchema(4)});
        test::indexAndLoad(*m_client, QStringLiteral("zeta"));
        m_client->createCollection({QStringLiteral("alpha"), test::richSchema(4)});
        // Milvus Lite loads a collection without an index by itself: give alpha one so it stays released.
        m_client->releaseCollection({QStringLiteral("alpha")});
        CreateIndexRequest index{QStringLiteral("alpha"), QStringLiteral("vec")};
        index.metricType = QStringLiteral("L2");
        m_client->createIndex(index);
        m_client->releaseCollection({QStringLiteral("alpha")});
        m_client->createDatabase({QStringLiteral("analytics")});
        CreateCollectionRequest inDb{QStringLiteral("events"), test::richSchema(4)};
        inDb.options.dbName = QStringLiteral("analytics");
        m_client->createCollection(inDb);
    }

    void treeOfDatabasesAndCollections()
    {
        NavigatorModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy databases(&model, &NavigatorModel::databasesLoaded);
        model.setClient(m_client, QStringLiteral("Local"));
        QTRY_VERIFY_WITH_TIMEOUT(databases.count() > 0, 10000); // the answer may already be there
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex conn = model.index(0, 0);
        QCOMPARE(conn.data().toString(), QStringLiteral("Local"));
        QCOMPARE(model.rowCount(conn), 2);
        QCOMPARE(model.index(0, 0, conn).data().toString(), QStringLiteral("default")); // default first

        // Collections are fetched only when asked (a view expanding the node calls fetchMore; so does the
        // model tester, which is why this does not insist that nothing was fetched yet).
        const QModelIndex def = model.databaseIndex(QStringLiteral("default"));
        QVERIFY(model.hasChildren(def));
        QSignalSpy collections(&model, &NavigatorModel::collectionsLoaded);
        if (model.canFetchMore(def))
            model.fetchMore(def);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(def), 2, 10000);
        QVERIFY(!model.canFetchMore(def));
        QCOMPARE(model.index(0, 0, def).data().toString(), QStringLiteral("alpha"));
        QTRY_COMPARE(model.collectionIndex(QStringLiteral("default"), QStringLiteral("zeta"))
                         .data(NavigatorModel::LoadStateRole)
                         .toInt(),
                     int(LoadState::Loaded));
        QTRY_COMPARE(model.collectionIndex(QStringLiteral("default"), QStringLiteral("alpha"))
                         .data(NavigatorModel::LoadStateRole)
                         .toInt(),
                     int(LoadState::NotLoad));
        QVERIFY(!model.collectionIndex(QStringLiteral("default"), QStringLiteral("alpha"))
                     .data(Qt::DecorationRole)
                     .isNull());

        const QModelIndex analytics = model.databaseIndex(QStringLiteral("analytics"));
        if (model.canFetchMore(analytics))
            model.fetchMore(analytics);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(analytics), 1, 10000);
        QCOMPARE(model.index(0, 0, analytics).data(NavigatorModel::DatabaseRole).toString(),
                 QStringLiteral("analytics"));
        QCOMPARE(model.index(0, 0, analytics).data(NavigatorModel::CollectionRole).toString(),
                 QStringLiteral("events"));

        // A collection made elsewhere appears on reloadDatabase().
        m_client->createCollection({QStringLiteral("beta"), test::richSchema(4)});
        collections.clear();
        model.reloadDatabase(QStringLiteral("default"));
        QTRY_VERIFY_WITH_TIMEOUT(collections.count() > 0, 10000); // the answer may already be there
        QCOMPARE(model.rowCount(model.databaseIndex(QStringLiteral("default"))), 3);
    }

    // A load still running when the tree is read is followed to its end, as the collection list does.
    void followsALoadInProgress()
    {
        const QString name = test::uniqueName(QStringLiteral("kappa"));
        m_client->createCollection({name, test::richSchema(4)});
        m_client->insert(InsertRequest{name, {}, test::richRows(4, 0, 2000)});
        CreateIndexRequest index;
        index.collection = name;
        index.fieldName = QStringLiteral("vec");
        index.indexType = QStringLiteral("FLAT");
        index.metricType = QStringLiteral("L2");
        m_client->createIndex(index);
        NavigatorModel model;
        QSignalSpy databases(&model, &NavigatorModel::databasesLoaded);
        m_client->loadCollection(LoadCollectionRequest{name});
        model.setClient(m_client, QStringLiteral("Local"));
        QTRY_VERIFY_WITH_TIMEOUT(databases.count() > 0, 10000);
        const QModelIndex def = model.databaseIndex(QStringLiteral("default"));
        if (model.canFetchMore(def))
            model.fetchMore(def);
        QTRY_COMPARE_WITH_TIMEOUT(model.collectionIndex(QStringLiteral("default"), name)
                                      .data(NavigatorModel::LoadStateRole)
                                      .toInt(),
                                  int(LoadState::Loaded), 60000);
    }

    void unreachableServerIsAnError()
    {
        ConnectionConfig cfg;
        cfg.uri = QStringLiteral("http://127.0.0.1:%1").arg(LocalServer::pickFreePort());
        NavigatorModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy errors(&model, &NavigatorModel::errorOccurred);
        model.setClient(std::make_shared<MilvusClient>(cfg), QStringLiteral("dead"));
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, 10000); // the answer may already be there
        QVERIFY(errors.first().first().toString().contains(QLatin1String("connection refused")));
        QVERIFY(
            model.index(0, 0).data(NavigatorModel::ErrorRole).toString().contains(QLatin1String("refused")));
    }
};

} // namespace mx

QTEST_MAIN(mx::TestNavigatorModel)
#include "tst_navigatormodel.moc"
