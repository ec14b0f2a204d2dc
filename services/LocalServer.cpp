#include "LocalServer.h"

#include "IoPool.h"
#include "MilvusClient.h"
#include "SecretStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QtConcurrent>

#include <csignal>
#include <sys/prctl.h>

namespace mx {

namespace {
constexpr qsizetype kMaxOutput = 64 * 1024;
const QString kRootUser = QStringLiteral("root");
const QString kDefaultRootPassword = QStringLiteral("Milvus"); // the standalone's factory password

QString readScript()
{
    QFile f(QStringLiteral(":/mx/localserver/standalone_setup.py"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool isAuthFailure(const MilvusError &e)
{
    // grpc UNAUTHENTICATED (16); Milvus 2.3 "auth check failure" travels the same way.
    return e.grpcCode == 16 || e.reason.contains(QLatin1String("auth"), Qt::CaseInsensitive);
}

QString newPassword()
{
    QByteArray bytes(18, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// The last part of the newest log file in dir (the standalone logs to files, not to stdout).
QString logTail(const QString &dir, qsizetype bytes)
{
    const QFileInfoList logs =
        QDir(dir).entryInfoList({QStringLiteral("*.log")}, QDir::Files | QDir::NoDotAndDotDot, QDir::Time);
    QString out;
    for (const QFileInfo &log : logs) {
        QFile f(log.filePath());
        if (!f.open(QIODevice::ReadOnly) || f.size() == 0)
            continue;
        f.seek(std::max<qint64>(0, f.size() - bytes));
        out += QStringLiteral("--- %1 ---\n").arg(log.fileName()) + QString::fromUtf8(f.readAll());
        break;
    }
    return out;
}
} // namespace

LocalServer::LocalServer(QObject *parent)
    : QObject(parent)
{
    m_probeTimer.setInterval(200);
    m_probeTimer.setSingleShot(true);
    connect(&m_probeTimer, &QTimer::timeout, this, &LocalServer::probe);
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process && m_process->state() != QProcess::NotRunning)
            m_process->kill();
    });
}

LocalServer::~LocalServer()
{
    stop(10000);
    waitForStopped(12000);
}

QString LocalServer::kindName(Kind kind)
{
    return kind == Kind::Lite ? QStringLiteral("Milvus Lite") : QStringLiteral("Milvus standalone");
}

QString LocalServer::kindKey(Kind kind)
{
    return kind == Kind::Lite ? QStringLiteral("lite") : QStringLiteral("standalone");
}

std::optional<LocalServer::Kind> LocalServer::kindFromKey(const QString &key)
{
    if (key.compare(QLatin1String("lite"), Qt::CaseInsensitive) == 0)
        return Kind::Lite;
    if (key.compare(QLatin1String("standalone"), Qt::CaseInsensitive) == 0)
        return Kind::Standalone;
    return std::nullopt;
}

QString LocalServer::locate(Kind kind)
{
    const QString exe = kind == Kind::Lite ? QStringLiteral("milvus-lite") : QStringLiteral("milvus-server");
    const QString explicitPath =
        qEnvironmentVariable(kind == Kind::Lite ? "MILVUS_EXPLORER_MILVUS_LITE" : "MILVUS_EXPLORER_PYTHON");
    if (!explicitPath.isEmpty())
        return QFileInfo(explicitPath).isExecutable() ? explicitPath : QString();
    QStringList venvs;
    if (qEnvironmentVariableIsSet("MILVUS_EXPLORER_VENV"))
        venvs << qEnvironmentVariable("MILVUS_EXPLORER_VENV");
    if (QCoreApplication::instance()) {
        const QString appDir = QCoreApplication::applicationDirPath();
        // An installed program must not pick up the build machine's venv: only a build-tree run does.
        const QString buildDir = QDir(QStringLiteral(MX_BUILD_DIR)).absolutePath() + QLatin1Char('/');
        if ((appDir + QLatin1Char('/')).startsWith(buildDir))
            venvs << QStringLiteral(MX_BUILD_VENV_DIR);
        venvs << appDir + QStringLiteral("/../venv")
              << appDir + QStringLiteral("/../lib/milvus-explorer/venv");
    } else {
        venvs << QStringLiteral(MX_BUILD_VENV_DIR);
    }
    venvs << userVenvDir();
    for (const auto &venv : venvs) {
        const QString candidate = QDir(venv).filePath(QStringLiteral("bin/") + exe);
        if (QFileInfo(candidate).isExecutable()) {
            // The standalone runs through its venv's python (the package's files and config template).
            return kind == Kind::Lite
                       ? QFileInfo(candidate).absoluteFilePath()
                       : QFileInfo(QDir(venv).filePath(QStringLiteral("bin/python"))).absoluteFilePath();
        }
    }
    if (kind == Kind::Lite)
        return QStandardPaths::findExecutable(exe);
    const QString onPath = QStandardPaths::findExecutable(exe);
    return onPath.isEmpty() ? QString() : QFileInfo(onPath).dir().filePath(QStringLiteral("python"));
}

QString LocalServer::userVenvDir()
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return QDir(base).filePath(QStringLiteral("milvus-explorer/venv"));
}

QString LocalServer::requirementsFile()
{
    if (QCoreApplication::instance()) {
        const QString installed = QDir(QCoreApplication::applicationDirPath())
                                      .filePath(QStringLiteral("../share/milvus-explorer/requirements.txt"));
        if (QFileInfo::exists(installed))
            return QDir::cleanPath(installed);
    }
    return QStringLiteral(MX_SOURCE_REQUIREMENTS);
}

QString LocalServer::installHint(Kind kind)
{
    const QString pkg = kind == Kind::Lite ? QStringLiteral("milvus-lite==3.2.2 pymilvus==2.6.9")
                                           : QStringLiteral("milvus==2.3.5");
    return QStringLiteral(
               "%1 is not installed. Milvus Explorer offers to install both local servers into %3 "
               "(Connections, or 'milvus-loadtest --embedded --install-servers'); from the source tree "
               "scripts/setup.sh creates build/venv. Or install it yourself with "
               "'python3 -m venv ~/.venvs/milvus && ~/.venvs/milvus/bin/pip install %2' and set "
               "MILVUS_EXPLORER_VENV=~/.venvs/milvus. You can also connect to any Milvus server "
               "instead.")
        .arg(kindName(kind), pkg, userVenvDir());
}

QString LocalServer::defaultDataDir(Kind kind)
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (base.isEmpty())
        base = QDir::homePath() + QStringLiteral("/.local/share/milvus-explorer");
    return QDir(base).filePath(kind == Kind::Lite ? QStringLiteral("milvus-lite")
                                                  : QStringLiteral("milvus-standalone"));
}

int LocalServer::pickFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString LocalServer::uri() const
{
    if (!m_port)
        return {};
    return m_options.tls.mode > 0 ? QStringLiteral("https://127.0.0.1:%1").arg(m_port)
                                  : QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

qint64 LocalServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString LocalServer::serverOutput() const
{
    QString out = m_output;
    if (m_kind == Kind::Standalone && !m_outputFile.isEmpty()) {
        QFile f(m_outputFile);
        if (f.open(QIODevice::ReadOnly) && f.size() > 0) {
            f.seek(std::max<qint64>(0, f.size() - 6000));
            out += QStringLiteral("--- console ---\n") + QString::fromUtf8(f.readAll());
        }
    }
    if (m_kind == Kind::Standalone && !m_logDir.isEmpty())
        out += logTail(m_logDir, 6000);
    return out;
}

QString LocalServer::operationName() const
{
    return QStringLiteral("Start %1").arg(kindName(m_kind));
}

QString LocalServer::passwordFile() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("root-password"));
}

QString LocalServer::secretKey() const
{
    return QStringLiteral("local-standalone:%1:root").arg(QDir(m_dataDir).absolutePath());
}

void LocalServer::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    emit stateChanged(s);
}

QFuture<LocalServer::Endpoint> LocalServer::start(const Options &options)
{
    if (m_state == State::Starting || m_state == State::Running || m_state == State::Stopping) {
        MilvusError e{ErrorKind::InvalidArgument,
                      QStringLiteral("Start local server"),
                      0,
                      0,
                      0,
                      0,
                      QStringLiteral("the local server is already running"),
                      {}};
        return QtFuture::makeExceptionalFuture<Endpoint>(MilvusException(e));
    }
    ++m_generation;
    m_options = options;
    m_kind = options.kind;
    m_startPromise.emplace();
    m_startPromise->start();
    QFuture<Endpoint> future = m_startPromise->future();
    m_output.clear();
    m_outputFile.clear();
    m_logDir.clear();
    m_storedPassword.reset();
    m_healthy = false;
    m_metricsPort = 0;
    m_endpoint = {};
    m_startTimeoutMs =
        options.startTimeoutMs > 0 ? options.startTimeoutMs : (m_kind == Kind::Lite ? 60000 : 180000);
    m_dataDir = options.dataDir.isEmpty() ? defaultDataDir(m_kind) : options.dataDir;
    setState(State::Starting);
    m_startClock.start();
    if (!QDir().mkpath(m_dataDir)) {
        failStart(QStringLiteral("cannot create the data directory '%1'").arg(m_dataDir),
                  ErrorKind::InvalidArgument);
        return future;
    }
    if (m_kind == Kind::Lite)
        startLite(options);
    else
        startStandalone(options);
    return future;
}

void LocalServer::startProcess(const QString &program, const QStringList &args,
                               const QProcessEnvironment &env, const QString &workingDir,
                               const QString &outputFile)
{
    delete m_process;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    if (!outputFile.isEmpty())
        m_process->setStandardOutputFile(outputFile, QIODevice::Append);
    m_process->setProcessEnvironment(env);
    if (!workingDir.isEmpty())
        m_process->setWorkingDirectory(workingDir);
    // If this process dies without stopping the server (a crash, an abort, SIGKILL), the server gets
    // SIGTERM instead of living on as an orphan with its ports open.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    if (outputFile.isEmpty()) // else the output is in the file, and there is nothing to read here
        connect(m_process, &QProcess::readyRead, this, [this] {
            m_output += QString::fromUtf8(m_process->readAll());
            if (m_output.size() > kMaxOutput)
                m_output = m_output.right(kMaxOutput);
        });
    connect(m_process, &QProcess::finished, this, &LocalServer::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError err) {
        if (err == QProcess::FailedToStart)
            failStart(
                QStringLiteral("could not run '%1': %2").arg(m_process->program(), m_process->errorString()));
    });
    m_process->start(program, args);
    m_probeTimer.start();
}

void LocalServer::startLite(const Options &options)
{
    const QString exe = options.executable.isEmpty() ? locate(Kind::Lite) : options.executable;
    if (exe.isEmpty()) {
        failStart(installHint(Kind::Lite), ErrorKind::InvalidArgument);
        return;
    }
    if (options.tls.mode > 0) {
        failStart(QStringLiteral("Milvus Lite has no TLS: it serves plaintext gRPC only (use the Milvus "
                                 "standalone, or a TLS proxy in front of Milvus Lite)"),
                  ErrorKind::InvalidArgument);
        return;
    }
    m_port = options.port > 0 ? options.port : pickFreePort();
    if (m_port <= 0) {
        failStart(QStringLiteral("no free TCP port on 127.0.0.1"));
        return;
    }
    // Always bind to loopback: Milvus Lite's own default host is 0.0.0.0.
    QStringList args{QStringLiteral("server"), QStringLiteral("--data-dir"), m_dataDir,
                     QStringLiteral("--host"), QStringLiteral("127.0.0.1"),  QStringLiteral("--port"),
                     QString::number(m_port)};
    if (options.maxWorkers > 0)
        args << QStringLiteral("--max-workers") << QString::number(options.maxWorkers);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    m_endpoint.config.uri = uri();
    emit progress(tr("Starting Milvus Lite…"));
    startProcess(exe, args, env, {});
}

void LocalServer::startStandalone(const Options &options)
{
    const QString python = options.executable.isEmpty() ? locate(Kind::Standalone) : options.executable;
    if (python.isEmpty()) {
        failStart(installHint(Kind::Standalone), ErrorKind::InvalidArgument);
        return;
    }
    // One server per data directory (its embedded etcd would otherwise wait on the other's lock).
    m_lock = std::make_unique<QLockFile>(QDir(m_dataDir).filePath(QStringLiteral(".milvus-explorer.lock")));
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        m_lock->getLockInfo(&pid, &host, &app);
        m_lock.reset();
        failStart(QStringLiteral("the data directory '%1' is in use by another Milvus standalone server "
                                 "(process %2, %3: another Milvus Explorer window?)")
                      .arg(m_dataDir)
                      .arg(pid)
                      .arg(app.isEmpty() ? QStringLiteral("unknown program") : app),
                  ErrorKind::InvalidArgument);
        return;
    }
    if (options.tls.mode > 0) {
        const QStringList files{options.tls.serverCert, options.tls.serverKey, options.tls.caCert};
        for (const QString &f : files)
            if (!QFileInfo(f).isFile()) {
                failStart(QStringLiteral("TLS mode %1 needs the server certificate, its key and the CA "
                                         "certificate: '%2' is not a file")
                              .arg(options.tls.mode)
                              .arg(f),
                          ErrorKind::InvalidArgument);
                return;
            }
    }
    const QString script = readScript();
    if (script.isEmpty()) {
        failStart(QStringLiteral("the standalone set-up script is missing from this build"));
        return;
    }
    QJsonObject extra = options.extraConfig;
    extra.insert(QStringLiteral("authorization_enabled"), true);
    // The server's default (1800 s) turns a stop into minutes; 10 s then SIGKILL is plenty locally.
    extra.insert(QStringLiteral("common.gracefulStopTimeout"), 10);
    if (options.tls.mode > 0) {
        extra.insert(QStringLiteral("tls_mode"), options.tls.mode);
        extra.insert(QStringLiteral("server_pem_path"), options.tls.serverCert);
        extra.insert(QStringLiteral("server_key_path"), options.tls.serverKey);
        extra.insert(QStringLiteral("ca_pem_path"), options.tls.caCert);
    }
    const QJsonObject args{{QStringLiteral("data_dir"), m_dataDir},
                           {QStringLiteral("bin_base"), options.binaryDir},
                           {QStringLiteral("proxy_port"), options.port},
                           {QStringLiteral("extra"), extra}};
    delete m_setup;
    m_setup = new QProcess(this);
    m_setup->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_setup, &QProcess::readyRead, this, [this, setup = m_setup] {
        while (setup->canReadLine()) {
            const QString line = QString::fromUtf8(setup->readLine()).trimmed();
            if (line.startsWith(QLatin1String("progress ")))
                emit progress(line.mid(9));
            m_output += line + QLatin1Char('\n');
        }
    });
    connect(m_setup, &QProcess::finished, this, [this, setup = m_setup, gen = m_generation](int code) {
        if (gen == m_generation && setup == m_setup)
            onSetupFinished(code);
    });
    connect(m_setup, &QProcess::errorOccurred, this, [this, setup = m_setup](QProcess::ProcessError err) {
        if (err == QProcess::FailedToStart && setup == m_setup)
            failStart(QStringLiteral("could not run '%1': %2").arg(setup->program(), setup->errorString()));
    });
    emit progress(tr("Preparing Milvus standalone…"));
    m_setup->start(python, {QStringLiteral("-c"), script,
                            QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact))});
}

void LocalServer::onSetupFinished(int exitCode)
{
    if (m_state != State::Starting)
        return;
    m_output += QString::fromUtf8(m_setup->readAll());
    QJsonObject result;
    QString error;
    for (const QString &line : m_output.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("result ")))
            result = QJsonDocument::fromJson(line.mid(7).toUtf8()).object();
        else if (line.startsWith(QLatin1String("error ")))
            error = line.mid(6);
    }
    if (!error.isEmpty()) {
        m_output.clear();
        failStart(error + QStringLiteral("\n\n") + installHint(Kind::Standalone), ErrorKind::InvalidArgument);
        return;
    }
    if (exitCode != 0 || result.isEmpty()) {
        failStart(
            QStringLiteral("preparing the standalone's data directory failed (exit code %1)").arg(exitCode));
        return;
    }
    m_port = result.value(QStringLiteral("proxy_port")).toInt();
    m_metricsPort = result.value(QStringLiteral("metrics_port")).toInt();
    m_logDir = result.value(QStringLiteral("log_dir")).toString();
    m_ports.clear();
    const QJsonObject ports = result.value(QStringLiteral("ports")).toObject();
    for (auto it = ports.begin(); it != ports.end(); ++it)
        m_ports.insert(it.key(), it.value().toInt());
    const QString libDir = result.value(QStringLiteral("library_dir")).toString();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DEPLOY_MODE"), QStringLiteral("STANDALONE"));
    env.insert(QStringLiteral("METRICS_PORT"), QString::number(m_metricsPort));
    env.insert(QStringLiteral("MILVUS_RUN_DIR"), QDir(m_dataDir).filePath(QStringLiteral("run")));
    env.insert(QStringLiteral("ETCD_CONFIG_PATH"), result.value(QStringLiteral("etcd_config")).toString());
    const QString ld = env.value(QStringLiteral("LD_LIBRARY_PATH"));
    env.insert(QStringLiteral("LD_LIBRARY_PATH"), ld.isEmpty() ? libDir : libDir + QLatin1Char(':') + ld);
    m_output.clear();
    m_endpoint.config.uri = uri();
    m_endpoint.config.user = kRootUser;
    if (m_options.tls.mode > 0) {
        m_endpoint.config.tls.enabled = true;
        m_endpoint.config.tls.caFile = m_options.tls.caCert;
        if (m_options.tls.mode == 2) {
            m_endpoint.config.tls.clientCertFile = m_options.tls.clientCert;
            m_endpoint.config.tls.clientKeyFile = m_options.tls.clientKey;
        }
    }
    emit progress(tr("Starting Milvus standalone…"));
    // The standalone prints to its console too (segcore, crashes) while it runs: to a file, never a pipe.
    m_outputFile = QDir(m_dataDir).filePath(QStringLiteral("console.txt"));
    startProcess(result.value(QStringLiteral("executable")).toString(),
                 {QStringLiteral("run"), QStringLiteral("standalone")}, env, m_dataDir, m_outputFile);

    // The stored root password is read off the GUI thread while the server starts.
    const QString file = passwordFile();
    SecretStore *store = m_options.secrets;
    auto fromFile = [file] {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
    };
    // The keychain first; a password kept in the data directory (no keychain when it was set, or set
    // by another tool of this project) is the fallback.
    QFuture<QString> stored =
        store && !store->sessionOnly()
            ? store->read(secretKey())
                  .then(ioPool(),
                        [fromFile](const QString &kept) { return kept.isEmpty() ? fromFile() : kept; })
            : QtConcurrent::run(ioPool(), fromFile);
    stored.then(this, [this, gen = m_generation](const QString &password) {
        if (gen == m_generation)
            m_storedPassword = password;
    });
}

void LocalServer::probe()
{
    if (m_state != State::Starting || !m_process || m_probeInFlight)
        return;
    if (m_startClock.elapsed() > m_startTimeoutMs) {
        failStart(QStringLiteral("%1 did not answer within %2 s")
                      .arg(kindName(m_kind))
                      .arg(m_startTimeoutMs / 1000),
                  ErrorKind::Timeout);
        return;
    }
    if (m_kind == Kind::Standalone && !m_healthy)
        probeHealth();
    else if (m_kind == Kind::Standalone)
        authenticate();
    else
        probeRpc();
}

void LocalServer::probeHealth()
{
    if (!m_http)
        m_http = new QNetworkAccessManager(this);
    QNetworkRequest req(QUrl(QStringLiteral("http://127.0.0.1:%1/healthz").arg(m_metricsPort)));
    req.setTransferTimeout(1000);
    m_probeInFlight = true;
    QNetworkReply *reply = m_http->get(req);
    connect(reply, &QNetworkReply::finished, this, [this, reply, gen = m_generation] {
        reply->deleteLater();
        m_probeInFlight = false;
        if (gen != m_generation || m_state != State::Starting)
            return;
        if (reply->error() == QNetworkReply::NoError && reply->readAll().contains("OK")) {
            m_healthy = true;
            emit progress(tr("Milvus standalone is healthy; signing in…"));
        }
        m_probeTimer.start();
    });
}

void LocalServer::probeRpc()
{
    ConnectionConfig cfg = m_endpoint.config;
    cfg.defaultTimeout = std::chrono::milliseconds(2000);
    m_probeClient = std::make_unique<MilvusClient>(cfg);
    m_probeInFlight = true;
    m_probeClient->getVersionAsync()
        .then(this,
              [this, gen = m_generation](const QString &version) {
                  m_probeInFlight = false;
                  if (gen == m_generation && m_state == State::Starting)
                      becomeReady(version);
              })
        .onFailed(this, [this, gen = m_generation](const MilvusException &) {
            m_probeInFlight = false;
            if (gen == m_generation && m_state == State::Starting)
                m_probeTimer.start();
        });
}

void LocalServer::authenticate()
{
    if (!m_storedPassword) { // still being read
        m_probeTimer.start();
        return;
    }
    const bool haveStored = !m_storedPassword->isEmpty();
    const QString attempt = haveStored ? *m_storedPassword : kDefaultRootPassword;
    ConnectionConfig cfg = m_endpoint.config;
    cfg.password = attempt;
    cfg.defaultTimeout = std::chrono::milliseconds(3000);
    m_probeClient = std::make_unique<MilvusClient>(cfg);
    m_probeInFlight = true;
    // A real authenticated call: listing collections needs a signed-in user.
    m_probeClient->listCollectionsAsync()
        .then(this,
              [this, gen = m_generation, attempt, haveStored](const QStringList &) {
                  if (gen != m_generation || m_state != State::Starting)
                      return;
                  if (haveStored) {
                      m_endpoint.config.password = attempt;
                      probeRpc(); // the version, then ready
                      return;
                  }
                  // First start (or a store that lost its secret): replace the factory password.
                  const QString fresh = newPassword();
                  SecretStore *store = m_options.secrets;
                  const QString file = passwordFile();
                  QFuture<void> saved =
                      store && !store->sessionOnly()
                          ? store->write(secretKey(), fresh)
                          : QtConcurrent::run(ioPool(), [file, fresh] {
                                QSaveFile f(file);
                                if (!f.open(QIODevice::WriteOnly))
                                    throwError(ErrorKind::InvalidArgument,
                                               QStringLiteral("Save the root password"), f.errorString());
                                f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
                                f.write(fresh.toUtf8());
                                if (!f.commit())
                                    throwError(ErrorKind::InvalidArgument,
                                               QStringLiteral("Save the root password"), f.errorString());
                            });
                  saved
                      .then(this,
                            [this, gen, attempt, fresh] {
                                if (gen != m_generation || m_state != State::Starting)
                                    return QFuture<void>();
                                UpdateCredentialRequest req;
                                req.user = kRootUser;
                                req.oldPassword = attempt;
                                req.newPassword = fresh;
                                return m_probeClient->updateCredentialAsync(req);
                            })
                      .unwrap()
                      .then(this,
                            [this, gen, fresh] {
                                m_probeInFlight = false;
                                if (gen != m_generation || m_state != State::Starting)
                                    return;
                                m_storedPassword = fresh;
                                m_endpoint.config.password = fresh;
                                probeRpc();
                            })
                      .onFailed(this, [this, gen](const MilvusException &e) {
                          m_probeInFlight = false;
                          if (gen == m_generation && m_state == State::Starting)
                              failStart(QStringLiteral("could not set the root password: %1")
                                            .arg(e.error().message()));
                      });
              })
        .onFailed(this, [this, gen = m_generation, haveStored](const MilvusException &e) {
            m_probeInFlight = false;
            if (gen != m_generation || m_state != State::Starting)
                return;
            if (isAuthFailure(e.error())) {
                if (haveStored) {
                    // The stored password is refused: perhaps it was saved but never set (a crash
                    // between the two); the factory password is the only other one it can have.
                    m_storedPassword = QString();
                    m_probeTimer.start();
                    return;
                }
                failStart(QStringLiteral("the server refuses its root password: the data directory '%1' "
                                         "was set up with a password this app does not have (delete "
                                         "the directory to start afresh, or connect with your own "
                                         "credentials as a remote server)")
                              .arg(m_dataDir),
                          ErrorKind::GrpcStatus);
                return;
            }
            m_probeTimer.start(); // not serving yet
        });
}

void LocalServer::becomeReady(const QString &version)
{
    m_probeTimer.stop();
    m_probeClient.reset();
    m_endpoint.version = version;
    setState(State::Running);
    emit progress(tr("%1 %2 is running").arg(kindName(m_kind), version));
    if (m_startPromise) {
        m_startPromise->addResult(m_endpoint);
        m_startPromise->finish();
        m_startPromise.reset();
    }
}

void LocalServer::failStart(const QString &reason, ErrorKind kind)
{
    m_probeTimer.stop();
    m_probeClient.reset();
    QString message = reason;
    const QString out = serverOutput().trimmed();
    if (out.contains(QLatin1String("DataDirLockedError")) ||
        out.contains(QLatin1String("resource temporarily unavailable")))
        message = QStringLiteral("the data directory '%1' is in use by another %2 server (another Milvus "
                                 "Explorer window?): %3")
                      .arg(m_dataDir, kindName(m_kind), reason);
    else if (out.contains(QLatin1String("address already in use")))
        message = QStringLiteral("a port %1 needs is already in use: %2").arg(kindName(m_kind), reason);
    if (!out.isEmpty())
        message += QStringLiteral("\n\nServer output:\n") + out.right(4000);
    for (QProcess *p : {m_setup, m_process}) {
        if (p && p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished(2000); // a SIGKILLed child is reaped at once
        }
    }
    m_lock.reset();
    setState(State::Failed);
    if (m_startPromise) {
        MilvusError e{kind, operationName(), 0, 0, 0, 0, message, {}};
        m_startPromise->setException(MilvusException(e));
        m_startPromise->finish();
        m_startPromise.reset();
    }
}

void LocalServer::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_process && m_outputFile.isEmpty())
        m_output += QString::fromUtf8(m_process->readAll());
    m_killTimer.stop();
    const QString how = status == QProcess::CrashExit ? QStringLiteral("was killed")
                                                      : QStringLiteral("exited with code %1").arg(exitCode);
    if (m_state == State::Starting) {
        failStart(QStringLiteral("%1 %2 while starting").arg(kindName(m_kind), how));
    } else if (m_state == State::Running) {
        setState(State::Failed);
        emit unexpectedExit(
            QStringLiteral("the local %1 %2.\n%3").arg(kindName(m_kind), how, serverOutput().right(2000)));
    } else if (m_state == State::Stopping) {
        setState(State::Stopped);
    }
    m_lock.reset();
}

void LocalServer::stop(int graceMs)
{
    ++m_generation;
    m_probeTimer.stop();
    m_probeClient.reset();
    if (m_setup && m_setup->state() != QProcess::NotRunning) {
        m_setup->kill();
        m_setup->waitForFinished(2000);
    }
    if (m_state == State::Starting && m_startPromise) {
        MilvusError e{ErrorKind::Cancelled,
                      operationName(),
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
    if (!m_process || m_process->state() == QProcess::NotRunning) {
        m_lock.reset();
        if (m_state != State::Failed)
            setState(State::Stopped);
        return;
    }
    if (m_state == State::Stopping)
        return;
    setState(State::Stopping);
    m_process->terminate(); // SIGTERM to the server itself: it flushes, releases its locks and exits
    m_killTimer.start(graceMs);
}

bool LocalServer::waitForStopped(int ms)
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return true;
    if (m_process->waitForFinished(ms))
        return true;
    m_process->kill();
    return m_process->waitForFinished(2000);
}

} // namespace mx
