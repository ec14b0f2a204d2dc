// EntityTableModel against a real Milvus Lite, under QAbstractItemModelTester: cursor paging to the
// end, filters, late pages dropped, server errors, VARCHAR keys that need escaping, not-loaded state.

#include "EntityTableModel.h"
#include "MilvusClient.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>

#include <algorithm>

namespace mx {

namespace {

constexpr int kDim = 8;
constexpr int kRows = 10000;

// Fetches pages until the model says there is nothing more; fails the test on error or timeout.
bool fetchToEnd(EntityTableModel &model, int timeoutMs = 60000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        if (model.state() == EntityTableModel::State::Error)
            return false;
        if (model.state() == EntityTableModel::State::Ready && !model.canFetchMore({}) && !model.isFetching())
            return true;
        model.fetchMore({});
        QTest::qWait(5);
    }
    return false;
}

bool waitIdle(EntityTableModel &model, int timeoutMs = 30000)
{
    return QTest::qWaitFor([&] { return !model.isBusy(); }, timeoutMs);
}

QList<qint64> intKeys(const EntityTableModel &model)
{
    QList<qint64> out;
    for (int r = 0; r < model.rowCount(); ++r)
        out.append(model.index(r, 0).data(EntityTableModel::PrimaryKeyRole).toLongLong());
    return out;
}

int columnOf(const EntityTableModel &model, const QString &name)
{
    for (int c = 0; c < model.columnCount(); ++c)
        if (model.headerData(c, Qt::Horizontal, EntityTableModel::FieldNameRole).toString() == name)
            return c;
    return -1;
}

} // namespace

class TestEntityTableModel : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    QString m_rich;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        m_rich = test::uniqueName(QStringLiteral("rich"));
        m_client->createCollection({m_rich, test::richSchema(kDim)});
        // Highest keys first, half flushed into segments: a limited query without the iterator flag
        // returns rows in storage order, so paging is only right if the server is asked to sort.
        constexpr int kBatch = 1000;
        for (int first = kRows - kBatch; first >= 0; first -= kBatch) {
            m_client->insert(InsertRequest{m_rich, {}, test::richRows(kDim, first, kBatch)});
            if (first == kRows / 2)
                m_client->flush({{m_rich}});
        }
        test::indexAndLoad(*m_client, m_rich);
        QCOMPARE(m_client->getLoadState({m_rich}), LoadState::Loaded);
    }

    void pagesToTheEndInKeyOrder()
    {
        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy total(&model, &EntityTableModel::totalCountChanged);
        model.setPageSize(700); // not a divisor of 10,000: the last page is short
        model.setClient(m_client);
        model.setCollection(m_rich);
        QCOMPARE(model.state(), EntityTableModel::State::Describing);
        QVERIFY(model.isBusy());
        QVERIFY2(fetchToEnd(model), qPrintable(model.errorText()));
        QVERIFY(waitIdle(model));

        const QList<qint64> keys = intKeys(model);
        QCOMPARE(keys.size(), kRows);
        for (int i = 0; i < kRows; ++i)
            QCOMPARE(keys.at(i), qint64(i)); // every key once, ascending
        QCOMPARE(model.totalCount(), qint64(kRows));
        QVERIFY(total.count() >= 1);
        QVERIFY(model.atEnd());
        QVERIFY(!model.canFetchMore({}));
    }

    void cellsAndRoles()
    {
        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClient(m_client);
        model.setPageSize(1000);
        model.setCollection(m_rich);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 1000, 30000);

        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("id"));
        const int vec = columnOf(model, QStringLiteral("vec"));
        const int meta = columnOf(model, QStringLiteral("meta"));
        const int tags = columnOf(model, QStringLiteral("tags"));
        const int source = columnOf(model, QStringLiteral("source")); // a dynamic key
        QVERIFY(vec > 0 && meta > 0 && tags > 0 && source > 0);
        QVERIFY(model.headerData(source, Qt::Horizontal, EntityTableModel::IsDynamicRole).toBool());
        QVERIFY(!model.headerData(vec, Qt::Horizontal, EntityTableModel::IsDynamicRole).toBool());

        const QModelIndex v = model.index(3, vec);
        const QList<float> expected = test::vectorFor(3, kDim);
        const QString shown = v.data().toString();
        QVERIFY2(shown.startsWith(QLatin1Char('[')) && shown.endsWith(QStringLiteral("… 8 dims]")),
                 qPrintable(shown));
        QVERIFY2(shown.startsWith(QStringLiteral("[%1, ").arg(QString::number(expected.at(0), 'g', 3))),
                 qPrintable(shown));
        const QVariantList full = v.data(EntityTableModel::FullValueRole).toList();
        QCOMPARE(full.size(), kDim);
        for (int k = 0; k < kDim; ++k)
            QCOMPARE(float(full.at(k).toDouble()), expected.at(k));

        const QModelIndex m = model.index(3, meta);
        QCOMPARE(m.data().toString(), QStringLiteral(R"({"category":"cat_3","rank":3})"));
        const QString pretty = m.data(EntityTableModel::PrettyJsonRole).toString();
        QVERIFY2(pretty.contains(QLatin1Char('\n')) && pretty.contains(QStringLiteral("\"rank\": 3")),
                 qPrintable(pretty));
        QCOMPARE(model.index(3, tags).data().toString(), QStringLiteral("[0,3]"));
        QCOMPARE(model.index(3, source).data().toString(), QStringLiteral("odd"));

        const QVariantMap row = model.index(3, 0).data(EntityTableModel::RowMapRole).toMap();
        QCOMPARE(row.value(QStringLiteral("id")).toLongLong(), qint64(3));
        QCOMPARE(row.value(QStringLiteral("title")).toString(), QStringLiteral("document 3"));
        QCOMPARE(row.value(QStringLiteral("source")).toString(), QStringLiteral("odd"));
        QCOMPARE(row.value(QStringLiteral("vec")).toList().size(), kDim);
    }

    void outputFieldChooser()
    {
        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClient(m_client);
        model.setOutputFields({QStringLiteral("title"), QStringLiteral("source")});
        model.setCollection(m_rich);
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > 0, 30000);
        QCOMPARE(model.columnCount(), 3); // the primary key is always there
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("id"));
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("title"));
        QCOMPARE(model.headerData(2, Qt::Horizontal).toString(), QStringLiteral("source"));
        QCOMPARE(model.index(0, 2).data().toString(), QStringLiteral("even"));
    }

    void filter_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QList<qint64>>("expected");
        QList<qint64> highScores;
        for (qint64 id = 0; id < 3000; ++id)
            if (double(id % 100) / 10.0 > 5.0)
                highScores.append(id);
        QTest::newRow("score and range") << QStringLiteral("score > 5.0 and id < 3000") << highScores;
        QList<qint64> listed{5, 17, 9999};
        QTest::newRow("in list") << QStringLiteral("id in [9999, 17, 5]") << listed;
        QTest::newRow("none") << QStringLiteral("id < 0") << QList<qint64>{};
        QList<qint64> json;
        for (qint64 id = 0; id < kRows; ++id)
            if (id % 5 == 2 && id >= 9000)
                json.append(id);
        QTest::newRow("json and dynamic")
            << QStringLiteral(R"(meta["category"] == "cat_2" and id >= 9000 and source in ["odd", "even"])")
            << json;
    }

    void filter()
    {
        QFETCH(QString, filter);
        QFETCH(QList<qint64>, expected);
        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClient(m_client);
        model.setPageSize(400);
        model.setFilter(filter);
        model.setCollection(m_rich);
        QVERIFY2(fetchToEnd(model), qPrintable(model.errorText()));
        QVERIFY(waitIdle(model));
        QCOMPARE(intKeys(model), expected);
        QCOMPARE(model.totalCount(), qint64(expected.size()));
    }

    void filterChangeMidFetchDropsLatePages()
    {
        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClient(m_client);
        model.setPageSize(500);
        model.setCollection(m_rich);
        QTRY_VERIFY_WITH_TIMEOUT(model.isFetching(), 30000); // the first page of all rows is in flight
        const int droppedBefore = model.droppedResponses();
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setFilter(QStringLiteral("id >= 9500"));
        QVERIFY2(fetchToEnd(model), qPrintable(model.errorText()));
        QVERIFY(waitIdle(model));
        // The old page came back and was ignored (the count of all rows may have beaten the switch).
        QTRY_VERIFY_WITH_TIMEOUT(model.droppedResponses() >= droppedBefore + 1, 10000);
        QList<qint64> expected;
        for (qint64 id = 9500; id < kRows; ++id)
            expected.append(id);
        QCOMPARE(intKeys(model), expected);
        QCOMPARE(model.totalCount(), qint64(500));
        int insertedRows = 0;
        for (const auto &args : inserted)
            insertedRows += args.at(2).toInt() - args.at(1).toInt() + 1;
        QCOMPARE(insertedRows, 500); // nothing of the first filter ever reached the table
    }

    void malformedFilterIsAnError()
    {
        const QString bad = QStringLiteral("id >>> 3 and");
        const MilvusError direct = test::expectError([&] {
            m_client->query(QueryRequest{m_rich, bad, {QStringLiteral("id")}, {}, 10});
        });
        QCOMPARE(direct.kind, ErrorKind::Milvus);

        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy errors(&model, &EntityTableModel::errorOccurred);
        model.setClient(m_client);
        model.setFilter(bad);
        model.setCollection(m_rich);
        QVERIFY(errors.wait(30000));
        QCOMPARE(model.state(), EntityTableModel::State::Error);
        QVERIFY2(errors.first().first().toString().contains(direct.reason), qPrintable(model.errorText()));
        QCOMPARE(model.errorText(), errors.first().first().toString());
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(waitIdle(model));
        QCOMPARE(model.totalCount(), qint64(-1)); // a failed count is not a count of 0
        QVERIFY(!model.countErrorText().isEmpty());

        // Fixing the filter recovers.
        model.setFilter(QStringLiteral("id < 10"));
        QVERIFY2(fetchToEnd(model), qPrintable(model.errorText()));
        QCOMPARE(model.state(), EntityTableModel::State::Ready);
        QCOMPARE(model.rowCount(), 10);
        QVERIFY(model.errorText().isEmpty());
    }

    void varcharKeysPageInServerOrder()
    {
        const QString name = test::uniqueName(QStringLiteral("vckeys"));
        CollectionSchema schema;
        FieldSchema key;
        key.name = QStringLiteral("key");
        key.type = DataType::VarChar;
        key.isPrimaryKey = true;
        key.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("64"));
        FieldSchema vec;
        vec.name = QStringLiteral("vec");
        vec.type = DataType::FloatVector;
        vec.typeParams.insert(QStringLiteral("dim"), QStringLiteral("2"));
        schema.fields = {key, vec};
        m_client->createCollection({name, schema});
        test::indexAndLoad(*m_client, name);

        // Keys that break naive quoting, and characters whose UTF-16 order differs from the server's
        // (code point / UTF-8) order: U+E000 sorts before U+1F600 in UTF-16, after it in UTF-8.
        QStringList keys = test::awkwardKeys();
        keys << QStringLiteral(" leading space") << QStringLiteral("a") << QStringLiteral("A")
             << QStringLiteral("Z") << QStringLiteral("0");
        for (int i = 0; i < 200; ++i)
            keys.append(QStringLiteral("key_%1").arg(i, 3, 10, QLatin1Char('0')));
        // Insert in reverse byte order so that storage order is not key order.
        std::sort(keys.begin(), keys.end(),
                  [](const QString &a, const QString &b) { return a.toUtf8() > b.toUtf8(); });
        QList<float> flat;
        for (int i = 0; i < keys.size(); ++i)
            flat << float(i) << 1.0f;
        m_client->insert(InsertRequest{name,
                                       {},
                                       {FieldColumn::varchars(QStringLiteral("key"), keys),
                                        FieldColumn::floatVectors(QStringLiteral("vec"), 2, flat)}});
        QStringList expected = keys;
        std::sort(expected.begin(), expected.end(),
                  [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });

        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setClient(m_client);
        model.setPageSize(1); // every key is a cursor once
        model.setCollection(name);
        QVERIFY2(fetchToEnd(model), qPrintable(model.errorText()));
        QStringList got;
        for (int r = 0; r < model.rowCount(); ++r)
            got.append(model.index(r, 0).data().toString());
        if (got != expected)
            qWarning() << "GOT" << got << "\nEXPECTED" << expected;
        QCOMPARE(got, expected);
        QTRY_COMPARE_WITH_TIMEOUT(model.totalCount(), qint64(keys.size()), 10000);
    }

    void notLoadedOffersLoad()
    {
        const QString name = test::createLoadedCollection(*m_client, QStringLiteral("released"), 4, 30);
        m_client->releaseCollection({name});

        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy states(&model, &EntityTableModel::stateChanged);
        model.setClient(m_client);
        model.setCollection(name);
        QTRY_COMPARE_WITH_TIMEOUT(model.state(), EntityTableModel::State::NotLoaded, 30000);
        QCOMPARE(model.loadState(), LoadState::NotLoad);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(model.errorText().isEmpty()); // not an error: a state the view offers "Load" for
        QCOMPARE(model.schema().primaryField()->name, QStringLiteral("id"));

        model.loadCollection();
        QVERIFY2(fetchToEnd(model), qPrintable(model.errorText()));
        QCOMPARE(model.state(), EntityTableModel::State::Ready);
        QCOMPARE(model.rowCount(), 30);
    }

    void missingCollectionIsAnError()
    {
        EntityTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy errors(&model, &EntityTableModel::errorOccurred);
        model.setClient(m_client);
        model.setCollection(QStringLiteral("no_such_collection"));
        QVERIFY(errors.wait(30000));
        QCOMPARE(model.state(), EntityTableModel::State::Error);
        QVERIFY2(model.errorText().contains(QLatin1String("no_such_collection")),
                 qPrintable(model.errorText()));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestEntityTableModel)
#include "tst_entitytablemodel.moc"
