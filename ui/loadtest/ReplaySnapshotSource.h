#pragma once

#include "LoadTestReport.h"
#include "SnapshotSource.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace mx {

// Replays a recorded load-test report as a stream of RunSnapshots, the same type the engine publishes,
// at a chosen rate, so the panel can be fed far faster than a local Milvus Lite can go. Each recorded
// phase is played for `phaseSeconds`; every tick (100 ms, like the engine) closes an interval whose
// completed count keeps the cumulative rate exact and whose latencies follow the recorded phase's
// histogram. Runs on a thread of its own; snapshot() is O(1) from any thread.
class ReplaySnapshotSource final : public SnapshotSource
{
public:
    struct Options
    {
        double rate = 10000;     // operations per second
        int tickMs = 100;        // interval length, as the engine's
        double phaseSeconds = 2; // how long each recorded phase plays
        double totalSeconds = 0; // > 0: cycle through the phases this long; 0: each phase once
    };

    ReplaySnapshotSource(LoadTestReport recorded, Options options);
    ~ReplaySnapshotSource() override; // stops and joins the thread
    ReplaySnapshotSource(const ReplaySnapshotSource &) = delete;
    ReplaySnapshotSource &operator=(const ReplaySnapshotSource &) = delete;

    // A deterministic stand-in for a recording: sync and async search runs and a sweep (1..8).
    static LoadTestReport synthesize(quint64 seed = 42);

    void start();
    void stop(); // ends the replay with state Stopped; any thread; idempotent
    bool isRunning() const;
    std::shared_ptr<const RunSnapshot> snapshot() const override;
    const LoadTestReport &recorded() const { return m_recorded; }

private:
    void run();
    void publish(std::shared_ptr<RunSnapshot> next);

    const LoadTestReport m_recorded;
    const Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::shared_ptr<const RunSnapshot> m_snapshot;
    bool m_stopRequested = false;
    bool m_running = false;
    std::thread m_thread;
};

} // namespace mx
