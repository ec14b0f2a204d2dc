#pragma once

#include "MilvusError.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QPromise>
#include <QTimer>

#include <memory>
#include <optional>

namespace mx {

class MilvusClient;

// Runs Milvus Lite (`milvus-lite server`) as a child process bound to 127.0.0.1 on a free port, with a
// data directory of its own. Lives on the thread that created it (normally the GUI thread) and never
// blocks it: start() returns a future that finishes when a real RPC answers, or fails with the
// server's stderr. stop() asks the server to shut down (SIGTERM, so data is flushed and the directory
// lock released) and kills it only after a grace period.
class MilvusLiteServer : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Stopped,
        Starting,
        Running,
        Stopping,
        Failed
    };
    Q_ENUM(State)

    struct Options
    {
        QString dataDir;    // empty: <AppDataLocation>/milvus-lite
        QString executable; // empty: locate() decides
        int port = 0;       // 0: pick a free loopback port
        int maxWorkers = 0; // 0: the server's default
        int startTimeoutMs = 60000;
    };

    explicit MilvusLiteServer(QObject *parent = nullptr);
    ~MilvusLiteServer() override; // stops the server (bounded wait)

    // Where the milvus-lite executable is: $MILVUS_EXPLORER_MILVUS_LITE, $MILVUS_EXPLORER_VENV/bin,
    // the build tree's venv, a venv next to the application, then $PATH. Empty when not found.
    static QString locate();
    // What to tell a user when locate() finds nothing.
    static QString installHint();
    static QString defaultDataDir();
    static int pickFreePort();

    QFuture<QString> start(const Options &options); // result: the URI to connect to
    void stop(int graceMs = 15000);                 // blocks at most graceMs + 2 s; safe to call twice

    State state() const { return m_state; }
    QString uri() const;
    int port() const { return m_port; }
    qint64 pid() const;
    QString dataDir() const { return m_dataDir; }
    QString serverOutput() const { return m_output; } // stdout + stderr so far (bounded)

signals:
    void stateChanged(mx::MilvusLiteServer::State state);
    void unexpectedExit(const QString &message);

private:
    void setState(State s);
    void probe();
    void failStart(const QString &reason);
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess *m_process = nullptr;
    State m_state = State::Stopped;
    QString m_dataDir;
    int m_port = 0;
    QString m_output;
    std::optional<QPromise<QString>> m_startPromise;
    std::unique_ptr<MilvusClient> m_probeClient;
    QTimer m_probeTimer;
    QElapsedTimer m_startClock;
    int m_startTimeoutMs = 60000;
    bool m_probeInFlight = false;
};

} // namespace mx
