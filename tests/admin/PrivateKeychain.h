#pragma once

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QUuid>

namespace mx::test {

// A secret no file or output holds by chance: greps for it mean something.
inline QString randomSecret(const char *prefix)
{
    return QStringLiteral("%1-%2").arg(QLatin1String(prefix), QUuid::createUuid().toString(QUuid::Id128));
}

// Every byte of every file under `dir` (settings, caches, keyring files), to grep for secrets.
inline QByteArray allBytesUnder(const QString &dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

// gnome-keyring's Secret Service on a D-Bus session bus of the test's own, in a directory of its own
// (HOME, XDG_RUNTIME_DIR, XDG_DATA_HOME, XDG_CONFIG_HOME): nothing of the machine's session, settings or
// keyrings is seen or touched, and it runs as root on a machine without a desktop (CI).
class PrivateKeychain
{
public:
    // Points this process's environment at `root` (call it before QApplication: the session bus address
    // and the settings directory must be in place before anything reads them). The bus is not up yet.
    static bool isolate(const QString &root);
    // Starts the bus (no service activation: only this keyring answers) and the keyring, unlocked; waits
    // until the Secret Service is on the bus. False with *error when a step fails.
    bool start(const QString &root, QString *error);
    void stop(); // bounded waits; also done by the destructor
    ~PrivateKeychain();

    // secret-tool's answer for QtKeychain's entry (service, key); empty optional when there is none.
    static std::optional<QString> lookup(const QString &service, const QString &key);

private:
    QProcess m_bus, m_keyring;
};

} // namespace mx::test
