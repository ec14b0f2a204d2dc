// Export, import, sample data and delete by expression against a real Milvus Lite: a round trip of
// every field type through CSV and JSON, bad files that must insert nothing, continue-past-errors,
// cancellation, generated data for several schemas.

#include "DataTestUtil.h"
#include "DeleteByExpression.h"
#include "EntityCount.h"
#include "EntityExporter.h"
#include "EntityImporter.h"
#include "MilvusClient.h"
#include "OutputSelection.h"
#include "PkCursor.h"
#include "SampleDataGenerator.h"
#include "ServerCapabilities.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTemporaryDir>

Q_DECLARE_METATYPE(mx::CollectionSchema)

namespace mx {

using test::await;
using test::createLike;
using test::makeField;
using test::readAll;

namespace {

constexpr int kDim = 8;

// Every type the data services carry that the server has (nullable fields and a second, sparse vector
// field where it has them), and the dynamic field.
CollectionSchema allTypesSchema(const ServerCapabilities &caps)
{
    const auto len = [](int n) {
        return QMap<QString, QString>{{QStringLiteral("max_length"), QString::number(n)}};
    };
    const auto cap = [](int n, int maxLength = 0) {
        QMap<QString, QString> p{{QStringLiteral("max_capacity"), QString::number(n)}};
        if (maxLength)
            p.insert(QStringLiteral("max_length"), QString::number(maxLength));
        return p;
    };
    CollectionSchema s;
    s.enableDynamicField = true;
    FieldSchema id = makeField(QStringLiteral("id"), DataType::Int64);
    id.isPrimaryKey = true;
    FieldSchema maybe = makeField(QStringLiteral("maybe"), DataType::Int32);
    maybe.nullable = true;
    FieldSchema note = makeField(QStringLiteral("note"), DataType::VarChar, len(20));
    note.nullable = true;
    s.fields = {id,
                makeField(QStringLiteral("b"), DataType::Bool),
                makeField(QStringLiteral("i8"), DataType::Int8),
                makeField(QStringLiteral("i16"), DataType::Int16),
                makeField(QStringLiteral("i32"), DataType::Int32),
                makeField(QStringLiteral("f"), DataType::Float),
                makeField(QStringLiteral("d"), DataType::Double),
                makeField(QStringLiteral("s"), DataType::VarChar, len(32)),
                makeField(QStringLiteral("j"), DataType::Json),
                makeField(QStringLiteral("ai"), DataType::Array, cap(8), DataType::Int64),
                makeField(QStringLiteral("as"), DataType::Array, cap(4, 16), DataType::VarChar),
                makeField(QStringLiteral("af"), DataType::Array, cap(4), DataType::Float),
                makeField(QStringLiteral("ab"), DataType::Array, cap(4), DataType::Bool),
                makeField(QStringLiteral("vec"), DataType::FloatVector,
                          {{QStringLiteral("dim"), QString::number(kDim)}})};
    if (caps.has(ServerCapabilities::Feature::NullableAndDefault))
        s.fields << maybe << note;
    if (caps.has(ServerCapabilities::Feature::SparseVectors) &&
        caps.has(ServerCapabilities::Feature::MultipleVectorFields))
        s.fields << makeField(QStringLiteral("sparse"), DataType::SparseFloatVector);
    return s;
}

QString vectorText(qint64 id, int dim)
{
    QStringList parts;
    for (float v : test::vectorFor(id, dim))
        parts.append(QString::number(v, 'g', 9));
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

// A richSchema(kDim) file with n rows; `override(row, column)` may replace a cell (1-based rows).
using Override = std::function<std::optional<QString>(int row, const QString &column)>;
void writeRichFile(const QString &path, int n, bool json, const Override &override = {})
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QStringList columns{"id", "vec", "title", "score", "meta", "tags"};
    if (!json)
        file.write("id,vec,title,score,meta,tags\n");
    for (int row = 1; row <= n; ++row) {
        const qint64 id = row - 1;
        QStringList cells{QString::number(id),
                          vectorText(id, kDim),
                          QStringLiteral("document %1").arg(id),
                          QString::number(double(id % 100) / 10.0),
                          QStringLiteral(R"({"category":"cat_%1"})").arg(id % 5),
                          QStringLiteral("[%1]").arg(id % 3)};
        for (int c = 0; c < columns.size(); ++c)
            if (override)
                if (const auto v = override(row, columns.at(c)))
                    cells[c] = *v;
        QByteArray line;
        if (json) {
            line = QStringLiteral(R"({"id":%1,"vec":%2,"title":"%3","score":%4,"meta":%5,"tags":%6})")
                       .arg(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5])
                       .toUtf8();
        } else {
            for (QString &cell : cells)
                if (cell.contains(QLatin1Char(',')) || cell.contains(QLatin1Char('"')))
                    cell = QLatin1Char('"') + cell.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                           QLatin1Char('"');
            line = cells.join(QLatin1Char(',')).toUtf8();
        }
        file.write(line + '\n');
    }
}

} // namespace

class TestDataServices : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    QTemporaryDir m_dir;
    QString m_all; // allTypesSchema() filled by the sample data generator
    ServerCapabilities m_caps;
    static constexpr int kAllRows = 2500;

    QString path(const QString &name) const { return m_dir.filePath(name); }
    qint64 count(const QString &collection) { return countEntities(*m_client, collection, {}); }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        m_caps = ServerCapabilities::fromVersion(m_client->getVersion());
        m_all = test::uniqueName(QStringLiteral("all"));
        m_client->createCollection({m_all, allTypesSchema(m_caps)});
        test::indexAndLoad(*m_client, m_all);
        GenerateOptions o;
        o.collection = m_all;
        o.rows = kAllRows;
        o.firstKey = -1000; // negative keys too
        o.nullPercent = 20;
        SampleDataGenerator generator(m_client, o);
        const QFuture<GenerateResult> future = generator.start();
        const GenerateResult result = await(future);
        QCOMPARE(result.inserted, qint64(kAllRows));
        QCOMPARE(future.progressValue(), kAllRows);
        QCOMPARE(count(m_all), qint64(kAllRows));
    }

    void exportAndReimport_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("csv") << QStringLiteral("all.csv");
        QTest::newRow("json") << QStringLiteral("all.json");
    }

    void exportAndReimport()
    {
        QFETCH(QString, file);
        ExportOptions eo;
        eo.collection = m_all;
        eo.path = path(file);
        eo.batchSize = 700;
        EntityExporter exporter(m_client, eo);
        QFutureWatcher<ExportResult> watcher;
        QSignalSpy progress(&watcher, &QFutureWatcherBase::progressValueChanged);
        watcher.setFuture(exporter.start());
        const ExportResult exported = await(watcher.future());
        QCOMPARE(exported.rows, qint64(kAllRows));
        QCOMPARE(exported.total, qint64(kAllRows));
        QCOMPARE(watcher.progressMaximum(), kAllRows);
        QCOMPARE(watcher.progressValue(), kAllRows);
        QVERIFY(progress.count() >= 1);

        const QList<QVariantMap> original = readAll(*m_client, m_all);
        QCOMPARE(original.size(), kAllRows);
        // The comparison below only means something if every field and some NULLs are there.
        int nulls = 0;
        for (const auto &row : original) {
            for (const auto &f : allTypesSchema(m_caps).fields)
                QVERIFY2(row.contains(f.name), qPrintable(f.name));
            QVERIFY(row.contains(QStringLiteral("color")));
            nulls +=
                !row.value(QStringLiteral("maybe")).isValid() + !row.value(QStringLiteral("note")).isValid();
        }
        if (m_caps.has(ServerCapabilities::Feature::NullableAndDefault))
            QVERIFY2(nulls > kAllRows / 5, qPrintable(QString::number(nulls)));
        const QString copy =
            createLike(*m_client, QStringLiteral("copy"), m_client->describeCollection({m_all}).schema);
        ImportOptions io;
        io.path = eo.path;
        io.collection = copy;
        EntityImporter importer(m_client, io);
        const ImportResult imported = await(importer.start());
        QCOMPARE(imported.inserted, qint64(kAllRows));
        QCOMPARE(imported.skipped, qint64(0));
        QVERIFY2(imported.ignoredColumns.isEmpty(), qPrintable(imported.ignoredColumns.join(',')));

        const QList<QVariantMap> reread = readAll(*m_client, copy);
        QCOMPARE(reread.size(), original.size());
        for (int i = 0; i < original.size(); ++i)
            QCOMPARE(reread.at(i), original.at(i)); // every field, NULLs, vectors bit for bit, dynamic keys
    }

    void exportFilteredAndChosenFields()
    {
        const QString filter = QStringLiteral("i32 > 0 and b == true");
        ExportOptions eo;
        eo.collection = m_all;
        eo.filter = filter;
        eo.outputFields = {QStringLiteral("s"), QStringLiteral("vec")};
        eo.path = path(QStringLiteral("filtered.csv"));
        EntityExporter exporter(m_client, eo);
        const ExportResult r = await(exporter.start());
        QCOMPARE(r.rows, countEntities(*m_client, m_all, filter));
        QVERIFY(r.rows > 0 && r.rows < kAllRows);
        QFile f(eo.path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readLine().trimmed(), QByteArray("id,s,vec"));
        int lines = 0;
        while (!f.readLine().isEmpty())
            ++lines;
        QCOMPARE(lines, int(r.rows)); // s holds no line breaks: one line per row
    }

    void exportErrors()
    {
        ExportOptions eo;
        eo.collection = m_all;
        eo.filter = QStringLiteral("i32 >>> 1");
        eo.path = path(QStringLiteral("never.json"));
        EntityExporter bad(m_client, eo);
        const MilvusError e = test::expectError([&] { await(bad.start()); });
        QCOMPARE(e.kind, ErrorKind::Milvus);
        QVERIFY(!QFile::exists(eo.path));

        eo.filter.clear();
        eo.batchSize = 100;
        EntityExporter cancelled(m_client, eo);
        QFutureWatcher<ExportResult> watcher;
        connect(&watcher, &QFutureWatcherBase::progressValueChanged, this, [&](int value) {
            if (value > 0)
                cancelled.cancel();
        });
        watcher.setFuture(cancelled.start());
        const MilvusError c = test::expectError([&] { await(watcher.future()); });
        QCOMPARE(c.kind, ErrorKind::Cancelled);
        QVERIFY2(c.reason.contains(QLatin1String("no file written")), qPrintable(c.reason));
        QVERIFY(!QFile::exists(eo.path)); // no partial file
    }

    void badInputInsertsNothing_data()
    {
        QTest::addColumn<bool>("json");
        QTest::addColumn<int>("badRow");
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        const QString shortVector = QStringLiteral("[1,2,3,4,5,6,7]");
        for (bool json : {false, true}) {
            const char *kind = json ? "json" : "csv";
            QTest::addRow("%s wrong dimension", kind)
                << json << 3 << "vec" << shortVector
                << "row 3, field 'vec': the vector has 7 dimensions, the field has 8";
            QTest::addRow("%s text in int64", kind) << json << 2 << "id" << (json ? "\"abc\"" : "abc")
                                                    << "row 2, field 'id': 'abc' is not an INT64";
        }
    }

    void badInputInsertsNothing()
    {
        QFETCH(bool, json);
        QFETCH(int, badRow);
        QFETCH(QString, column);
        QFETCH(QString, value);
        QFETCH(QString, message);
        const QString file =
            path(QStringLiteral("bad_%1.%2").arg(QTest::currentDataTag()).arg(json ? "json" : "csv"));
        writeRichFile(file, 50, json, [&](int row, const QString &c) -> std::optional<QString> {
            return row == badRow && c == column ? std::optional<QString>(value) : std::nullopt;
        });
        const QString target = createLike(*m_client, QStringLiteral("bad"), test::richSchema(kDim));
        ImportOptions io;
        io.path = file;
        io.collection = target;
        io.batchSize = 10; // the bad row is not in the first batch: still nothing may be inserted
        EntityImporter importer(m_client, io);
        const MilvusError e = test::expectError([&] { await(importer.start()); });
        QCOMPARE(e.kind, ErrorKind::InvalidArgument);
        QVERIFY2(e.reason.startsWith(message), qPrintable(e.reason));
        QVERIFY2(e.reason.endsWith(QLatin1String("nothing was inserted")), qPrintable(e.reason));
        QCOMPARE(count(target), qint64(0));
    }

    void largeFileWithBadLastRow()
    {
        constexpr int kRows = 20000;
        const QString file = path(QStringLiteral("large_bad_last.csv"));
        writeRichFile(file, kRows, false, [](int row, const QString &c) -> std::optional<QString> {
            return row == kRows && c == QLatin1String("score")
                       ? std::optional<QString>(QStringLiteral("oops"))
                       : std::nullopt;
        });
        const QString target = createLike(*m_client, QStringLiteral("large"), test::richSchema(kDim));
        ImportOptions io;
        io.path = file;
        io.collection = target;
        {
            EntityImporter importer(m_client, io);
            const MilvusError e = test::expectError([&] { await(importer.start(), 120000); });
            QCOMPARE(e.reason, QStringLiteral(
                                   "row 20000, field 'score': 'oops' is not a DOUBLE; nothing was inserted"));
            QCOMPARE(count(target), qint64(0));
        }
        io.continuePastErrors = true;
        EntityImporter importer(m_client, io);
        const ImportResult r = await(importer.start(), 120000);
        QCOMPARE(r.inserted, qint64(kRows - 1));
        QCOMPARE(r.skipped, qint64(1));
        QCOMPARE(r.rowsRead, qint64(kRows));
        QCOMPARE(r.errors.size(), 1);
        QCOMPARE(r.errors.first().row, qint64(kRows));
        QCOMPARE(r.errors.first().field, QStringLiteral("score"));
        QCOMPARE(count(target), qint64(kRows - 1));
    }

    void cancelMidImportStopsPromptly()
    {
        constexpr int kRows = 20000;
        const QString file = path(QStringLiteral("large_good.json"));
        writeRichFile(file, kRows, true);
        const QString target = createLike(*m_client, QStringLiteral("cancel"), test::richSchema(kDim));
        ImportOptions io;
        io.path = file;
        io.collection = target;
        io.batchSize = 500;
        EntityImporter importer(m_client, io);
        QFutureWatcher<ImportResult> watcher;
        QElapsedTimer sinceCancel;
        connect(&watcher, &QFutureWatcherBase::progressValueChanged, this, [&](int value) {
            if (value > 500 && !sinceCancel.isValid()) { // inserting (the check pass is 0..500)
                sinceCancel.start();
                importer.cancel();
            }
        });
        watcher.setFuture(importer.start());
        const MilvusError e = test::expectError([&] { await(watcher.future(), 120000); });
        QVERIFY(sinceCancel.isValid());
        const qint64 stoppedAfter = sinceCancel.elapsed();
        QCOMPARE(e.kind, ErrorKind::Cancelled);
        QVERIFY2(e.reason.contains(QLatin1String("rows were inserted")), qPrintable(e.reason));
        QVERIFY2(stoppedAfter < 2000, qPrintable(QString::number(stoppedAfter)));
        const qint64 inserted = count(target);
        QVERIFY2(inserted > 0 && inserted < kRows, qPrintable(QString::number(inserted)));
        QCOMPARE(inserted % 500, qint64(0)); // whole batches only
    }

    void columnMapping()
    {
        QFile f(path(QStringLiteral("mapped.csv")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("key,embedding,name,rating,extra,colour\n");
        for (int i = 0; i < 5; ++i)
            f.write(
                QStringLiteral("%1,\"%2\",n%1,%1.5,skip me,red\n").arg(i).arg(vectorText(i, kDim)).toUtf8());
        f.close();
        const QString target = createLike(*m_client, QStringLiteral("mapped"), test::richSchema(kDim));
        ImportOptions io;
        io.path = f.fileName();
        io.collection = target;
        io.columnMapping = {
            {"key", "id"}, {"embedding", "vec"}, {"name", "title"}, {"rating", "score"}, {"extra", ""}};
        // meta and tags have no column and are not nullable: refused before any row is read.
        EntityImporter refused(m_client, io);
        const MilvusError e = test::expectError([&] { await(refused.start()); });
        QVERIFY2(e.reason.contains(QLatin1String("no column for field 'meta'")), qPrintable(e.reason));

        if (!m_caps.has(ServerCapabilities::Feature::NullableAndDefault))
            return; // the rest needs nullable fields, which this server lacks (the refusal above holds)
        CollectionSchema schema = test::richSchema(kDim);
        schema.fields[4].nullable = true; // meta
        schema.fields[5].nullable = true; // tags
        const QString lenient = createLike(*m_client, QStringLiteral("mapped"), schema);
        io.collection = lenient;
        EntityImporter importer(m_client, io);
        const ImportResult r = await(importer.start());
        QCOMPARE(r.inserted, qint64(5));
        QCOMPARE(r.ignoredColumns, QStringList{QStringLiteral("extra")});
        const QList<QVariantMap> rows = readAll(*m_client, lenient);
        QCOMPARE(rows.at(2).value(QStringLiteral("title")).toString(), QStringLiteral("n2"));
        QCOMPARE(rows.at(2).value(QStringLiteral("score")).toDouble(), 2.5);
        QCOMPARE(rows.at(2).value(QStringLiteral("colour")).toString(), QStringLiteral("red")); // dynamic key
        QVERIFY(!rows.at(2).value(QStringLiteral("meta")).isValid());                           // NULL
    }

    void sampleData_data()
    {
        QTest::addColumn<CollectionSchema>("schema");
        QTest::newRow("richSchema") << test::richSchema(16);
        CollectionSchema varchar;
        FieldSchema key =
            makeField(QStringLiteral("key"), DataType::VarChar, {{QStringLiteral("max_length"), "14"}});
        key.isPrimaryKey = true;
        FieldSchema tiny =
            makeField(QStringLiteral("tiny"), DataType::VarChar, {{QStringLiteral("max_length"), "3"}});
        FieldSchema maybe = makeField(QStringLiteral("maybe"), DataType::Double);
        maybe.nullable = m_caps.has(ServerCapabilities::Feature::NullableAndDefault);
        varchar.fields = {
            key, tiny, maybe,
            makeField(QStringLiteral("v"), DataType::FloatVector, {{QStringLiteral("dim"), "3"}})};
        QTest::newRow("varchar key") << varchar;
        CollectionSchema autoId = test::richSchema(4);
        autoId.fields[0].autoId = true;
        autoId.enableDynamicField = false;
        QTest::newRow("auto_id") << autoId;
    }

    void sampleData()
    {
        QFETCH(CollectionSchema, schema);
        const QString name = createLike(*m_client, QStringLiteral("sample"), schema);
        GenerateOptions o;
        o.collection = name;
        o.rows = 2345;
        o.batchSize = 1000;
        o.nullPercent = 30;
        SampleDataGenerator generator(m_client, o);
        QCOMPARE(await(generator.start()).inserted, qint64(2345));
        QCOMPARE(count(name), qint64(2345));
        const QList<QVariantMap> rows = readAll(*m_client, name);
        QCOMPARE(rows.size(), 2345); // distinct keys
        int nulls = 0;
        for (const auto &row : rows) {
            for (const auto &f : schema.fields) {
                const QVariant v = row.value(f.name);
                if (f.type == DataType::VarChar && v.isValid())
                    QVERIFY(v.toString().toUtf8().size() <= f.maxLength());
                if (f.nullable && !v.isValid())
                    ++nulls;
            }
            if (schema.enableDynamicField)
                QVERIFY(row.contains(QStringLiteral("color")));
        }
        if (schema.fields.size() > 2 && schema.fields.at(2).nullable)
            QVERIFY2(nulls > 400 && nulls < 1000, qPrintable(QString::number(nulls)));
    }

    void deleteByExpression()
    {
        const QString name = test::createLoadedCollection(*m_client, QStringLiteral("del"), 4, 300);
        DeleteByExpression del(m_client, name, QStringLiteral("id >= 100 and score > 5.0"));
        const qint64 preview = await(del.preview());
        QCOMPARE(preview, qint64(98)); // ids 100..299 with id % 100 in 51..99
        QCOMPARE(await(del.execute()), preview);
        QCOMPARE(count(name), qint64(300 - 98));
        QCOMPARE(countEntities(*m_client, name, del.filter()), qint64(0));

        DeleteByExpression everything(m_client, name, QStringLiteral("  "));
        QCOMPARE(test::expectError([&] { await(everything.preview()); }).kind, ErrorKind::InvalidArgument);
        QCOMPARE(test::expectError([&] { await(everything.execute()); }).kind, ErrorKind::InvalidArgument);
        QCOMPARE(count(name), qint64(300 - 98));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestDataServices)
#include "tst_dataservices.moc"
