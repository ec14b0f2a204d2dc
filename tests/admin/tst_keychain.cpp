// Secrets through a real keychain: gnome-keyring's Secret Service on a private D-Bus session of this
// test (its own HOME, XDG dirs and bus; nothing of the machine's). A profile's token and password are
// saved the way the Connections dialog saves them (ConnectionProfiles::save with the app's SecretStore),
// read back by a second process (the app restarted: the session store cannot survive that), found by
// an independent client (secret-tool, libsecret) under the app's service name, never in the settings
// file, and gone from the keychain once the profile is removed. Without a reachable Secret Service the
// store falls back to this session only and the dialog says so.

#include "ConnectionProfiles.h"
#include "ConnectionsDialog.h"
#include "PrivateKeychain.h"
#include "SecretStore.h"
#include "TestSupport.h"

#include <QApplication>
#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QUuid>

namespace mx {

using test::allBytesUnder;
using test::randomSecret;

namespace {

constexpr const char *kChildMode = "MX_KEYCHAIN_CHILD"; // read:<profile id> | nobus

void setTestNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("MilvusExplorerTest"));
    QCoreApplication::setApplicationName(QStringLiteral("keychain"));
}

// The second process: the app after a restart (read:<id>), or the app on a machine without a Secret
// Service (nobus). Prints one JSON object on stdout.
int childMain(int argc, char **argv)
{
    QApplication app(argc, argv);
    setTestNames();
    const QString mode = qEnvironmentVariable(kChildMode);
    ConnectionProfiles profiles;
    SecretStore secrets;
    QJsonObject out;
    if (mode.startsWith(QLatin1String("savequit:"))) {
        // Save a profile and quit at once, as main() does after its event loop ends: with or without
        // waiting for the keychain's answers.
        ConnectionProfile p;
        p.name = QStringLiteral("saved before quitting");
        p.config.uri = QStringLiteral("https://quit.example.org:19530");
        p.config.token = qEnvironmentVariable("MX_KEYCHAIN_TOKEN");
        const ConnectionProfile saved = profiles.save(p, &secrets);
        out.insert(QStringLiteral("id"), saved.id);
        out.insert(QStringLiteral("key"), saved.secretKey("token"));
        out.insert(QStringLiteral("pendingAfterSave"), secrets.pending());
        if (mode == QLatin1String("savequit:flush"))
            out.insert(QStringLiteral("finished"), secrets.finishPending(20000));
    } else if (mode.startsWith(QLatin1String("read:"))) {
        const auto profile = profiles.find(mode.mid(5));
        out.insert(QStringLiteral("found"), profile.has_value());
        if (profile) {
            const ConnectionConfig full = test::await(ConnectionProfiles::withSecrets(*profile, &secrets));
            out.insert(QStringLiteral("token"), full.token);
            out.insert(QStringLiteral("password"), full.password);
            out.insert(QStringLiteral("user"), full.user);
        }
    } else { // nobus: save a profile as the dialog does, then show the dialog
        ConnectionProfile p;
        p.name = QStringLiteral("no keychain");
        p.config.uri = QStringLiteral("https://nobus.example.org:19530");
        p.config.token = qEnvironmentVariable("MX_KEYCHAIN_TOKEN");
        p.config.password = qEnvironmentVariable("MX_KEYCHAIN_PASSWORD");
        const ConnectionProfile saved = profiles.save(p, &secrets);
        QTest::qWaitFor([&] { return secrets.sessionOnly(); }, 20000);
        const ConnectionConfig full = test::await(ConnectionProfiles::withSecrets(saved, &secrets));
        out.insert(QStringLiteral("token"), full.token); // the session store still has it
        ConnectionsDialog dialog(&profiles, &secrets);
        dialog.show();
        QCoreApplication::processEvents();
        auto *note = dialog.findChild<QLabel *>(QStringLiteral("keychainNote"));
        out.insert(QStringLiteral("note"), note ? note->text() : QStringLiteral("<no keychainNote>"));
        out.insert(QStringLiteral("noteVisible"), note && note->isVisible());
    }
    out.insert(QStringLiteral("sessionOnly"), secrets.sessionOnly());
    out.insert(QStringLiteral("problem"), secrets.keychainProblem());
    QSettings().sync();
    fprintf(stdout, "%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}

} // namespace

class TstKeychain : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void secretsGoToTheKeychainAndSurviveARestart();
    void noSecretServiceFallsBackAndSaysSo();
    void savedJustBeforeQuittingReachesTheKeychain();

private:
    QProcessEnvironment env() const;
    QJsonObject runChild(const QString &mode, const QProcessEnvironment &environment);
    // secret-tool's answer for the app's entry `key`; nullopt when the keychain has none.
    std::optional<QString> keychainLookup(const QString &key);

public:
    explicit TstKeychain(const QString &root)
        : m_root(root)
    {}

private:
    QString m_root; // HOME, XDG dirs and the bus socket of this test (main() made it)
    test::PrivateKeychain m_keychain;
};

QProcessEnvironment TstKeychain::env() const
{
    return QProcessEnvironment::systemEnvironment(); // initTestCase set up this process's own
}

void TstKeychain::initTestCase()
{
    QString error;
    QVERIFY2(m_keychain.start(m_root, &error), qPrintable(error));
}

void TstKeychain::cleanupTestCase()
{
    m_keychain.stop();
}

QJsonObject TstKeychain::runChild(const QString &mode, const QProcessEnvironment &environment)
{
    QProcess child;
    QProcessEnvironment e = environment;
    e.insert(QLatin1String(kChildMode), mode);
    child.setProcessEnvironment(e);
    child.start(QCoreApplication::applicationFilePath(), {});
    if (!child.waitForStarted(10000) || !child.waitForFinished(60000)) {
        child.kill();
        child.waitForFinished(2000);
        qWarning("the child process did not finish: %s", qPrintable(child.errorString()));
        return {};
    }
    const QByteArray err = child.readAllStandardError();
    if (!err.isEmpty())
        qInfo("child stderr: %s", err.constData());
    const QList<QByteArray> lines = child.readAllStandardOutput().trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
}

std::optional<QString> TstKeychain::keychainLookup(const QString &key)
{
    return test::PrivateKeychain::lookup(QStringLiteral("milvus-explorer"), key);
}

void TstKeychain::secretsGoToTheKeychainAndSurviveARestart()
{
    const QString token = randomSecret("tok");
    const QString password = randomSecret("pw");
    QString id;
    ConnectionProfile saved;
    {
        ConnectionProfiles profiles;
        SecretStore secrets; // the app's service name, as main() makes it
        ConnectionProfile p;
        p.name = QStringLiteral("Secured prod");
        p.config.uri = QStringLiteral("https://milvus.keychain.example.org:19530");
        p.config.user = QStringLiteral("alice");
        p.config.token = token;
        p.config.password = password;
        saved = profiles.save(p, &secrets);
        id = saved.id;
        QVERIFY(saved.hasToken && saved.hasPassword);
        QVERIFY(saved.config.token.isEmpty() && saved.config.password.isEmpty());

        // An independent libsecret client finds both under the app's service name.
        QTRY_COMPARE_WITH_TIMEOUT(keychainLookup(saved.secretKey("token")), std::optional<QString>(token),
                                  20000);
        QTRY_COMPARE_WITH_TIMEOUT(keychainLookup(saved.secretKey("password")),
                                  std::optional<QString>(password), 20000);
        QVERIFY2(!secrets.sessionOnly(), qPrintable(secrets.keychainProblem()));
        QVERIFY(secrets.keychainProblem().isEmpty());

        // The dialog has nothing to warn about.
        ConnectionsDialog dialog(&profiles, &secrets);
        dialog.show();
        QCoreApplication::processEvents();
        auto *note = dialog.findChild<QLabel *>(QStringLiteral("keychainNote"));
        QVERIFY(note);
        QVERIFY(!note->isVisible());
    }
    QSettings().sync();

    // The settings file has the profile (so the grep reads the right file) but neither secret; the
    // keyring file is encrypted, so not there in plain either.
    const QByteArray settings = allBytesUnder(qEnvironmentVariable("XDG_CONFIG_HOME"));
    QVERIFY(settings.contains("milvus.keychain.example.org"));
    QVERIFY(settings.contains(id.toUtf8()));
    QVERIFY(!settings.contains(token.toUtf8()));
    QVERIFY(!settings.contains(password.toUtf8()));
    const QByteArray keyrings = allBytesUnder(qEnvironmentVariable("XDG_DATA_HOME"));
    QVERIFY2(!keyrings.isEmpty(), "gnome-keyring wrote no keyring file");
    QVERIFY(!keyrings.contains(token.toUtf8()));

    // The app restarted: another process, the same settings and keychain.
    const QJsonObject restarted = runChild(QStringLiteral("read:") + id, env());
    QVERIFY2(restarted.value(QStringLiteral("found")).toBool(),
             QJsonDocument(restarted).toJson().constData());
    QCOMPARE(restarted.value(QStringLiteral("token")).toString(), token);
    QCOMPARE(restarted.value(QStringLiteral("password")).toString(), password);
    QCOMPARE(restarted.value(QStringLiteral("user")).toString(), QStringLiteral("alice"));
    QCOMPARE(restarted.value(QStringLiteral("sessionOnly")).toBool(), false);

    // Removing the profile removes its secrets from the keychain.
    {
        ConnectionProfiles profiles;
        SecretStore secrets;
        QVERIFY(profiles.remove(id, &secrets));
        QTRY_COMPARE_WITH_TIMEOUT(keychainLookup(saved.secretKey("token")), std::optional<QString>(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(keychainLookup(saved.secretKey("password")), std::optional<QString>(),
                                  20000);
        QVERIFY(!secrets.sessionOnly());
    }
    SecretStore fresh;
    QCOMPARE(test::await(fresh.read(saved.secretKey("token"))), QString());
    QVERIFY(!fresh.sessionOnly()); // the empty answer came from the keychain, not from a fallback
    const QJsonObject afterRemove = runChild(QStringLiteral("read:") + id, env());
    QCOMPARE(afterRemove.value(QStringLiteral("found")).toBool(true), false);
}

// A profile saved right before the app quits: main() waits (bounded) for the keychain's answers, so
// the secret is there afterwards. Without the wait the process may end before its request is sent.
void TstKeychain::savedJustBeforeQuittingReachesTheKeychain()
{
    const QString token = randomSecret("quit");
    QProcessEnvironment e = env();
    e.insert(QStringLiteral("MX_KEYCHAIN_TOKEN"), token);
    const QJsonObject out = runChild(QStringLiteral("savequit:flush"), e);
    QVERIFY2(out.value(QStringLiteral("pendingAfterSave")).toInt() > 0,
             "the save did not go to the keychain at all");
    QVERIFY(out.value(QStringLiteral("finished")).toBool());
    QCOMPARE(keychainLookup(out.value(QStringLiteral("key")).toString()), std::optional<QString>(token));
}

void TstKeychain::noSecretServiceFallsBackAndSaysSo()
{
    const QString token = randomSecret("tok-nobus");
    const QString password = randomSecret("pw-nobus");
    QTemporaryDir config;
    QProcessEnvironment e = env();
    e.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
             QStringLiteral("unix:path=%1/no-bus-here").arg(m_root));
    e.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    e.insert(QStringLiteral("MX_KEYCHAIN_TOKEN"), token);
    e.insert(QStringLiteral("MX_KEYCHAIN_PASSWORD"), password);
    const QJsonObject out = runChild(QStringLiteral("nobus"), e);
    QVERIFY2(out.value(QStringLiteral("sessionOnly")).toBool(), QJsonDocument(out).toJson().constData());
    QVERIFY(!out.value(QStringLiteral("problem")).toString().isEmpty());
    QCOMPARE(out.value(QStringLiteral("token")).toString(), token); // kept for the session
    const QString note = out.value(QStringLiteral("note")).toString();
    QVERIFY2(note.contains(QLatin1String("No keychain service is available")), qPrintable(note));
    QVERIFY2(note.contains(QLatin1String("for this session only")), qPrintable(note));
    QVERIFY2(note.contains(out.value(QStringLiteral("problem")).toString()), qPrintable(note));
    QVERIFY(out.value(QStringLiteral("noteVisible")).toBool());
    // Still never on disk, and not in the real keychain either (it was unreachable).
    const QByteArray settings = allBytesUnder(config.path());
    QVERIFY(settings.contains("nobus.example.org"));
    QVERIFY(!settings.contains(token.toUtf8()));
    QVERIFY(!settings.contains(password.toUtf8()));
    QVERIFY(!allBytesUnder(qEnvironmentVariable("XDG_DATA_HOME")).contains(token.toUtf8()));
}

} // namespace mx

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(mx::kChildMode))
        return mx::childMain(argc, argv);
    // Before QApplication: nothing may see the machine's session, settings or keyring.
    QTemporaryDir root(QStringLiteral("/tmp/mxkc-XXXXXX")); // short: a unix socket path lives here
    if (!mx::test::PrivateKeychain::isolate(root.path()))
        return 1;
    QApplication app(argc, argv);
    mx::setTestNames();
    mx::TstKeychain t(root.path());
    return QTest::qExec(&t, argc, argv);
}

#include "tst_keychain.moc"
