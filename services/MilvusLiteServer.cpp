#include "MilvusLiteServer.h"

#include "MilvusClient.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTcpServer>

namespace mx {

namespace {
constexpr qsizetype kMaxOutput = 64 * 1024;
}

MilvusLiteServer::MilvusLiteServer(QObject *parent)
    : QObject(parent)
{
    m_probeTimer.setInterval(150);
    m_probeTimer.setSingleShot(true);
    connect(&m_probeTimer, &QTimer::timeout, this, &MilvusLiteServer::probe);
}

MilvusLiteServer::~MilvusLiteServer()
{
    stop(10000);
}

QString MilvusLiteServer::locate()
{
    const QString exe = QStringLiteral("milvus-lite");
    const QString explicitPath = qEnvironmentVariable("MILVUS_EXPLORER_MILVUS_LITE");
    if (!explicitPath.isEmpty())
        return QFileInfo(explicitPath).isExecutable() ? explicitPath : QString();
    QStringList venvs;
    if (qEnvironmentVariableIsSet("MILVUS_EXPLORER_VENV"))
        venvs << qEnvironmentVariable("MILVUS_EXPLORER_VENV");
    venvs << QStringLiteral(MX_BUILD_VENV_DIR);
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        venvs << appDir + QStringLiteral("/../venv")
              << appDir + QStringLiteral("/../lib/milvus-explorer/venv");
    }
    for (const auto &venv : venvs) {
        const QString candidate = QDir(venv).filePath(QStringLiteral("bin/") + exe);
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).absoluteFilePath();
    }
    return QStandardPaths::findExecutable(exe);
}

QString MilvusLiteServer::installHint()
{
    return QStringLiteral(
        "Milvus Lite is not installed. Run scripts/setup.sh from the Milvus Explorer source tree (it creates "
        "build/venv with milvus-lite and pymilvus), or install it yourself with "
        "'python3 -m venv ~/.venvs/milvus && ~/.venvs/milvus/bin/pip install milvus-lite==3.2.2 "
        "pymilvus==2.6.9' "
        "and set MILVUS_EXPLORER_VENV=~/.venvs/milvus. You can also connect to any Milvus server instead.");
}

QString MilvusLiteServer::defaultDataDir()
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share/milvus-explorer");
    return QDir(base).filePath(QStringLiteral("milvus-lite"));
}

int MilvusLiteServer::pickFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString MilvusLiteServer::uri() const
{
    return m_port ? QStringLiteral("http://127.0.0.1:%1").arg(m_port) : QString();
}

qint64 MilvusLiteServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

void MilvusLiteServer::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    emit stateChanged(s);
}

QFuture<QString> MilvusLiteServer::start(const Options &options)
{
    if (m_state == State::Starting || m_state == State::Running) {
        MilvusError e{ErrorKind::InvalidArgument,
                      QStringLiteral("Start Milvus Lite"),
                      0,
                      0,
                      0,
                      0,
                      QStringLiteral("the embedded server is already running"),
                      {}};
        return QtFuture::makeExceptionalFuture<QString>(MilvusException(e));
    }
    m_startPromise.emplace();
    m_startPromise->start();
    QFuture<QString> future = m_startPromise->future();
    m_output.clear();
    m_startTimeoutMs = options.startTimeoutMs;

    const QString exe = options.executable.isEmpty() ? locate() : options.executable;
    if (exe.isEmpty()) {
        failStart(installHint());
        return future;
    }
    m_dataDir = options.dataDir.isEmpty() ? defaultDataDir() : options.dataDir;
    if (!QDir().mkpath(m_dataDir)) {
        failStart(QStringLiteral("cannot create the data directory '%1'").arg(m_dataDir));
        return future;
    }
    m_port = options.port > 0 ? options.port : pickFreePort();
    if (m_port <= 0) {
        failStart(QStringLiteral("no free TCP port on 127.0.0.1"));
        return future;
    }

    delete m_process;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    m_process->setProcessEnvironment(env);
    connect(m_process, &QProcess::readyRead, this, [this] {
        m_output += QString::fromUtf8(m_process->readAll());
        if (m_output.size() > kMaxOutput)
            m_output = m_output.right(kMaxOutput);
    });
    connect(m_process, &QProcess::finished, this, &MilvusLiteServer::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError err) {
        if (err == QProcess::FailedToStart)
            failStart(
                QStringLiteral("could not run '%1': %2").arg(m_process->program(), m_process->errorString()));
    });

    // Always bind to loopback: Milvus Lite's own default host is 0.0.0.0.
    QStringList args{QStringLiteral("server"), QStringLiteral("--data-dir"), m_dataDir,
                     QStringLiteral("--host"), QStringLiteral("127.0.0.1"),  QStringLiteral("--port"),
                     QString::number(m_port)};
    if (options.maxWorkers > 0)
        args << QStringLiteral("--max-workers") << QString::number(options.maxWorkers);
    setState(State::Starting);
    m_startClock.start();
    m_process->start(exe, args);

    ConnectionConfig cfg;
    cfg.uri = uri();
    cfg.defaultTimeout = std::chrono::milliseconds(1000);
    m_probeClient = std::make_unique<MilvusClient>(cfg);
    m_probeTimer.start();
    return future;
}

void MilvusLiteServer::probe()
{
    if (m_state != State::Starting || !m_probeClient || m_probeInFlight)
        return;
    if (m_startClock.elapsed() > m_startTimeoutMs) {
        failStart(QStringLiteral("Milvus Lite did not answer within %1 s").arg(m_startTimeoutMs / 1000));
        return;
    }
    m_probeInFlight = true;
    m_probeClient->getVersionAsync()
        .then(this,
              [this](const QString &) {
                  m_probeInFlight = false;
                  if (m_state != State::Starting)
                      return;
                  setState(State::Running);
                  m_probeClient.reset();
                  if (m_startPromise) {
                      m_startPromise->addResult(uri());
                      m_startPromise->finish();
                      m_startPromise.reset();
                  }
              })
        .onFailed(this, [this](const MilvusException &) {
            m_probeInFlight = false;
            if (m_state == State::Starting)
                m_probeTimer.start();
        });
}

void MilvusLiteServer::failStart(const QString &reason)
{
    m_probeTimer.stop();
    m_probeClient.reset();
    QString message = reason;
    const QString out = m_output.trimmed();
    if (out.contains(QLatin1String("DataDirLockedError")))
        message =
            QStringLiteral("the data directory '%1' is in use by another Milvus Lite server (another Milvus "
                           "Explorer window?): %2")
                .arg(m_dataDir, reason);
    if (!out.isEmpty())
        message += QStringLiteral("\n\nServer output:\n") + out.right(4000);
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(2000);
    }
    setState(State::Failed);
    if (m_startPromise) {
        MilvusError e{ErrorKind::Transport, QStringLiteral("Start Milvus Lite"), 0, 0, 0, 0, message, {}};
        m_startPromise->setException(MilvusException(e));
        m_startPromise->finish();
        m_startPromise.reset();
    }
}

void MilvusLiteServer::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_process)
        m_output += QString::fromUtf8(m_process->readAll());
    const QString how = status == QProcess::CrashExit ? QStringLiteral("was killed")
                                                      : QStringLiteral("exited with code %1").arg(exitCode);
    if (m_state == State::Starting) {
        failStart(QStringLiteral("Milvus Lite %1 while starting").arg(how));
    } else if (m_state == State::Running) {
        setState(State::Failed);
        emit unexpectedExit(
            QStringLiteral("the embedded Milvus Lite %1.\n%2").arg(how, m_output.right(2000)));
    } else if (m_state == State::Stopping) {
        setState(State::Stopped);
    }
}

void MilvusLiteServer::stop(int graceMs)
{
    m_probeTimer.stop();
    m_probeClient.reset();
    if (!m_process || m_process->state() == QProcess::NotRunning) {
        if (m_state != State::Failed)
            setState(State::Stopped);
        return;
    }
    if (m_state == State::Starting && m_startPromise) {
        MilvusError e{ErrorKind::Cancelled,
                      QStringLiteral("Start Milvus Lite"),
                      0,
                      0,
                      0,
                      0,
                      QStringLiteral("stopped before it was ready"),
                      {}};
        m_startPromise->setException(MilvusException(e));
        m_startPromise->finish();
        m_startPromise.reset();
    }
    setState(State::Stopping);
    m_process->terminate(); // SIGTERM: Milvus Lite shuts down cleanly and releases its lock
    if (!m_process->waitForFinished(graceMs)) {
        m_process->kill();
        m_process->waitForFinished(2000);
    }
    setState(State::Stopped);
}

} // namespace mx
