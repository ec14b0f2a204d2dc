// A collection made by pymilvus with a rich schema (VARCHAR key with quotes, backslashes, line breaks
// and non-ASCII; INT8..INT64 with values beyond 2^53; BOOL, FLOAT, DOUBLE; nested JSON; ARRAYs of
// VARCHAR and of INT64 up to 2^62; a partition key; dynamic fields; and, where the server has it, a
// BINARY_VECTOR collection), seen through the app: the overview, paging to the end, export and
// re-import (compared with what pymilvus reads, by pymilvus), and search (ids and scores as pymilvus
// gets them). pymilvus's side is tests/explorer/pymilvus_rich.py, run with the venv's python.

#include "CollectionDetails.h"
#include "DataTestUtil.h"
#include "EntityExporter.h"
#include "EntityImporter.h"
#include "EntityTableModel.h"
#include "MilvusClient.h"
#include "ServerCapabilities.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace mx {

using test::await;

namespace {

constexpr int kRows = 300; // as many as the script writes
constexpr int kDim = 8;

// The script's own query vectors are not needed: both clients search with these.
QJsonArray floatQueries()
{
    QJsonArray out;
    for (int q = 0; q < 3; ++q) {
        QJsonArray v;
        for (int k = 0; k < kDim; ++k)
            v.append(double(float((q * 31 + k * 17) % 23 - 11) / 8.0f));
        out.append(v);
    }
    return out;
}

QJsonArray binaryQueries()
{
    QJsonArray out;
    for (int q = 0; q < 3; ++q) {
        QJsonArray v;
        for (int k = 0; k < 8; ++k)
            v.append((q * 53 + k * 29 + 7) % 256);
        out.append(v);
    }
    return out;
}

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

int columnOf(const EntityTableModel &model, const QString &name)
{
    for (int c = 0; c < model.columnCount(); ++c)
        if (model.headerData(c, Qt::Horizontal, EntityTableModel::FieldNameRole).toString() == name)
            return c;
    return -1;
}

// Hits of one query as (id, score), compared tie-aware: scores rank by rank within 1e-6, and the ids of
// each run of equal scores the same set (the server may order equal scores either way), but for the
// last run, which the limit may cut anywhere.
QString compareHits(const QList<QPair<QString, double>> &ours, const QList<QPair<QString, double>> &theirs)
{
    if (ours.size() != theirs.size())
        return QStringLiteral("%1 hits, pymilvus %2").arg(ours.size()).arg(theirs.size());
    for (int i = 0; i < ours.size(); ++i)
        if (std::abs(ours[i].second - theirs[i].second) > 1e-6)
            return QStringLiteral("rank %1: score %2, pymilvus %3")
                .arg(i)
                .arg(ours[i].second, 0, 'g', 12)
                .arg(theirs[i].second, 0, 'g', 12);
    for (int start = 0; start < ours.size();) {
        int end = start;
        while (end < ours.size() && std::abs(theirs[end].second - theirs[start].second) <= 1e-6)
            ++end;
        if (end < ours.size()) { // a complete run of equal scores
            QStringList a, b;
            for (int i = start; i < end; ++i) {
                a << ours[i].first;
                b << theirs[i].first;
            }
            a.sort();
            b.sort();
            if (a != b)
                return QStringLiteral("ranks %1-%2: ids %3, pymilvus %4")
                    .arg(start)
                    .arg(end - 1)
                    .arg(a.join(','), b.join(','));
        }
        start = end;
    }
    return {};
}

} // namespace

class TestPymilvusSchema : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    ServerCapabilities m_caps;
    QTemporaryDir m_dir;
    QString m_name;
    QStringList m_keys;             // sorted, as pymilvus made them
    QHash<QString, QString> m_i64s; // key -> i64 as decimal text

    bool binary() const { return m_caps.has(ServerCapabilities::Feature::BinaryVectors); }

    // Runs the script; its stdout parsed as JSON. Fails the test on any error.
    QJsonDocument python(const QStringList &args, const QByteArray &input = {})
    {
        const QString venv = qEnvironmentVariable("MILVUS_EXPLORER_VENV");
        if (venv.isEmpty())
            qFatal("MILVUS_EXPLORER_VENV is not set (the venv with pymilvus)");
        const QString token = m_server.token().isEmpty() ? QStringLiteral("-") : m_server.token();
        QProcess p;
        p.start(venv + QStringLiteral("/bin/python"),
                QStringList{QStringLiteral(MX_SOURCE_DIR "/tests/explorer/pymilvus_rich.py"), args.first(),
                            m_server.uri(), token} +
                    args.mid(1));
        if (!p.waitForStarted(10000))
            qFatal("python did not start: %s", qPrintable(p.errorString()));
        p.write(input);
        p.closeWriteChannel();
        if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 180000) ||
            p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            p.kill();
            p.waitForFinished(5000);
            qFatal("pymilvus_rich.py %s failed:\n%s", qPrintable(args.join(' ')),
                   p.readAllStandardError().constData());
        }
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(p.readAllStandardOutput(), &error);
        if (error.error != QJsonParseError::NoError)
            qFatal("pymilvus_rich.py %s printed no JSON: %s", qPrintable(args.join(' ')),
                   qPrintable(error.errorString()));
        return doc;
    }

    // pymilvus's verdict on two collections, or on a collection and an exported file.
    void expectSame(const QString &command, const QString &name, const QString &other)
    {
        const QJsonObject verdict = python({command, name, other}).object();
        QStringList diffs;
        for (const auto &d : verdict.value(QStringLiteral("diffs")).toArray())
            diffs << d.toString();
        QVERIFY2(diffs.isEmpty(), qPrintable(diffs.join('\n')));
        QCOMPARE(verdict.value(QStringLiteral("rows")).toInt(), kRows);
    }

    ExportResult exportTo(const QString &collection, const QString &file)
    {
        ExportOptions eo;
        eo.collection = collection;
        eo.path = m_dir.filePath(file);
        eo.batchSize = 64; // several pages
        EntityExporter exporter(m_client, eo);
        return await(exporter.start());
    }

    ImportResult importInto(const QString &collection, const QString &file)
    {
        ImportOptions io;
        io.path = m_dir.filePath(file);
        io.collection = collection;
        EntityImporter importer(m_client, io);
        return await(importer.start());
    }

    void compareSearch(const QString &collection, const QString &field, const QString &metric,
                       const QJsonArray &queries, const QString &filter)
    {
        const QJsonObject spec{{"vectors", queries}, {"limit", 10}, {"filter", filter}};
        const QJsonArray theirs =
            python({QStringLiteral("search"), collection, field, metric}, QJsonDocument(spec).toJson())
                .array();
        QCOMPARE(theirs.size(), queries.size());

        SearchRequest r;
        r.collection = collection;
        r.annsField = field;
        r.topK = 10;
        r.filter = filter;
        r.outputFields = {QStringLiteral("i64")};
        if (metric == QLatin1String("HAMMING")) {
            r.binaryVectors.dim = 64;
            r.outputFields = {QStringLiteral("label")};
            for (const auto &q : queries)
                for (const auto &b : q.toArray())
                    r.binaryVectors.bytes.append(char(b.toInt()));
        } else {
            r.vectors.dim = kDim;
            for (const auto &q : queries)
                for (const auto &v : q.toArray())
                    r.vectors.values.append(float(v.toDouble()));
        }
        const SearchResults ours = m_client->search(r);
        QCOMPARE(ours.queries.size(), queries.size());
        int hits = 0;
        for (int q = 0; q < queries.size(); ++q) {
            QList<QPair<QString, double>> a, b;
            for (const SearchHit &h : ours.queries.at(q))
                a.append({h.id.toString(), double(h.score)});
            for (const auto &h : theirs.at(q).toArray())
                b.append({h[QStringLiteral("id")].toString(), h[QStringLiteral("distance")].toDouble()});
            hits += a.size();
            const QString diff = compareHits(a, b);
            QVERIFY2(diff.isEmpty(), qPrintable(QStringLiteral("query %1: %2").arg(q).arg(diff)));
        }
        QVERIFY2(hits > 0, "the searches found nothing: the comparison would mean nothing");
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        m_caps = ServerCapabilities::fromVersion(m_client->getVersion());
        m_name = test::uniqueName(QStringLiteral("pymilvus_rich"));
        const QJsonObject made = python({QStringLiteral("create"), m_name, QString::number(kRows),
                                         binary() ? QStringLiteral("1") : QStringLiteral("0")})
                                     .object();
        for (const auto &k : made.value(QStringLiteral("keys")).toArray())
            m_keys << k.toString();
        const QJsonObject i64s = made.value(QStringLiteral("i64")).toObject();
        for (auto it = i64s.begin(); it != i64s.end(); ++it)
            m_i64s.insert(it.key(), it.value().toString());
        QCOMPARE(m_keys.size(), kRows);
    }

    void overview()
    {
        CollectionDetails details(m_client, {}, m_name);
        details.setCapabilities(m_caps);
        details.refresh();
        QVERIFY(QTest::qWaitFor([&] { return !details.isBusy(); }, 60000));
        QVERIFY2(details.errors().isEmpty(), qPrintable(details.errors().join('\n')));
        QVERIFY(details.description().has_value());
        const CollectionSchema &schema = details.description()->schema;
        QVERIFY(schema.enableDynamicField);
        const QList<QPair<QString, DataType>> expected{
            {"pk", DataType::VarChar},     {"i8", DataType::Int8},    {"i16", DataType::Int16},
            {"i32", DataType::Int32},      {"i64", DataType::Int64},  {"flag", DataType::Bool},
            {"f", DataType::Float},        {"d", DataType::Double},   {"doc", DataType::Json},
            {"tags", DataType::Array},     {"nums", DataType::Array}, {"cat", DataType::VarChar},
            {"vec", DataType::FloatVector}};
        QList<QPair<QString, DataType>> fields;
        for (const FieldSchema &f : schema.fields)
            if (!f.isDynamic)
                fields.append({f.name, f.type});
        QCOMPARE(fields, expected);
        QVERIFY(schema.primaryField() && schema.primaryField()->name == QLatin1String("pk"));
        QVERIFY(schema.field(QStringLiteral("cat"))->isPartitionKey);
        QCOMPARE(schema.field(QStringLiteral("tags"))->elementType, DataType::VarChar);
        QCOMPARE(schema.field(QStringLiteral("nums"))->elementType, DataType::Int64);
        QCOMPARE(details.rows().rows, qint64(kRows));
        QVERIFY(details.rows().exact);
        QCOMPARE(details.loadState(), std::optional<LoadState>(LoadState::Loaded));
        QCOMPARE(details.indexes().size(), 1);
        QCOMPARE(details.indexes().first().fieldName, QStringLiteral("vec"));
        QCOMPARE(details.indexes().first().metricType(), QStringLiteral("IP"));
        // A partition-key collection: the server made the partitions, and cannot count one by name (the
        // full server refuses, Milvus Lite would count the whole collection): each partition shows its
        // statistics figure, labelled so.
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const auto &p : details.partitions())
                    if (p.rows.rows < 0)
                        return false;
                return !details.partitions().isEmpty();
            },
            30000));
        QVERIFY2(details.partitions().size() > 1, qPrintable(QString::number(details.partitions().size())));
        for (const auto &p : details.partitions()) {
            QVERIFY(!p.rows.exact);
            QCOMPARE(p.rows.basis, RowCount::Basis::PartitionKey);
            QVERIFY(p.rows.display().startsWith(QStringLiteral("≈")));
            QVERIFY(p.rows.note().contains(QStringLiteral("partition key")));
        }
        // After a flush the statistics hold every row, spread over the partitions.
        m_client->flush({{m_name}});
        details.refresh();
        QVERIFY(QTest::qWaitFor([&] { return !details.isBusy(); }, 60000));
        QVERIFY2(details.errors().isEmpty(), qPrintable(details.errors().join('\n')));
        qint64 sum = 0;
        int holding = 0;
        for (const auto &p : details.partitions()) {
            sum += p.rows.rows;
            holding += p.rows.rows > 0;
        }
        QCOMPARE(sum, qint64(kRows));
        QVERIFY2(holding > 1, "the rows should be spread over several partitions");
    }

    void pagesToTheEnd()
    {
        EntityTableModel model;
        model.setClient(m_client);
        model.setPageSize(37); // pages that end anywhere, awkward keys among them
        model.setCollection(m_name);
        QVERIFY(fetchToEnd(model));
        QVERIFY2(model.state() == EntityTableModel::State::Ready, qPrintable(model.errorText()));
        QVERIFY(QTest::qWaitFor([&] { return model.totalCount() >= 0; }, 30000));
        QCOMPARE(model.totalCount(), qint64(kRows));
        QCOMPARE(model.rowCount(), kRows);
        QStringList keys;
        for (int r = 0; r < model.rowCount(); ++r)
            keys << model.index(r, 0).data(EntityTableModel::PrimaryKeyRole).toString();
        QCOMPARE(keys, m_keys); // every key once, in the server's order, awkward ones exactly
        const int i64 = columnOf(model, QStringLiteral("i64"));
        const int doc = columnOf(model, QStringLiteral("doc"));
        QVERIFY(i64 > 0 && doc > 0);
        QVERIFY2(columnOf(model, QStringLiteral("extra")) > 0, "dynamic key 'extra' has no column");
        QVERIFY2(columnOf(model, QStringLiteral("note")) > 0, "dynamic key 'note' has no column");
        for (int r = 0; r < model.rowCount(); ++r) {
            const QString key = keys.at(r);
            QCOMPARE(model.index(r, i64).data(EntityTableModel::FullValueRole).toString(), m_i64s.value(key));
        }
        // Big integers inside JSON are shown as the server sent them, not rounded through a double.
        const int first = keys.indexOf(QStringLiteral("k00010"));
        QVERIFY(first >= 0);
        QVERIFY2(model.index(first, doc)
                     .data(Qt::DisplayRole)
                     .toString()
                     .contains(QStringLiteral("9007199254741003")),
                 qPrintable(model.index(first, doc).data(Qt::DisplayRole).toString()));
    }

    void exportAndReimport_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("json") << QStringLiteral("rich.json");
        QTest::newRow("csv") << QStringLiteral("rich.csv");
    }

    void exportAndReimport()
    {
        QFETCH(QString, file);
        const ExportResult exported = exportTo(m_name, file);
        QCOMPARE(exported.rows, qint64(kRows));
        QCOMPARE(exported.total, qint64(kRows));
        if (file.endsWith(QLatin1String(".json"))) // pymilvus reads the app's JSON itself
            expectSame(QStringLiteral("compare-file"), m_name, exported.path);
        const QString copy = test::createLike(*m_client, QStringLiteral("rich_copy"),
                                              m_client->describeCollection({m_name}).schema);
        const ImportResult imported = importInto(copy, file);
        QCOMPARE(imported.inserted, qint64(kRows));
        QCOMPARE(imported.skipped, qint64(0));
        QVERIFY2(imported.ignoredColumns.isEmpty(), qPrintable(imported.ignoredColumns.join(',')));
        expectSame(QStringLiteral("compare"), m_name, copy); // every field, as pymilvus reads both
    }

    void searchAsPymilvus()
    {
        compareSearch(m_name, QStringLiteral("vec"), QStringLiteral("IP"), floatQueries(), {});
        compareSearch(m_name, QStringLiteral("vec"), QStringLiteral("IP"), floatQueries(),
                      QStringLiteral(R"(flag == true and cat in ["cat_0", "cat_2"] and i64 > 0)"));
    }

    void binaryVectors()
    {
        if (!binary()) {
            // Milvus Lite has no BINARY_VECTOR: the app knows, and says why, and the server refuses one.
            QVERIFY(!m_caps.typeUnsupportedReason(DataType::BinaryVector).isEmpty());
            CollectionSchema s;
            FieldSchema id = test::makeField(QStringLiteral("id"), DataType::Int64);
            id.isPrimaryKey = true;
            s.fields = {id, test::makeField(QStringLiteral("bits"), DataType::BinaryVector,
                                            {{QStringLiteral("dim"), QStringLiteral("64")}})};
            const MilvusError e = test::expectError([&] {
                m_client->createCollection({test::uniqueName(QStringLiteral("bin")), s});
            });
            QVERIFY2(e.milvusCode != -999999, "Milvus Lite took a BINARY_VECTOR collection");
            return;
        }
        const QString bin = m_name + QStringLiteral("_bin");
        QCOMPARE(test::readAll(*m_client, bin).size(), kRows);
        const ExportResult exported = exportTo(bin, QStringLiteral("bin.json"));
        QCOMPARE(exported.rows, qint64(kRows));
        expectSame(QStringLiteral("compare-file"), bin, exported.path);
        const QString copy = test::createLike(*m_client, QStringLiteral("bin_copy"),
                                              m_client->describeCollection({bin}).schema);
        CreateIndexRequest index;
        index.collection = copy;
        index.fieldName = QStringLiteral("bits");
        index.indexType = QStringLiteral("BIN_FLAT");
        index.metricType = QStringLiteral("HAMMING");
        m_client->createIndex(index);
        test::loadAndWait(*m_client, copy);
        QCOMPARE(importInto(copy, QStringLiteral("bin.json")).inserted, qint64(kRows));
        expectSame(QStringLiteral("compare"), bin, copy);
        compareSearch(bin, QStringLiteral("bits"), QStringLiteral("HAMMING"), binaryQueries(), {});
    }
};

} // namespace mx

QTEST_MAIN(mx::TestPymilvusSchema)
#include "tst_pymilvusschema.moc"
