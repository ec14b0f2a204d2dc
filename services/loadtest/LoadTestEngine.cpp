#include "LoadTestEngine.h"

#include "CancelToken.h"
#include "ClientPool.h"
#include "CpuClock.h"
#include "MilvusClient.h"
#include "OperationFactory.h"
#include "PhaseRunner.h"
#include "RecallCheck.h"
#include "ScratchStore.h"
#include "SearchOperation.h"
#include "TutorialPreset.h"

#include <QDateTime>
#include <QPromise>
#include <QSet>
#include <QSysInfo>

namespace mx {

namespace {

constexpr auto kSetupTimeout = std::chrono::minutes(5);
// Cleanup and the integrity check run even after stop(), so they use no cancel token, and a short
// deadline so a dead server does not hold the report back.
constexpr auto kCleanupTimeout = std::chrono::seconds(15);

CallOptions options(std::chrono::milliseconds timeout, std::shared_ptr<CancelToken> cancel = {})
{
    CallOptions o;
    o.timeout = timeout;
    o.cancel = std::move(cancel);
    return o;
}

QString storeKey(const RunSpec &spec)
{
    return spec.storeGroup.isEmpty() ? QStringLiteral("docs:%1").arg(spec.effectiveStoreDocs())
                                     : QStringLiteral("group:%1").arg(spec.storeGroup);
}

// Deterministic unit vectors of the collection's dimension, for searching a user collection whose
// vector dimension the embedder cannot produce.
QList<Embedding> randomVectors(int dim, int n, quint64 seed)
{
    QList<Embedding> out;
    quint64 state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (int i = 0; i < n; ++i) {
        Embedding v(dim);
        double norm = 0;
        for (float &x : v) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            x = float(double(state >> 40) / double(1ULL << 24) * 2.0 - 1.0);
            norm += double(x) * double(x);
        }
        for (float &x : v)
            x = float(double(x) / std::sqrt(std::max(norm, 1e-12)));
        out.append(v);
    }
    return out;
}

} // namespace

struct LoadTestEngine::Store
{
    QString collection;
    StoreLayout layout;
    StoreContents contents;
    bool scratch = true;
};

// State of one plan's execution, owned by the engine thread.
struct LoadTestEngine::Execution
{
    LoadTestPlan plan;
    std::shared_ptr<MilvusClient> client;
    std::shared_ptr<ClientPool> channels; // kept across runs that ask for the same number of channels
    std::shared_ptr<CancelToken> stop;
    TutorialDocuments docs;
    LoadTestReport report;
    int dimension = 0;
    QMap<QString, Store> sharedStores; // read-only runs share a store per document count; groups by name
    QStringList sharedCollections;     // created for sharing: dropped when the plan ends
    QSet<QString> created;             // every collection this plan created: the only ones it drops
};

LoadTestEngine::LoadTestEngine(ConnectionConfig connection, std::shared_ptr<EmbeddingProvider> embedder)
    : m_connection(std::move(connection))
    , m_embedder(std::move(embedder))
    , m_snapshot(std::make_shared<RunSnapshot>())
{}

LoadTestEngine::~LoadTestEngine()
{
    stop();
    std::thread t;
    {
        std::lock_guard lock(m_mutex);
        t = std::move(m_thread);
    }
    if (t.joinable())
        t.join();
}

void LoadTestEngine::setIntegrityHook(IntegrityHook hook)
{
    std::lock_guard lock(m_mutex);
    m_integrityHook = std::move(hook);
}

bool LoadTestEngine::isRunning() const
{
    std::lock_guard lock(m_mutex);
    return m_running;
}

std::shared_ptr<const RunSnapshot> LoadTestEngine::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

template<typename F>
void LoadTestEngine::update(F &&mutate)
{
    std::lock_guard lock(m_mutex);
    auto next = std::make_shared<RunSnapshot>(*m_snapshot);
    mutate(*next);
    next->sequence = m_snapshot->sequence + 1;
    m_snapshot = std::move(next);
}

void LoadTestEngine::stop()
{
    std::shared_ptr<CancelToken> token;
    std::shared_ptr<MilvusClient> client;
    std::shared_ptr<ClientPool> channels;
    {
        std::lock_guard lock(m_mutex);
        token = m_stop;
        client = m_client;
        channels = m_channels;
    }
    if (token)
        token->cancel();
    if (client)
        client->cancelAll();
    if (channels)
        channels->cancelAll();
}

QFuture<LoadTestReport> LoadTestEngine::start(LoadTestPlan plan)
{
    std::thread previous;
    {
        std::lock_guard lock(m_mutex);
        if (m_running)
            return QtFuture::makeExceptionalFuture<LoadTestReport>(
                MilvusException(MilvusError{ErrorKind::InvalidArgument,
                                            QStringLiteral("Load test"),
                                            0,
                                            0,
                                            0,
                                            0,
                                            QStringLiteral("a load test is already running on this engine"),
                                            {}}));
        previous = std::move(m_thread);
        m_running = true;
        m_stop = CancelToken::create();
        auto fresh = std::make_shared<RunSnapshot>();
        fresh->sequence = m_snapshot->sequence + 1;
        fresh->state = RunSnapshot::State::Preparing;
        fresh->runCount = int(plan.runs.size());
        m_snapshot = fresh;
    }
    if (previous.joinable())
        previous.join(); // it finished already: m_running was false
    auto promise = std::make_shared<QPromise<LoadTestReport>>();
    QFuture<LoadTestReport> future = promise->future();
    promise->start();
    std::lock_guard lock(m_mutex);
    m_thread =
        std::thread([this, plan = std::move(plan), promise]() mutable { execute(std::move(plan), promise); });
    return future;
}

void LoadTestEngine::execute(LoadTestPlan plan, std::shared_ptr<QPromise<LoadTestReport>> promise)
{
    CpuClock::nameCurrentThread("mx-lt-sender"); // the sending thread of every phase
    Execution x;
    x.plan = plan;
    x.docs = TutorialDocuments(plan.seed);
    {
        std::lock_guard lock(m_mutex);
        x.stop = m_stop;
    }
    LoadTestReport &report = x.report;
    report.toolVersion = QStringLiteral(MX_VERSION_STRING);
    report.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    report.hosts = {QSysInfo::machineHostName()};
    report.serverUri = m_connection.uri;
    report.preset = plan.preset;
    report.seed = plan.seed;
    report.scratchPrefix = plan.scratchPrefix;
    report.embeddingInFlight = plan.embeddingInFlight;

    auto fail = [&](const QString &why) {
        report.error = why;
        update([&](RunSnapshot &s) {
            s.state = RunSnapshot::State::Failed;
            s.message = why;
        });
    };

    try {
        if (!m_embedder)
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                       QStringLiteral("no embedder"));
        report.embedder = m_embedder->name();
        report.embedderSemantic = m_embedder->isSemantic();
        if (const QString problem = plan.validate(); !problem.isEmpty())
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"), problem);
        x.client = std::make_shared<MilvusClient>(m_connection);
        {
            std::lock_guard lock(m_mutex);
            m_client = x.client;
        }
        report.serverVersion = x.client->getVersion(ServerRequest{options(std::chrono::seconds(15), x.stop)});
        x.dimension = m_embedder->dimension();
        if (x.dimension <= 0)
            x.dimension =
                int(m_embedder->embedQuery(QStringLiteral("dimension probe"), options(kSetupTimeout, x.stop))
                        .size());
        report.dimension = x.dimension;
    } catch (...) {
        fail(errorFromException(std::current_exception()).message());
    }

    if (report.error.isEmpty()) {
        for (int i = 0; i < plan.runs.size() && !x.stop->isCancelled(); ++i) {
            report.runs.append(executeRun(x, plan.runs.at(i), i));
            update([&](RunSnapshot &s) { s.completedRuns.append(report.runs.last()); });
        }
        update([](RunSnapshot &s) { s.state = RunSnapshot::State::Checking; });
        for (const QString &name : std::as_const(x.sharedCollections)) {
            if (plan.keepCollections || !x.created.contains(name))
                continue;
            try {
                ScratchStore::drop(*x.client, name, options(kCleanupTimeout), plan.scratchPrefix);
            } catch (...) {
                report.warnings.append(
                    QStringLiteral("could not drop scratch collection %1: %2")
                        .arg(name, errorFromException(std::current_exception()).message()));
            }
        }
        if (TutorialPreset::isPreset(plan.preset))
            report.tutorial = TutorialPreset::table(report.runs);
        report.stopped = x.stop->isCancelled();
        update([&](RunSnapshot &s) {
            s.state = report.stopped ? RunSnapshot::State::Stopped : RunSnapshot::State::Finished;
        });
    }

    {
        std::lock_guard lock(m_mutex);
        m_client.reset();
        m_channels.reset();
    }
    x.channels.reset();
    x.client.reset(); // cancels and waits for anything still in flight before the report is handed over
    promise->addResult(report);
    promise->finish();
    std::lock_guard lock(m_mutex);
    m_running = false;
}

RunResult LoadTestEngine::executeRun(Execution &x, const RunSpec &spec, int index)
{
    RunResult run;
    run.spec = spec;
    run.label = spec.label.isEmpty() ? spec.describe() : spec.label;
    const LoadTestPlan &plan = x.plan;
    update([&](RunSnapshot &s) {
        s.state = RunSnapshot::State::Preparing;
        s.runIndex = index;
        s.runLabel = run.label;
        s.collection.clear();
        s.phase = PhaseProgress();
        s.phase.label = run.label;
        s.phase.op = spec.op;
        s.phase.mode = spec.mode;
    });

    const auto setup = options(kSetupTimeout, x.stop);
    const auto cleanup = options(kCleanupTimeout);
    Store store;
    bool ownStore = false; // created for this run alone: dropped after it
    const qint64 setupStart = CpuClock::steadyNowNs();
    std::unique_ptr<LoadOperation> op;
    OperationTarget target;
    // A group's store (faithful preset) is shared by writing runs too; other shared stores only by reads.
    const bool grouped = !spec.storeGroup.isEmpty();
    const bool shared = grouped || (spec.sharedStore && !spec.writes());
    const QString key = storeKey(spec);
    bool newStore = false;
    try {
        if (!plan.userCollection.isEmpty()) {
            store.scratch = false;
            store.collection = plan.userCollection;
            store.layout = ScratchStore::describe(*x.client, store.collection, setup);
            if (spec.writes() && !plan.allowWrites)
                throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                           QStringLiteral("writes to %1 are not confirmed").arg(store.collection));
            if (spec.deleteByPrimaryKey || spec.op == OpKind::Upsert || spec.op == OpKind::Mix)
                store.contents.keys =
                    ScratchStore::primaryKeys(*x.client, store.collection, store.layout,
                                              std::max<qint64>(spec.count * spec.batch, 1000), setup);
            store.contents.docs = ScratchStore::count(*x.client, store.collection, setup);
        } else if (shared && x.sharedStores.contains(key)) {
            store = x.sharedStores.value(key);
        } else {
            newStore = true;
            store.collection = ScratchStore::newName(opKindName(spec.op), plan.scratchPrefix);
            x.created.insert(store.collection);
            bool upserts = spec.op == OpKind::Upsert;
            for (const MixEntry &m : spec.mix)
                upserts = upserts || (spec.op == OpKind::Mix && m.op == OpKind::Upsert && m.weight > 0);
            store.layout = ScratchStore::create(*x.client, store.collection, x.dimension, setup,
                                                plan.scratchPrefix, !upserts);

            ownStore = !shared;
            if (shared)
                x.sharedCollections.append(store.collection); // dropped at the end even if filling fails
            update([&](RunSnapshot &s) { s.collection = store.collection; });
            store.contents.docs = spec.effectiveStoreDocs();
            store.contents.keys = ScratchStore::populate(*x.client, *m_embedder, store.collection,
                                                         store.layout, x.docs, 0, store.contents.docs, setup);
            // One live key set per store, so runs sharing a store (faithful preset) share what is gone.
            store.contents.live = store.contents.keys.isEmpty() ? LiveKeys::ofDocs(store.contents.docs)
                                                                : LiveKeys::of(store.contents.keys);
        }
        // Ready before the clock starts: loaded to 100% and the index built over what the server has.
        // A fresh store is flushed first (outside the faithful preset, which does as the tutorial does).
        const qint64 readyStart = CpuClock::steadyNowNs();
        const bool flush = newStore && !grouped;
        const ScratchStore::Readiness ready =
            ScratchStore::waitUntilReady(*x.client, store.collection, store.layout.vectorField, flush, setup);
        run.readyWaitNs = CpuClock::steadyNowNs() - readyStart;
        run.readiness = ready.describe();
        if (store.scratch && !store.layout.autoId)
            run.readiness += QStringLiteral("; manual keys (document i has key i: Milvus 2.3 refuses upserts "
                                            "that name auto-ID keys)");
        if (!store.contents.live)
            store.contents.live = store.contents.keys.isEmpty() ? LiveKeys::ofDocs(store.contents.docs)
                                                                : LiveKeys::of(store.contents.keys);
        if (shared && newStore)
            x.sharedStores.insert(key, store);

        // Reads see the run's own writes: Session on the tool's stores (the client sends its last
        // write's timestamp), unless the spec names a level; a user collection keeps its default.
        store.contents.readConsistency = spec.consistency;
        if (!spec.consistency && store.scratch)
            store.contents.readConsistency = ConsistencyLevel::Session;
        if (store.contents.readConsistency) {
            run.readConsistency = consistencyLevelName(*store.contents.readConsistency);
        } else {
            const CollectionDescription d =
                x.client->describeCollection(CollectionRequest{store.collection, setup});
            run.readConsistency =
                QStringLiteral("collection default (%1)").arg(consistencyLevelName(d.consistency));
        }

        run.collection = store.collection;
        run.scratchCollection = store.scratch;
        run.storeDocs = spec.storeGroup.isEmpty() ? store.contents.docs : store.contents.live->counts().free;
        target = OperationTarget{x.client, nullptr, m_embedder, store.collection, store.layout};
        run.channels = spec.effectiveChannels();
        if (spec.channels > 1 && run.channels == 1)
            run.warnings.append(QStringLiteral("sync mode has one call in flight: one channel used, not %1")
                                    .arg(spec.channels));
        if (run.channels > 1) {
            // Every channel connected before the clock starts, so no connection setup is timed.
            if (!x.channels || x.channels->size() != run.channels)
                x.channels = std::make_shared<ClientPool>(x.client, run.channels);
            {
                std::lock_guard lock(m_mutex);
                m_channels = x.channels;
            }
            x.channels->connectAll(setup);
            target.channels = x.channels;
        } else if (x.channels) {
            x.channels.reset(); // a one-channel run has one connection open: the engine's own
            std::lock_guard lock(m_mutex);
            m_channels.reset();
        }
        const bool needsVectors = spec.op == OpKind::Search || spec.op == OpKind::Mix;
        // Ready also means answered: one search through every channel before the clock starts (not in
        // the faithful preset, which times what the tutorial times). The first search of a freshly
        // loaded collection can take a few hundred ms on the full server; the report says what it took.
        if (needsVectors && !grouped) {
            qint64 probeNs = 0;
            const int n = target.channels ? target.channels->size() : 1; // channel 0 is x.client
            for (int i = 0; i < n; ++i) {
                MilvusClient &c = target.channels ? *target.channels->at(i) : *x.client;
                probeNs = std::max(probeNs, ScratchStore::probeSearch(c, store.collection, store.layout,
                                                                      store.contents.readConsistency, setup));
            }
            run.readiness +=
                QStringLiteral("; first search answered in %1 ms").arg(double(probeNs) / 1e6, 0, 'f', 1);
        }
        if (needsVectors && !plan.queryVectors.isEmpty()) {
            for (const Embedding &v : plan.queryVectors)
                if (v.size() != store.layout.dim)
                    throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                               QStringLiteral("a given query vector has %1 values but field '%2' of %3 has "
                                              "dimension %4")
                                   .arg(v.size())
                                   .arg(store.layout.vectorField, store.collection)
                                   .arg(store.layout.dim));
            store.contents.queryVectors = plan.queryVectors;
        } else if (needsVectors && (spec.precomputedVectors || store.layout.dim != x.dimension)) {
            if (store.layout.dim == x.dimension) {
                store.contents.queryVectors = SearchOperation::embedTutorialQueries(*m_embedder, setup);
            } else if (spec.randomVectorsOnMismatch) {
                store.contents.queryVectors = randomVectors(store.layout.dim, 50, plan.seed);
                run.warnings.append(QStringLiteral("the embedder makes %1-dimensional vectors but %2 has %3: "
                                                   "searching with random unit vectors, as asked")
                                        .arg(x.dimension)
                                        .arg(store.collection)
                                        .arg(store.layout.dim));
            } else {
                throwError(
                    ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                    QStringLiteral("the embedder makes %1-dimensional vectors but field '%2' of %3 has "
                                   "dimension %4: use an embedder of that dimension, or ask for random "
                                   "unit vectors of the collection's dimension (--random-vectors)")
                        .arg(x.dimension)
                        .arg(store.layout.vectorField, store.collection)
                        .arg(store.layout.dim));
            }
        }
        op = OperationFactory::create(spec.op, spec, target, store.contents, x.docs);
    } catch (...) {
        const MilvusError e = errorFromException(std::current_exception());
        // A stop during setup is not a failure of the run: it simply has nothing to report.
        if (!(e.kind == ErrorKind::Cancelled && x.stop->isCancelled()))
            run.error = e.message();
    }
    run.setupNs = CpuClock::steadyNowNs() - setupStart;
    if (spec.setupTimed && newStore)
        run.timedSetupNs = run.setupNs; // the tutorial's first add creates its store inside the clock
    run.milvusInFlightLimit = spec.mode == LoadMode::Sync ? 1
                              : spec.mode == LoadMode::Bounded || spec.mode == LoadMode::Sweep
                                  ? spec.concurrency
                              : spec.mode == LoadMode::Rate ? spec.concurrency
                                                            : 0;
    update([&](RunSnapshot &s) { s.collection = store.collection; });

    const bool writes = spec.writes();
    IntegrityResult &integrity = run.integrity;
    integrity.collection = store.collection;
    if (op && writes) {
        try {
            integrity.before = ScratchStore::count(*x.client, store.collection, setup);
        } catch (...) {
            run.error = errorFromException(std::current_exception()).message();
            op.reset();
        }
    }

    if (op) {
        PhaseRunner runner(*op, x.stop);
        PhaseProgress meta;
        meta.op = spec.op;
        meta.mode = spec.mode;
        meta.concurrency = spec.concurrency;
        meta.targetRate = spec.mode == LoadMode::Rate ? spec.rate : 0;
        runner.setTickCallback([this, &meta](const MetricsRecorder &recorder) {
            PhaseProgress p = recorder.progress();
            update([&](RunSnapshot &s) {
                p.label = s.phase.label;
                p.op = meta.op;
                p.mode = meta.mode;
                p.concurrency = s.phase.concurrency;
                p.targetRate = meta.targetRate;
                s.phase = p;
            });
        });
        PhaseParams params;
        params.mode = spec.mode == LoadMode::Sweep ? LoadMode::Bounded : spec.mode;
        params.concurrency = spec.mode == LoadMode::Rate ? std::max(0, spec.concurrency) : spec.concurrency;
        params.rate = spec.rate;
        params.options = options(std::chrono::milliseconds(spec.opTimeoutMs));
        params.drainTimeoutNs = spec.drainTimeoutMs * 1'000'000;

        auto addWrites = [&](const PhaseResult &p) {
            integrity.inserted += p.insertedRows;
            integrity.deleted += p.deletedRows;
            integrity.unknownOutcomeWrites += p.unknownOutcomeWrites;
        };
        auto began = [&](const QString &label, RunSnapshot::State state, int concurrency) {
            update([&](RunSnapshot &s) {
                s.state = state;
                s.phase = PhaseProgress();
                s.phase.label = label;
                s.phase.op = spec.op;
                s.phase.mode = spec.mode;
                s.phase.concurrency = concurrency;
                s.phase.targetRate = meta.targetRate;
            });
        };
        auto finished = [&](PhaseResult &p) {
            p.op = spec.op;
            p.batch = spec.batch;
            addWrites(p);
            update([&](RunSnapshot &s) { s.finished.append(p); });
        };

        try {
            if (spec.warmupOps > 0 || spec.warmupMs > 0) {
                began(QStringLiteral("%1 (warm-up)").arg(run.label), RunSnapshot::State::WarmingUp,
                      spec.concurrency);
                PhaseParams w = params;
                w.label = QStringLiteral("warm-up");
                w.count = spec.warmupOps;
                w.durationNs = spec.warmupMs * 1'000'000;
                if (w.mode == LoadMode::Async && w.count <= 0)
                    w.mode = LoadMode::Bounded;
                const PhaseResult warm = runner.run(w);
                addWrites(warm);
                run.warmupIssued = warm.issued;
                run.warmupFailed = warm.failed;
                params.firstIndex = runner.nextIndex();
            }
            if (target.channels)
                target.channels->resetCounts(); // count the measured operations only
            params.count = spec.count;
            params.durationNs = spec.durationMs * 1'000'000;
            if (spec.mode == LoadMode::Sweep) {
                params.label = opKindName(spec.op) + QStringLiteral(" sweep");
                run.phases = runner.runSweep(
                    params, spec.concurrency,
                    [&](const QString &label, int level) {
                        began(label, RunSnapshot::State::Running, level);
                    },
                    finished);
            } else {
                params.label = run.label;
                began(params.label, RunSnapshot::State::Running,
                      spec.mode == LoadMode::Async  ? int(spec.count)
                      : spec.mode == LoadMode::Sync ? 1
                                                    : spec.concurrency);
                PhaseResult p = runner.run(params);
                finished(p);
                run.phases.append(p);
            }
        } catch (...) {
            run.error = errorFromException(std::current_exception()).message();
        }
        if (target.channels)
            run.operationsPerChannel = target.channels->operationsPerChannel();
        for (const PhaseResult &p : std::as_const(run.phases)) {
            if (!p.balanced())
                run.warnings.append(
                    QStringLiteral("%1: %2 issued but %3 completed + %4 failed + %5 cancelled + "
                                   "%6 abandoned: the accounting does not add up")
                        .arg(p.label)
                        .arg(p.issued)
                        .arg(p.completed)
                        .arg(p.failed)
                        .arg(p.cancelled)
                        .arg(p.abandoned));
            if (p.firstOpStalled())
                run.warnings.append(
                    QStringLiteral("%1: FIRST-OPERATION STALL: the first operation took %2 ms, "
                                   "the median %3 ms")
                        .arg(p.label)
                        .arg(double(p.firstOpServiceNs) / 1e6, 0, 'f', 1)
                        .arg(double(p.latencyUncorrected.percentile(50)) / 1e6, 0, 'f', 1));
        }
    }
    run.stopped = x.stop->isCancelled();

    if (op && spec.recall && spec.op == OpKind::Search && !x.stop->isCancelled()) {
        update([](RunSnapshot &s) { s.state = RunSnapshot::State::Checking; });
        if (!spec.filter.isEmpty()) {
            run.recall.k = spec.k;
            run.recall.error = QStringLiteral("a filter is set: the exact search here does not filter");
        } else {
            QList<Embedding> queries = store.contents.queryVectors;
            try {
                if (queries.isEmpty())
                    queries = SearchOperation::embedTutorialQueries(*m_embedder, setup);
                run.recall =
                    RecallCheck::measure(*x.client, target, spec.k, spec.searchParams, queries, cleanup);
            } catch (...) {
                run.recall.k = spec.k;
                run.recall.error = errorFromException(std::current_exception()).message();
            }
        }
    }

    if (op && writes) {
        update([](RunSnapshot &s) { s.state = RunSnapshot::State::Checking; });
        IntegrityHook hook;
        {
            std::lock_guard lock(m_mutex);
            hook = m_integrityHook;
        }
        try {
            if (hook)
                hook(*x.client, store.collection);
            integrity.checked = true;
            integrity.expected = integrity.before + integrity.inserted - integrity.deleted;
            integrity.actual = ScratchStore::count(*x.client, store.collection, cleanup);
        } catch (...) {
            integrity.error = errorFromException(std::current_exception()).message();
        }
        if (!integrity.ok())
            update([&](RunSnapshot &s) { s.message = integrity.describe(); });
    }

    if (ownStore && !plan.keepCollections && x.created.contains(store.collection)) {
        try {
            ScratchStore::drop(*x.client, store.collection, cleanup, plan.scratchPrefix);
        } catch (...) {
            run.warnings.append(
                QStringLiteral("could not drop scratch collection %1: %2")
                    .arg(store.collection, errorFromException(std::current_exception()).message()));
        }
    }
    if (!run.error.isEmpty())
        update([&](RunSnapshot &s) { s.message = QStringLiteral("%1: %2").arg(run.label, run.error); });
    return run;
}

} // namespace mx
