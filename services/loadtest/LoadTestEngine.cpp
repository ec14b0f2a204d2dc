#include "LoadTestEngine.h"

#include "CancelToken.h"
#include "CpuClock.h"
#include "MilvusClient.h"
#include "OperationFactory.h"
#include "PhaseRunner.h"
#include "ScratchStore.h"
#include "SearchOperation.h"
#include "TutorialPreset.h"

#include <QDateTime>
#include <QPromise>
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
    std::shared_ptr<CancelToken> stop;
    TutorialDocuments docs;
    LoadTestReport report;
    int dimension = 0;
    QMap<qint64, Store> sharedStores; // read-only runs share a store per document count
    QStringList sharedCollections;    // created for sharing: dropped when the plan ends
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
    {
        std::lock_guard lock(m_mutex);
        token = m_stop;
        client = m_client;
    }
    if (token)
        token->cancel();
    if (client)
        client->cancelAll();
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
            if (plan.keepCollections)
                continue;
            try {
                ScratchStore::drop(*x.client, name, options(kCleanupTimeout));
            } catch (...) {
                report.warnings.append(
                    QStringLiteral("could not drop scratch collection %1: %2")
                        .arg(name, errorFromException(std::current_exception()).message()));
            }
        }
        if (plan.preset == QLatin1String("tutorial"))
            report.tutorial = TutorialPreset::table(report.runs);
        report.stopped = x.stop->isCancelled();
        update([&](RunSnapshot &s) {
            s.state = report.stopped ? RunSnapshot::State::Stopped : RunSnapshot::State::Finished;
        });
    }

    {
        std::lock_guard lock(m_mutex);
        m_client.reset();
    }
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
        } else if (spec.sharedStore && !spec.writes() && x.sharedStores.contains(spec.effectiveStoreDocs())) {
            store = x.sharedStores.value(spec.effectiveStoreDocs());
        } else {
            store.collection = ScratchStore::newName(opKindName(spec.op));
            store.layout = ScratchStore::create(*x.client, store.collection, x.dimension, setup);
            const bool shared = spec.sharedStore && !spec.writes();
            ownStore = !shared;
            if (shared)
                x.sharedCollections.append(store.collection); // dropped at the end even if filling fails
            update([&](RunSnapshot &s) { s.collection = store.collection; });
            store.contents.docs = spec.effectiveStoreDocs();
            store.contents.keys = ScratchStore::populate(*x.client, *m_embedder, store.collection,
                                                         store.layout, x.docs, 0, store.contents.docs, setup);
            if (shared)
                x.sharedStores.insert(spec.effectiveStoreDocs(), store);
        }
        run.collection = store.collection;
        run.scratchCollection = store.scratch;
        run.storeDocs = store.contents.docs;
        target = OperationTarget{x.client, m_embedder, store.collection, store.layout};
        const bool needsVectors = spec.op == OpKind::Search || spec.op == OpKind::Mix;
        if (needsVectors && (spec.precomputedVectors || store.layout.dim != x.dimension)) {
            if (store.layout.dim == x.dimension) {
                store.contents.queryVectors = SearchOperation::embedTutorialQueries(*m_embedder, setup);
            } else if (spec.precomputedVectors) {
                store.contents.queryVectors = randomVectors(store.layout.dim, 50, plan.seed);
                run.warnings.append(QStringLiteral("the embedder makes %1-dimensional vectors but %2 has %3: "
                                                   "searching with random unit vectors")
                                        .arg(x.dimension)
                                        .arg(store.collection)
                                        .arg(store.layout.dim));
            } else {
                throwError(
                    ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                    QStringLiteral("the embedder makes %1-dimensional vectors but field '%2' of %3 has "
                                   "dimension %4; use pre-computed vectors to search it anyway")
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
        auto finished = [&](PhaseResult p) {
            p.op = spec.op;
            p.batch = spec.batch;
            if (spec.mode == LoadMode::Sweep)
                p.mode = LoadMode::Sweep;
            addWrites(p);
            run.phases.append(p);
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
            params.count = spec.count;
            params.durationNs = spec.durationMs * 1'000'000;
            if (spec.mode == LoadMode::Sweep) {
                for (int level : PhaseRunner::sweepLevels(spec.concurrency)) {
                    if (x.stop->isCancelled())
                        break;
                    params.concurrency = level;
                    params.label = QStringLiteral("%1 sweep c=%2").arg(opKindName(spec.op)).arg(level);
                    began(params.label, RunSnapshot::State::Running, level);
                    finished(runner.run(params));
                    params.firstIndex = runner.nextIndex();
                }
            } else {
                params.label = run.label;
                began(params.label, RunSnapshot::State::Running,
                      spec.mode == LoadMode::Async  ? int(spec.count)
                      : spec.mode == LoadMode::Sync ? 1
                                                    : spec.concurrency);
                finished(runner.run(params));
            }
        } catch (...) {
            run.error = errorFromException(std::current_exception()).message();
        }
    }
    run.stopped = x.stop->isCancelled();

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

    if (ownStore && !plan.keepCollections) {
        try {
            ScratchStore::drop(*x.client, store.collection, cleanup);
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
