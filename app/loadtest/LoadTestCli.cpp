#include "LoadTestCli.h"

#include "HttpEmbeddingProvider.h"
#include "LoadTestEngine.h"
#include "LocalEmbeddingProvider.h"
#include "LocalServer.h"
#include "ReportJson.h"
#include "ReportMerger.h"
#include "ReportSummary.h"
#include "ScratchStore.h"
#include "ServerInstall.h"
#include "TutorialPreset.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>

namespace mx {

namespace {

std::atomic<int> g_interrupts{0};

void onInterrupt(int)
{
    // The first Ctrl-C stops the run cleanly (partial results are reported); the second one kills.
    if (g_interrupts.fetch_add(1) >= 1)
        std::_Exit(130);
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

// "10" (seconds), "10s", "500ms", "2m"; -1 when malformed.
qint64 parseDurationMs(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*([0-9]*\\.?[0-9]+)\\s*(ms|s|m)?\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return -1;
    const double v = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    if (unit == QLatin1String("ms"))
        return qint64(v);
    if (unit == QLatin1String("m"))
        return qint64(v * 60000);
    return qint64(v * 1000);
}

// Runs the event loop (Milvus Lite's process is managed from it) until `done()` or the timeout; calls
// `tick()` every 50 ms.
template<typename Done, typename Tick>
bool spinUntil(Done done, Tick tick, int timeoutMs)
{
    QEventLoop loop;
    QTimer timer;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        tick();
        if (done() || (timeoutMs > 0 && clock.elapsed() > timeoutMs))
            loop.quit();
    });
    timer.start(50);
    if (!done())
        loop.exec();
    return done();
}

QString help(const QCommandLineParser &parser)
{
    return parser.helpText() +
           QStringLiteral(
               "\nModes: sync (one at a time, blocking client: the tutorial's loop), async (all at once, "
               "gathered),\n"
               "bounded (async, at most --concurrency in flight), rate (open loop at --rate ops/s; latency "
               "from\n"
               "each operation's planned start, uncorrected figure beside it; --concurrency limits in "
               "flight, 0 =\n"
               "none), sweep (bounded at 1, 2, 4 ... --concurrency).\n"
               "\nSafety: runs create and drop their own loadtest_* collections. --collection uses an "
               "existing\n"
               "collection, read-only unless --allow-writes is given.\n"
               "\nExit status: 0 ok; 1 more failed operations than --fail-on-errors (default 0); 4 an\n"
               "integrity difference (unless --no-fail-on-integrity); 5 both; 2 usage; 3 could not run (no\n"
               "server, ...); 130 stopped by Ctrl-C (the partial report is still printed and written).\n"
               "\nmilvus-loadtest merge A.json B.json [...] -o C.json  combines reports exactly (histograms "
               "merge,\n"
               "percentiles are recomputed) and prints the combined summary.\n"
               "\nExamples:\n"
               "  milvus-loadtest --embedded --preset tutorial-faithful --repeat 5 --json tutorial.json\n"
               "  milvus-loadtest --embedded --preset tutorial-clean --warmup 10 --json clean.json\n"
               "  milvus-loadtest --uri http://host:19530 --op search --mode rate --rate 200 --duration 30s\n"
               "  milvus-loadtest --op mix --mix search:8,add:1,delete:1 --mode sweep --concurrency 32 "
               "--count 500\n");
}

} // namespace

std::optional<LoadTestCli::Options> LoadTestCli::parse(const QStringList &args, QString *error)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Load-test a Milvus server: the langchain-milvus async tutorial's "
                       "experiment, sync vs async, open-loop rates and sweeps."));
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    auto opt = [&](const QString &name, const QString &description, const QString &value = {},
                   const QString &def = {}) {
        QCommandLineOption o(name, description, value, def);
        p.addOption(o);
        return o;
    };
    const auto helpOpt = p.addHelpOption();
    const auto versionOpt = p.addVersionOption();
    const auto uri = opt(QStringLiteral("uri"), QStringLiteral("Milvus URI."), QStringLiteral("uri"),
                         QStringLiteral("http://127.0.0.1:19530"));
    const auto tokenEnv =
        opt(QStringLiteral("token-env"),
            QStringLiteral("Read the token (or user:password) from this environment variable."),
            QStringLiteral("name"));
    const auto db = opt(QStringLiteral("db"), QStringLiteral("Database name."), QStringLiteral("name"));
    const auto embedded =
        opt(QStringLiteral("embedded"),
            QStringLiteral("Start a local server of its own (temporary data directory) and test it."));
    const auto server = opt(QStringLiteral("server"),
                            QStringLiteral("With --embedded: standalone (the real Milvus 2.3 server) or lite "
                                           "(Milvus Lite, one request at a time)."),
                            QStringLiteral("kind"), QStringLiteral("standalone"));
    const auto op = opt(QStringLiteral("op"), QStringLiteral("add, search, delete, upsert, query or mix."),
                        QStringLiteral("op"), QStringLiteral("search"));
    const auto mix =
        opt(QStringLiteral("mix"), QStringLiteral("Weights for --op mix, e.g. search:8,add:1,delete:1."),
            QStringLiteral("spec"), QStringLiteral("search:8,add:1,delete:1"));
    const auto mode = opt(QStringLiteral("mode"), QStringLiteral("sync, async, bounded, rate or sweep."),
                          QStringLiteral("mode"), QStringLiteral("sync"));
    const auto count = opt(QStringLiteral("count"), QStringLiteral("Operations per run (default 100)."),
                           QStringLiteral("n"));
    const auto duration =
        opt(QStringLiteral("duration"), QStringLiteral("Run for this long instead (10s, 500ms, 2m)."),
            QStringLiteral("time"));
    const auto concurrency =
        opt(QStringLiteral("concurrency"),
            QStringLiteral("In flight: bounded limit, sweep maximum, rate limit (0 = none)."),
            QStringLiteral("c"));
    const auto channels = opt(
        QStringLiteral("channels"),
        QStringLiteral("gRPC channels (separate connections) to spread async, bounded, rate and sweep load "
                       "over, round-robin (default 1: one connection; sync always uses one)."),
        QStringLiteral("n"), QStringLiteral("1"));
    const auto rate = opt(QStringLiteral("rate"), QStringLiteral("Operations per second (rate mode)."),
                          QStringLiteral("r"), QStringLiteral("100"));
    const auto warmup =
        opt(QStringLiteral("warmup"), QStringLiteral("Unmeasured warm-up: a count (20) or a time (5s)."),
            QStringLiteral("n|time"));
    const auto batch = opt(QStringLiteral("batch"), QStringLiteral("Documents per add/delete/upsert."),
                           QStringLiteral("b"), QStringLiteral("1"));
    const auto k = opt(QStringLiteral("k"), QStringLiteral("Search top-k (query: row limit)."),
                       QStringLiteral("k"), QStringLiteral("3"));
    const auto filter =
        opt(QStringLiteral("filter"), QStringLiteral("Filter expression for search and query."),
            QStringLiteral("expr"));
    const auto precomputed =
        opt(QStringLiteral("precomputed-vectors"),
            QStringLiteral("Search pre-computed vectors: measure Milvus without embedding."));
    const auto queryVectors =
        opt(QStringLiteral("query-vectors"),
            QStringLiteral("Search these vectors (a JSON file: an array of arrays of numbers; operation i "
                           "sends vector i % count) instead of embedding the tutorial's queries."),
            QStringLiteral("file"));
    const auto byPk = opt(QStringLiteral("delete-by-pk"),
                          QStringLiteral("Delete by primary key instead of the tutorial's id == 'doc_i'."));
    const auto storeDocs =
        opt(QStringLiteral("store-docs"),
            QStringLiteral("Documents in the scratch store before a run (default: 0 for add, "
                           "1000 otherwise)."),
            QStringLiteral("n"));
    const auto timeout = opt(QStringLiteral("timeout"), QStringLiteral("Deadline per operation (30s)."),
                             QStringLiteral("time"), QStringLiteral("30s"));
    const auto collection =
        opt(QStringLiteral("collection"),
            QStringLiteral("Use this existing collection instead of scratch ones (read-only unless "
                           "--allow-writes)."),
            QStringLiteral("name"));
    const auto allowWrites = opt(QStringLiteral("allow-writes"),
                                 QStringLiteral("Confirm writes (add, delete, upsert) to --collection."));
    const auto keep =
        opt(QStringLiteral("keep-collections"),
            QStringLiteral("Leave the scratch collections for inspection instead of dropping them."));
    const auto repeat = opt(QStringLiteral("repeat"), QStringLiteral("Repeat each run this many times."),
                            QStringLiteral("r"));
    const auto preset =
        opt(QStringLiteral("preset"),
            QStringLiteral("The langchain-milvus async tutorial: tutorial-faithful (exactly as "
                           "it runs) or tutorial-clean (= tutorial: fresh store per run, "
                           "setup outside the clock, warm-up)."),
            QStringLiteral("name"));
    const auto counts =
        opt(QStringLiteral("counts"), QStringLiteral("Counts for the tutorial preset (10,100)."),
            QStringLiteral("list"), QStringLiteral("10,100"));
    const auto seed = opt(QStringLiteral("seed"), QStringLiteral("Seed of the documents' random content."),
                          QStringLiteral("n"), QStringLiteral("42"));
    const auto dim = opt(QStringLiteral("dim"), QStringLiteral("Dimension of the local embedder."),
                         QStringLiteral("d"), QStringLiteral("384"));
    const auto embeddingUrl =
        opt(QStringLiteral("embedding-url"),
            QStringLiteral("Embed with this OpenAI-compatible server (POST /v1/embeddings) "
                           "instead of the local lexical embedder."),
            QStringLiteral("url"));
    const auto embeddingModel =
        opt(QStringLiteral("embedding-model"), QStringLiteral("Model for --embedding-url."),
            QStringLiteral("name"), QStringLiteral("text-embedding-3-small"));
    const auto embeddingKeyEnv = opt(
        QStringLiteral("embedding-key-env"),
        QStringLiteral("Read the embedding server's API key from this variable."), QStringLiteral("name"));
    const auto embeddingConcurrency =
        opt(QStringLiteral("embedding-concurrency"),
            QStringLiteral("Embedding requests in flight at most (HTTP); 0 (default) = no limit: as many as "
                           "the run puts in flight. Shown in the report."),
            QStringLiteral("n"), QStringLiteral("0"));
    const auto scratchPrefix =
        opt(QStringLiteral("scratch-prefix"),
            QStringLiteral("Name prefix of the scratch collections the tool creates (and the only ones it "
                           "drops)."),
            QStringLiteral("prefix"), ScratchStore::prefix());
    const auto consistency =
        opt(QStringLiteral("consistency"),
            QStringLiteral("Consistency of searches and queries: Strong, Session, Bounded or Eventually "
                           "(default: Session on scratch stores, the collection's default otherwise)."),
            QStringLiteral("level"));
    const auto searchParams =
        opt(QStringLiteral("search-params"),
            QStringLiteral("Search parameters as JSON, e.g. '{\"ef\":64}' or '{\"nprobe\":16}'."),
            QStringLiteral("json"));
    const auto outputFields =
        opt(QStringLiteral("output-fields"),
            QStringLiteral("Comma-separated output fields of searches and queries (default: text,id on the "
                           "langchain store; '' for none)."),
            QStringLiteral("list"));
    const auto randomVectors =
        opt(QStringLiteral("random-vectors"),
            QStringLiteral("Searching a collection whose dimension the embedder does not make: use random "
                           "unit vectors of its dimension instead of refusing."));
    const auto recall = opt(QStringLiteral("recall"),
                            QStringLiteral("Search runs: measure recall@k against an exact (brute-force) "
                                           "search over the same data."));
    const auto drainTimeout =
        opt(QStringLiteral("drain-timeout"),
            QStringLiteral("Wait this long for operations in flight at the end (default: timeout + 5s); "
                           "writes still unanswered count as unknown outcome."),
            QStringLiteral("time"));
    const auto json = opt(QStringLiteral("json"), QStringLiteral("Write the JSON report to this file."),
                          QStringLiteral("file"));
    const auto failOnErrors =
        opt(QStringLiteral("fail-on-errors"), QStringLiteral("Exit 1 when more than N operations failed."),
            QStringLiteral("n"), QStringLiteral("0"));
    const auto failOnIntegrity = opt(QStringLiteral("fail-on-integrity"),
                                     QStringLiteral("Exit 4 on an integrity difference (the default)."));
    const auto noFailOnIntegrity = opt(QStringLiteral("no-fail-on-integrity"),
                                       QStringLiteral("Report integrity differences without failing."));
    const auto quiet = opt(QStringLiteral("quiet"), QStringLiteral("No progress lines on stderr."));
    const QCommandLineOption installServers(
        QStringList{QStringLiteral("install-servers"), QStringLiteral("yes")},
        QStringLiteral("With --embedded: when the local servers are missing, install them into the per-user "
                       "environment (~/.local/share/milvus-explorer/venv) without asking."));
    p.addOption(installServers);

    auto bad = [&](const QString &why) -> std::optional<Options> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!p.parse(QStringList{QStringLiteral("milvus-loadtest")} + args))
        return bad(p.errorText());
    if (p.isSet(helpOpt))
        return bad(help(p));
    if (p.isSet(versionOpt))
        return bad(QStringLiteral("milvus-loadtest %1").arg(QStringLiteral(MX_VERSION_STRING)));
    if (!p.positionalArguments().isEmpty())
        return bad(
            QStringLiteral("unexpected argument '%1' (see --help)").arg(p.positionalArguments().first()));

    auto integer = [&](const QCommandLineOption &o, qint64 min, qint64 *outValue) {
        bool ok = false;
        const qint64 v = p.value(o).toLongLong(&ok);
        if (!ok || v < min) {
            if (error)
                *error = QStringLiteral("--%1 must be an integer >= %2, not '%3'")
                             .arg(o.names().first())
                             .arg(min)
                             .arg(p.value(o));
            return false;
        }
        *outValue = v;
        return true;
    };

    Options o;
    o.connection.uri = p.value(uri);
    o.connection.dbName = p.value(db);
    if (p.isSet(tokenEnv)) {
        o.connection.token = qEnvironmentVariable(qPrintable(p.value(tokenEnv)));
        if (o.connection.token.isEmpty())
            return bad(
                QStringLiteral("the environment variable %1 (--token-env) is empty").arg(p.value(tokenEnv)));
    }
    o.embedded = p.isSet(embedded);
    if (const auto kind = LocalServer::kindFromKey(p.value(server)))
        o.embeddedKind = *kind;
    else
        return bad(QStringLiteral("--server takes standalone or lite"));
    if (o.embedded && p.isSet(uri))
        return bad(QStringLiteral("--embedded and --uri exclude each other"));
    o.jsonFile = p.value(json);
    o.quiet = p.isSet(quiet);
    o.installServers = p.isSet(installServers);
    o.failOnIntegrity = !p.isSet(noFailOnIntegrity) || p.isSet(failOnIntegrity);
    qint64 v = 0;
    if (!integer(failOnErrors, 0, &o.failOnErrors) || !integer(dim, 1, &v))
        return std::nullopt;
    o.dimension = int(v);
    o.embeddingUrl = p.value(embeddingUrl);
    o.embeddingModel = p.value(embeddingModel);
    if (p.isSet(embeddingKeyEnv)) {
        o.embeddingKey = qEnvironmentVariable(qPrintable(p.value(embeddingKeyEnv)));
        if (o.embeddingKey.isEmpty())
            return bad(QStringLiteral("the environment variable %1 (--embedding-key-env) is empty")
                           .arg(p.value(embeddingKeyEnv)));
    }
    if (!integer(embeddingConcurrency, 0, &v))
        return std::nullopt;
    o.embeddingConcurrency = int(v);
    o.plan.scratchPrefix = p.value(scratchPrefix);
    if (!o.embeddingUrl.isEmpty() && !p.isSet(dim))
        o.dimension = 0; // whatever the model makes
    if (!integer(seed, 0, &v))
        return std::nullopt;
    o.plan.seed = quint64(v);
    o.plan.userCollection = p.value(collection);
    o.plan.allowWrites = p.isSet(allowWrites);
    o.plan.keepCollections = p.isSet(keep);
    if (p.isSet(queryVectors)) {
        QFile f(p.value(queryVectors));
        if (!f.open(QIODevice::ReadOnly))
            return bad(
                QStringLiteral("--query-vectors: cannot read %1: %2").arg(f.fileName(), f.errorString()));
        QJsonParseError pe;
        const QJsonDocument d = QJsonDocument::fromJson(f.readAll(), &pe);
        bool numbers = d.isArray() && !d.array().isEmpty();
        for (const QJsonValue &row : d.array()) {
            QList<float> v;
            for (const QJsonValue &x : row.toArray()) {
                numbers = numbers && x.isDouble();
                v.append(float(x.toDouble()));
            }
            numbers = numbers && !v.isEmpty();
            o.plan.queryVectors.append(v);
        }
        if (!numbers)
            return bad(
                QStringLiteral("--query-vectors: %1 is not a JSON array of non-empty arrays of numbers%2")
                    .arg(f.fileName(), pe.error ? QStringLiteral(": ") + pe.errorString() : QString()));
    }
    qint64 repeats = 1;
    if (p.isSet(repeat) && !integer(repeat, 1, &repeats))
        return std::nullopt;

    // Warm-up, read settings and limits apply to presets and plain runs alike.
    qint64 warmupOps = -1;
    qint64 warmupMs = 0;
    if (p.isSet(warmup)) {
        const QString w = p.value(warmup);
        if (w.contains(QRegularExpression(QStringLiteral("[a-z]")))) {
            warmupMs = parseDurationMs(w);
            warmupOps = 0;
            if (warmupMs < 0)
                return bad(QStringLiteral("--warmup must be a count (20) or a time (5s)"));
        } else if (!integer(warmup, 0, &warmupOps)) {
            return std::nullopt;
        }
    }
    std::optional<ConsistencyLevel> level;
    if (p.isSet(consistency)) {
        level = consistencyFromName(p.value(consistency));
        if (!level)
            return bad(QStringLiteral("--consistency takes Strong, Session, Bounded or Eventually"));
    }
    QJsonObject params;
    if (p.isSet(searchParams)) {
        QJsonParseError pe;
        const QJsonDocument d = QJsonDocument::fromJson(p.value(searchParams).toUtf8(), &pe);
        if (!d.isObject())
            return bad(QStringLiteral("--search-params must be a JSON object such as {\"ef\":64}: %1")
                           .arg(pe.errorString()));
        params = d.object();
    }
    std::optional<QStringList> fields;
    if (p.isSet(outputFields)) {
        QStringList f;
        for (const QString &name : p.value(outputFields).split(QLatin1Char(','), Qt::SkipEmptyParts))
            f.append(name.trimmed());
        fields = f;
    }
    qint64 drainMs = 0;
    if (p.isSet(drainTimeout)) {
        drainMs = parseDurationMs(p.value(drainTimeout));
        if (drainMs <= 0)
            return bad(QStringLiteral("--drain-timeout must be a time like 10s"));
    }
    qint64 channelCount = 1;
    if (!integer(channels, 1, &channelCount))
        return std::nullopt;
    if (channelCount > RunSpec::kMaxChannels)
        return bad(QStringLiteral("--channels must be at most %1").arg(RunSpec::kMaxChannels));
    auto applyCommon = [&](RunSpec &s) {
        s.channels = int(channelCount);
        s.consistency = level;
        if (p.isSet(searchParams))
            s.searchParams = params;
        if (fields)
            s.outputFields = fields;
        s.randomVectorsOnMismatch = p.isSet(randomVectors);
        s.recall = p.isSet(recall) && (s.op == OpKind::Search);
        s.drainTimeoutMs = drainMs;
    };

    if (p.isSet(preset)) {
        const auto variant = TutorialPreset::variantFromName(p.value(preset));
        if (!variant)
            return bad(
                QStringLiteral("unknown preset '%1' (known: tutorial-faithful, tutorial-clean, tutorial)")
                    .arg(p.value(preset)));
        if (!o.plan.userCollection.isEmpty())
            return bad(QStringLiteral("the tutorial preset runs on scratch collections only"));
        QList<qint64> countList;
        for (const QString &c : p.value(counts).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            countList.append(c.trimmed().toLongLong(&ok));
            if (!ok || countList.last() < 1)
                return bad(
                    QStringLiteral("--counts must list positive integers, not '%1'").arg(p.value(counts)));
        }
        qint64 docs = 1000;
        if (p.isSet(storeDocs) && !integer(storeDocs, 1, &docs))
            return std::nullopt;
        const LoadTestPlan tutorial =
            TutorialPreset::plan(p.isSet(repeat) ? int(repeats) : TutorialPreset::kDefaultRepeats, countList,
                                 docs, *variant, warmupOps, warmupMs);
        o.plan.runs = tutorial.runs;
        o.plan.preset = tutorial.preset;
        for (RunSpec &s : o.plan.runs) {
            const std::optional<QStringList> presetFields = s.outputFields;
            applyCommon(s);
            if (!fields)
                s.outputFields = presetFields; // the faithful preset's langchain fields unless overridden
        }
    } else {
        RunSpec s;
        const auto opKind = opKindFromName(p.value(op));
        const auto loadMode = loadModeFromName(p.value(mode));
        if (!opKind)
            return bad(QStringLiteral("unknown --op '%1'").arg(p.value(op)));
        if (!loadMode)
            return bad(QStringLiteral("unknown --mode '%1'").arg(p.value(mode)));
        s.op = *opKind;
        s.mode = *loadMode;
        if (s.op == OpKind::Mix) {
            QString why;
            s.mix = parseMix(p.value(mix), &why);
            if (s.mix.isEmpty())
                return bad(QStringLiteral("--mix: %1").arg(why));
        }
        if (p.isSet(duration)) {
            s.durationMs = parseDurationMs(p.value(duration));
            if (s.durationMs <= 0)
                return bad(QStringLiteral("--duration must be a time like 10s, 500ms or 2m"));
            s.count = 0;
        }
        if (p.isSet(count) && !integer(count, 1, &s.count))
            return std::nullopt;
        qint64 c = s.mode == LoadMode::Rate ? 0 : 8;
        if (p.isSet(concurrency) && !integer(concurrency, s.mode == LoadMode::Rate ? 0 : 1, &c))
            return std::nullopt;
        s.concurrency = int(c);
        bool ok = false;
        s.rate = p.value(rate).toDouble(&ok);
        if (!ok || !(s.rate > 0))
            return bad(QStringLiteral("--rate must be a number above 0"));
        s.warmupOps = std::max<qint64>(warmupOps, 0);
        s.warmupMs = warmupMs;
        if (!integer(batch, 1, &v))
            return std::nullopt;
        s.batch = int(v);
        if (!integer(k, 1, &v))
            return std::nullopt;
        s.k = int(v);
        s.filter = p.value(filter);
        s.precomputedVectors = p.isSet(precomputed);
        s.deleteByPrimaryKey = p.isSet(byPk);
        if (p.isSet(storeDocs) && !integer(storeDocs, 0, &s.storeDocs))
            return std::nullopt;
        s.sharedStore = !s.writes();
        const qint64 t = parseDurationMs(p.value(timeout));
        if (t <= 0)
            return bad(QStringLiteral("--timeout must be a time like 30s"));
        s.opTimeoutMs = t;
        applyCommon(s);
        for (qint64 r = 0; r < repeats; ++r) {
            RunSpec copy = s;
            copy.label = repeats > 1 ? QStringLiteral("%1 #%2").arg(s.describe()).arg(r + 1) : s.describe();
            o.plan.runs.append(copy);
        }
    }
    if (const QString problem = o.plan.validate(); !problem.isEmpty())
        return bad(problem);
    return o;
}

int LoadTestCli::exitCode(const LoadTestReport &report, qint64 failOnErrors, bool failOnIntegrity)
{
    if (!report.error.isEmpty())
        return CouldNotRun;
    qint64 errors = report.totalFailed();
    for (const RunResult &r : report.runs)
        errors += r.error.isEmpty() ? 0 : 1; // a run that could not run is an error too
    int code = Ok;
    if (errors > failOnErrors)
        code |= ErrorsOverThreshold;
    if (failOnIntegrity && report.integrityProblems() > 0)
        code |= IntegrityDifference;
    return code;
}

int LoadTestCli::run(const QStringList &args)
{
    QString problem;
    const auto options = parse(args, &problem);
    if (!options) {
        const bool informational = problem.startsWith(QLatin1String("Usage:")) ||
                                   problem.startsWith(QLatin1String("milvus-loadtest "));
        (informational ? out() : err()) << problem << Qt::endl;
        return informational ? Ok : Usage;
    }
    return runPlan(*options);
}

int LoadTestCli::runPlan(const Options &o)
{
    Options options = o;
    std::unique_ptr<LocalServer> server;
    QTemporaryDir dataDir;
    if (options.embedded) {
        if (!ensureLocalServer(options.embeddedKind, options.installServers, options.quiet))
            return CouldNotRun;
        server = std::make_unique<LocalServer>();
        LocalServer::Options so;
        so.kind = options.embeddedKind;
        so.dataDir = dataDir.path();
        const QString name = LocalServer::kindName(so.kind);
        if (!options.quiet) {
            err() << "starting " << name << " in " << dataDir.path() << Qt::endl;
            QObject::connect(server.get(), &LocalServer::progress, server.get(),
                             [](const QString &step) { err() << "  " << step << Qt::endl; });
        }
        QFuture<LocalServer::Endpoint> started = server->start(so);
        spinUntil([&] { return started.isFinished(); }, [] {}, 240000);
        try {
            const ConnectionConfig local = started.result().config;
            options.connection.uri = local.uri;
            options.connection.user = local.user;
            options.connection.password = local.password;
        } catch (const MilvusException &e) {
            err() << "could not start " << name << ": " << e.error().message() << Qt::endl;
            return CouldNotRun;
        }
    }

    std::shared_ptr<EmbeddingProvider> embedder;
    try {
        if (options.embeddingUrl.isEmpty()) {
            embedder = std::make_shared<LocalEmbeddingProvider>(options.dimension);
        } else {
            HttpEmbeddingProvider::Config c;
            c.baseUrl = options.embeddingUrl;
            c.model = options.embeddingModel;
            c.apiKey = options.embeddingKey;
            if (options.dimension > 0)
                c.dimensions = options.dimension;
            // No limit means as many requests as the plan ever puts in flight: all at once stays all at once.
            c.maxConcurrentRequests = options.embeddingConcurrency > 0
                                          ? options.embeddingConcurrency
                                          : std::max(1, options.plan.maxInFlight());
            embedder = std::make_shared<HttpEmbeddingProvider>(c);
        }
    } catch (const MilvusException &e) {
        err() << e.error().message() << Qt::endl;
        return Usage;
    }
    options.plan.embeddingInFlight = options.embeddingUrl.isEmpty() ? 0 : options.embeddingConcurrency;
    LoadTestEngine engine(options.connection, embedder);
    QFuture<LoadTestReport> future = engine.start(options.plan);

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    bool stopSent = false;
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    auto progress = [&] {
        if (g_interrupts.load() > 0 && !stopSent) {
            err() << "stopping: cancelling operations in flight (Ctrl-C again to kill)" << Qt::endl;
            engine.stop();
            stopSent = true;
        }
        if (options.quiet || sinceProgress.elapsed() < 1000)
            return;
        sinceProgress.restart();
        const auto s = engine.snapshot();
        QString line =
            QStringLiteral("[%1/%2] %3: %4")
                .arg(s->runIndex + 1)
                .arg(s->runCount)
                .arg(s->phase.label.isEmpty() ? s->runLabel : s->phase.label, runStateName(s->state));
        if (s->state == RunSnapshot::State::Running || s->state == RunSnapshot::State::WarmingUp) {
            const double opsPerSec =
                s->phase.intervals.isEmpty() ? 0 : s->phase.intervals.last().opsPerSecond();
            line += QStringLiteral(", %1 done, %2 failed, %3 in flight, %4 ops/s now, p99 %5")
                        .arg(s->phase.completed)
                        .arg(s->phase.failed)
                        .arg(s->phase.inFlight)
                        .arg(opsPerSec, 0, 'f', 1)
                        .arg(ReportSummary::duration(s->phase.latency.p99Ns));
        }
        err() << line << Qt::endl;
    };
    spinUntil([&] { return future.isFinished(); }, progress, 0);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    const LoadTestReport report = future.result();
    if (server)
        server->stop();

    out() << ReportSummary::text(report) << Qt::endl;
    if (!options.jsonFile.isEmpty()) {
        QSaveFile f(options.jsonFile);
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(QJsonDocument(ReportJson::toJson(report)).toJson()) < 0 || !f.commit()) {
            err() << "could not write " << options.jsonFile << ": " << f.errorString() << Qt::endl;
            return CouldNotRun;
        }
        if (!options.quiet)
            err() << "report written to " << options.jsonFile << Qt::endl;
    }
    const int code = exitCode(report, options.failOnErrors, options.failOnIntegrity);
    // Interrupted: the conventional 128 + SIGINT unless a threshold was crossed before the stop.
    return code == Ok && stopSent ? 130 : code;
}

int LoadTestCli::merge(const QStringList &args)
{
    QStringList inputs;
    QString output;
    bool quiet = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("-o") || args[i] == QLatin1String("--output")) {
            if (i + 1 >= args.size()) {
                err() << "merge: -o needs a file name" << Qt::endl;
                return Usage;
            }
            output = args[++i];
        } else if (args[i] == QLatin1String("--quiet")) {
            quiet = true;
        } else {
            inputs.append(args[i]);
        }
    }
    if (inputs.size() < 2 || output.isEmpty()) {
        err() << "usage: milvus-loadtest merge A.json B.json [...] -o C.json" << Qt::endl;
        return Usage;
    }
    std::optional<LoadTestReport> merged;
    for (const QString &path : inputs) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            err() << "merge: cannot read " << path << ": " << f.errorString() << Qt::endl;
            return Usage;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
        LoadTestReport r;
        QString why = parseError.errorString();
        if (doc.isNull() || !ReportJson::fromJson(doc.object(), &r, &why)) {
            err() << "merge: " << path << " is not a load-test report: " << why << Qt::endl;
            return Usage;
        }
        merged = merged ? ReportMerger::merge(*merged, r) : r;
    }
    QSaveFile f(output);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(ReportJson::toJson(*merged)).toJson()) < 0 ||
        !f.commit()) {
        err() << "merge: could not write " << output << ": " << f.errorString() << Qt::endl;
        return CouldNotRun;
    }
    if (!quiet)
        out() << ReportSummary::text(*merged) << Qt::endl;
    return Ok;
}

} // namespace mx
