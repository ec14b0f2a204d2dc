// CancelToken and CancelRegistration: once-only callbacks, late registration, unregistering, and the
// locking contract that lets a finished call destroy its context safely.

#include "CancelToken.h"

#include <QElapsedTimer>
#include <QTest>

#include <array>
#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace mx {

class TestCancelToken : public QObject
{
    Q_OBJECT

private slots:
    void callbacksRunOnceOnCancel();
    void registerAfterCancelRunsImmediately();
    void unregisterPreventsCallback();
    void unregisterUnknownIdIsHarmless();
    void registrationGuard_data();
    void registrationGuard();
    void nullTokenGuardIsInert();
    void concurrentCancelRunsEachCallbackOnce();
    void concurrentRegisterAndCancel();
    void unregisterWaitsForRunningCallback_data();
    void unregisterWaitsForRunningCallback();
};

void TestCancelToken::callbacksRunOnceOnCancel()
{
    auto token = CancelToken::create();
    QVERIFY(!token->isCancelled());

    std::array<int, 3> runs{};
    std::array<bool, 3> sawCancelled{};
    std::array<quint64, 3> ids{};
    for (int i = 0; i < 3; ++i) {
        ids[i] = token->registerCallback([&, i] {
            ++runs[i];
            // A callback may consult the flag (it is lock-free), and must already see it set.
            sawCancelled[i] = token->isCancelled();
        });
        QVERIFY(ids[i] != 0);
    }
    QVERIFY(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    QCOMPARE(runs, (std::array<int, 3>{0, 0, 0}));

    token->cancel();
    QVERIFY(token->isCancelled());
    QCOMPARE(runs, (std::array<int, 3>{1, 1, 1}));
    QCOMPARE(sawCancelled, (std::array<bool, 3>{true, true, true}));

    // A second cancel (e.g. the user pressing Stop twice) must not re-run anything.
    token->cancel();
    QCOMPARE(runs, (std::array<int, 3>{1, 1, 1}));
}

void TestCancelToken::registerAfterCancelRunsImmediately()
{
    auto token = CancelToken::create();
    token->cancel();

    int runs = 0;
    std::thread::id ranOn;
    const quint64 id = token->registerCallback([&] {
        ++runs;
        ranOn = std::this_thread::get_id();
    });
    // 0 tells the caller the callback has already run and there is nothing to unregister.
    QCOMPARE(id, quint64(0));
    QCOMPARE(runs, 1);
    QVERIFY(ranOn == std::this_thread::get_id());

    token->unregister(id);
    token->cancel();
    QCOMPARE(runs, 1);
}

void TestCancelToken::unregisterPreventsCallback()
{
    auto token = CancelToken::create();
    int removedRuns = 0;
    int keptRuns = 0;
    const quint64 removed = token->registerCallback([&] { ++removedRuns; });
    const quint64 kept = token->registerCallback([&] { ++keptRuns; });
    QVERIFY(removed != 0);
    QVERIFY(kept != 0);

    token->unregister(removed);
    token->cancel();
    QCOMPARE(removedRuns, 0);
    QCOMPARE(keptRuns, 1);
}

void TestCancelToken::unregisterUnknownIdIsHarmless()
{
    auto token = CancelToken::create();
    int runs = 0;
    const quint64 id = token->registerCallback([&] { ++runs; });
    // Ids that were never handed out (or already removed) must not take another callback with them.
    token->unregister(0);
    token->unregister(id + 1000);
    token->unregister(id + 1);
    token->cancel();
    QCOMPARE(runs, 1);
    token->unregister(id); // after cancel: the callback is gone already
    QCOMPARE(runs, 1);
}

void TestCancelToken::registrationGuard_data()
{
    QTest::addColumn<bool>("cancelBeforeGuard");
    QTest::addColumn<bool>("cancelWhileGuarded");
    QTest::addColumn<bool>("cancelAfterGuard");
    QTest::addColumn<int>("expectedRuns");

    QTest::newRow("never cancelled") << false << false << false << 0;
    QTest::newRow("cancelled while guarded") << false << true << false << 1;
    // The guard's destructor ended the registration, so a later cancel has nothing to run.
    QTest::newRow("cancelled after guard ended") << false << false << true << 0;
    QTest::newRow("already cancelled") << true << false << false << 1;
    QTest::newRow("already cancelled, cancelled again") << true << true << true << 1;
}

void TestCancelToken::registrationGuard()
{
    QFETCH(bool, cancelBeforeGuard);
    QFETCH(bool, cancelWhileGuarded);
    QFETCH(bool, cancelAfterGuard);
    QFETCH(int, expectedRuns);

    auto token = CancelToken::create();
    int runs = 0;
    if (cancelBeforeGuard)
        token->cancel();
    {
        CancelRegistration guard(token, [&] { ++runs; });
        if (cancelWhileGuarded)
            token->cancel();
    }
    if (cancelAfterGuard)
        token->cancel();
    QCOMPARE(runs, expectedRuns);
}

void TestCancelToken::nullTokenGuardIsInert()
{
    // Calls without a token pass an empty shared_ptr; the guard must neither crash nor run the callback.
    int runs = 0;
    {
        CancelRegistration guard(std::shared_ptr<CancelToken>(), [&] { ++runs; });
    }
    QCOMPARE(runs, 0);
}

void TestCancelToken::concurrentCancelRunsEachCallbackOnce()
{
    constexpr int kThreads = 6;
    constexpr int kCallbacks = 50;
    constexpr int kRounds = 200;

    for (int round = 0; round < kRounds; ++round) {
        auto token = CancelToken::create();
        std::array<std::atomic<int>, kCallbacks> runs{};
        std::array<std::thread::id, kCallbacks> ranOn{};
        for (int i = 0; i < kCallbacks; ++i)
            token->registerCallback([&, i] {
                runs[i].fetch_add(1);
                ranOn[i] = std::this_thread::get_id();
            });

        // Release all threads together so their cancel() calls really overlap.
        std::latch start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&] {
                start.arrive_and_wait();
                token->cancel();
            });
        for (auto &th : threads)
            th.join();

        for (int i = 0; i < kCallbacks; ++i) {
            if (runs[i].load() != 1)
                QFAIL(qPrintable(QStringLiteral("round %1: callback %2 ran %3 times")
                                     .arg(round)
                                     .arg(i)
                                     .arg(runs[i].load())));
            // Exactly one cancel() wins and runs them all; the others find the flag already set.
            if (ranOn[i] != ranOn[0])
                QFAIL(qPrintable(QStringLiteral("round %1: callbacks ran on different threads").arg(round)));
        }
        QVERIFY(token->isCancelled());
    }
}

void TestCancelToken::concurrentRegisterAndCancel()
{
    constexpr int kRegistrars = 4;
    constexpr int kPerThread = 200;
    constexpr int kRounds = 50;

    for (int round = 0; round < kRounds; ++round) {
        auto token = CancelToken::create();
        std::vector<std::atomic<int>> runs(kRegistrars * kPerThread);
        std::vector<int> ranOnRegistrar(kRegistrars * kPerThread, 0);
        std::vector<quint64> ids(kRegistrars * kPerThread, 0);

        std::latch start(kRegistrars + 1);
        std::vector<std::thread> threads;
        for (int t = 0; t < kRegistrars; ++t)
            threads.emplace_back([&, t] {
                const auto self = std::this_thread::get_id();
                start.arrive_and_wait();
                for (int k = 0; k < kPerThread; ++k) {
                    const int slot = t * kPerThread + k;
                    ids[slot] = token->registerCallback([&, slot, self] {
                        runs[slot].fetch_add(1);
                        if (std::this_thread::get_id() == self)
                            ranOnRegistrar[slot] = 1;
                    });
                }
            });
        threads.emplace_back([&] {
            start.arrive_and_wait();
            token->cancel();
        });
        for (auto &th : threads)
            th.join();

        // Whichever side won the race, every callback ran exactly once; id 0 means "ran right here".
        for (int slot = 0; slot < kRegistrars * kPerThread; ++slot) {
            if (runs[slot].load() != 1)
                QFAIL(qPrintable(QStringLiteral("round %1: callback %2 ran %3 times")
                                     .arg(round)
                                     .arg(slot)
                                     .arg(runs[slot].load())));
            if ((ids[slot] == 0) != (ranOnRegistrar[slot] == 1))
                QFAIL(qPrintable(QStringLiteral("round %1: callback %2 got id %3 but ran on the %4 thread")
                                     .arg(round)
                                     .arg(slot)
                                     .arg(ids[slot])
                                     .arg(ranOnRegistrar[slot] ? QStringLiteral("registering")
                                                               : QStringLiteral("cancelling"))));
        }
    }
}

void TestCancelToken::unregisterWaitsForRunningCallback_data()
{
    QTest::addColumn<bool>("viaGuard");
    QTest::newRow("unregister()") << false;
    QTest::newRow("CancelRegistration destructor") << true;
}

// The call machinery unregisters when a call ends and then destroys the context the callback touches
// (grpc::ClientContext::TryCancel). That is only safe if unregister() cannot return while the callback
// is still running on the cancelling thread.
void TestCancelToken::unregisterWaitsForRunningCallback()
{
    QFETCH(bool, viaGuard);

    auto token = CancelToken::create();
    std::atomic<bool> started{false};
    std::atomic<bool> finished{false};
    // Long enough that a non-waiting unregister() would certainly return before the callback ends.
    const auto callbackDuration = 500ms;
    auto callback = [&] {
        started.store(true);
        std::this_thread::sleep_for(callbackDuration);
        finished.store(true);
    };

    quint64 id = 0;
    std::unique_ptr<CancelRegistration> guard;
    if (viaGuard)
        guard = std::make_unique<CancelRegistration>(token, callback);
    else
        id = token->registerCallback(callback);

    std::thread canceller([&] { token->cancel(); });

    QElapsedTimer waited;
    waited.start();
    while (!started.load() && waited.elapsed() < 10000)
        std::this_thread::yield();
    if (!started.load()) {
        canceller.join();
        QFAIL("the callback never started");
    }

    QElapsedTimer blocked;
    blocked.start();
    if (viaGuard)
        guard.reset();
    else
        token->unregister(id);
    const bool finishedWhenUnregisterReturned = finished.load();
    const qint64 blockedMs = blocked.elapsed();
    canceller.join();

    QVERIFY2(finishedWhenUnregisterReturned, "unregister returned while the callback was still running");
    // It really blocked (rather than the callback having been fast): most of the sleep happened inside it.
    QVERIFY2(blockedMs >= 50, qPrintable(QStringLiteral("unregister blocked only %1 ms").arg(blockedMs)));
    QVERIFY(finished.load());
}

} // namespace mx

QTEST_APPLESS_MAIN(mx::TestCancelToken)
#include "tst_canceltoken.moc"
