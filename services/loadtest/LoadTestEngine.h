#pragma once

#include "ConnectionConfig.h"
#include "EmbeddingProvider.h"
#include "LoadTestConfig.h"
#include "LoadTestReport.h"
#include "RunSnapshot.h"

#include <QFuture>

#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace mx {

class MilvusClient;
class ClientPool;
class CancelToken;

// Runs load-test plans against one Milvus server on a thread of its own, with a MilvusClient of its
// own (a separate connection, so browsing in the GUI does not share its channel). The GUI never waits
// on it: it polls snapshot() (any rate, any thread) and gets the report from the future.
// Safety: works on scratch collections it creates and drops ("loadtest_" prefix); touches a user
// collection only when the plan names it, and writes to it only when the plan confirms writes.
class LoadTestEngine
{
public:
    // Runs on the engine thread right before the integrity check of a run that wrote. For tests and
    // diagnostics (e.g. to delete rows behind the engine's back and see the check catch it).
    using IntegrityHook = std::function<void(MilvusClient &client, const QString &collection)>;

    LoadTestEngine(ConnectionConfig connection, std::shared_ptr<EmbeddingProvider> embedder);
    ~LoadTestEngine(); // stops a plan in progress and waits for the engine thread
    LoadTestEngine(const LoadTestEngine &) = delete;
    LoadTestEngine &operator=(const LoadTestEngine &) = delete;

    // Starts the plan on the engine thread; the future finishes there with the report (never with an
    // exception: failures are in the report's error fields). A second start() while one runs returns a
    // future that fails with MilvusException(InvalidArgument). Call from any one thread.
    QFuture<LoadTestReport> start(LoadTestPlan plan);
    // Stops sending, cancels operations in flight (their tokens and the client's calls), runs the
    // integrity check and cleanup, and finishes the report with what was measured. Any thread; idempotent.
    void stop();
    bool isRunning() const;
    // The latest snapshot (rebuilt every 100 ms and on each state change). Any thread; O(1), no waiting
    // on the engine: one mutex-protected shared_ptr copy.
    std::shared_ptr<const RunSnapshot> snapshot() const;

    void setIntegrityHook(IntegrityHook hook); // before start()

private:
    struct Store;
    struct Execution;

    void execute(LoadTestPlan plan, std::shared_ptr<QPromise<LoadTestReport>> promise);
    RunResult executeRun(Execution &x, const RunSpec &spec, int index);
    template<typename F>
    void update(F &&mutate);

    const ConnectionConfig m_connection;
    const std::shared_ptr<EmbeddingProvider> m_embedder;
    IntegrityHook m_integrityHook;

    mutable std::mutex m_mutex; // guards everything below
    std::shared_ptr<const RunSnapshot> m_snapshot;
    std::shared_ptr<CancelToken> m_stop;
    std::shared_ptr<MilvusClient> m_client;
    std::shared_ptr<ClientPool> m_channels; // the current run's extra channels (stop() cancels them too)
    std::thread m_thread;
    bool m_running = false;
};

} // namespace mx
