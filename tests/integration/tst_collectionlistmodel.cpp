// CollectionListModel against a real Milvus Lite, under QAbstractItemModelTester.

#include "CollectionListModel.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

namespace mx {

class TestCollectionListModel : public QObject
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
        // beta: loaded (an index first: the full server loads only indexed collections); gamma: released,
        // with flushed rows, so its figure is the server's statistics, labelled as such.
        m_client->createCollection({QStringLiteral("beta"), test::richSchema(4)});
        m_client->insert(InsertRequest{QStringLiteral("beta"), {}, test::richRows(4, 0, 12)});
        test::indexAndLoad(*m_client, QStringLiteral("beta"));
        m_client->createCollection({QStringLiteral("alpha"), test::richSchema(4)});
        m_client->createCollection({QStringLiteral("gamma"), test::richSchema(4)});
        m_client->insert(InsertRequest{QStringLiteral("gamma"), {}, test::richRows(4, 0, 5)});
        m_client->flush({{QStringLiteral("gamma")}});
        CreateIndexRequest index{QStringLiteral("gamma"), QStringLiteral("vec")};
        index.metricType = QStringLiteral("L2");
        m_client->releaseCollection({QStringLiteral("gamma")});
        m_client->createIndex(index);
        m_client->releaseCollection({QStringLiteral("gamma")});
    }

    void listsCollectionsWithRowsAndLoadState()
    {
        CollectionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy refreshed(&model, &CollectionListModel::refreshed);
        QSignalSpy busy(&model, &CollectionListModel::busyChanged);
        model.setClient(m_client);
        model.refresh();
        QVERIFY(model.isBusy()); // refresh returns at once; answers arrive later
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() > 0, 30000); // the answer may already be there
        QVERIFY(!model.isBusy());
        QCOMPARE(busy.count(), 2);

        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, CollectionListModel::NameColumn).data().toString(), QStringLiteral("alpha"));
        QCOMPARE(model.index(1, CollectionListModel::NameColumn).data().toString(), QStringLiteral("beta"));
        QCOMPARE(model.index(1, CollectionListModel::RowsColumn)
                     .data(CollectionListModel::RowCountRole)
                     .toLongLong(),
                 qint64(12));
        QCOMPARE(model.index(1, CollectionListModel::LoadStateColumn)
                     .data(CollectionListModel::LoadStateRole)
                     .toInt(),
                 int(LoadState::Loaded));
        QCOMPARE(model.index(2, CollectionListModel::LoadStateColumn).data().toString(),
                 QStringLiteral("released"));
        // Exact counts are count(*); a released collection cannot be counted, so its statistics stand in,
        // marked approximate with the reason in the tooltip.
        QCOMPARE(model.index(1, CollectionListModel::RowsColumn).data().toString(), QStringLiteral("12"));
        // (Milvus Lite counts a released collection exactly; the full server refuses to.)
        if (test::isStandalone()) {
            QTRY_COMPARE(model.index(2, CollectionListModel::RowsColumn).data().toString(),
                         QStringLiteral("≈ 5"));
            QVERIFY(model.index(2, CollectionListModel::RowsColumn)
                        .data(Qt::ToolTipRole)
                        .toString()
                        .contains(QLatin1String("not loaded")));
        } else {
            QTRY_COMPARE(model.index(2, CollectionListModel::RowsColumn).data().toString(),
                         QStringLiteral("5"));
        }
        QVERIFY(model.errorText().isEmpty());
    }

    void refreshTwiceDropsTheFirst()
    {
        CollectionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy refreshed(&model, &CollectionListModel::refreshed);
        model.setClient(m_client);
        model.refresh();
        model.refresh(); // the first refresh's answers must be ignored, not applied twice
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() > 0, 30000); // the answer may already be there
        QTest::qWait(200);
        QCOMPARE(refreshed.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QVERIFY(!model.isBusy());
    }

    // A load that is still running when the list is read (the full server's LoadCollection returns
    // before the load ends; after a restart the server loads on its own) is followed to its end
    // without another refresh, and the count turns exact.
    void followsALoadInProgress()
    {
        CollectionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy refreshed(&model, &CollectionListModel::refreshed);
        model.setClient(m_client);
        m_client->loadCollection(LoadCollectionRequest{QStringLiteral("gamma")});
        model.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() > 0, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(model.index(2, CollectionListModel::LoadStateColumn)
                                      .data(CollectionListModel::LoadStateRole)
                                      .toInt(),
                                  int(LoadState::Loaded), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(model.index(2, CollectionListModel::RowsColumn).data().toString(),
                                  QStringLiteral("5"), 20000);
        QCOMPARE(refreshed.count(), 1);
        m_client->releaseCollection({QStringLiteral("gamma")});
    }

    void serverGoneIsAnErrorNotAnEmptyList()
    {
        ConnectionConfig cfg;
        cfg.uri = QStringLiteral("http://127.0.0.1:%1").arg(LocalServer::pickFreePort());
        CollectionListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy errors(&model, &CollectionListModel::errorOccurred);
        model.setClient(std::make_shared<MilvusClient>(cfg));
        model.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0, 10000); // the answer may already be there
        QVERIFY(model.errorText().contains(QLatin1String("connection refused")));
        QVERIFY(!model.isBusy());
    }
};

} // namespace mx

QTEST_MAIN(mx::TestCollectionListModel)
#include "tst_collectionlistmodel.moc"
