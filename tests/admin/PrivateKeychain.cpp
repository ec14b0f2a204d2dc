#include "PrivateKeychain.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QTest>
#include <QUuid>

namespace mx::test {

bool PrivateKeychain::isolate(const QString &rootPath)
{
    const QDir root(rootPath);
    for (const char *d : {"home", "run", "data", "config", "cache"})
        if (!root.mkpath(QLatin1String(d)))
            return false;
    QFile::setPermissions(root.filePath(QStringLiteral("run")),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("HOME", root.filePath(QStringLiteral("home")).toUtf8());
    qputenv("XDG_RUNTIME_DIR", root.filePath(QStringLiteral("run")).toUtf8());
    qputenv("XDG_DATA_HOME", root.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CONFIG_HOME", root.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_CACHE_HOME", root.filePath(QStringLiteral("cache")).toUtf8());
    qputenv("DBUS_SESSION_BUS_ADDRESS",
            QStringLiteral("unix:path=%1").arg(root.filePath(QStringLiteral("bus"))).toUtf8());
    // QtKeychain picks its backend from the desktop; a bare session means the Secret Service (libsecret).
    for (const char *v :
         {"XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_KEYRING_CONTROL"})
        qunsetenv(v);
    return true;
}

bool PrivateKeychain::start(const QString &rootPath, QString *error)
{
    const QDir root(rootPath);
    const QString busSocket = root.filePath(QStringLiteral("bus"));
    const QString busConfig = root.filePath(QStringLiteral("bus.conf"));
    QFile conf(busConfig);
    if (!conf.open(QIODevice::WriteOnly)) {
        *error = conf.errorString();
        return false;
    }
    conf.write(
        QStringLiteral("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                       "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                       "<busconfig><type>session</type><listen>unix:path=%1</listen>"
                       "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                       "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n")
            .arg(busSocket)
            .toUtf8());
    conf.close();
    m_bus.start(QStringLiteral("dbus-daemon"),
                {QStringLiteral("--config-file=") + busConfig, QStringLiteral("--nofork"),
                 QStringLiteral("--nopidfile"), QStringLiteral("--print-address=1")});
    if (!m_bus.waitForStarted(10000) || !m_bus.waitForReadyRead(10000)) {
        *error = QStringLiteral("dbus-daemon: %1 %2").arg(m_bus.errorString(), m_bus.readAllStandardError());
        return false;
    }
    const QString address = QString::fromUtf8(m_bus.readLine()).trimmed();
    if (!address.startsWith(QStringLiteral("unix:path=") + busSocket)) {
        *error = QStringLiteral("dbus-daemon listens elsewhere: ") + address;
        return false;
    }
    // The login keyring, created on first use and unlocked with the password given on stdin.
    m_keyring.setProcessChannelMode(QProcess::MergedChannels);
    m_keyring.start(
        QStringLiteral("gnome-keyring-daemon"),
        {QStringLiteral("--foreground"), QStringLiteral("--unlock"), QStringLiteral("--components=secrets")});
    if (!m_keyring.waitForStarted(10000)) {
        *error = QStringLiteral("gnome-keyring-daemon: ") + m_keyring.errorString();
        return false;
    }
    m_keyring.write(QUuid::createUuid().toString(QUuid::Id128).toUtf8());
    m_keyring.closeWriteChannel();
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        *error = QStringLiteral("no connection to the test's bus: ") + bus.lastError().message();
        return false;
    }
    const bool up = QTest::qWaitFor(
        [&] {
            return bus.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.secrets")).value();
        },
        20000);
    if (!up)
        *error = QStringLiteral("gnome-keyring did not register the Secret Service: ") +
                 QString::fromUtf8(m_keyring.readAll());
    return up;
}

void PrivateKeychain::stop()
{
    for (QProcess *p : {&m_keyring, &m_bus}) {
        if (p->state() == QProcess::NotRunning)
            continue;
        p->terminate();
        if (!p->waitForFinished(5000)) {
            p->kill();
            p->waitForFinished(2000);
        }
    }
}

PrivateKeychain::~PrivateKeychain()
{
    stop();
}

std::optional<QString> PrivateKeychain::lookup(const QString &service, const QString &key)
{
    // QtKeychain's libsecret schema: attribute "server" is the store's service name, "user" the key.
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("lookup"), QStringLiteral("server"), service, QStringLiteral("user"), key});
    if (!tool.waitForFinished(15000) || tool.exitStatus() != QProcess::NormalExit)
        return QStringLiteral("<secret-tool did not run: %1>").arg(tool.errorString());
    if (tool.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(tool.readAllStandardOutput());
}

} // namespace mx::test
