// Data correctness against a real server (Milvus Lite or the standalone): expression literals for keys
// that need escaping, the exporter's row-count check and JSON cells byte for byte, editing entities of
// auto-ID collections, BINARY_VECTOR end to end (or the typed refusal where the server lacks it).

#include "DataTestUtil.h"
#include "EntityCount.h"
#include "EntityEdit.h"
#include "EntityExporter.h"
#include "EntityImporter.h"
#include "EntityRowWriter.h"
#include "ExprLiteral.h"
#include "ServerCapabilities.h"

#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QTemporaryDir>

#include <algorithm>

namespace mx {

using test::await;
using test::createLike;
using test::makeField;
using test::readAll;

class TestDataCorrectness : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    ServerCapabilities m_caps;
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    qint64 count(const QString &collection) { return countEntities(*m_client, collection, {}); }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        m_caps = ServerCapabilities::fromVersion(m_client->getVersion());
    }

    // Rows inserted while an export runs: the export reads more rows than count(*) said at its start,
    // fails with a typed error and leaves no file.
    void exportFailsWhenTheRowCountChanges()
    {
        QStringList keys;
        for (int i = 0; i < 800; ++i)
            keys.append(QStringLiteral("k%1").arg(i, 4, 10, QLatin1Char('0')));
        // Strong consistency: on the full server the export's queries see the rows inserted meanwhile.
        const QString name = test::createKeyedCollection(*m_client, QStringLiteral("moving"), keys);
        ExportOptions eo;
        eo.collection = name;
        eo.path = path(QStringLiteral("moving.json"));
        // Many pages, so the rows below land long before the last one is read (a page of the full server
        // takes far longer than one of Milvus Lite).
        eo.batchSize = test::isStandalone() ? 20 : 1;
        eo.options.timeout = std::chrono::milliseconds(60000);
        EntityExporter exporter(m_client, eo);
        QFutureWatcher<ExportResult> watcher;
        bool inserted = false;
        int progressAtInsert = -1;
        connect(&watcher, &QFutureWatcherBase::progressValueChanged, this, [&](int progress) {
            if (inserted || progress < 1) // 0 comes with the start, maybe before the count
                return;
            inserted = true;
            progressAtInsert = progress;
            // Keys above every existing one, so the cursor still meets them.
            m_client->insert(
                InsertRequest{name,
                              {},
                              {FieldColumn::varchars(QStringLiteral("key"), {"z0", "z1", "z2", "z3", "z4"}),
                               FieldColumn::floatVectors(QStringLiteral("vec"), 2, QList<float>(10, 0.5f))}});
        });
        watcher.setFuture(exporter.start());
        const MilvusError e = test::expectError([&] { await(watcher.future()); });
        QVERIFY(inserted);
        QVERIFY2(progressAtInsert < 700, qPrintable(QString::number(progressAtInsert)));
        QVERIFY2(e.kind == ErrorKind::Inconsistent, qPrintable(e.message()));
        QVERIFY2(e.reason.contains(QLatin1String("805")) && e.reason.contains(QLatin1String("800")),
                 qPrintable(e.reason));
        QVERIFY(!QFile::exists(eo.path));
    }

    // A JSON cell and the dynamic field go into the file exactly as the server sent them: key order,
    // spacing and an integer beyond 2^53 (2^62 + 1) unchanged.
    void jsonCellsExportByteForByte_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("csv") << QStringLiteral("raw.csv");
        QTest::newRow("json") << QStringLiteral("raw.json");
    }

    void jsonCellsExportByteForByte()
    {
        QFETCH(QString, file);
        CollectionSchema schema;
        schema.enableDynamicField = true;
        FieldSchema id = makeField(QStringLiteral("id"), DataType::Int64);
        id.isPrimaryKey = true;
        schema.fields = {
            id, makeField(QStringLiteral("j"), DataType::Json),
            makeField(QStringLiteral("vec"), DataType::FloatVector, {{QStringLiteral("dim"), "2"}})};
        const QString name = test::uniqueName(QStringLiteral("rawjson"));
        CreateCollectionRequest create{name, schema};
        create.consistency = ConsistencyLevel::Strong;
        m_client->createCollection(create);
        FieldColumn j;
        j.name = QStringLiteral("j");
        j.type = DataType::Json;
        j.data = QList<QByteArray>{R"({"z":1,"a":4611686018427387905,"m":{"y":[true,null],"b":-0.5}})"};
        FieldColumn meta;
        meta.name = QStringLiteral("$meta");
        meta.type = DataType::Json;
        meta.isDynamic = true;
        meta.data = QList<QByteArray>{R"({"zeta":4611686018427387905,"alpha":"x"})"};
        m_client->insert(InsertRequest{name,
                                       {},
                                       {FieldColumn::int64s(QStringLiteral("id"), {1}), j, meta,
                                        FieldColumn::floatVectors(QStringLiteral("vec"), 2, {1, 2})}});
        CreateIndexRequest index;
        index.collection = name;
        index.fieldName = QStringLiteral("vec");
        index.indexType = QStringLiteral("FLAT");
        index.metricType = QStringLiteral("L2");
        m_client->createIndex(index);
        m_client->loadCollection(LoadCollectionRequest{name});
        QTRY_COMPARE_WITH_TIMEOUT(m_client->getLoadState({name}), LoadState::Loaded, 60000);

        // What the server sends back: the bytes to find in the file.
        QueryRequest q;
        q.collection = name;
        q.filter = QStringLiteral("id == 1");
        q.outputFields = {QStringLiteral("j"), QStringLiteral("$meta")};
        const QueryResult r = m_client->query(q);
        const QByteArray sentJ = std::get<QList<QByteArray>>(r.column(QStringLiteral("j"))->data).at(0);
        QByteArray sentMeta;
        for (const auto &c : r.columns)
            if (c.isDynamic)
                sentMeta = std::get<QList<QByteArray>>(c.data).at(0);
        // The server keeps the key order and the exact integer (else there is nothing to keep here). The
        // dynamic field may come back re-serialized (Milvus Lite sorts its keys): its bytes are kept as sent.
        QVERIFY2(sentJ.indexOf("\"z\"") < sentJ.indexOf("\"a\"") && sentJ.contains("4611686018427387905"),
                 sentJ.constData());

        ExportOptions eo;
        eo.collection = name;
        eo.path = path(file);
        EntityExporter exporter(m_client, eo);
        QCOMPARE(await(exporter.start()).rows, qint64(1));
        QFile f(eo.path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        if (file.endsWith(QLatin1String(".csv"))) {
            QVERIFY2(text.contains(EntityRowWriter::csvQuote(sentJ)), text.constData());
            QVERIFY2(text.contains(EntityRowWriter::csvQuote(sentMeta)), text.constData());
        } else {
            QVERIFY2(text.contains("\"j\":" + sentJ), text.constData());
            const QByteArray members = sentMeta.mid(1, sentMeta.size() - 2).trimmed();
            QVERIFY2(text.contains("," + members + "}"), text.constData());
        }
    }

    // Editing a row of an auto_id collection sends its key: the row is replaced (under its old key or a
    // new one the server reports), never duplicated. Milvus 2.3 refuses upserts on auto_id collections:
    // then a typed Milvus error and the data unchanged.
    void editEntityOnAutoIdCollection()
    {
        CollectionSchema schema;
        FieldSchema id = makeField(QStringLiteral("id"), DataType::Int64);
        id.isPrimaryKey = true;
        id.autoId = true;
        schema.fields = {
            id, makeField(QStringLiteral("t"), DataType::VarChar, {{QStringLiteral("max_length"), "20"}}),
            makeField(QStringLiteral("vec"), DataType::FloatVector, {{QStringLiteral("dim"), "2"}})};
        const QString name = test::uniqueName(QStringLiteral("autoedit"));
        CreateCollectionRequest create{name, schema};
        create.consistency = ConsistencyLevel::Strong;
        m_client->createCollection(create);
        const MutationResult added = m_client->insert(
            InsertRequest{name,
                          {},
                          {FieldColumn::varchars(QStringLiteral("t"), {"first", "second"}),
                           FieldColumn::floatVectors(QStringLiteral("vec"), 2, {1, 2, 3, 4})}});
        QCOMPARE(added.ids.size(), qsizetype(2));
        CreateIndexRequest index;
        index.collection = name;
        index.fieldName = QStringLiteral("vec");
        index.indexType = QStringLiteral("FLAT");
        index.metricType = QStringLiteral("L2");
        m_client->createIndex(index);
        m_client->loadCollection(LoadCollectionRequest{name});
        QTRY_COMPARE_WITH_TIMEOUT(m_client->getLoadState({name}), LoadState::Loaded, 60000);

        const EntityEdit edit(m_client->describeCollection({name}).schema, name);
        QVERIFY(edit.mayChangeKey());
        const qint64 oldKey = added.ids.at(0).toLongLong();
        const QJsonObject row{{QStringLiteral("id"), oldKey},
                              {QStringLiteral("t"), QStringLiteral("edited")},
                              {QStringLiteral("vec"), QJsonArray{5.0, 6.0}}};
        // The key travels (the import path would leave it out).
        const InsertRequest request = edit.request(row);
        QVERIFY(std::any_of(request.columns.begin(), request.columns.end(),
                            [](const FieldColumn &c) { return c.name == QLatin1String("id"); }));

        const auto rowsNow = [&] {
            QueryRequest q;
            q.collection = name;
            q.filter = QStringLiteral("id != 0");
            q.outputFields = {QStringLiteral("id"), QStringLiteral("t")};
            QMap<QString, qint64> byText;
            const QueryResult r = m_client->query(q);
            for (qsizetype i = 0; i < r.rowCount(); ++i)
                byText.insert(r.column(QStringLiteral("t"))->value(i).toString(),
                              r.column(QStringLiteral("id"))->value(i).toLongLong());
            return std::make_pair(r.rowCount(), byText);
        };
        const QString version = m_client->getVersion();
        EntityEditResult result;
        try {
            result = await(edit.saveAsync(*m_client, row));
        } catch (const MilvusException &e) {
            // Only the 2.3 server may refuse, and it says so with its own code; nothing was written.
            QVERIFY2(version.startsWith(QLatin1String("v2.3")),
                     qPrintable(version + ": " + e.error().message()));
            QCOMPARE(e.error().kind, ErrorKind::Milvus);
            QVERIFY2(e.error().reason.contains(QLatin1String("auto ID")), qPrintable(e.error().message()));
            const auto [rows, byText] = rowsNow();
            QCOMPARE(rows, qsizetype(2));
            QCOMPARE(byText.value(QStringLiteral("first")), oldKey);
            return;
        }
        QCOMPARE(result.oldKey, QVariant(oldKey));
        const auto [rows, byText] = rowsNow();
        QCOMPARE(rows, qsizetype(2)); // replaced, not added
        QVERIFY(!byText.contains(QStringLiteral("first")));
        QCOMPARE(QVariant(byText.value(QStringLiteral("edited"))), result.newKey);
        QCOMPARE(byText.value(QStringLiteral("second")), added.ids.at(1).toLongLong());
    }

    // BINARY_VECTOR end to end on the server that has it: insert, the same bits back, a HAMMING search
    // with a binary query, export and re-import. Milvus Lite has no binary vectors: there the create
    // must fail with a typed Milvus error that names the type.
    void binaryVectorsEndToEnd()
    {
        CollectionSchema schema;
        FieldSchema id = makeField(QStringLiteral("id"), DataType::Int64);
        id.isPrimaryKey = true;
        schema.fields = {
            id, makeField(QStringLiteral("bits"), DataType::BinaryVector, {{QStringLiteral("dim"), "16"}})};
        const QString name = test::uniqueName(QStringLiteral("bits"));
        CreateCollectionRequest create{name, schema};
        create.consistency = ConsistencyLevel::Strong;
        try {
            m_client->createCollection(create);
        } catch (const MilvusException &e) {
            QVERIFY2(!m_caps.has(ServerCapabilities::Feature::BinaryVectors),
                     qPrintable(e.error().message()));
            QCOMPARE(e.error().kind, ErrorKind::Milvus);
            QVERIFY2(e.error().reason.contains(QLatin1String("BinaryVector"), Qt::CaseInsensitive) ||
                         e.error().reason.contains(QLatin1String("BINARY_VECTOR")),
                     qPrintable(e.error().message()));
            return;
        }
        const auto indexAndLoad = [&](const QString &collection) {
            CreateIndexRequest index;
            index.collection = collection;
            index.fieldName = QStringLiteral("bits");
            index.indexType = QStringLiteral("BIN_FLAT");
            index.metricType = QStringLiteral("HAMMING");
            m_client->createIndex(index);
            m_client->loadCollection(LoadCollectionRequest{collection});
            return QTest::qWaitFor([&] { return m_client->getLoadState({collection}) == LoadState::Loaded; },
                                   60000);
        };
        const QByteArray packed("\x0f\xa0\xff\x00\x00\x01", 6);
        m_client->insert(InsertRequest{name,
                                       {},
                                       {FieldColumn::int64s(QStringLiteral("id"), {1, 2, 3}),
                                        FieldColumn::binaryVectors(QStringLiteral("bits"), 16, packed)}});
        QVERIFY(indexAndLoad(name));

        const QList<QVariantMap> rows = readAll(*m_client, name);
        QCOMPARE(rows.size(), 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(rows.at(i).value(QStringLiteral("bits")).toByteArray(), packed.mid(i * 2, 2));

        SearchRequest search;
        search.collection = name;
        search.annsField = QStringLiteral("bits");
        search.binaryVectors = BinaryVectors{16, QByteArray("\x0f\xa1", 2)};
        search.metricType = QStringLiteral("HAMMING");
        search.topK = 3;
        const SearchResults found = m_client->search(search);
        QCOMPARE(found.queries.size(), qsizetype(1));
        QList<qint64> order;
        QList<float> distances;
        for (const auto &hit : found.queries.first()) {
            order.append(hit.id.toLongLong());
            distances.append(hit.score);
        }
        QCOMPARE(order, (QList<qint64>{1, 3, 2})); // 1, 6 and 7 differing bits
        QCOMPARE(distances, (QList<float>{1, 6, 7}));

        ExportOptions eo;
        eo.collection = name;
        eo.path = path(QStringLiteral("bits.json"));
        EntityExporter exporter(m_client, eo);
        QCOMPARE(await(exporter.start()).rows, qint64(3));
        QFile f(eo.path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(text.contains("\"bits\":[15,160]") && !text.contains("null"), text.constData());
        const QString copy =
            createLike(*m_client, QStringLiteral("bitscopy"), m_client->describeCollection({name}).schema);
        ImportOptions io;
        io.path = eo.path;
        io.collection = copy;
        EntityImporter importer(m_client, io);
        QCOMPARE(await(importer.start()).inserted, qint64(3));
        QVERIFY(indexAndLoad(copy));
        QCOMPARE(readAll(*m_client, copy), rows);
    }

    // Every awkward key is found by `key == literal` and deleted by `key in [...]` (what the data view's
    // "delete selected" sends), and nothing else is.
    void awkwardKeysQueryAndDeleteByKey()
    {
        const QStringList keys = test::awkwardKeys();
        const QString name = test::createKeyedCollection(*m_client, QStringLiteral("awkdel"), keys);
        QCOMPARE(count(name), qint64(keys.size()));
        for (const QString &k : keys) {
            QueryRequest q;
            q.collection = name;
            q.filter = QStringLiteral("key == %1").arg(exprStringLiteral(k));
            q.outputFields = {QStringLiteral("key")};
            const QueryResult r = m_client->query(q);
            QCOMPARE(r.rowCount(), qsizetype(1));
            QCOMPARE(r.column(QStringLiteral("key"))->value(0).toString(), k);
        }
        QVariantList gone;
        for (qsizetype i = 0; i < keys.size(); i += 2)
            gone.append(keys.at(i));
        DeleteRequest del;
        del.collection = name;
        del.filter = exprInList(QStringLiteral("key"), gone);
        m_client->deleteEntities(del);
        QCOMPARE(count(name), qint64(keys.size() - gone.size()));
        QCOMPARE(countEntities(*m_client, name, del.filter), qint64(0));
        for (qsizetype i = 1; i < keys.size(); i += 2)
            QCOMPARE(countEntities(*m_client, name,
                                   QStringLiteral("key == %1").arg(exprStringLiteral(keys.at(i)))),
                     qint64(1));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestDataCorrectness)
#include "tst_datacorrectness.moc"
