// bench_grpc_server: a Milvus stand-in for measuring clients, not a Milvus. It answers Search with one
// recorded answer of a real server (bench_raw_grpc --save-answer), after sleeping or spinning a fixed
// time, and answers Connect and GetVersion, which pymilvus and mx::MilvusClient call before searching.
// Every other method is UNIMPLEMENTED. With it, a client's CPU per search can be measured at a server
// latency of our choosing: what the client itself costs, apart from what waiting for the server costs
// (bench/client_wait_cost.sh, docs/benchmarks-client-cost.md).
//
//   bench_grpc_server --answer FILE [--port 0] [--delay-us 0] [--busy]
//
// Prints {"port": N} once it listens; runs until its standard input closes.

#include "milvus.grpc.pb.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <absl/synchronization/mutex.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace pbm = milvus::proto::milvus;

class Service final : public pbm::MilvusService::Service
{
public:
    Service(pbm::SearchResults answer, std::chrono::microseconds delay, bool busy)
        : m_answer(std::move(answer))
        , m_delay(delay)
        , m_busy(busy)
    {}

    grpc::Status Connect(grpc::ServerContext *, const pbm::ConnectRequest *,
                         pbm::ConnectResponse *response) override
    {
        response->mutable_status();
        response->mutable_server_info()->set_build_tags("bench_grpc_server");
        response->set_identifier(1);
        return grpc::Status::OK;
    }

    grpc::Status GetVersion(grpc::ServerContext *, const pbm::GetVersionRequest *,
                            pbm::GetVersionResponse *response) override
    {
        response->mutable_status();
        response->set_version("v2.3.5-bench");
        return grpc::Status::OK;
    }

    grpc::Status Search(grpc::ServerContext *, const pbm::SearchRequest *,
                        pbm::SearchResults *response) override
    {
        if (m_delay.count() > 0)
            m_busy ? spin() : std::this_thread::sleep_for(m_delay);
        *response = m_answer;
        return grpc::Status::OK;
    }

private:
    // Works for the delay, walking 8 MB as a server's work evicts the client's caches on shared cores.
    void spin() const
    {
        thread_local std::vector<unsigned char> memory(8 << 20);
        const auto end = std::chrono::steady_clock::now() + m_delay;
        size_t at = 0;
        while (std::chrono::steady_clock::now() < end)
            for (int i = 0; i < 4096; ++i)
                ++memory[(at += 4099) % memory.size()];
    }

    const pbm::SearchResults m_answer;
    const std::chrono::microseconds m_delay;
    const bool m_busy;
};

const char *option(int argc, char **argv, const char *name, const char *fallback)
{
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return fallback;
}

} // namespace

int main(int argc, char **argv)
{
    // As createMilvusChannel does for the clients (Debian's Abseil has its debug lock checks on).
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    const std::string answerFile = option(argc, argv, "--answer", "");
    std::ifstream in(answerFile, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    pbm::SearchResults answer;
    if (answerFile.empty() || !in || !answer.ParseFromString(bytes.str())) {
        std::fprintf(stderr, "bench_grpc_server: --answer FILE, a SearchResults saved by "
                             "bench_raw_grpc --save-answer\n");
        return 2;
    }
    bool busy = false;
    for (int i = 1; i < argc; ++i)
        busy = busy || std::strcmp(argv[i], "--busy") == 0;
    Service service(std::move(answer),
                    std::chrono::microseconds(std::stoll(option(argc, argv, "--delay-us", "0"))), busy);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:" + std::string(option(argc, argv, "--port", "0")),
                             grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (!server || port == 0) {
        std::fprintf(stderr, "bench_grpc_server: cannot listen\n");
        return 1;
    }
    std::printf("{\"port\": %d}\n", port);
    std::fflush(stdout);
    std::thread stopper([&] {
        std::string line;
        while (std::getline(std::cin, line)) {
        }
        server->Shutdown();
    });
    server->Wait();
    stopper.join();
    return 0;
}
