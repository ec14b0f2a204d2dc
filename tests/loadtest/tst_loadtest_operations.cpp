// The engine against a real Milvus Lite: every operation in every mode, snapshots while running, the
// warm-up, the tutorial preset, and the safety rules for a user's collection.

#include "CpuClock.h"
#include "FakeEmbeddingProvider.h"
#include "LoadTestEngine.h"
#include "ReportSummary.h"
#include "ScratchStore.h"
#include "TestSupport.h"
#include "TutorialPreset.h"

#include "ReportJson.h"
#include "ReportMerger.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QUrl>

#include <unistd.h>

namespace mx {

namespace {

constexpr int kDim = 16;
constexpr qint64 kStoreDocs = 40;
constexpr qint64 kCount = 6;

struct Combo
{
    QString name;
    RunSpec spec;
};

QList<Combo> combinations()
{
    QList<Combo> out;
    struct OpVariant
    {
        QString name;
        OpKind op;
        bool precomputed = false;
        bool byPk = false;
    };
    const QList<OpVariant> ops{{QStringLiteral("add"), OpKind::Add},
                               {QStringLiteral("search"), OpKind::Search},
                               {QStringLiteral("search-vectors"), OpKind::Search, true},
                               {QStringLiteral("delete"), OpKind::Delete},
                               {QStringLiteral("delete-pk"), OpKind::Delete, false, true},
                               {QStringLiteral("upsert"), OpKind::Upsert},
                               {QStringLiteral("query"), OpKind::Query},
                               {QStringLiteral("mix"), OpKind::Mix}};
    for (const OpVariant &v : ops) {
        for (LoadMode mode :
             {LoadMode::Sync, LoadMode::Async, LoadMode::Bounded, LoadMode::Rate, LoadMode::Sweep}) {
            RunSpec s;
            s.op = v.op;
            s.precomputedVectors = v.precomputed;
            s.deleteByPrimaryKey = v.byPk;
            if (v.op == OpKind::Mix)
                s.mix = {{OpKind::Search, 2},
                         {OpKind::Add, 1},
                         {OpKind::Delete, 1},
                         {OpKind::Upsert, 1},
                         {OpKind::Query, 1}};
            s.mode = mode;
            s.count = kCount;
            s.concurrency = mode == LoadMode::Rate ? 0 : mode == LoadMode::Sweep ? 4 : 3;
            s.rate = 60;
            s.storeDocs = kStoreDocs;
            s.sharedStore = !s.writes();
            s.opTimeoutMs = 20000;
            const QString name = QStringLiteral("%1/%2").arg(v.name, loadModeName(mode));
            s.label = name;
            out.append({name, s});
        }
    }
    return out;
}

// Established TCP connections from this process to `port` on the loopback: this process's socket inodes
// (/proc/self/fd) matched against the kernel's connection tables (/proc/net/tcp, tcp6).
int connectionsTo(int port)
{
    QSet<QString> inodes;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &fd : fds.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
        char buf[128] = {};
        const ssize_t n = ::readlink(QFile::encodeName(fds.filePath(fd)).constData(), buf, sizeof buf - 1);
        const QByteArray link(buf, n > 0 ? int(n) : 0);
        if (link.startsWith("socket:[") && link.endsWith(']'))
            inodes.insert(QString::fromLatin1(link.mid(8, link.size() - 9)));
    }
    int n = 0;
    for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f(QString::fromLatin1(table));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        f.readLine(); // header
        while (!f.atEnd()) {
            const QStringList cols =
                QString::fromLatin1(f.readLine()).split(QLatin1Char(' '), Qt::SkipEmptyParts);
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
            if (cols.size() < 10 || cols.at(3) != QLatin1String("01")) // 01: ESTABLISHED
                continue;
            const int remotePort = cols.at(2).section(QLatin1Char(':'), 1).toInt(nullptr, 16);
            if (remotePort == port && inodes.contains(cols.at(9)))
                ++n;
        }
    }
    return n;
}

} // namespace

class TestLoadTestOperations : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    ConnectionConfig m_config;
    std::shared_ptr<test::FakeEmbeddingProvider> m_embedder =
        std::make_shared<test::FakeEmbeddingProvider>(kDim);
    std::optional<LoadTestReport> m_all; // every combination, run once
    qint64 m_allMs = 0;

    LoadTestReport runPlan(const LoadTestPlan &plan, LoadTestEngine *engine = nullptr)
    {
        LoadTestEngine local(m_config, m_embedder);
        LoadTestEngine &e = engine ? *engine : local;
        return test::await(e.start(plan), 240000);
    }

    const LoadTestReport &all()
    {
        if (!m_all) {
            LoadTestPlan plan;
            for (const Combo &c : combinations())
                plan.runs.append(c.spec);
            QElapsedTimer t;
            t.start();
            m_all = runPlan(plan);
            m_allMs = t.elapsed();
            qInfo("%lld runs in %lld ms", qint64(plan.runs.size()), m_allMs);
        }
        return *m_all;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_config = m_server.config();
    }

    void everyOperationInEveryMode_data()
    {
        QTest::addColumn<int>("index");
        const QList<Combo> combos = combinations();
        for (int i = 0; i < combos.size(); ++i)
            QTest::newRow(qPrintable(combos[i].name)) << i;
    }

    void everyOperationInEveryMode()
    {
        QFETCH(int, index);
        const LoadTestReport &report = all();
        QVERIFY2(report.error.isEmpty(), qPrintable(report.error));
        QCOMPARE(report.runs.size(), combinations().size());
        const RunResult &run = report.runs.at(index);
        const RunSpec &spec = run.spec;
        QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
        QVERIFY(ScratchStore::isScratchName(run.collection));
        QCOMPARE(run.storeDocs, kStoreDocs);
        const int phases = spec.mode == LoadMode::Sweep ? 3 : 1; // sweep levels 1, 2, 4
        QCOMPARE(run.phases.size(), phases);
        qint64 inserted = 0;
        qint64 deleted = 0;
        for (const PhaseResult &p : run.phases) {
            QVERIFY2(p.failed == 0, qPrintable(p.errors.samples.join(QLatin1Char('\n'))));
            QCOMPARE(p.issued, kCount);
            QCOMPARE(p.completed, kCount);
            QCOMPARE(p.latency.count(), kCount);
            QCOMPARE(p.milvus.count(), kCount);
            QCOMPARE(p.mode, spec.mode);
            QVERIFY(p.wallNs > 0);
            QVERIFY(!p.intervals.isEmpty());
            inserted += p.insertedRows;
            deleted += p.deletedRows;
            switch (spec.op) {
            case OpKind::Add:
                QCOMPARE(p.insertedRows, kCount);
                QCOMPARE(p.embedding.count(), kCount);
                break;
            case OpKind::Search:
                QCOMPARE(p.rows, 3 * kCount); // k = 3 hits each
                QCOMPARE(p.embedding.count(), spec.precomputedVectors ? 0 : kCount);
                break;
            case OpKind::Delete:
                QCOMPARE(p.deletedRows, kCount); // the server's delete count, one document each
                break;
            case OpKind::Upsert:
                QCOMPARE(p.upsertedRows, kCount);
                break;
            case OpKind::Query:
                QVERIFY(p.rows >= kCount); // category filter: 8 of 40 documents, limit 3
                break;
            case OpKind::Mix: {
                qint64 byOp = 0;
                for (qint64 n : p.completedByOp)
                    byOp += n;
                QCOMPARE(byOp, kCount);
                break;
            }
            }
        }
        if (spec.writes()) {
            QVERIFY2(run.integrity.ok(), qPrintable(run.integrity.describe()));
            QCOMPARE(run.integrity.before, kStoreDocs);
            QCOMPARE(run.integrity.inserted, inserted);
            QCOMPARE(run.integrity.deleted, deleted);
            QCOMPARE(run.integrity.actual, kStoreDocs + inserted - deleted);
        } else {
            QVERIFY(!run.integrity.checked);
        }
    }

    void scratchCollectionsAreDropped()
    {
        all();
        auto client = m_server.client();
        for (const QString &name : client->listCollections())
            QVERIFY2(!ScratchStore::isScratchName(name), qPrintable(name));
    }

    void snapshotsWhileRunning()
    {
        LoadTestEngine engine(m_config, m_embedder);
        LoadTestPlan plan;
        RunSpec s;
        s.op = OpKind::Search;
        s.mode = LoadMode::Rate;
        s.rate = 40;
        s.concurrency = 0;
        s.count = 0;
        s.durationMs = 1500;
        s.storeDocs = 50;
        plan.runs = {s};
        QFuture<LoadTestReport> f = engine.start(plan);
        QList<RunSnapshot::State> states;
        quint64 lastSequence = 0;
        qint64 maxIntervals = 0;
        qint64 calls = 0;
        qint64 nsInSnapshot = 0;
        while (!f.isFinished()) {
            const qint64 t0 = CpuClock::steadyNowNs();
            const auto snap = engine.snapshot();
            nsInSnapshot += CpuClock::steadyNowNs() - t0;
            ++calls;
            QVERIFY(snap->sequence >= lastSequence);
            lastSequence = snap->sequence;
            if (states.isEmpty() || states.last() != snap->state)
                states.append(snap->state);
            maxIntervals = std::max<qint64>(maxIntervals, snap->phase.intervals.size());
            if (snap->state == RunSnapshot::State::Running)
                QVERIFY(snap->phase.completed <= snap->phase.issued);
            QTest::qWait(50); // a 20 Hz reader
        }
        const LoadTestReport report = f.result();
        const auto last = engine.snapshot();
        QCOMPARE(last->state, RunSnapshot::State::Finished);
        QCOMPARE(last->finished.size(), 1);
        QCOMPARE(last->completedRuns.size(), 1);
        QVERIFY(states.contains(RunSnapshot::State::Running));
        QVERIFY(maxIntervals >= 10);
        qInfo("%lld snapshot() calls, %.1f µs each on average; states seen: %lld", calls,
              double(nsInSnapshot) / double(calls) / 1e3, qint64(states.size()));
        QVERIFY(double(nsInSnapshot) / double(calls) < 200'000); // cheap: no copy of metrics
        QCOMPARE(last->finished.first().completed, report.runs.first().phases.first().completed);
        QVERIFY(std::abs(report.runs.first().phases.first().achievedSendRate() - 40) < 2);
    }

    // The async load's work is done on the client's completion thread ("mx-calls"): the report counts it
    // among the work threads ("gRPC threads"), so the CPU split and the saturation warning see it. Left
    // out, the gRPC threads' share of an async search phase is near nothing (gRPC's own threads barely
    // run; tst_concurrency).
    void asyncWorkIsCountedOnTheWorkThreads()
    {
        LoadTestPlan plan;
        RunSpec s;
        s.op = OpKind::Search;
        s.mode = LoadMode::Async;
        s.count = 400;
        s.precomputedVectors = true;
        plan.runs = {s};
        const LoadTestReport r = runPlan(plan);
        QVERIFY2(r.runs.first().error.isEmpty(), qPrintable(r.runs.first().error));
        const PhaseResult &p = r.runs.first().phases.first();
        QCOMPARE(p.completed, qint64(400));
        const qint64 notSender = p.cpu.processNs - p.cpu.senderThreadNs;
        qInfo("async search phase: process %lld us, sender %lld us, gRPC threads %lld us",
              p.cpu.processNs / 1000, p.cpu.senderThreadNs / 1000, p.cpu.grpcThreadsNs / 1000);
        QVERIFY(notSender > 0);
        QVERIFY2(p.cpu.grpcThreadsNs >= notSender / 4,
                 qPrintable(QStringLiteral("gRPC threads %1 ns of %2 ns off the sending thread")
                                .arg(p.cpu.grpcThreadsNs)
                                .arg(notSender)));
    }

    void warmupIsNotMeasured()
    {
        LoadTestPlan plan;
        RunSpec s;
        s.op = OpKind::Add;
        s.mode = LoadMode::Bounded;
        s.concurrency = 2;
        s.count = 8;
        s.warmupOps = 5;
        plan.runs = {s};
        const LoadTestReport r = runPlan(plan);
        QVERIFY2(r.runs.first().error.isEmpty(), qPrintable(r.runs.first().error));
        const RunResult &run = r.runs.first();
        QCOMPARE(run.warmupIssued, qint64(5));
        QCOMPARE(run.phases.first().issued, qint64(8));
        QCOMPARE(run.phases.first().insertedRows, qint64(8));
        // The warm-up's writes still count for the integrity check.
        QCOMPARE(run.integrity.inserted, qint64(13));
        QVERIFY(run.integrity.ok());
    }

    void tutorialPreset()
    {
        LoadTestPlan plan = TutorialPreset::plan(2, {5, 20}, 60);
        const LoadTestReport r = runPlan(plan);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QVERIFY(r.tutorial.has_value());
        const QString text = ReportSummary::text(r);
        qInfo().noquote() << ReportSummary::tutorialTable(*r.tutorial);
        QCOMPARE(r.tutorial->rows.size(), 6);
        for (const TutorialRow &row : r.tutorial->rows) {
            QCOMPARE(row.asyncSeconds.size(), 2);
            QCOMPARE(row.syncSeconds.size(), 2);
            QCOMPARE(row.errors, qint64(0));
            QCOMPARE(row.integrityDifferences, qint64(0));
            QVERIFY(row.speedup.hasInterval);
            QVERIFY(row.speedup.low <= row.speedup.ratio && row.speedup.ratio <= row.speedup.high);
        }
        QCOMPARE(r.integrityProblems(), 0);
        QVERIFY(text.contains(QLatin1String("sync/async")));
    }

    // N channels are N connections: counted from the kernel's tables while the run's clients are alive
    // (the integrity hook runs on the engine thread before its check), with the operations split evenly
    // among them; sync mode uses one whatever is asked. The figures survive the JSON report and a merge.
    void channelsAreSeparateConnections()
    {
        const int port = QUrl(m_server.uri()).port();
        QVERIFY(port > 0);
        // Clients of earlier tests close their connections on the I/O pool: let that settle first.
        int baseline = connectionsTo(port);
        for (int i = 0; i < 20; ++i) {
            QTest::qWait(250);
            const int now = connectionsTo(port);
            if (now == baseline && i >= 2)
                break;
            baseline = now;
        }
        QList<int> seen;
        LoadTestEngine engine(m_config, m_embedder);
        engine.setIntegrityHook([&](MilvusClient &, const QString &) { seen.append(connectionsTo(port)); });
        LoadTestPlan plan;
        RunSpec s;
        s.op = OpKind::Add;
        s.mode = LoadMode::Bounded;
        s.concurrency = 6;
        s.count = 12;
        s.channels = 1;
        plan.runs.append(s);
        s.channels = 3;
        s.mode = LoadMode::Sync; // one call in flight: one channel
        plan.runs.append(s);
        s.mode = LoadMode::Bounded;
        plan.runs.append(s);
        s.mode = LoadMode::Async;
        s.count = 10;
        s.channels = 4;
        plan.runs.append(s);
        const LoadTestReport r = runPlan(plan, &engine);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.runs.size(), 4);
        for (const RunResult &run : r.runs) {
            QVERIFY2(run.error.isEmpty(), qPrintable(run.error));
            QCOMPARE(run.phases.first().failed, qint64(0));
            QVERIFY2(run.integrity.ok(), qPrintable(run.integrity.describe()));
        }
        QCOMPARE(seen, (QList<int>{baseline + 1, baseline + 1, baseline + 3, baseline + 4}));
        QCOMPARE(r.runs.at(0).channels, 1);
        QVERIFY(r.runs.at(0).operationsPerChannel.isEmpty());
        QCOMPARE(r.runs.at(1).channels, 1);
        QVERIFY(r.runs.at(1).warnings.join(QLatin1Char(' ')).contains(QLatin1String("one channel used")));
        QCOMPARE(r.runs.at(2).channels, 3);
        QCOMPARE(r.runs.at(2).operationsPerChannel, (QList<qint64>{4, 4, 4}));
        QCOMPARE(r.runs.at(3).operationsPerChannel, (QList<qint64>{3, 3, 2, 2}));
        QVERIFY(r.runs.at(2).label.contains(QLatin1String("ch=3")));
        const QString text = ReportSummary::text(r);
        QVERIFY2(text.contains(QLatin1String("3 gRPC channels (connections), operations per channel 4/4/4")),
                 qPrintable(text));
        QVERIFY(text.contains(QLatin1String("1 gRPC channel (one connection)")));

        LoadTestReport back;
        QString error;
        QVERIFY2(ReportJson::fromJson(ReportJson::toJson(r), &back, &error), qPrintable(error));
        for (int i = 0; i < r.runs.size(); ++i) {
            QCOMPARE(back.runs.at(i).spec.channels, r.runs.at(i).spec.channels);
            QCOMPARE(back.runs.at(i).channels, r.runs.at(i).channels);
            QCOMPARE(back.runs.at(i).operationsPerChannel, r.runs.at(i).operationsPerChannel);
        }
        QCOMPARE(ReportJson::toJson(back), ReportJson::toJson(r));
        // Two machines' channels are all connections the server saw.
        const LoadTestReport merged = ReportMerger::merge(r, back);
        QCOMPARE(merged.runs.at(2).channels, 6);
        QCOMPARE(merged.runs.at(2).operationsPerChannel, (QList<qint64>{4, 4, 4, 4, 4, 4}));
        QTRY_COMPARE_WITH_TIMEOUT(connectionsTo(port), baseline, 10000); // gone with the plan's clients
    }

    void userCollectionIsReadOnlyUnlessConfirmed()
    {
        auto client = m_server.client();
        const QString name = test::createLoadedCollection(*client, QStringLiteral("users_own"), 8, 30);
        auto count = [&] { return ScratchStore::count(*client, name, {}); };
        QCOMPARE(count(), qint64(30));

        LoadTestPlan writes;
        writes.userCollection = name;
        RunSpec del;
        del.op = OpKind::Delete;
        del.deleteByPrimaryKey = true;
        del.count = 5;
        writes.runs = {del};
        LoadTestReport r = runPlan(writes);
        QVERIFY(r.error.contains(QLatin1String("--allow-writes")));
        QVERIFY(r.runs.isEmpty());
        QCOMPARE(count(), qint64(30));

        // Reads are fine; the embedder's 16 dimensions do not fit the field's 8: an error unless random
        // vectors of the collection's dimension are asked for (then a warning says so).
        LoadTestPlan reads;
        reads.userCollection = name;
        RunSpec search;
        search.op = OpKind::Search;
        search.mode = LoadMode::Async;
        search.count = 10;
        search.precomputedVectors = true;
        search.randomVectorsOnMismatch = true;
        RunSpec plain = search;
        plain.precomputedVectors = true;
        plain.randomVectorsOnMismatch = false;
        RunSpec query;
        query.op = OpKind::Query;
        query.count = 5;
        query.filter = QStringLiteral("score > 1");
        reads.runs = {search, plain, query};
        r = runPlan(reads);
        QVERIFY2(r.runs.at(0).error.isEmpty(), qPrintable(r.runs.at(0).error));
        QCOMPARE(r.runs.at(0).phases.first().completed, qint64(10));
        QVERIFY(!r.runs.at(0).scratchCollection);
        QVERIFY(r.runs.at(0).warnings.join(QLatin1Char(' ')).contains(QLatin1String("random unit vectors")));
        // A user collection keeps its own consistency level, and the report names it.
        QVERIFY2(r.runs.at(0).readConsistency.startsWith(QLatin1String("collection default")),
                 qPrintable(r.runs.at(0).readConsistency));
        QVERIFY(r.runs.at(1).error.contains(QLatin1String("dimension"))); // said clearly, not a failed search
        QVERIFY(r.runs.at(1).phases.isEmpty());
        QCOMPARE(r.runs.at(2).phases.first().completed, qint64(5));

        // Confirmed writes by primary key work, are checked, and the collection is never dropped.
        writes.allowWrites = true;
        r = runPlan(writes);
        QVERIFY2(r.runs.first().error.isEmpty(), qPrintable(r.runs.first().error));
        QCOMPARE(r.runs.first().phases.first().deletedRows, qint64(5));
        QVERIFY(r.runs.first().integrity.ok());
        QCOMPARE(count(), qint64(25));
        QVERIFY(client->hasCollection(CollectionRequest{name}));
        QVERIFY_THROWS_EXCEPTION(MilvusException, ScratchStore::drop(*client, name, {}));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestLoadTestOperations)
#include "tst_loadtest_operations.moc"
