// 1,000 async searches in flight on one client: all complete, none lost, each identical to the same
// search done blocking.

#include "TestSupport.h"

#include <QElapsedTimer>

namespace mx {

class TestConcurrency : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::unique_ptr<MilvusClient> m_client;
    QString m_collection;
    static constexpr int kDim = 16;
    static constexpr int kRows = 3000;
    static constexpr int kSearches = 1000;

    SearchRequest searchFor(int i) const
    {
        SearchRequest s;
        s.collection = m_collection;
        s.annsField = QStringLiteral("vec");
        s.vectors = FloatVectors{kDim, test::vectorFor(100000 + i, kDim)};
        s.topK = 5;
        s.metricType = QStringLiteral("L2");
        s.outputFields = {QStringLiteral("title")};
        if (i % 3 == 0)
            s.filter = QStringLiteral("score > 2.5");
        s.options.timeout = std::chrono::minutes(5);
        return s;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        m_collection = test::createLoadedCollection(*m_client, QStringLiteral("conc"), kDim, kRows);
    }

    void thousandInFlight()
    {
        QList<QFuture<SearchResults>> futures;
        futures.reserve(kSearches);
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < kSearches; ++i)
            futures.append(m_client->searchAsync(searchFor(i)));
        const qint64 issueMs = clock.elapsed();
        // Issuing must not wait for answers: all of them are in flight at once.
        const int inFlightAfterIssue = m_client->inFlight();
        qInfo("issued %d searches in %lld ms; %d in flight right after", kSearches, issueMs,
              inFlightAfterIssue);
        QVERIFY(inFlightAfterIssue > kSearches / 2);

        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::all_of(futures.cbegin(), futures.cend(),
                                   [](const auto &f) { return f.isFinished(); });
            },
            300000));
        const qint64 asyncMs = clock.elapsed();
        QCOMPARE(m_client->inFlight(), 0);

        int compared = 0;
        clock.restart();
        for (int i = 0; i < kSearches; ++i) {
            QVERIFY2(futures[i].resultCount() == 1,
                     qPrintable(QStringLiteral("search %1 has no result").arg(i)));
            const SearchResults asyncResult = futures[i].result();
            const SearchResults blocking = m_client->search(searchFor(i));
            QCOMPARE(asyncResult.queries.size(), 1);
            QCOMPARE(asyncResult.queries[0].size(), 5);
            QCOMPARE(asyncResult.queries, blocking.queries);
            ++compared;
        }
        qInfo("all %d async searches done in %lld ms; %d blocking ones in %lld ms; results identical",
              kSearches, asyncMs, compared, clock.elapsed());
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestConcurrency)
#include "tst_concurrency.moc"
