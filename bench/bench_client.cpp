// bench_client: the C++ client's side of bench/client_compare.sh. Runs the same workloads as
// bench/client_bench.py does for pymilvus and langchain-milvus, with the blocking (synchronous stub) or
// the async (QFuture, gRPC callback API) form of mx::MilvusClient, and prints one JSON object.
//
//   bench_client --uri http://127.0.0.1:PORT --api blocking|async --search-collection C [--dim 128]
//                [--searches 2000] [--k 10] [--inflight 32] [--insert-collection C2]
//                [--insert-rows 100000] [--batch 1000]
//
// Search collection schema (created by client_compare.sh): pk INT64, vector FLOAT_VECTOR(dim), text
// VARCHAR; every client asks for output field "text". The insert collection must exist with the same
// schema; this program only inserts into it.

#include "BenchCommon.h"
#include "MilvusClient.h"
#include "MilvusError.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureSynchronizer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QWaitCondition>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

namespace mx {
namespace {

using bench::processCpuUs;
using bench::vectorFor;

qint64 procStatusKb(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray k(key);
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(k))
            return line.mid(k.size()).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const auto i = std::min(v.size() - 1, size_t(p / 100.0 * double(v.size() - 1) + 0.5));
    return v[i];
}

struct Options
{
    QString uri;
    QString token;
    QString phases = QStringLiteral("seq,concurrent"); // which search phases run
    bool async = false;
    bool chain = false; // sequential async: each completion starts the next search (no wait per call)
    QString searchCollection;
    QString insertCollection;
    int dim = 128;
    int searches = 2000;
    int k = 10;
    int inflight = 32;
    int insertRows = 100000;
    int batch = 1000;
};

SearchRequest searchRequest(const Options &o, qint64 i)
{
    SearchRequest r;
    r.collection = o.searchCollection;
    r.annsField = QStringLiteral("vector");
    r.vectors.dim = o.dim;
    r.vectors.values = vectorFor(1000000 + i, o.dim);
    r.topK = o.k;
    r.searchParams = QJsonObject{{QStringLiteral("ef"), 64}};
    r.outputFields = {QStringLiteral("text")};
    return r;
}

InsertRequest insertRequest(const Options &o, qint64 first, int n)
{
    QList<qint64> ids;
    QList<float> flat;
    QStringList texts;
    ids.reserve(n);
    flat.reserve(qsizetype(n) * o.dim);
    for (int r = 0; r < n; ++r) {
        ids.append(first + r);
        flat.append(vectorFor(first + r, o.dim));
        texts.append(QStringLiteral("document %1").arg(first + r));
    }
    InsertRequest req;
    req.collection = o.insertCollection;
    req.columns = {FieldColumn::int64s(QStringLiteral("pk"), ids),
                   FieldColumn::floatVectors(QStringLiteral("vector"), o.dim, flat),
                   FieldColumn::varchars(QStringLiteral("text"), texts)};
    return req;
}

// Sequential searches: one at a time, latency of each.
QJsonObject searchSequential(const MilvusClient &client, const Options &o)
{
    std::vector<double> lat;
    lat.reserve(o.searches);
    const double cpu0 = processCpuUs();
    QElapsedTimer total;
    total.start();
    if (o.async && o.chain) {
        // The async idiom for one call after another: each answer's continuation starts the next search.
        QMutex mutex;
        QWaitCondition done;
        bool finished = false;
        QString error;
        QElapsedTimer t;
        std::function<void(int)> step = [&](int i) {
            if (i > 0)
                lat.push_back(double(t.nsecsElapsed()) / 1e6);
            if (i == o.searches) {
                QMutexLocker lock(&mutex);
                finished = true;
                done.wakeAll();
                return;
            }
            t.start();
            client.searchAsync(searchRequest(o, i))
                .then(QtFuture::Launch::Sync, [&, i](QFuture<SearchResults> f) {
                    try {
                        const SearchResults res = f.result();
                        if (res.queries.isEmpty() || res.queries.first().size() != o.k)
                            error = QStringLiteral("search returned fewer hits than k");
                    } catch (const MilvusException &e) {
                        error = e.error().message();
                    }
                    step(error.isEmpty() ? i + 1 : o.searches);
                });
        };
        step(0);
        QMutexLocker lock(&mutex);
        while (!finished)
            done.wait(&mutex);
        if (!error.isEmpty())
            throw std::runtime_error(error.toStdString());
    }
    for (int i = 0; !(o.async && o.chain) && i < o.searches; ++i) { // the waited-for and blocking forms
        const SearchRequest req = searchRequest(o, i);
        QElapsedTimer t;
        t.start();
        SearchResults res;
        if (o.async) {
            auto f = client.searchAsync(req);
            f.waitForFinished();
            res = f.result();
        } else {
            res = client.search(req);
        }
        lat.push_back(double(t.nsecsElapsed()) / 1e6);
        if (res.queries.isEmpty() || res.queries.first().size() != o.k)
            throw std::runtime_error("search returned fewer hits than k");
    }
    const double secs = double(total.nsecsElapsed()) / 1e9;
    return {{"n", o.searches},
            {"p50_ms", percentile(lat, 50)},
            {"p99_ms", percentile(lat, 99)},
            {"ops_per_s", o.searches / secs},
            {"cpu_us_per_op", (processCpuUs() - cpu0) / o.searches}};
}

// `inflight` searches outstanding at any time: threads on the blocking form, or futures on the async form.
QJsonObject searchConcurrent(const MilvusClient &client, const Options &o)
{
    const double cpu0 = processCpuUs();
    QElapsedTimer total;
    total.start();
    std::atomic<int> next{0};
    if (!o.async) {
        std::vector<std::thread> threads;
        for (int t = 0; t < o.inflight; ++t)
            threads.emplace_back([&] {
                for (int i = next++; i < o.searches; i = next++)
                    client.search(searchRequest(o, i));
            });
        for (auto &t : threads)
            t.join();
    } else {
        QMutex mutex;
        QWaitCondition done;
        int running = 0;
        int finished = 0;
        QString error;
        for (int i = 0; i < o.searches; ++i) {
            {
                QMutexLocker lock(&mutex);
                while (running >= o.inflight)
                    done.wait(&mutex);
                ++running;
            }
            client.searchAsync(searchRequest(o, i))
                .then(QtFuture::Launch::Sync, [&](QFuture<SearchResults> f) {
                    QString err;
                    try {
                        f.result();
                    } catch (const MilvusException &e) {
                        err = e.error().message();
                    }
                    QMutexLocker lock(&mutex);
                    if (!err.isEmpty())
                        error = err;
                    --running;
                    ++finished;
                    done.wakeAll();
                });
        }
        QMutexLocker lock(&mutex);
        while (finished < o.searches)
            done.wait(&mutex);
        if (!error.isEmpty())
            throw std::runtime_error(error.toStdString());
    }
    const double secs = double(total.nsecsElapsed()) / 1e9;
    return {{"n", o.searches},
            {"inflight", o.inflight},
            {"ops_per_s", o.searches / secs},
            {"cpu_us_per_op", (processCpuUs() - cpu0) / o.searches}};
}

// Batches one after another (each waited for), as the Python clients do.
QJsonObject insertBatches(const MilvusClient &client, const Options &o)
{
    const double cpu0 = processCpuUs();
    QElapsedTimer total;
    total.start();
    qint64 inserted = 0;
    for (qint64 first = 0; first < o.insertRows; first += o.batch) {
        const int n = int(std::min<qint64>(o.batch, o.insertRows - first));
        const InsertRequest req = insertRequest(o, first, n);
        MutationResult res;
        if (o.async) {
            auto f = client.insertAsync(req);
            f.waitForFinished();
            res = f.result();
        } else {
            res = client.insert(req);
        }
        inserted += res.insertCount;
    }
    const double secs = double(total.nsecsElapsed()) / 1e9;
    const qint64 batches = (o.insertRows + o.batch - 1) / o.batch;
    return {{"rows", inserted},
            {"batch", o.batch},
            {"rows_per_s", inserted / secs},
            {"cpu_us_per_batch", (processCpuUs() - cpu0) / double(batches)}};
}

int run(const Options &o)
{
    ConnectionConfig cfg;
    cfg.uri = o.uri;
    cfg.token = o.token;
    cfg.defaultTimeout = std::chrono::milliseconds(600000);
    MilvusClient client(cfg);
    client.getVersion();
    QJsonObject out{{"client", !o.async  ? "C++ mx::MilvusClient blocking"
                               : o.chain ? "C++ mx::MilvusClient async (sequential: chained continuations)"
                                         : "C++ mx::MilvusClient async"}};
    if (!o.searchCollection.isEmpty() && o.searches > 0) {
        client.search(searchRequest(o, -1)); // warm-up (connection, collection cache)
        const QStringList phases = o.phases.split(QLatin1Char(','));
        if (phases.contains(QLatin1String("seq")))
            out.insert("search_seq", searchSequential(client, o));
        if (phases.contains(QLatin1String("concurrent")))
            out.insert("search_concurrent", searchConcurrent(client, o));
    }
    if (!o.insertCollection.isEmpty() && o.insertRows > 0)
        out.insert("insert", insertBatches(client, o));
    out.insert("peak_rss_mb", double(procStatusKb("VmHWM:")) / 1024.0);
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}

} // namespace
} // namespace mx

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOptions(
        {{"uri", "Milvus URI", "uri"},
         {"token", "user:password or API key", "token"},
         {"phases", "search phases to run: seq, concurrent or both", "list", "seq,concurrent"},
         {"seq-style", "async sequential: wait (for each call) or chain (each completion starts the next)",
          "style", "wait"},
         {"api", "blocking or async", "api", "blocking"},
         {"search-collection", "collection to search", "name"},
         {"insert-collection", "collection to insert into", "name"},
         {"dim", "vector dimension", "n", "128"},
         {"searches", "number of searches", "n", "2000"},
         {"k", "top k", "n", "10"},
         {"inflight", "concurrent searches", "n", "32"},
         {"insert-rows", "rows to insert", "n", "100000"},
         {"batch", "rows per insert", "n", "1000"}});
    p.process(app);
    mx::Options o;
    o.uri = p.value("uri");
    o.token = p.value("token");
    o.phases = p.value("phases");
    o.async = p.value("api") == QLatin1String("async");
    o.chain = p.value("seq-style") == QLatin1String("chain");
    o.searchCollection = p.value("search-collection");
    o.insertCollection = p.value("insert-collection");
    o.dim = p.value("dim").toInt();
    o.searches = p.value("searches").toInt();
    o.k = p.value("k").toInt();
    o.inflight = p.value("inflight").toInt();
    o.insertRows = p.value("insert-rows").toInt();
    o.batch = p.value("batch").toInt();
    try {
        return mx::run(o);
    } catch (const mx::MilvusException &e) {
        std::fprintf(stderr, "bench_client: %s\n", qPrintable(e.error().message()));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_client: %s\n", e.what());
    }
    return 1;
}
