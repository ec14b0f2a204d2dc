// Every RPC of MilvusClient against a real local server (Milvus Lite or the Milvus standalone), each in
// its blocking and its async form. Where the servers differ, the expectation follows the server.

#include "ServerCapabilities.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace mx {

using test::await;

class TestRpcs : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::unique_ptr<MilvusClient> m_client;

    // Runs one call in the form the current data row asks for.
    template<typename Sync, typename Async>
    auto both(Sync sync, Async async)
    {
        QFETCH_GLOBAL(bool, async_form);
        if (async_form)
            return await(async());
        return sync();
    }

private slots:
    void initTestCase_data()
    {
        QTest::addColumn<bool>("async_form");
        QTest::newRow("blocking") << false;
        QTest::newRow("async") << true;
    }

    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
    }

    void server()
    {
        const QString version =
            both([&] { return m_client->getVersion(); }, [&] { return m_client->getVersionAsync(); });
        const ServerCapabilities caps = ServerCapabilities::fromVersion(version);
        QCOMPARE(caps.flavor, test::isStandalone() ? ServerCapabilities::Flavor::Milvus
                                                   : ServerCapabilities::Flavor::MilvusLite);
        QVERIFY2(
            version.contains(test::isStandalone() ? QLatin1String("2.3.5") : QLatin1String("milvus_lite")),
            qPrintable(version));
        const ServerInfo info =
            both([&] { return m_client->connect(); }, [&] { return m_client->connectAsync(); });
        Q_UNUSED(info);
        const HealthStatus health =
            both([&] { return m_client->checkHealth(); }, [&] { return m_client->checkHealthAsync(); });
        QVERIFY(health.healthy);
    }

    void databases()
    {
        const QString db = test::uniqueName(QStringLiteral("db"));
        both([&] { m_client->createDatabase({db}); }, [&] { return m_client->createDatabaseAsync({db}); });
        QStringList dbs =
            both([&] { return m_client->listDatabases(); }, [&] { return m_client->listDatabasesAsync(); });
        QVERIFY(dbs.contains(QStringLiteral("default")));
        QVERIFY(dbs.contains(db));

        // A collection created in the new database is invisible from the default one.
        const QString coll = test::uniqueName(QStringLiteral("in_db"));
        CreateCollectionRequest create{coll, test::richSchema(4)};
        create.options.dbName = db;
        m_client->createCollection(create);
        ServerRequest inDb;
        inDb.options.dbName = db;
        QCOMPARE(m_client->listCollections(inDb), QStringList{coll});
        QVERIFY(!m_client->listCollections().contains(coll));
        CollectionRequest drop{coll};
        drop.options.dbName = db;
        m_client->dropCollection(drop);

        both([&] { m_client->dropDatabase({db}); }, [&] { return m_client->dropDatabaseAsync({db}); });
        dbs = m_client->listDatabases();
        QVERIFY(!dbs.contains(db));
    }

    void collectionLifecycle()
    {
        const QString name = test::uniqueName(QStringLiteral("life"));
        CreateCollectionRequest create;
        create.collection = name;
        create.schema = test::richSchema(8);
        create.schema.description = QStringLiteral("round trip");
        create.consistency = ConsistencyLevel::Session;
        both([&] { m_client->createCollection(create); },
             [&] { return m_client->createCollectionAsync(create); });

        QVERIFY(both([&] { return m_client->hasCollection({name}); },
                     [&] { return m_client->hasCollectionAsync({name}); }));
        QVERIFY(!m_client->hasCollection({name + QStringLiteral("_nope")}));
        QVERIFY(both([&] { return m_client->listCollections(); },
                     [&] { return m_client->listCollectionsAsync(); })
                    .contains(name));

        const CollectionDescription desc = both([&] { return m_client->describeCollection({name}); },
                                                [&] { return m_client->describeCollectionAsync({name}); });
        QCOMPARE(desc.collectionName, name);
        QVERIFY(desc.schema.enableDynamicField);
        const CollectionSchema expected = test::richSchema(8);
        for (const FieldSchema &want : expected.fields) {
            const FieldSchema *got = desc.schema.field(want.name);
            QVERIFY2(got, qPrintable(want.name));
            QCOMPARE(got->type, want.type);
            QCOMPARE(got->isPrimaryKey, want.isPrimaryKey);
            QCOMPARE(got->elementType, want.elementType);
            if (want.type == DataType::FloatVector)
                QCOMPARE(got->dim(), 8);
            if (want.type == DataType::VarChar)
                QCOMPARE(got->maxLength(), 256);
        }

        const QStringList aliases = both([&] { return m_client->listAliases({name}); },
                                         [&] { return m_client->listAliasesAsync({name}); });
        QVERIFY(aliases.isEmpty());

        m_client->insert(InsertRequest{name, {}, test::richRows(8, 0, 25)});
        m_client->flush({{name}}); // the full server's statistics count flushed rows only
        const auto stats = both([&] { return m_client->getCollectionStatistics({name}); },
                                [&] { return m_client->getCollectionStatisticsAsync({name}); });
        QCOMPARE(MilvusClient::rowCountFromStatistics(stats), qint64(25));

        const QString renamed = name + QStringLiteral("_renamed");
        const RenameCollectionRequest rename{name, renamed};
        both([&] { m_client->renameCollection(rename); },
             [&] { return m_client->renameCollectionAsync(rename); });
        QVERIFY(!m_client->hasCollection({name}));
        QVERIFY(m_client->hasCollection({renamed}));

        if (ServerCapabilities::fromVersion(m_client->getVersion())
                .has(ServerCapabilities::Feature::TruncateCollection)) {
            both([&] { m_client->truncateCollection({renamed}); },
                 [&] { return m_client->truncateCollectionAsync({renamed}); });
            QCOMPARE(MilvusClient::rowCountFromStatistics(m_client->getCollectionStatistics({renamed})),
                     qint64(0));
        } else {
            // Milvus 2.3 has no TruncateCollection: a clear typed error, and nothing changes.
            const MilvusError e = test::expectError([&] {
                both([&] { m_client->truncateCollection({renamed}); },
                     [&] { return m_client->truncateCollectionAsync({renamed}); });
            });
            QCOMPARE(e.kind, ErrorKind::GrpcStatus);
            QCOMPARE(e.grpcCode, 12); // UNIMPLEMENTED
            QCOMPARE(MilvusClient::rowCountFromStatistics(m_client->getCollectionStatistics({renamed})),
                     qint64(25));
        }

        both([&] { m_client->dropCollection({renamed}); },
             [&] { return m_client->dropCollectionAsync({renamed}); });
        QVERIFY(!m_client->hasCollection({renamed}));
    }

    void indexesAndLoading()
    {
        const QString name = test::uniqueName(QStringLiteral("idx"));
        m_client->createCollection({name, test::richSchema(8)});
        m_client->insert(InsertRequest{name, {}, test::richRows(8, 0, 50)});
        m_client->releaseCollection({name});

        CreateIndexRequest index;
        index.collection = name;
        index.fieldName = QStringLiteral("vec");
        index.indexName = QStringLiteral("vec_hnsw");
        index.indexType = QStringLiteral("HNSW");
        index.metricType = QStringLiteral("COSINE");
        index.params = QJsonObject{{QStringLiteral("M"), 16}, {QStringLiteral("efConstruction"), 64}};
        both([&] { m_client->createIndex(index); }, [&] { return m_client->createIndexAsync(index); });

        const IndexRequest which{name, QStringLiteral("vec"), {}};
        const auto indexes = both([&] { return m_client->describeIndex(which); },
                                  [&] { return m_client->describeIndexAsync(which); });
        QCOMPARE(indexes.size(), 1);
        QCOMPARE(indexes.first().fieldName, QStringLiteral("vec"));
        // Milvus Lite names every index after its field; a full Milvus keeps the requested name.
        const QString indexName = indexes.first().indexName;
        QVERIFY2(indexName == QLatin1String("vec_hnsw") || indexName == QLatin1String("vec"),
                 qPrintable(indexName));
        QCOMPARE(indexes.first().indexType(), QStringLiteral("HNSW"));
        QCOMPARE(indexes.first().metricType(), QStringLiteral("COSINE"));

        const LoadCollectionRequest load{name};
        both([&] { m_client->loadCollection(load); }, [&] { return m_client->loadCollectionAsync(load); });
        const LoadStateRequest state{name};
        // The full server's LoadCollection returns before the collection is loaded.
        QTRY_COMPARE_WITH_TIMEOUT(m_client->getLoadState(state), LoadState::Loaded, 60000);
        QCOMPARE(both([&] { return m_client->getLoadState(state); },
                      [&] { return m_client->getLoadStateAsync(state); }),
                 LoadState::Loaded);
        QCOMPARE(both([&] { return m_client->getLoadingProgress(state); },
                      [&] { return m_client->getLoadingProgressAsync(state); }),
                 100);

        both([&] { m_client->releaseCollection({name}); },
             [&] { return m_client->releaseCollectionAsync({name}); });
        QCOMPARE(m_client->getLoadState(state), LoadState::NotLoad);

        const IndexRequest drop{name, QStringLiteral("vec"), indexName};
        both([&] { m_client->dropIndex(drop); }, [&] { return m_client->dropIndexAsync(drop); });
        QVERIFY(test::expectError([&] { m_client->describeIndex(which); }).kind == ErrorKind::Milvus);
        m_client->dropCollection({name});
    }

    void partitions()
    {
        const QString name = test::uniqueName(QStringLiteral("part"));
        m_client->createCollection({name, test::richSchema(4)});
        const PartitionRequest p{name, QStringLiteral("p2024")};
        both([&] { m_client->createPartition(p); }, [&] { return m_client->createPartitionAsync(p); });
        QVERIFY(
            both([&] { return m_client->hasPartition(p); }, [&] { return m_client->hasPartitionAsync(p); }));
        QVERIFY(!m_client->hasPartition({name, QStringLiteral("p1999")}));

        m_client->insert(InsertRequest{name, QStringLiteral("p2024"), test::richRows(4, 0, 7)});
        m_client->insert(InsertRequest{name, {}, test::richRows(4, 100, 3)});
        m_client->flush({{name}}); // the full server's statistics count flushed rows only
        const auto stats = both([&] { return m_client->getPartitionStatistics(p); },
                                [&] { return m_client->getPartitionStatisticsAsync(p); });
        QCOMPARE(MilvusClient::rowCountFromStatistics(stats), qint64(7));

        const auto parts = both([&] { return m_client->listPartitions({name}); },
                                [&] { return m_client->listPartitionsAsync({name}); });
        QStringList names;
        for (const auto &pi : parts)
            names << pi.name;
        QVERIFY(names.contains(QStringLiteral("_default")));
        QVERIFY(names.contains(QStringLiteral("p2024")));

        // (Milvus Lite ignores partition_names for count(*), so count rows with a filter instead.)
        test::indexAndLoad(*m_client, name);
        QueryRequest q{name};
        q.filter = QStringLiteral("id >= 0");
        q.outputFields = {QStringLiteral("id")};
        q.partitions = {QStringLiteral("p2024")};
        QCOMPARE(m_client->query(q).rowCount(), 7);

        m_client->releaseCollection({name});
        both([&] { m_client->dropPartition(p); }, [&] { return m_client->dropPartitionAsync(p); });
        QVERIFY(!m_client->hasPartition(p));
        m_client->dropCollection({name});
    }

    // Reads see the writes of the other clients of the same server, as pymilvus keeps its last-write
    // timestamps per process (keyed by server, database and collection): right after an insert through
    // one client, a Session query through another (the load tester's second channel) must see the row.
    // On the full server a Session read with no write to name runs at once (guarantee timestamp 1) on
    // whatever the query node has consumed, so without the shared clock it misses rows written
    // milliseconds before.
    void sessionReadsSeeOtherClientsWrites()
    {
        constexpr int dim = 8;
        const QString name = test::uniqueName(QStringLiteral("session"));
        m_client->createCollection({name, test::richSchema(dim)});
        test::indexAndLoad(*m_client, name);
        const std::unique_ptr<MilvusClient> reader = m_server.client();
        for (int i = 0; i < 10; ++i) {
            const InsertRequest insert{name, {}, test::richRows(dim, i, 1)};
            both([&] { return m_client->insert(insert); }, [&] { return m_client->insertAsync(insert); });
            QueryRequest q{name};
            q.filter = QStringLiteral("id == %1").arg(i);
            q.outputFields = {QStringLiteral("id")};
            q.consistency = ConsistencyLevel::Session;
            const QueryResult seen =
                both([&] { return reader->query(q); }, [&] { return reader->queryAsync(q); });
            QVERIFY2(seen.rowCount() == 1,
                     qPrintable(QStringLiteral("row %1 written through one client was not "
                                               "seen through the other")
                                    .arg(i)));
        }
        m_client->dropCollection({name});
    }

    void dataRoundTrip()
    {
        constexpr int dim = 8;
        const QString name = test::uniqueName(QStringLiteral("data"));
        m_client->createCollection({name, test::richSchema(dim)});

        const InsertRequest insert{name, {}, test::richRows(dim, 0, 40)};
        const MutationResult inserted =
            both([&] { return m_client->insert(insert); }, [&] { return m_client->insertAsync(insert); });
        QCOMPARE(inserted.insertCount, qint64(40));
        QCOMPARE(inserted.ids.size(), 40);
        QCOMPARE(inserted.ids.at(39).toLongLong(), qint64(39));

        const FlushRequest flush{{name}};
        both([&] { m_client->flush(flush); }, [&] { return m_client->flushAsync(flush); });
        test::indexAndLoad(*m_client, name);

        // Typed values come back exactly as they were sent, the dynamic field included.
        QueryRequest q{name};
        q.filter = QStringLiteral("id >= 10 and id < 13");
        q.outputFields = {QStringLiteral("*")};
        const QueryResult rows =
            both([&] { return m_client->query(q); }, [&] { return m_client->queryAsync(q); });
        QCOMPARE(rows.rowCount(), 3);
        QList<qint64> seen;
        for (qsizetype r = 0; r < rows.rowCount(); ++r) {
            const QVariantMap row = rows.row(r);
            const qint64 id = row.value(QStringLiteral("id")).toLongLong();
            seen << id;
            QCOMPARE(row.value(QStringLiteral("title")).toString(), QStringLiteral("document %1").arg(id));
            QCOMPARE(row.value(QStringLiteral("score")).toDouble(), double(id % 100) / 10.0);
            QCOMPARE(row.value(QStringLiteral("meta")).toMap().value(QStringLiteral("category")).toString(),
                     QStringLiteral("cat_%1").arg(id % 5));
            QCOMPARE(row.value(QStringLiteral("tags")).toList(), (QVariantList{id % 3, id % 11}));
            QCOMPARE(row.value(QStringLiteral("source")).toString(),
                     id % 2 ? QStringLiteral("odd") : QStringLiteral("even"));
            const QVariantList vec = row.value(QStringLiteral("vec")).toList();
            const QList<float> want = test::vectorFor(id, dim);
            QCOMPARE(vec.size(), dim);
            for (int k = 0; k < dim; ++k)
                QCOMPARE(float(vec.at(k).toDouble()), want.at(k));
        }
        std::sort(seen.begin(), seen.end());
        QCOMPARE(seen, (QList<qint64>{10, 11, 12}));

        // Limit/offset paging and count(*).
        QueryRequest page{name};
        page.filter = QStringLiteral("id >= 0");
        page.outputFields = {QStringLiteral("id")};
        page.limit = 5;
        page.offset = 5;
        QCOMPARE(m_client->query(page).rowCount(), 5);
        QueryRequest count{name};
        count.outputFields = {QStringLiteral("count(*)")};
        QCOMPARE(m_client->query(count).column(QStringLiteral("count(*)"))->value(0).toLongLong(),
                 qint64(40));

        // Search: the exact nearest neighbour of a stored vector is itself, at L2 distance 0.
        SearchRequest s;
        s.collection = name;
        s.annsField = QStringLiteral("vec");
        s.vectors = FloatVectors{dim, test::vectorFor(7, dim) + test::vectorFor(21, dim)};
        s.topK = 3;
        s.metricType = QStringLiteral("L2");
        s.filter = QStringLiteral("id < 30");
        s.outputFields = {QStringLiteral("title"), QStringLiteral("source")};
        const SearchResults found =
            both([&] { return m_client->search(s); }, [&] { return m_client->searchAsync(s); });
        QCOMPARE(found.queries.size(), 2);
        QCOMPARE(found.queries[0].size(), 3);
        QCOMPARE(found.queries[0][0].id.toLongLong(), qint64(7));
        QCOMPARE(found.queries[1][0].id.toLongLong(), qint64(21));
        QVERIFY(qAbs(found.queries[0][0].score) < 1e-4f);
        QCOMPARE(found.queries[0][0].fields.value(QStringLiteral("title")).toString(),
                 QStringLiteral("document 7"));
        QCOMPARE(found.queries[0][0].fields.value(QStringLiteral("source")).toString(),
                 QStringLiteral("odd"));
        for (const auto &hit : found.queries[1])
            QVERIFY(hit.id.toLongLong() < 30);
        QVERIFY(found.queries[0][1].score >= found.queries[0][0].score); // L2: best first

        // Upsert replaces a row; delete removes by expression.
        QList<FieldColumn> changed = test::richRows(dim, 5, 1);
        std::get<QStringList>(changed[2].data)[0] = QStringLiteral("rewritten");
        const InsertRequest upsert{name, {}, changed};
        const MutationResult up =
            both([&] { return m_client->upsert(upsert); }, [&] { return m_client->upsertAsync(upsert); });
        QCOMPARE(up.upsertCount, qint64(1));
        QueryRequest one{name};
        one.filter = QStringLiteral("id == 5");
        one.outputFields = {QStringLiteral("title")};
        QCOMPARE(m_client->query(one).row(0).value(QStringLiteral("title")).toString(),
                 QStringLiteral("rewritten"));

        const DeleteRequest del{name, {}, QStringLiteral("id in [1, 2, 3]")};
        const MutationResult removed = both([&] { return m_client->deleteEntities(del); },
                                            [&] { return m_client->deleteEntitiesAsync(del); });
        QCOMPARE(removed.deleteCount, qint64(3));
        QCOMPARE(m_client->query(count).column(QStringLiteral("count(*)"))->value(0).toLongLong(),
                 qint64(37));
        m_client->dropCollection({name});
    }

    void varcharPrimaryKeyAndAutoId()
    {
        const QString name = test::uniqueName(QStringLiteral("auto"));
        CollectionSchema schema;
        FieldSchema pk;
        pk.name = QStringLiteral("pk");
        pk.type = DataType::Int64;
        pk.isPrimaryKey = true;
        pk.autoId = true;
        FieldSchema vec;
        vec.name = QStringLiteral("vector");
        vec.type = DataType::FloatVector;
        vec.typeParams.insert(QStringLiteral("dim"), QStringLiteral("4"));
        schema.fields = {pk, vec};
        m_client->createCollection({name, schema});
        const MutationResult r = m_client->insert(InsertRequest{
            name, {}, {FieldColumn::floatVectors(QStringLiteral("vector"), 4, test::vectorFor(1, 8))}});
        QCOMPARE(r.ids.size(), 2);
        QVERIFY(std::holds_alternative<QList<qint64>>(r.ids.ids));
        m_client->dropCollection({name});

        const QString strName = test::uniqueName(QStringLiteral("strpk"));
        pk.type = DataType::VarChar;
        pk.autoId = false;
        pk.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("64"));
        schema.fields = {pk, vec};
        m_client->createCollection({strName, schema});
        const MutationResult s = m_client->insert(InsertRequest{
            strName,
            {},
            {FieldColumn::varchars(QStringLiteral("pk"), {QStringLiteral("a"), QStringLiteral("b")}),
             FieldColumn::floatVectors(QStringLiteral("vector"), 4, test::vectorFor(2, 8))}});
        QCOMPARE(s.ids.ids, (std::variant<QList<qint64>, QStringList>(
                                QStringList{QStringLiteral("a"), QStringLiteral("b")})));
        m_client->dropCollection({strName});
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestRpcs)
#include "tst_rpcs.moc"
