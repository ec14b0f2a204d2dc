#include "VenvBootstrap.h"

#include "IoPool.h"
#include "LocalServer.h"
#include "MilvusError.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QtConcurrent>

#include <limits>

namespace mx {

namespace {
constexpr qsizetype kMaxLog = 256 * 1024;
const QString kOperation = QStringLiteral("Install the local servers");

int countPins(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    int n = 0;
    for (const QByteArray &raw : f.readAll().split('\n')) {
        const QByteArray line = raw.trimmed();
        if (!line.isEmpty() && !line.startsWith('#') && !line.startsWith('-'))
            ++n;
    }
    return n;
}
} // namespace

VenvBootstrap::VenvBootstrap(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        fail(int(ErrorKind::Timeout), QStringLiteral("it did not finish within %1 minutes")
                                          .arg(m_request.timeout.count() / 60000.0, 0, 'f', 1));
    });
}

VenvBootstrap::~VenvBootstrap()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(2000); // a SIGKILLed child is reaped at once
    }
    if (m_promise) {
        MilvusError e{ErrorKind::Cancelled, kOperation, 0, 0, 0, 0, QStringLiteral("cancelled"), m_log};
        m_promise->setException(MilvusException(e));
        m_promise->finish();
    }
    if (m_request.cancel && m_cancelRegistration)
        m_request.cancel->unregister(m_cancelRegistration);
}

bool VenvBootstrap::indexUnreachable(const QString &pipOutput)
{
    static const QRegularExpression re(
        QStringLiteral("NewConnectionError|Failed to establish a new connection|Temporary failure in name "
                       "resolution|Name or service not known|Connection refused|Network is unreachable|"
                       "ConnectTimeoutError|ReadTimeoutError|Read timed out|ProxyError|Max retries exceeded|"
                       "Could not fetch URL|SSLError|No route to host"),
        QRegularExpression::CaseInsensitiveOption);
    return re.match(pipOutput).hasMatch();
}

QFuture<QString> VenvBootstrap::start(const VenvBootstrapRequest &request)
{
    if (m_promise)
        return QtFuture::makeExceptionalFuture<QString>(MilvusException(MilvusError{
            ErrorKind::InvalidArgument, kOperation, 0, 0, 0, 0, QStringLiteral("already running"), {}}));
    ++m_generation;
    m_request = request;
    if (m_request.venvDir.isEmpty())
        m_request.venvDir = LocalServer::userVenvDir();
    if (m_request.requirementsFile.isEmpty())
        m_request.requirementsFile = LocalServer::requirementsFile();
    m_log.clear();
    m_partial.clear();
    m_collected = 0;
    m_createdDir = false;
    m_promise.emplace();
    m_promise->start();
    QFuture<QString> future = m_promise->future();
    if (m_request.cancel) {
        QPointer<VenvBootstrap> self(this);
        // The token's callbacks run on the cancelling thread: hop to ours.
        m_cancelRegistration = m_request.cancel->registerCallback([self] {
            QMetaObject::invokeMethod(
                self.data(),
                [self] {
                    if (self)
                        self->cancel();
                },
                Qt::QueuedConnection);
        });
        if (m_cancelRegistration == 0) { // already cancelled
            fail(int(ErrorKind::Cancelled), QStringLiteral("cancelled"));
            return future;
        }
    }
    m_pins = std::max(1, countPins(m_request.requirementsFile));
    if (!QFileInfo::exists(m_request.requirementsFile)) {
        fail(int(ErrorKind::InvalidArgument),
             QStringLiteral("the list of packages '%1' is missing (is Milvus Explorer installed completely?)")
                 .arg(m_request.requirementsFile));
        return future;
    }
    m_deadline.start(int(std::min<qint64>(m_request.timeout.count(), std::numeric_limits<int>::max())));
    const QDir dir(m_request.venvDir);
    if (QFileInfo::exists(dir.filePath(QStringLiteral("pyvenv.cfg"))) &&
        QFileInfo(dir.filePath(QStringLiteral("bin/python"))).isExecutable()) {
        m_createdDir = false;
        emit progress(tr("Using the environment in %1").arg(m_request.venvDir), 5);
        afterVenv(0);
        return future;
    }
    m_createdDir = !dir.exists() || dir.isEmpty();
    if (!m_createdDir) {
        fail(int(ErrorKind::InvalidArgument),
             QStringLiteral("'%1' exists and is not a Python environment; move it away first")
                 .arg(m_request.venvDir));
        return future;
    }
    QDir().mkpath(QFileInfo(m_request.venvDir).absolutePath());
    emit progress(tr("Creating a Python environment in %1…").arg(m_request.venvDir), 2);
    runStep(m_request.python, {QStringLiteral("-m"), QStringLiteral("venv"), m_request.venvDir},
            &VenvBootstrap::afterVenv);
    return future;
}

void VenvBootstrap::runStep(const QString &program, const QStringList &args, void (VenvBootstrap::*next)(int))
{
    delete m_process;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PIP_DISABLE_PIP_VERSION_CHECK"), QStringLiteral("1"));
    env.insert(QStringLiteral("PIP_NO_INPUT"), QStringLiteral("1"));
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1"));
    env.remove(QStringLiteral("PYTHONHOME"));
    env.remove(QStringLiteral("VIRTUAL_ENV"));
    m_process->setProcessEnvironment(env);
    QProcess *p = m_process;
    connect(p, &QProcess::readyRead, this, [this, p] {
        m_partial += QString::fromUtf8(p->readAll());
        qsizetype nl;
        while ((nl = m_partial.indexOf(QLatin1Char('\n'))) >= 0) {
            onLine(m_partial.left(nl).trimmed());
            m_partial.remove(0, nl + 1);
        }
    });
    connect(p, &QProcess::finished, this,
            [this, p, next, gen = m_generation](int code, QProcess::ExitStatus st) {
                if (gen != m_generation || p != m_process || !m_promise)
                    return;
                if (!m_partial.isEmpty()) {
                    onLine(m_partial.trimmed());
                    m_partial.clear();
                }
                (this->*next)(st == QProcess::CrashExit ? -1 : code);
            });
    connect(p, &QProcess::errorOccurred, this, [this, p](QProcess::ProcessError err) {
        if (err == QProcess::FailedToStart && p == m_process && m_promise)
            fail(int(ErrorKind::InvalidArgument),
                 QStringLiteral("could not run '%1': %2 (is the package python3 installed?)")
                     .arg(p->program(), p->errorString()));
    });
    m_log += QStringLiteral("$ %1 %2\n").arg(program, args.join(QLatin1Char(' ')));
    m_process->start(program, args);
}

void VenvBootstrap::onLine(const QString &line)
{
    if (line.isEmpty())
        return;
    if (m_log.size() < kMaxLog)
        m_log += line + QLatin1Char('\n');
    emit output(line);
    // pip's steps: "Collecting x==1", "Downloading x.whl (57.0 MB)", "Installing collected packages: ...".
    // It resolves transitive dependencies as it goes, so the share is a rough guess: pins x 4.
    if (line.startsWith(QLatin1String("Collecting "))) {
        ++m_collected;
        const int pct = 10 + std::min(60, 60 * m_collected / (4 * m_pins));
        emit progress(tr("Resolving %1").arg(line.mid(11).section(QLatin1Char(' '), 0, 0)), pct);
    } else if (line.startsWith(QLatin1String("Downloading "))) {
        const int pct = 10 + std::min(60, 60 * m_collected / (4 * m_pins));
        emit progress(tr("Downloading %1").arg(line.mid(12).section(QLatin1Char('/'), -1)), pct);
    } else if (line.startsWith(QLatin1String("Installing collected packages"))) {
        emit progress(tr("Installing the packages (this takes a minute)…"), 80);
    }
}

void VenvBootstrap::afterVenv(int exitCode)
{
    if (exitCode != 0) {
        fail(int(ErrorKind::InvalidArgument),
             QStringLiteral("'%1 -m venv' failed (exit code %2): is the package python3-venv installed?")
                 .arg(m_request.python)
                 .arg(exitCode));
        return;
    }
    emit progress(tr("Downloading the local servers (about 120 MB)…"), 10);
    QStringList args{QStringLiteral("-m"),
                     QStringLiteral("pip"),
                     QStringLiteral("install"),
                     QStringLiteral("--progress-bar"),
                     QStringLiteral("off"),
                     QStringLiteral("--retries"),
                     QString::number(std::max(1, m_request.retries)),
                     QStringLiteral("--timeout"),
                     QString::number(m_request.networkTimeoutS),
                     QStringLiteral("-r"),
                     m_request.requirementsFile};
    if (!m_request.indexUrl.isEmpty())
        args << QStringLiteral("--index-url") << m_request.indexUrl;
    runStep(QDir(m_request.venvDir).filePath(QStringLiteral("bin/python")), args, &VenvBootstrap::afterPip);
}

void VenvBootstrap::afterPip(int exitCode)
{
    if (exitCode == 0 &&
        QFileInfo(QDir(m_request.venvDir).filePath(QStringLiteral("bin/milvus-lite"))).isExecutable()) {
        emit progress(tr("The local servers are installed"), 100);
        m_deadline.stop();
        m_promise->addResult(m_request.venvDir);
        finish();
        return;
    }
    if (indexUnreachable(m_log)) {
        const QString index = m_request.indexUrl.isEmpty()
                                  ? QStringLiteral("PyPI, or the index in PIP_INDEX_URL / pip.conf")
                                  : m_request.indexUrl;
        fail(int(ErrorKind::Transport),
             QStringLiteral("the package index (%1) cannot be reached: check the network connection and any "
                            "proxy (HTTPS_PROXY), then try again")
                 .arg(index));
        return;
    }
    fail(int(ErrorKind::InvalidArgument),
         QStringLiteral("pip could not install the packages in %1 (exit code %2); see its output")
             .arg(m_request.requirementsFile)
             .arg(exitCode));
}

void VenvBootstrap::cancel()
{
    if (m_promise)
        fail(int(ErrorKind::Cancelled), QStringLiteral("cancelled"));
}

void VenvBootstrap::fail(int kind, const QString &reason)
{
    if (!m_promise)
        return;
    ++m_generation; // a late finished() of the killed process is not a step
    m_deadline.stop();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(2000); // a SIGKILLed child is reaped at once
    }
    MilvusError e{ErrorKind(kind), kOperation, 0, 0, 0, 0, reason, m_log};
    if (!m_createdDir) {
        m_promise->setException(MilvusException(e));
        finish();
        return;
    }
    // Remove what we made off this thread; the future fails once it is gone.
    auto promise = std::make_shared<QPromise<QString>>(std::move(*m_promise));
    m_promise.reset();
    if (m_request.cancel && m_cancelRegistration)
        m_request.cancel->unregister(m_cancelRegistration);
    m_cancelRegistration = 0;
    QtConcurrent::run(ioPool(), [dir = m_request.venvDir, promise, e] {
        QDir(dir).removeRecursively();
        promise->setException(MilvusException(e));
        promise->finish();
    });
}

void VenvBootstrap::finish()
{
    m_promise->finish();
    m_promise.reset();
    if (m_request.cancel && m_cancelRegistration)
        m_request.cancel->unregister(m_cancelRegistration);
    m_cancelRegistration = 0;
}

} // namespace mx
