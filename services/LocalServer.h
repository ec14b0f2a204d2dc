#pragma once

#include "ConnectionConfig.h"
#include "MilvusError.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QJsonObject>
#include <QLockFile>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QPromise>
#include <QTimer>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace mx {

class MilvusClient;
class SecretStore;

// A Milvus server on this machine that the app (or a test) starts, watches and stops: either
// Milvus Lite (`milvus-lite server`, a Python re-implementation serving one request at a time) or the
// real Milvus standalone 2.3 (the official embedded build from the PyPI package `milvus`: the Go/C++
// server with embedded etcd, rocksmq and local storage).
//
// Lite binds 127.0.0.1 on a free port. The standalone advertises 127.0.0.1 for every component, takes a
// free port for each of its listeners (its gRPC and metrics ports bind all interfaces, so it always runs
// with authorization on), and runs with a root password of its own, generated on the first start
// (kept in the keychain through SecretStore, or in a 0600 file in its data directory where no keychain
// service exists). Lives on the thread that created it (normally the GUI thread) and never blocks it:
// start() returns a future that finishes when the server answers an authenticated RPC, or fails with a
// typed error and the tail of the server's output; stop() asks the server to stop (SIGTERM to the
// server process itself) and kills it after a grace period, reporting through stateChanged.
class LocalServer : public QObject
{
    Q_OBJECT
public:
    enum class Kind
    {
        Lite,
        Standalone
    };
    Q_ENUM(Kind)

    enum class State
    {
        Stopped,
        Starting,
        Running,
        Stopping,
        Failed
    };
    Q_ENUM(State)

    // Standalone: the server's own TLS (milvus.yaml common.security.tlsMode and tls.*). mode 1: one-way
    // (the server proves itself); 2: mutual (clients need a certificate signed by caCert).
    struct TlsSetup
    {
        int mode = 0;                          // 0: plaintext
        QString serverCert, serverKey, caCert; // PEM files
        // Mutual TLS: the client certificate this object signs in with while it waits for readiness.
        QString clientCert, clientKey;
    };

    struct Options
    {
        Kind kind = Kind::Lite;
        QString dataDir;        // empty: defaultDataDir(kind)
        QString executable;     // Lite: milvus-lite; Standalone: the venv's python. Empty: locate()
        QString binaryDir;      // Standalone: its binaries' root (<binaryDir>/bin); empty: dataDir
        int port = 0;           // 0: pick a free loopback port
        int maxWorkers = 0;     // Lite: 0 is the server's default
        int startTimeoutMs = 0; // 0: 60 s for Lite, 180 s for the standalone (the first start unpacks)
        // Standalone: where the root password lives. Null, or a store without a keychain service: a
        // 0600 file in the data directory.
        SecretStore *secrets = nullptr;
        QJsonObject extraConfig; // Standalone: milvus.yaml keys (e.g. "tls_mode", "queryNode.x")
        TlsSetup tls;            // Standalone only: Milvus Lite has no TLS (start() then fails)
    };

    // What start() finishes with: how to reach the server, credentials included.
    struct Endpoint
    {
        ConnectionConfig config;
        QString version; // the server's own GetVersion answer
    };

    explicit LocalServer(QObject *parent = nullptr);
    ~LocalServer() override; // stops the server (bounded wait: the only blocking path, at teardown)

    static QString kindName(Kind kind); // "Milvus Lite", "Milvus standalone"
    static QString kindKey(Kind kind);  // "lite", "standalone" (settings, ctest labels, --server)
    static std::optional<Kind> kindFromKey(const QString &key);

    // Lite: the milvus-lite executable; Standalone: a python that has the `milvus` package. Searched in
    // $MILVUS_EXPLORER_VENV, the build tree's venv (only for a program run from the build tree), a venv
    // next to the application, the per-user venv (userVenvDir(), which VenvBootstrap creates), then
    // $PATH. Empty when not found. A few stat() calls, no process.
    static QString locate(Kind kind);
    // ~/.local/share/milvus-explorer/venv: where an installed app keeps its local servers.
    static QString userVenvDir();
    // The pinned server packages: <prefix>/share/milvus-explorer/requirements.txt for an installed app,
    // else the source tree's scripts/requirements.txt.
    static QString requirementsFile();
    static QString installHint(Kind kind); // what to tell a user when locate() finds nothing
    static QString defaultDataDir(Kind kind);
    static int pickFreePort();

    QFuture<Endpoint> start(const Options &options);
    void stop(int graceMs = 15000); // returns at once; stateChanged(Stopped) follows
    bool waitForStopped(int ms);    // blocks; for tests, command-line tools and teardown only

    Kind kind() const { return m_kind; }
    State state() const { return m_state; }
    QString uri() const;
    int port() const { return m_port; }
    int metricsPort() const { return m_metricsPort; }
    qint64 pid() const;
    QString dataDir() const { return m_dataDir; }
    QString logDir() const { return m_logDir; }
    QString serverOutput() const; // the tail of the server's output (and, standalone, its log file)
    ConnectionConfig connectionConfig() const { return m_endpoint.config; }
    // Standalone: every port it listens on, by role ("proxy_port", "etcd_client_port", ...).
    QMap<QString, int> listeningPorts() const { return m_ports; }

signals:
    void stateChanged(mx::LocalServer::State state);
    void progress(const QString &step); // human-readable start-up steps
    void unexpectedExit(const QString &message);

private:
    struct Standalone;

    void setState(State s);
    // outputFile: the process's stdout and stderr go there instead of into a pipe read on this object's
    // thread (a pipe fills while that thread blocks, e.g. in a test's blocking calls, and stalls the server).
    void startProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env,
                      const QString &workingDir, const QString &outputFile = {});
    void startLite(const Options &options);
    void startStandalone(const Options &options);
    void onSetupFinished(int exitCode);
    void probe();
    void probeHealth();
    void probeRpc();
    void authenticate();
    void becomeReady(const QString &version);
    void failStart(const QString &reason, ErrorKind kind = ErrorKind::Transport);
    void onFinished(int exitCode, QProcess::ExitStatus status);
    QString operationName() const;
    QString passwordFile() const;
    QString secretKey() const;

    Kind m_kind = Kind::Lite;
    QProcess *m_process = nullptr;
    QProcess *m_setup = nullptr;
    State m_state = State::Stopped;
    QString m_dataDir;
    QString m_logDir;
    int m_port = 0;
    int m_metricsPort = 0;
    QString m_output;
    QString m_outputFile; // where the standalone's console output goes
    Endpoint m_endpoint;
    QMap<QString, int> m_ports;
    std::unique_ptr<QLockFile> m_lock; // standalone: one server per data directory
    Options m_options;
    std::optional<QPromise<Endpoint>> m_startPromise;
    std::unique_ptr<MilvusClient> m_probeClient;
    QNetworkAccessManager *m_http = nullptr;
    QTimer m_probeTimer;
    QTimer m_killTimer;
    QElapsedTimer m_startClock;
    int m_startTimeoutMs = 60000;
    bool m_probeInFlight = false;
    bool m_healthy = false;
    std::optional<QString> m_storedPassword; // standalone root password; empty: none stored (never logged)
    quint64 m_generation = 0;                // drops answers that belong to an earlier start
};

} // namespace mx
