#pragma once

#include "LoadOperation.h"

#include <QPromise>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace mx::test {

// A load operation that talks to nobody: it completes after a fixed latency (timed by a scheduler
// thread, so waiting costs no CPU and no pool thread), can stall its caller once (a synthetic
// client-side stall, for coordinated omission), and can fail every n-th operation. Counts how many
// operations were in flight at most. A cancelled token ends pending operations with Cancelled.
class FakeOperation : public LoadOperation
{
public:
    struct Settings
    {
        qint64 latencyNs = 0;     // 0: async forms finish at once
        qint64 stallAtIndex = -1; // this operation's start()/run() blocks its caller...
        qint64 stallNs = 0;       // ...this long, once
        qint64 failEvery = 0;     // > 0: every n-th operation fails with a Milvus error
        qint64 rowsPerOp = 1;
    };

    explicit FakeOperation(Settings settings);
    ~FakeOperation() override;

    QString name() const override { return QStringLiteral("fake"); }
    bool writes() const override { return false; }
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

    qint64 maxInFlight() const { return m_maxInFlight; }
    qint64 started() const { return m_started; }

private:
    struct Pending
    {
        std::shared_ptr<QPromise<OpResult>> promise;
        std::shared_ptr<CancelToken> cancel;
        bool fail = false;
    };
    void schedulerLoop();
    void stallIfDue(qint64 index);
    OpResult result() const;
    void finish(Pending &p, bool cancelled);

    Settings m_settings;
    std::atomic<qint64> m_inFlight{0};
    std::atomic<qint64> m_maxInFlight{0};
    std::atomic<qint64> m_started{0};
    std::atomic<bool> m_stalled{false};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::multimap<qint64, Pending> m_pending; // by due time (steady ns)
    bool m_quit = false;
    std::thread m_scheduler;
};

} // namespace mx::test
