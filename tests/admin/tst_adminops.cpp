// System view, segments, flush, manual compaction and aliases against the real server, services and
// panels. On the standalone: the topology lists every component and the query node holds the loaded
// collection; a flush turns unflushed rows into a flushed segment; a compaction after deletes ends
// Completed and the stored rows drop to the live rows as the server reports them; a search through an
// alias returns what the collection returns. On Milvus Lite the system and segment views are refused
// with the capability's reason, and aliases work.

#include "AdminClient.h"
#include "AdminTestUtil.h"
#include "AliasesPanel.h"
#include "CollectionDetails.h"
#include "CollectionOverview.h"
#include "NavigatorModel.h"
#include "SegmentSnapshot.h"
#include "SegmentsPanel.h"
#include "ServerCapabilities.h"
#include "SystemPanel.h"
#include "SystemTopology.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

namespace mx {

using namespace mx::test;

class TstAdminOps : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void systemTopology();
    void systemPanel();
    void flushChangesSegments();
    void compactionAfterDeletes();
    void segmentsPanel();
    void aliases();
    void aliasesPanel();
    void aliasesInNavigatorAndOverview();

private:
    QSet<qint64> segmentIds(const QList<PersistentSegment> &segments) const;

    TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    std::unique_ptr<AdminClient> m_admin;
    ServerCapabilities m_caps;
    QString m_loaded;    // a loaded collection (system view)
    QString m_segmented; // flushed and compacted (segments)
};

void TstAdminOps::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    m_client = m_server.client();
    m_admin = std::make_unique<AdminClient>(*m_client);
    m_caps = ServerCapabilities::fromVersion(m_client->getVersion());
    m_loaded = createLoadedCollection(*m_client, QStringLiteral("sys"), 8, 30);
}

QSet<qint64> TstAdminOps::segmentIds(const QList<PersistentSegment> &segments) const
{
    QSet<qint64> ids;
    for (const PersistentSegment &s : segments)
        if (s.state != QLatin1String("Dropped"))
            ids.insert(s.id);
    return ids;
}

void TstAdminOps::systemTopology()
{
    if (!m_caps.has(ServerCapabilities::Feature::Metrics)) {
        QVERIFY(!m_caps.lacks(ServerCapabilities::Feature::Metrics).isEmpty());
        // What Milvus Lite really answers: a typed error, not an empty topology.
        const MilvusError e = expectError([&] { m_admin->getMetrics(); });
        QVERIFY2(e.kind == ErrorKind::GrpcStatus || e.kind == ErrorKind::Milvus, qPrintable(e.message()));
        return;
    }
    const QJsonObject metrics = m_admin->getMetrics();
    QVERIFY(metrics.value(QStringLiteral("nodes_info")).toArray().size() >= 7);
    const ComponentStates states = await(m_admin->getComponentStatesAsync());
    QCOMPARE(states.self.role, QStringLiteral("proxy"));
    QCOMPARE(states.self.state, QStringLiteral("Healthy"));

    const SystemTopology t = await(SystemTopology::load(m_client));
    QVERIFY2(t.version.contains(QLatin1String("2.3.5")), qPrintable(t.version));
    QCOMPARE(t.deployMode, QStringLiteral("STANDALONE"));
    QVERIFY(t.healthy);
    QStringList types;
    for (const SystemNode &n : t.nodes)
        types.append(n.type);
    for (const char *want :
         {"proxy", "rootcoord", "querycoord", "datacoord", "querynode", "datanode", "indexnode"})
        QVERIFY2(types.contains(QLatin1String(want)), want);
    const qint64 id = m_client->describeCollection({m_loaded}).collectionId;
    QCOMPARE(t.collectionName(id), m_loaded);
    const QList<SystemNode> queryNodes = t.ofType(QStringLiteral("querynode"));
    QCOMPARE(queryNodes.size(), 1);
    QVERIFY2(queryNodes.first().holds.contains(id), "the query node serves the loaded collection");
    QCOMPARE(t.ofType(QStringLiteral("proxy")).first().state, QStringLiteral("Healthy"));
    const QJsonObject json = t.toJson();
    QVERIFY(json.value(QStringLiteral("system_info")).toObject().contains(QStringLiteral("nodes_info")));
}

void TstAdminOps::systemPanel()
{
    SystemPanel panel;
    panel.resize(1000, 600);
    panel.setIntervalMs(400);
    panel.show();
    panel.setConnection(m_client);
    auto *summary = panel.findChild<QLabel *>(QStringLiteral("summaryLabel"));
    auto *refresh = panel.findChild<QPushButton *>(QStringLiteral("refreshButton"));
    QVERIFY(summary && refresh);
    if (!m_caps.has(ServerCapabilities::Feature::Metrics)) {
        QVERIFY(QTest::qWaitFor([&] { return !panel.unavailableReason().isEmpty(); }, 10000));
        QVERIFY2(summary->text().contains(QLatin1String("no system metrics")), qPrintable(summary->text()));
        QVERIFY(!refresh->isEnabled());
        QCOMPARE(refresh->toolTip(), panel.unavailableReason());
        grabAndSave(panel, QStringLiteral("system"));
        return;
    }
    QVERIFY(QTest::qWaitFor([&] { return panel.refreshCount() >= 1; }, 30000));
    QVERIFY2(summary->text().contains(QLatin1String("2.3.5")), qPrintable(summary->text()));
    auto *components = panel.findChild<QTableView *>(QStringLiteral("componentsTable"));
    auto *nodes = panel.findChild<QTableView *>(QStringLiteral("nodesTable"));
    QVERIFY(components->model()->rowCount() >= 7);
    QCOMPARE(nodes->model()->rowCount(), 2); // one query node, one data node
    bool holds = false;
    for (int r = 0; r < nodes->model()->rowCount(); ++r)
        holds |= nodes->model()->index(r, 3).data().toString().contains(m_loaded);
    QVERIFY(holds);
    QJsonParseError err{};
    QVERIFY(QJsonDocument::fromJson(panel.json().toUtf8(), &err).isObject());
    // The timer refreshes while visible, and stops when hidden.
    const int before = panel.refreshCount();
    QVERIFY(QTest::qWaitFor([&] { return panel.refreshCount() >= before + 2; }, 20000));
    grabAndSave(panel, QStringLiteral("system"));
    panel.hide();
    QTest::qWait(600); // an answer in flight may still land
    const int hidden = panel.refreshCount();
    QTest::qWait(1500);
    QCOMPARE(panel.refreshCount(), hidden);
}

void TstAdminOps::flushChangesSegments()
{
    m_segmented = uniqueName(QStringLiteral("seg"));
    CreateCollectionRequest create;
    create.collection = m_segmented;
    create.schema = richSchema(8);
    create.consistency = ConsistencyLevel::Strong;
    m_client->createCollection(create);
    indexAndLoad(*m_client, m_segmented);
    m_client->insert({m_segmented, {}, richRows(8, 0, 200)});
    if (!m_caps.has(ServerCapabilities::Feature::Segments)) {
        QVERIFY(!m_caps.lacks(ServerCapabilities::Feature::Segments).isEmpty());
        const MilvusError e = expectError([&] { m_admin->persistentSegments({m_segmented}); });
        QVERIFY2(e.kind == ErrorKind::GrpcStatus || e.kind == ErrorKind::Milvus, qPrintable(e.message()));
        // Milvus Lite answers ManualCompaction OK with an empty response: no compaction ID, which the
        // client turns into a typed error instead of a compaction that never ends.
        const MilvusError compaction = expectError([&] { m_admin->manualCompaction({m_segmented}); });
        QCOMPARE(compaction.kind, ErrorKind::Inconsistent);
        QVERIFY2(compaction.reason.contains(QLatin1String("no manual compaction")),
                 qPrintable(compaction.reason));
        return;
    }
    auto flushedRows = [](const QList<PersistentSegment> &segments) {
        qint64 n = 0;
        for (const PersistentSegment &s : segments)
            if (s.state == QLatin1String("Flushed"))
                n += s.rows;
        return n;
    };
    const QList<PersistentSegment> before = m_admin->persistentSegments({m_segmented});
    QCOMPARE(flushedRows(before), qint64(0));
    m_client->flush({{m_segmented}});
    const QList<PersistentSegment> after = await(m_admin->persistentSegmentsAsync({m_segmented}));
    QCOMPARE(flushedRows(after), qint64(200));
    QVERIFY(segmentIds(after) != segmentIds(before));
    for (const PersistentSegment &s : after)
        QCOMPARE(s.collectionId, m_client->describeCollection({m_segmented}).collectionId);

    // The query nodes serve what is loaded: the flushed rows, as sealed (or growing) segments.
    QVERIFY(QTest::qWaitFor(
        [&] {
            qint64 rows = 0;
            for (const QuerySegment &q : m_admin->querySegments({m_segmented}))
                rows += q.rows;
            return rows == 200;
        },
        20000));
    const QList<QuerySegment> loaded = await(m_admin->querySegmentsAsync({m_segmented}));
    QVERIFY(!loaded.isEmpty());
    QVERIFY(!loaded.first().nodeIds.isEmpty());
    QVERIFY(!loaded.first().state.isEmpty());
}

void TstAdminOps::compactionAfterDeletes()
{
    if (!m_caps.has(ServerCapabilities::Feature::Segments))
        QSKIP("Milvus Lite has no segments: flushChangesSegments asserts the refusal");
    m_client->insert({m_segmented, {}, richRows(8, 200, 200)});
    m_client->flush({{m_segmented}});
    const QSet<qint64> beforeDeletes = segmentIds(m_admin->persistentSegments({m_segmented}));
    QList<qint64> ids;
    for (qint64 i = 0; i < 100; ++i)
        ids.append(i);
    DeleteRequest del;
    del.collection = m_segmented;
    del.filter = QStringLiteral("id < 100");
    m_client->deleteEntities(del);
    m_client->flush({{m_segmented}});
    SegmentSnapshot snap = await(SegmentSnapshot::load(m_client, m_segmented));
    QCOMPARE(snap.liveRows, qint64(300));

    // 2.3 compacts only indexed segments: the index of the flushed segments may still be building, and
    // a compaction then completes with no plan. Compact until the server has dropped the deleted rows.
    CompactionOutcome outcome;
    QElapsedTimer clock;
    clock.start();
    bool compacted = false;
    while (!compacted && clock.elapsed() < 60000) {
        outcome = await(m_admin->compactAndWait({m_segmented}, 200), 130000);
        QCOMPARE(outcome.finalState.state, QStringLiteral("Completed"));
        QVERIFY(outcome.started.compactionId != 0);
        QVERIFY(outcome.polls >= 1);
        QVERIFY(!outcome.before.isEmpty());
        snap = await(SegmentSnapshot::load(m_client, m_segmented));
        compacted = snap.storedRows == 300 && snap.persistentRows() == 300;
        if (!compacted)
            QTest::qWait(1000);
    }
    QVERIFY2(compacted, qPrintable(QStringLiteral("stored %1, in segments %2 after %3 ms")
                                       .arg(snap.storedRows)
                                       .arg(snap.persistentRows())
                                       .arg(clock.elapsed())));
    QCOMPARE(snap.deletedNotCompacted(), qint64(0));
    QVERIFY2(segmentIds(snap.persistent) != beforeDeletes, "the compaction wrote new segments");
    qInfo("compaction %lld: %d plan(s), %lld ms; segments %lld -> %lld rows", outcome.started.compactionId,
          outcome.started.planCount, outcome.elapsedMs, qint64(400), snap.persistentRows());
}

void TstAdminOps::segmentsPanel()
{
    SegmentsPanel panel;
    panel.resize(1000, 600);
    panel.show();
    panel.setConnection(m_client);
    panel.setCollection(m_segmented);
    auto *summary = panel.findChild<QLabel *>(QStringLiteral("summaryLabel"));
    auto *flush = panel.findChild<QPushButton *>(QStringLiteral("flushButton"));
    auto *compact = panel.findChild<QPushButton *>(QStringLiteral("compactButton"));
    if (!m_caps.has(ServerCapabilities::Feature::Segments)) {
        QVERIFY(QTest::qWaitFor([&] { return !panel.unavailableReason().isEmpty(); }, 10000));
        QVERIFY(!flush->isEnabled() && !compact->isEnabled());
        QVERIFY2(compact->toolTip().contains(QLatin1String("no manual compaction")),
                 qPrintable(compact->toolTip()));
        grabAndSave(panel, QStringLiteral("segments"));
        return;
    }
    QVERIFY(
        QTest::qWaitFor([&] { return !panel.isBusy() && !panel.snapshot().collection.isEmpty(); }, 20000));
    auto *persistent = panel.findChild<QTableView *>(QStringLiteral("persistentTable"));
    QVERIFY(persistent->model()->rowCount() >= 1);
    QVERIFY2(summary->text().contains(QLatin1String("alive (count(*)): 300")), qPrintable(summary->text()));
    // Insert more, flush from the panel: the picture changes.
    m_client->insert({m_segmented, {}, richRows(8, 1000, 50)});
    QTest::mouseClick(flush, Qt::LeftButton);
    QVERIFY(
        QTest::qWaitFor([&] { return !panel.isBusy() && panel.snapshot().persistentRows() == 350; }, 30000));
    QTest::mouseClick(compact, Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return panel.hasCompacted() && !panel.isBusy(); }, 60000));
    auto *label = panel.findChild<QLabel *>(QStringLiteral("compactionLabel"));
    QVERIFY2(label->text().contains(QLatin1String("Completed")) &&
                 label->text().contains(QLatin1String("Before:")),
             qPrintable(label->text()));
    grabAndSave(panel, QStringLiteral("segments"));
}

void TstAdminOps::aliases()
{
    const QString alias = uniqueName(QStringLiteral("al"));
    m_admin->createAlias({alias, m_loaded});
    QVERIFY(m_client->listAliases({m_loaded}).contains(alias));
    // Milvus Lite's DescribeCollection leaves the aliases out; ListAliases has them on both servers.
    if (isStandalone())
        QVERIFY(m_client->describeCollection({m_loaded}).aliases.contains(alias));
    const AliasInfo info = await(m_admin->describeAliasAsync({alias}));
    QCOMPARE(info.collection, m_loaded);

    // Searching through the alias returns what the collection returns.
    SearchRequest search;
    search.collection = m_loaded;
    search.vectors = FloatVectors{8, vectorFor(3, 8)};
    search.topK = 5;
    const SearchResults direct = m_client->search(search);
    search.collection = alias;
    const SearchResults viaAlias = m_client->search(search);
    QCOMPARE(viaAlias.queries.first().size(), 5);
    for (int i = 0; i < 5; ++i)
        QCOMPARE(viaAlias.queries.first()[i].id, direct.queries.first()[i].id);

    // Moved to another collection: the alias now reads that one.
    const QString other = createLoadedCollection(*m_client, QStringLiteral("alias_target"), 8, 7);
    await(m_admin->alterAliasAsync({alias, other}));
    QCOMPARE(m_admin->describeAlias({alias}).collection, other);
    QVERIFY(!m_client->listAliases({m_loaded}).contains(alias));
    QueryRequest count;
    count.collection = alias;
    count.outputFields = {QStringLiteral("count(*)")};
    QCOMPARE(m_client->query(count).columns.first().value(0).toLongLong(), qint64(7));

    await(m_admin->dropAliasAsync({alias}));
    QVERIFY(!m_client->listAliases({other}).contains(alias));
    const MilvusError gone = expectError([&] { m_admin->describeAlias({alias}); });
    QCOMPARE(gone.kind, ErrorKind::Milvus);
    QCOMPARE(expectError([&] {
                 m_admin->createAlias({QString(), m_loaded});
             }).kind,
             ErrorKind::InvalidArgument);
}

void TstAdminOps::aliasesPanel()
{
    const QString alias = uniqueName(QStringLiteral("panel"));
    m_admin->createAlias({alias, m_loaded});
    AliasesPanel panel;
    panel.show();
    panel.setConnection(m_client);
    panel.setCollection(m_loaded);
    QVERIFY(QTest::qWaitFor([&] { return !panel.isBusy() && panel.aliases().contains(alias); }, 10000));
    grabAndSave(panel, QStringLiteral("aliases"));
    m_admin->dropAlias({alias});
}

void TstAdminOps::aliasesInNavigatorAndOverview()
{
    // Aliases work on both servers (Milvus Lite through ListAliases): the navigator shows them after
    // the collection's name and in its tooltip, the overview in its summary and properties.
    const QString first = uniqueName(QStringLiteral("nav_a"));
    const QString second = uniqueName(QStringLiteral("nav_b"));
    m_admin->createAlias({first, m_loaded});
    m_admin->createAlias({second, m_loaded});
    auto model = std::make_unique<NavigatorModel>();
    QAbstractItemModelTester tester(model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    model->setClient(m_client, QStringLiteral("test"));
    QVERIFY(
        QTest::qWaitFor([&] { return model->databaseIndex(QStringLiteral("default")).isValid(); }, 20000));
    model->fetchMore(model->databaseIndex(QStringLiteral("default")));
    const auto row = [&] { return model->collectionIndex(QStringLiteral("default"), m_loaded); };
    QVERIFY(QTest::qWaitFor(
        [&] { return row().data(NavigatorModel::AliasesRole).toStringList().size() == 2; }, 20000));
    QStringList sorted{first, second};
    sorted.sort(Qt::CaseInsensitive);
    QCOMPARE(row().data(NavigatorModel::AliasesRole).toStringList(), sorted);
    const QString shown = row().data().toString();
    QVERIFY2(shown.startsWith(m_loaded) && shown.contains(first) && shown.contains(second),
             qPrintable(shown));
    QVERIFY(row().data(Qt::ToolTipRole).toString().contains(QLatin1String("Aliases: ")));
    QCOMPARE(row().data(NavigatorModel::CollectionRole).toString(), m_loaded); // the name stays the key

    CollectionDetails details(m_client, QStringLiteral("default"), m_loaded);
    CollectionOverview overview(&details);
    overview.resize(900, 700);
    overview.show();
    details.refresh();
    QVERIFY(QTest::qWaitFor([&] { return !details.isBusy() && details.aliases().size() == 2; }, 20000));
    QCOMPARE(details.aliases(), sorted);
    auto *summary = overview.findChild<QLabel *>(QStringLiteral("overviewSummary"));
    QVERIFY(summary);
    QVERIFY2(summary->text().contains(QStringLiteral("aliases %1, %2").arg(sorted[0], sorted[1])),
             qPrintable(summary->text()));
    auto *props = overview.findChild<QTableWidget *>(QStringLiteral("propertiesTable"));
    QStringList aliasRows;
    for (int r = 0; r < props->rowCount(); ++r)
        if (props->item(r, 0)->text() == QLatin1String("alias"))
            aliasRows << props->item(r, 1)->text();
    QCOMPARE(aliasRows, sorted);
    QCOMPARE(details.toJson().value(QStringLiteral("aliases")).toArray().size(), 2);

    // Dropped: both views follow once asked again (the app asks after every alias change).
    m_admin->dropAlias({first});
    model->refreshCollection(QStringLiteral("default"), m_loaded);
    details.refresh();
    QVERIFY(QTest::qWaitFor(
        [&] { return row().data(NavigatorModel::AliasesRole).toStringList() == QStringList{second}; },
        20000));
    QVERIFY(!row().data().toString().contains(first));
    QVERIFY(QTest::qWaitFor([&] { return !details.isBusy() && details.aliases() == QStringList{second}; },
                            20000));
    QVERIFY(summary->text().contains(QStringLiteral("alias %1").arg(second)));
    m_admin->dropAlias({second});
    // Destroyed with answers still on their way: nothing may run on the dead model.
    model->refreshCollection(QStringLiteral("default"), m_loaded);
    model.reset();
    QTest::qWait(300);
}

} // namespace mx

MX_TEST_MAIN_WITH_OWN_SETTINGS(mx::TstAdminOps, "tst_adminops")

#include "tst_adminops.moc"
