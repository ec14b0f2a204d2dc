// The live key set behind the integrity check: no row handed out twice at a time, none after it was
// deleted, wrap-around over what is left, new keys after an upsert, unknown outcomes out of play.

#include "LiveKeys.h"

#include <QTest>

#include <thread>

namespace mx {

class TestLiveKeys : public QObject
{
    Q_OBJECT

private slots:
    void checkoutWrapsAroundFreeRows()
    {
        auto live = LiveKeys::of({100, 101, 102, 103});
        qsizetype cursor = 2;
        const auto a = live->checkout(3, &cursor); // 102, 103, then wraps to 100
        QVERIFY(a);
        QCOMPARE(a->size(), 3);
        QCOMPARE(a->at(0).key, qint64(102));
        QCOMPARE(a->at(2).key, qint64(100));
        QCOMPARE(cursor, qsizetype(1));
        // Only 101 is free: a second batch of 2 gets nothing rather than a row in flight.
        QVERIFY(!live->checkout(2, &cursor));
        live->release(*a);
        QVERIFY(live->checkout(4, &cursor));
    }

    void deletedRowsAreNeverHandedOutAgain()
    {
        auto live = LiveKeys::of({1, 2, 3});
        qsizetype cursor = 0;
        for (int round = 0; round < 3; ++round) {
            const auto e = live->checkout(1, &cursor);
            QVERIFY(e);
            live->retire(*e);
        }
        QVERIFY(!live->checkout(1, &cursor));
        const LiveKeys::Counts c = live->counts();
        QCOMPARE(c.gone, qint64(3));
        QCOMPARE(c.free, qint64(0));
        LiveKeys::Entry e;
        QCOMPARE(live->claimDoc(1, &e), LiveKeys::State::Gone);
        QCOMPARE(live->claimDoc(7, &e), LiveKeys::State::Absent);
    }

    void upsertMovesARowToItsNewKey()
    {
        auto live = LiveKeys::of({10, 11});
        qsizetype cursor = 0;
        const auto e = live->checkout(1, &cursor);
        QVERIFY(e);
        live->release(*e, {99});
        LiveKeys::Entry now;
        QCOMPARE(live->claimDoc(0, &now), LiveKeys::State::Free);
        QCOMPARE(now.key, qint64(99));
    }

    void unknownOutcomesLeavePlay()
    {
        auto live = LiveKeys::ofDocs(2);
        qsizetype cursor = 0;
        const auto e = live->checkout(1, &cursor);
        QVERIFY(e);
        live->markUnknown(*e);
        QCOMPARE(live->counts().unknown, qint64(1));
        const auto f = live->checkout(1, &cursor);
        QVERIFY(f);
        QVERIFY(f->first().doc != e->first().doc);
        QVERIFY(!live->checkout(1, &cursor));
        live->add({{5, 500}});
        QVERIFY(live->checkout(1, &cursor));
    }

    // Many threads taking and giving back: never the same row twice at a time.
    void concurrentCheckoutsNeverOverlap()
    {
        auto live = LiveKeys::of(QList<qint64>{0, 1, 2, 3, 4, 5, 6, 7});
        std::atomic<int> held[8] = {};
        std::atomic<bool> overlap{false};
        std::vector<std::thread> threads;
        qsizetype cursors[4] = {0, 2, 4, 6};
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 2000; ++i) {
                    const auto e = live->checkout(2, &cursors[t]);
                    if (!e)
                        continue;
                    for (const auto &x : *e)
                        if (held[x.doc].fetch_add(1) != 0)
                            overlap = true;
                    for (const auto &x : *e)
                        held[x.doc].fetch_sub(1);
                    live->release(*e);
                }
            });
        for (auto &t : threads)
            t.join();
        QVERIFY(!overlap);
        QCOMPARE(live->counts().free, qint64(8));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestLiveKeys)
#include "tst_livekeys.moc"
