// The workbench's widget-free pieces: the spec's JSON round trip (what history stores), the result model
// under QAbstractItemModelTester, CSV/JSON export, and the history store's limits and ordering on a
// temporary QSettings. Query input parsing is the search service's (tests/search/tst_queryinputs).

#include "MilvusError.h"
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
