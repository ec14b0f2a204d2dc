#pragma once

#include "CancelToken.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QTimer>

#include <chrono>
#include <memory>
#include <optional>

class QProcess;

namespace mx {

// What to create: a Python virtual environment holding the local servers (Milvus Lite, the Milvus
// standalone, pymilvus), pip-installed from the project's pinned requirements. Never needs root.
struct VenvBootstrapRequest
{
    QString venvDir;                                     // empty: LocalServer::userVenvDir()
    QString requirementsFile;                            // empty: LocalServer::requirementsFile()
    QString python = QStringLiteral("/usr/bin/python3"); // the distribution's interpreter
    QString indexUrl; // empty: pip's own configuration (PIP_INDEX_URL, pip.conf, PyPI)
    int retries = 2;  // pip --retries (at least 1: pip names a connection failure only when it retries)
    int networkTimeoutS = 15;                                    // pip --timeout
    std::chrono::milliseconds timeout{std::chrono::minutes(30)}; // the whole bootstrap
    std::shared_ptr<CancelToken> cancel;                         // optional; cancel() works too
};

// Creates the per-user environment the local servers run from: `python3 -m venv DIR`, then
// `DIR/bin/python -m pip install -r requirements`, both as child processes driven by QProcess on the
// thread that owns this object (normally the GUI thread, which it never blocks). progress() reports the
// steps, output() every line of pip's output (kept in log()). start() finishes with the venv directory,
// or fails with MilvusException: Transport when the package index cannot be reached, Timeout, Cancelled,
// InvalidArgument for anything else (no python3-venv, a pin pip cannot install), with pip's output in
// MilvusError::detail. A directory it created is removed again when the bootstrap fails or is cancelled;
// an existing one is completed, never deleted.
class VenvBootstrap : public QObject
{
    Q_OBJECT
public:
    explicit VenvBootstrap(QObject *parent = nullptr);
    ~VenvBootstrap() override; // cancels a running bootstrap (kills pip; bounded wait)

    QFuture<QString> start(const VenvBootstrapRequest &request);
    void cancel(); // returns at once; the future fails with Cancelled once the half-made venv is gone
    bool isRunning() const { return m_promise.has_value(); }
    QString log() const { return m_log; }

    // Whether pip's output says it could not reach the package index (DNS, refused, proxy, timeouts).
    static bool indexUnreachable(const QString &pipOutput);

signals:
    void progress(const QString &step, int percent); // percent: 0..100, rough (pip does not know ahead)
    void output(const QString &line);

private:
    void runStep(const QString &program, const QStringList &args, void (VenvBootstrap::*next)(int));
    void afterVenv(int exitCode);
    void afterPip(int exitCode);
    void onLine(const QString &line);
    void fail(int kind, const QString &reason); // kind: ErrorKind
    void finish();

    VenvBootstrapRequest m_request;
    QProcess *m_process = nullptr;
    std::optional<QPromise<QString>> m_promise;
    QString m_log;
    QString m_partial; // an unterminated output line
    QTimer m_deadline;
    quint64 m_cancelRegistration = 0;
    bool m_createdDir = false;
    int m_collected = 0;
    int m_pins = 1;
    quint64 m_generation = 0;
};

} // namespace mx
