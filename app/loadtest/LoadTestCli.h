#pragma once

#include "ConnectionConfig.h"
#include "LoadTestConfig.h"
#include "LoadTestReport.h"
#include "LocalServer.h"

#include <QStringList>

#include <optional>

namespace mx {

// The milvus-loadtest command line: parses flags into a plan, runs it on a LoadTestEngine while
// printing progress from its snapshots, prints the summary, writes the JSON report, and turns the
// result into an exit code. Also `merge A.json B.json -o C.json`. Runs on the main thread with an
// event loop (the local server, when embedded, is a child process managed from it).
class LoadTestCli
{
public:
    enum Exit
    {
        Ok = 0,
        ErrorsOverThreshold = 1,
        Usage = 2,
        CouldNotRun = 3,
        IntegrityDifference = 4, // 5 = both 1 and 4
    };

    struct Options
    {
        ConnectionConfig connection;
        bool embedded = false;
        LocalServer::Kind embeddedKind = LocalServer::Kind::Standalone;
        LoadTestPlan plan;
        int dimension = 384; // local embedder; for HTTP, the expected dimension (0: the server's)
        QString
            embeddingUrl; // non-empty: an OpenAI-compatible embedding server instead of the local embedder
        QString embeddingModel;
        QString embeddingKey;
        int embeddingConcurrency = 0; // HTTP embedding requests in flight at most; 0: no limit
        QString jsonFile;
        qint64 failOnErrors = 0; // exit 1 when more operations than this failed
        bool failOnIntegrity = true;
        bool quiet = false;
        bool installServers = false; // --install-servers / --yes: create the per-user venv when missing
    };

    // argv without the program name. Returns nullopt with *error (or the help text) when the flags do
    // not make a runnable plan.
    static std::optional<Options> parse(const QStringList &args, QString *error);
    static int exitCode(const LoadTestReport &report, qint64 failOnErrors, bool failOnIntegrity);

    int run(const QStringList &args); // the whole program
    static int merge(const QStringList &args);

private:
    int runPlan(const Options &options);
};

} // namespace mx
