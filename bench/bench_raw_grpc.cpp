// bench_raw_grpc: the floor under bench_client. The same Search request (same collection, vector, k,
// params and output field) sent with nothing but the generated gRPC stub: no request struct, no
// conversion of the answer, no call tracking. Blocking (synchronous stub) or async (callback API),
// sequential and `inflight` at a time; prints one JSON object with the process's CPU time per search.
//
//   bench_raw_grpc --uri http://127.0.0.1:PORT [--token user:password] --search-collection C
//                  [--api blocking|async] [--dim 128] [--searches 2000] [--k 10] [--inflight 32]
//                  [--channel-args default|ours] [--abseil-deadlock-detection off|on]
//                  [--save-answer FILE]
//
// "ours" creates the channel as mx::MilvusClient does (createMilvusChannel), "default" with gRPC's
// defaults: the difference is what the channel configuration costs. Abseil's deadlock detection (on in
// Debian's build, which has no NDEBUG) is off by default, as createMilvusChannel turns it off: "on"
// (default channel only) measures what it costs. --save-answer writes the warm-up search's answer (a
// serialized SearchResults) for bench_grpc_server to replay.

#include "BenchCommon.h"
#include "ConnectionConfig.h"
#include "GrpcChannel.h"
#include "ProtoConvert.h"

#include "milvus.grpc.pb.h"

#include <QByteArray>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <absl/synchronization/mutex.h>

#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using mx::bench::processCpuUs;
using mx::bench::vectorFor;

namespace pbm = milvus::proto::milvus;
namespace pbc = milvus::proto::common;

struct Options
{
    QString uri;
    QString token;
    QString collection;
    bool async = false;
    bool cq = false; // async through a completion queue and a thread of ours
    bool ourChannel = false;
    bool chain = false; // sequential async: each completion starts the next call
    int dim = 128;
    int searches = 2000;
    int k = 10;
    int inflight = 32;
    QString phases;
    QStringList channelArgs; // extra integer channel arguments, "name=value"
    QString saveAnswer;
    bool abseilDeadlockDetection = false;
};

void addParam(pbm::SearchRequest &req, const char *key, const std::string &value)
{
    auto *kv = req.add_search_params();
    kv->set_key(key);
    kv->set_value(value);
}

// The request mx::MilvusClient::search sends for bench_client's searchRequest(), built once per query.
pbm::SearchRequest requestFor(const Options &o, qint64 i)
{
    pbm::SearchRequest req;
    req.set_collection_name(o.collection.toStdString());
    req.set_dsl_type(pbc::DslType::BoolExprV1);
    req.add_output_fields("text");
    mx::FloatVectors v;
    v.dim = o.dim;
    v.values = vectorFor(1000000 + i, o.dim);
    req.set_placeholder_group(mx::proto::placeholderGroup(v));
    req.set_nq(1);
    addParam(req, "anns_field", "vector");
    addParam(req, "topk", std::to_string(o.k));
    addParam(req, "round_decimal", "-1");
    addParam(req, "ignore_growing", "False");
    addParam(req, "params", "{\"ef\":64}");
    req.set_use_default_consistency(true);
    return req;
}

struct Client
{
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<pbm::MilvusService::Stub> stub;
    std::string authorization;

    void prepare(grpc::ClientContext &ctx) const
    {
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
        if (!authorization.empty())
            ctx.AddMetadata("authorization", authorization);
    }

    void check(const grpc::Status &s, const pbm::SearchResults &r, int k) const
    {
        if (!s.ok())
            throw std::runtime_error("Search: " + s.error_message());
        if (r.status().code() != 0)
            throw std::runtime_error("Search: " + r.status().reason());
        if (r.results().ids().int_id().data_size() != k)
            throw std::runtime_error("Search returned fewer hits than k");
    }

    pbm::SearchResults searchBlocking(const pbm::SearchRequest &req, int k) const
    {
        grpc::ClientContext ctx;
        prepare(ctx);
        pbm::SearchResults resp;
        check(stub->Search(&ctx, req, &resp), resp, k);
        return resp;
    }

    // The completion-queue form: one thread of ours takes every completion from the queue (no
    // hand-over from gRPC's poller to its callback executor).
    std::unique_ptr<grpc::CompletionQueue> cq;
    std::thread cqThread;
    struct CqCall
    {
        grpc::ClientContext ctx;
        pbm::SearchResults resp;
        grpc::Status status;
        std::unique_ptr<grpc::ClientAsyncResponseReader<pbm::SearchResults>> reader;
        std::function<void()> done;
    };
    void startCq(int k)
    {
        cq = std::make_unique<grpc::CompletionQueue>();
        cqThread = std::thread([this, k] {
            void *tag = nullptr;
            bool ok = false;
            while (cq->Next(&tag, &ok)) {
                auto *call = static_cast<CqCall *>(tag);
                check(call->status, call->resp, k);
                auto done = std::move(call->done);
                delete call;
                done();
            }
        });
    }
    void stopCq()
    {
        if (!cq)
            return;
        cq->Shutdown();
        cqThread.join();
    }
    void searchCq(const pbm::SearchRequest &req, std::function<void()> done) const
    {
        auto *call = new CqCall;
        prepare(call->ctx);
        call->done = std::move(done);
        call->reader = stub->PrepareAsyncSearch(&call->ctx, req, cq.get());
        call->reader->StartCall();
        call->reader->Finish(&call->resp, &call->status, call);
    }

    // Starts one async search; `done` runs on a gRPC thread.
    void searchAsync(const pbm::SearchRequest &req, int k, std::function<void()> done) const
    {
        if (cq) {
            searchCq(req, std::move(done));
            return;
        }
        struct Call
        {
            grpc::ClientContext ctx;
            pbm::SearchRequest req;
            pbm::SearchResults resp;
        };
        auto *call = new Call;
        prepare(call->ctx);
        call->req = req;
        stub->async()->Search(&call->ctx, &call->req, &call->resp,
                              [this, call, k, done = std::move(done)](grpc::Status s) {
                                  check(s, call->resp, k);
                                  delete call;
                                  done();
                              });
    }
};

QJsonObject sequential(const Client &c, const Options &o, const std::vector<pbm::SearchRequest> &reqs)
{
    const double cpu0 = processCpuUs();
    QElapsedTimer t;
    t.start();
    if (o.async && o.chain) {
        // Each completion starts the next search (a continuation chain): nobody waits per call.
        std::mutex m;
        std::condition_variable cv;
        bool finished = false;
        std::function<void(int)> step = [&](int i) {
            if (i == o.searches) {
                std::lock_guard lock(m);
                finished = true;
                cv.notify_one();
                return;
            }
            c.searchAsync(reqs[size_t(i)], o.k, [&step, i] { step(i + 1); });
        };
        step(0);
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return finished; });
    }
    for (int i = 0; i < o.searches && !(o.async && o.chain); ++i) {
        if (!o.async) {
            c.searchBlocking(reqs[size_t(i)], o.k);
            continue;
        }
        std::mutex m;
        std::condition_variable cv;
        bool finished = false;
        c.searchAsync(reqs[size_t(i)], o.k, [&] {
            std::lock_guard lock(m);
            finished = true;
            cv.notify_one();
        });
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return finished; });
    }
    const double secs = double(t.nsecsElapsed()) / 1e9;
    return {{"n", o.searches},
            {"ops_per_s", o.searches / secs},
            {"cpu_us_per_op", (processCpuUs() - cpu0) / o.searches}};
}

QJsonObject concurrent(const Client &c, const Options &o, const std::vector<pbm::SearchRequest> &reqs)
{
    const double cpu0 = processCpuUs();
    QElapsedTimer t;
    t.start();
    if (!o.async) {
        std::atomic<int> next{0};
        std::vector<std::thread> threads;
        for (int n = 0; n < o.inflight; ++n)
            threads.emplace_back([&] {
                for (int i = next++; i < o.searches; i = next++)
                    c.searchBlocking(reqs[size_t(i)], o.k);
            });
        for (auto &th : threads)
            th.join();
    } else {
        std::mutex m;
        std::condition_variable cv;
        int running = 0;
        int finished = 0;
        for (int i = 0; i < o.searches; ++i) {
            {
                std::unique_lock lock(m);
                cv.wait(lock, [&] { return running < o.inflight; });
                ++running;
            }
            c.searchAsync(reqs[size_t(i)], o.k, [&] {
                std::lock_guard lock(m);
                --running;
                ++finished;
                cv.notify_all();
            });
        }
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return finished == o.searches; });
    }
    const double secs = double(t.nsecsElapsed()) / 1e9;
    return {{"n", o.searches},
            {"inflight", o.inflight},
            {"ops_per_s", o.searches / secs},
            {"cpu_us_per_op", (processCpuUs() - cpu0) / o.searches}};
}

int run(const Options &o)
{
    mx::ConnectionConfig cfg;
    cfg.uri = o.uri;
    Client c;
    if (o.ourChannel) {
        c.channel = mx::createMilvusChannel(cfg);
    } else {
        const auto parsed = mx::parseMilvusUri(o.uri);
        if (!parsed)
            throw std::runtime_error("bad uri");
        grpc::ChannelArguments args;
        args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
        for (const QString &kv : o.channelArgs) {
            const auto parts = kv.split(QLatin1Char('='));
            if (parts.size() != 2)
                throw std::runtime_error("--arg wants name=value");
            args.SetInt(parts[0].toStdString(), parts[1].toInt());
        }
        c.channel = grpc::CreateCustomChannel(parsed->target().toStdString(),
                                              grpc::InsecureChannelCredentials(), args);
    }
    c.stub = pbm::MilvusService::NewStub(c.channel);
    if (o.cq)
        c.startCq(o.k);
    if (!o.token.isEmpty())
        c.authorization = o.token.toUtf8().toBase64().toStdString();
    std::vector<pbm::SearchRequest> reqs;
    reqs.reserve(size_t(o.searches));
    for (int i = 0; i < o.searches; ++i)
        reqs.push_back(requestFor(o, i));
    const pbm::SearchResults first = c.searchBlocking(requestFor(o, -1), o.k); // warm-up
    if (!o.saveAnswer.isEmpty()) {
        QFile f(o.saveAnswer);
        const std::string bytes = first.SerializeAsString();
        if (!f.open(QIODevice::WriteOnly) ||
            f.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()))
            throw std::runtime_error("cannot write " + o.saveAnswer.toStdString());
    }
    QJsonObject out{
        {"client", QStringLiteral("bare gRPC stub %1%2, %3 channel arguments")
                       .arg(o.cq      ? QStringLiteral("async (completion queue)")
                            : o.async ? QStringLiteral("async (callback API)")
                                      : QStringLiteral("blocking"),
                            o.async && o.chain ? QStringLiteral(" (sequential: chained)") : QString(),
                            o.ourChannel ? QStringLiteral("our") : QStringLiteral("default"))},
        {"request_bytes", qint64(reqs.front().ByteSizeLong())},
        {"abseil_deadlock_detection", o.abseilDeadlockDetection}};
    if (o.phases.contains(QLatin1String("seq")))
        out.insert("search_seq", sequential(c, o, reqs));
    if (o.phases.contains(QLatin1String("concurrent")))
        out.insert("search_concurrent", concurrent(c, o, reqs));
    c.stopCq();
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOptions(
        {{"uri", "Milvus URI", "uri"},
         {"token", "user:password or API key", "token"},
         {"api", "blocking, async (callback API) or cq (completion queue)", "api", "blocking"},
         {"search-collection", "collection to search", "name"},
         {"channel-args", "default or ours", "which", "default"},
         {"dim", "vector dimension", "n", "128"},
         {"searches", "number of searches", "n", "2000"},
         {"k", "top k", "n", "10"},
         {"inflight", "concurrent searches", "n", "32"},
         {"arg", "an integer gRPC channel argument (default channel only), name=value", "kv"},
         {"phases", "seq, concurrent or both", "list", "seq,concurrent"},
         {"seq-style", "async sequential: wait (for each call) or chain (each completion starts the next)",
          "style", "wait"},
         {"abseil-deadlock-detection", "off or on (Debian's Abseil default)", "mode", "off"},
         {"save-answer", "write the warm-up search's answer to this file", "file"}});
    p.process(app);
    Options o;
    o.uri = p.value("uri");
    o.token = p.value("token");
    o.collection = p.value("search-collection");
    o.cq = p.value("api") == QLatin1String("cq");
    o.async = o.cq || p.value("api") == QLatin1String("async");
    o.ourChannel = p.value("channel-args") == QLatin1String("ours");
    o.dim = p.value("dim").toInt();
    o.searches = p.value("searches").toInt();
    o.k = p.value("k").toInt();
    o.inflight = p.value("inflight").toInt();
    o.channelArgs = p.values("arg");
    o.phases = p.value("phases");
    o.chain = p.value("seq-style") == QLatin1String("chain");
    o.saveAnswer = p.value("save-answer");
    o.abseilDeadlockDetection = p.value("abseil-deadlock-detection") == QLatin1String("on");
    // Set before any lock: turned on after locks were taken without it, Abseil aborts on the first
    // release it did not see taken. So "on" (Debian's default) goes with the default channel only, since
    // createMilvusChannel turns it off.
    if (o.abseilDeadlockDetection && o.ourChannel) {
        std::fprintf(stderr, "bench_raw_grpc: --abseil-deadlock-detection on needs --channel-args default\n");
        return 2;
    }
    if (!o.abseilDeadlockDetection)
        absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    try {
        return run(o);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_raw_grpc: %s\n", e.what());
    }
    return 1;
}
