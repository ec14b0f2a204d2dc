// The workbench's widget-free pieces: query input parsing, the spec's JSON round trip (what history
// stores), the result model under QAbstractItemModelTester, CSV/JSON export, and the history store's
// limits and ordering on a temporary QSettings.

#include "MilvusError.h"
#include "QueryInputs.h"
#include "SearchHistoryStore.h"
#include "SearchResultExporter.h"
#include "SearchResultModel.h"
#include "SearchSpec.h"
#include "TestSupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>

namespace mx {

namespace {
SearchOutcome sampleOutcome(ResultMode mode)
{
    SearchOutcome o;
    o.spec.collection = QStringLiteral("docs");
    o.spec.resultMode = mode;
    o.metric = QStringLiteral("L2");
    o.primaryField = QStringLiteral("id");
    o.nq = 2;
    o.fieldColumns = {QStringLiteral("title"), QStringLiteral("meta")};
    o.rows = {
        {0,
         1,
         qint64(7),
         0.25,
         1 - 0.25 / 4,
         {{QStringLiteral("title"), QStringLiteral("a, \"quoted\" title")},
          {QStringLiteral("meta"), QVariantMap{{QStringLiteral("k"), 1}}}}},
        {0, 2, qint64(9), 1.5, 1 - 1.5 / 4, {{QStringLiteral("title"), QStringLiteral("second")}}},
        {1, 1, qint64(3), 0.0, 1.0, {{QStringLiteral("title"), QStringLiteral("line\nbreak")}}},
    };
    o.embeddingMs = 1.5;
    o.milvusMs = 4.25;
    o.totalMs = 6.0;
    return o;
}
} // namespace

class TestSearchPieces : public QObject
{
    Q_OBJECT

private slots:
    void parsesVectors_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("nq");
        QTest::addColumn<int>("dim");
        QTest::newRow("one") << "[0.5, -1, 2e-3]" << 1 << 3;
        QTest::newRow("several") << "[[1,2],[3,4],[5,6]]" << 3 << 2;
        QTest::newRow("whitespace") << "\n  [ 1 ]  \n" << 1 << 1;
    }
    void parsesVectors()
    {
        QFETCH(QString, json);
        QFETCH(int, nq);
        QFETCH(int, dim);
        const auto vectors = parseQueryVectors(json);
        QCOMPARE(vectors.size(), nq);
        for (const auto &v : vectors)
            QCOMPARE(v.size(), dim);
    }

    void rejectsBadVectors_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("needle");
        QTest::newRow("empty") << ""
                               << "enter a query vector";
        QTest::newRow("truncated") << "[1, 2,"
                                   << "not valid JSON";
        QTest::newRow("object") << "{\"a\": 1}"
                                << "must be a JSON array";
        QTest::newRow("string component") << "[1, \"x\"]"
                                          << "component 1 is not a number";
        QTest::newRow("empty vector") << "[]"
                                      << "empty vector";
        QTest::newRow("ragged") << "[[1,2],[3]]"
                                << "query 2 has 1 components but query 1 has 2";
        QTest::newRow("mixed") << "[[1,2], 3]"
                               << "query 2 is not an array";
    }
    void rejectsBadVectors()
    {
        QFETCH(QString, json);
        QFETCH(QString, needle);
        const MilvusError e = test::expectError([&] { parseQueryVectors(json); });
        QCOMPARE(e.kind, ErrorKind::InvalidArgument);
        QVERIFY2(e.reason.contains(needle), qPrintable(e.reason));
    }

    void parsesQueryLines()
    {
        const QByteArray file =
            "\"red apples\"\n\n[1, 2]\n{\"text\": \"pears\"}\n{\"vector\": [3, 4]}\nplain words here\n";
        const auto lines = parseQueryLines(file);
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines.at(0).text, QStringLiteral("red apples"));
        QCOMPARE(lines.at(1).vector, (Embedding{1, 2}));
        QCOMPARE(lines.at(2).text, QStringLiteral("pears"));
        QCOMPARE(lines.at(3).vector, (Embedding{3, 4}));
        QCOMPARE(lines.at(4).text, QStringLiteral("plain words here"));
    }

    void rejectsBadQueryLines_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("needle");
        QTest::newRow("nothing") << QByteArray("\n \n") << "no queries";
        QTest::newRow("broken json on line 2") << QByteArray("\"ok\"\n[1, 2\n") << "line 2 is not valid JSON";
        QTest::newRow("object without text") << QByteArray("{\"q\": 1}") << "line 1: an object needs";
        QTest::newRow("empty text") << QByteArray("\"  \"") << "line 1 is an empty text";
    }
    void rejectsBadQueryLines()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, needle);
        const MilvusError e = test::expectError([&] { parseQueryLines(content); });
        QVERIFY2(e.reason.contains(needle), qPrintable(e.reason));
    }

    void buildsPrimaryKeyFilters()
    {
        QCOMPARE(primaryKeyFilter(QStringLiteral("id"), true, QStringLiteral(" 42 ")),
                 QStringLiteral("id in [42]"));
        QCOMPARE(primaryKeyFilter(QStringLiteral("pk"), false, QStringLiteral("\"a\\\"b\"")),
                 QStringLiteral("pk in [\"a\\\\\\\"b\"]"));
        QCOMPARE(primaryKeysFilter(QStringLiteral("id"), {qint64(1), qint64(2)}),
                 QStringLiteral("id in [1, 2]"));
        QCOMPARE(primaryKeysFilter(QStringLiteral("pk"), {QStringLiteral("x"), QStringLiteral("y\"")}),
                 QStringLiteral("pk in [\"x\", \"y\\\"\"]"));
        const MilvusError e =
            test::expectError([] { primaryKeyFilter(QStringLiteral("id"), true, QStringLiteral("abc")); });
        QVERIFY(e.reason.contains(QStringLiteral("not an integer")));
    }

    void specRoundTripsThroughJson()
    {
        SearchSpec s;
        s.database = QStringLiteral("db1");
        s.collection = QStringLiteral("c");
        s.vectorField = QStringLiteral("vec");
        s.metric = QStringLiteral("IP");
        s.outputFields = {QStringLiteral("a"), QStringLiteral("$meta")};
        s.partitions = {QStringLiteral("p1")};
        s.consistency = ConsistencyLevel::Strong;
        s.topK = 7;
        s.offset = 3;
        s.searchParams = QStringLiteral("{\"ef\": 64}");
        s.filter = QStringLiteral("a > 1");
        s.inputMode = QueryInputMode::File;
        s.queryText = QStringLiteral("t");
        s.vectorJson = QStringLiteral("[1]");
        s.entityId = QStringLiteral("5");
        s.filePath = QStringLiteral("/tmp/q.jsonl");
        s.resultMode = ResultMode::Mmr;
        s.fetchK = 30;
        s.lambdaMult = 0.25;
        QCOMPARE(SearchSpec::fromJson(s.toJson()), s);
        SearchSpec d;
        QCOMPARE(SearchSpec::fromJson(d.toJson()), d);
        QVERIFY(!SearchSpec::fromJson(d.toJson()).consistency);
    }

    void modelShowsScoresOnlyInScoreModes()
    {
        SearchResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setOutcome(sampleOutcome(ResultMode::WithScore));
        QCOMPARE(resets.size(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 7);
        QCOMPARE(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("Distance (L2)"));
        QCOMPARE(model.headerData(4, Qt::Horizontal).toString(), QStringLiteral("Relevance"));
        QCOMPARE(model.fieldColumn(QStringLiteral("meta")), 6);
        QCOMPARE(model.data(model.index(0, 2)).toString(), QStringLiteral("7"));
        QCOMPARE(model.data(model.index(0, 4)).toString(), QStringLiteral("0.9375"));
        QCOMPARE(model.data(model.index(0, 6)).toString(), QStringLiteral("{\"k\":1}"));
        QCOMPARE(model.data(model.index(2, 0)).toInt(), 2);
        QCOMPARE(model.data(model.index(1, 3), SearchResultModel::SortRole).toDouble(), 1.5);

        const quint64 generation = model.generation();
        model.setOutcome(sampleOutcome(ResultMode::Similarity));
        QVERIFY(model.generation() > generation);
        QCOMPARE(model.columnCount(), 5);
        QCOMPARE(model.distanceColumn(), -1);
        QCOMPARE(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("title"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void exportsCsv()
    {
        const QByteArray csv = SearchResultExporter::toCsv(sampleOutcome(ResultMode::WithScore));
        const QList<QByteArray> lines = csv.split('\n');
        QCOMPARE(lines.at(0), QByteArray("query,rank,id,distance,relevance,title,meta\r"));
        QCOMPARE(lines.at(1),
                 QByteArray("1,1,7,0.25,0.9375,\"a, \"\"quoted\"\" title\",\"{\"\"k\"\":1}\"\r"));
        QVERIFY(csv.contains("2,1,3,0,1,\"line\nbreak\","));
        const QByteArray plain = SearchResultExporter::toCsv(sampleOutcome(ResultMode::Similarity));
        QVERIFY(plain.startsWith("query,rank,id,title,meta\r\n1,1,7,"));
    }

    void exportsJson()
    {
        const QJsonObject json = SearchResultExporter::toJson(sampleOutcome(ResultMode::WithScore));
        QCOMPARE(json.value(QLatin1String("collection")).toString(), QStringLiteral("docs"));
        QCOMPARE(json.value(QLatin1String("nq")).toInt(), 2);
        QCOMPARE(
            json.value(QLatin1String("timing_ms")).toObject().value(QLatin1String("embedding")).toDouble(),
            1.5);
        const QJsonArray results = json.value(QLatin1String("results")).toArray();
        QCOMPARE(results.size(), 3);
        const QJsonObject first = results.at(0).toObject();
        QCOMPARE(first.value(QLatin1String("id")).toInteger(), 7);
        QCOMPARE(first.value(QLatin1String("relevance")).toDouble(), 0.9375);
        QCOMPARE(first.value(QLatin1String("fields"))
                     .toObject()
                     .value(QLatin1String("meta"))
                     .toObject()
                     .value(QLatin1String("k"))
                     .toInt(),
                 1);
        QCOMPARE(results.at(2).toObject().value(QLatin1String("query")).toInt(), 2);
    }

    void writesFilesAndReportsFailures()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.json"));
        test::await(SearchResultExporter::write(sampleOutcome(ResultMode::Mmr), path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(
            QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("results")).toArray().size(),
            3);
        const MilvusError e = test::expectError([&] {
            test::await(SearchResultExporter::write(sampleOutcome(ResultMode::Mmr),
                                                    dir.filePath(QStringLiteral("no/such/dir.csv"))));
        });
        QCOMPARE(e.operation, QStringLiteral("Export"));
        QVERIFY(e.reason.contains(QStringLiteral("cannot write")));
    }

    void historyKeepsTheLatestFiftyPerCollection()
    {
        SearchHistoryStore store;
        QSignalSpy changed(&store, &SearchHistoryStore::historyChanged);
        SearchSpec s;
        s.collection = QStringLiteral("c/with/slashes");
        for (int i = 0; i < 60; ++i) {
            s.queryText = QStringLiteral("q%1").arg(i);
            store.addToHistory(s);
        }
        QCOMPARE(changed.size(), 60);
        auto history = store.history({}, s.collection);
        QCOMPARE(history.size(), SearchHistoryStore::MaxHistory);
        QCOMPARE(history.first().queryText, QStringLiteral("q59"));
        QCOMPARE(history.last().queryText, QStringLiteral("q10"));
        s.queryText = QStringLiteral("q30"); // a repeat moves to the top instead of duplicating
        store.addToHistory(s);
        history = store.history({}, s.collection);
        QCOMPARE(history.size(), SearchHistoryStore::MaxHistory);
        QCOMPARE(history.first().queryText, QStringLiteral("q30"));
        QCOMPARE(std::count(history.cbegin(), history.cend(), s), 1);
        QVERIFY(store.history({}, QStringLiteral("other")).isEmpty());
        store.clearHistory({}, s.collection);
        QVERIFY(store.history({}, s.collection).isEmpty());
    }

    void savedSearchesByName()
    {
        SearchHistoryStore store;
        SearchSpec a;
        a.queryText = QStringLiteral("a");
        SearchSpec b;
        b.queryText = QStringLiteral("b");
        store.save(QStringLiteral("zeta"), a);
        store.save(QStringLiteral("alpha"), b);
        store.save(QStringLiteral("zeta"), b); // replaces
        const auto saved = store.saved();
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(0).first, QStringLiteral("alpha"));
        QCOMPARE(saved.at(1).second.queryText, QStringLiteral("b"));
        store.removeSaved(QStringLiteral("alpha"));
        QCOMPARE(store.saved().size(), 1);
    }
};

} // namespace mx

MX_TEST_MAIN_WITH_OWN_SETTINGS(mx::TestSearchPieces, "tst_searchpieces")

#include "tst_searchpieces.moc"
