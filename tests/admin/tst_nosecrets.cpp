// No password or token in the settings files, the logs or any command line. The real app
// (milvus-explorer, offscreen) signs in to the standalone started with authorization twice: with a
// token from the environment (--token-env), and from a saved profile whose password lives in a real
// keychain (gnome-keyring on a private D-Bus session). Each run proves it signed in with the secret by
// loading a released collection (--load), then quits (--screenshot). Afterwards the settings, cache and
// data directories, everything the app printed (every Qt logging category on, debug included) and the
// command lines of the app and of every process this test started (the server included), read while
// they ran, are searched for the secrets in plain and in the base64 form the authorization header uses.
// Each search first finds a planted canary, so a search that reads nothing cannot pass. The app has no
// crash handler and writes no log file of its own: its output is what it prints.
//
// Standalone only: Milvus Lite has no authentication (tst_rbac asserts its refusal of RBAC).

#include "AdminClient.h"
#include "ConnectionProfiles.h"
#include "PrivateKeychain.h"
#include "SecretStore.h"
#include "TestSupport.h"

#include <QApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QUuid>

namespace mx {

using namespace mx::test;

namespace {

// Process ids below `root` (children, grandchildren, ...), from /proc/<pid>/stat.
QList<qint64> descendantsOf(qint64 root)
{
    QMultiHash<qint64, qint64> children;
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList({QStringLiteral("[0-9]*")}, QDir::Dirs);
    for (const QString &pid : pids) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const qsizetype close = line.lastIndexOf(')'); // the command name may hold spaces
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (fields.size() > 1)
            children.insert(fields.at(1).toLongLong(), pid.toLongLong());
    }
    QList<qint64> out, todo{root};
    while (!todo.isEmpty()) {
        const auto kids = children.values(todo.takeFirst());
        out += kids;
        todo += kids;
    }
    return out;
}

QByteArray commandLine(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    return f.open(QIODevice::ReadOnly) ? f.readAll().replace('\0', ' ') : QByteArray();
}

} // namespace

class TstNoSecrets : public QObject
{
    Q_OBJECT

public:
    explicit TstNoSecrets(const QString &root)
        : m_root(root)
    {}

private slots:
    void initTestCase();
    void cleanupTestCase();
    void searchFindsPlantedCanary();
    void tokenFromTheEnvironment();
    void passwordFromAProfile();
    void serverCommandLinesHoldNoSecret();

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray output;       // stdout and stderr
        QByteArray commandLines; // of every process below this one, read while the app ran
    };
    Run runApp(const QStringList &args, const QProcessEnvironment &extra);
    // The secrets (plain and base64 of user:password) found in `bytes`.
    QStringList leaks(const QByteArray &bytes) const;
    void releaseCollection();
    bool collectionLoaded();
    void checkAfterRun(const Run &run);

    QString m_root;
    PrivateKeychain m_keychain;
    TestServer m_server;
    std::unique_ptr<MilvusClient> m_rootClient;
    QString m_collection;
    QString m_canary = randomSecret("canary");
    QString m_tokenUser = uniqueName(QStringLiteral("tokuser"));
    QString m_tokenUserPassword = randomSecret("tokpw");
    QString m_profileUser = uniqueName(QStringLiteral("pwuser"));
    QString m_profileUserPassword = randomSecret("profpw");
    QString m_unusedToken = randomSecret("unusedtok");
    QStringList m_secrets;
};

void TstNoSecrets::initTestCase()
{
    QVERIFY2(isStandalone(), "the standalone only: Milvus Lite has no authentication");
    QString error;
    QVERIFY2(m_keychain.start(m_root, &error), qPrintable(error));
    QVERIFY2(m_server.start(&error), qPrintable(error));
    m_rootClient = m_server.client();
    const AdminClient admin(*m_rootClient);
    for (const auto &[user, password] :
         {std::pair{m_tokenUser, m_tokenUserPassword}, std::pair{m_profileUser, m_profileUserPassword}}) {
        admin.createUser({user, password, {}});
        admin.addUserToRole({user, QStringLiteral("admin"), {}});
    }
    m_collection = createLoadedCollection(*m_rootClient, QStringLiteral("leak"), 8, 10);
    const QString rootPassword = m_server.config().password;
    QVERIFY(!rootPassword.isEmpty());
    for (const QString &s : {m_tokenUserPassword, m_profileUserPassword, m_unusedToken, rootPassword})
        m_secrets << s;
    for (const QString &pair :
         {m_tokenUser + QLatin1Char(':') + m_tokenUserPassword,
          m_profileUser + QLatin1Char(':') + m_profileUserPassword, QStringLiteral("root:") + rootPassword})
        m_secrets << QString::fromLatin1(pair.toUtf8().toBase64());
}

void TstNoSecrets::cleanupTestCase()
{
    m_rootClient.reset();
    m_server.stop();
    m_keychain.stop();
}

QStringList TstNoSecrets::leaks(const QByteArray &bytes) const
{
    QStringList found;
    for (const QString &s : m_secrets)
        if (bytes.contains(s.toUtf8()))
            found << s;
    return found;
}

void TstNoSecrets::searchFindsPlantedCanary()
{
    // The search itself: it finds each secret form when one is there, and nothing in clean bytes.
    QVERIFY(leaks("nothing secret here").isEmpty());
    for (const QString &s : m_secrets)
        QCOMPARE(leaks(QByteArray("prefix ") + s.toUtf8() + " suffix"), QStringList{s});
}

TstNoSecrets::Run TstNoSecrets::runApp(const QStringList &args, const QProcessEnvironment &extra)
{
    Run run;
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // Every logging category, debug included; each line carries the canary (so the output is known to
    // have been captured and searched).
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    env.insert(QStringLiteral("QT_MESSAGE_PATTERN"), m_canary + QStringLiteral(" %{category}: %{message}"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (const QString &k : extra.keys())
        env.insert(k, extra.value(k));
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::MergedChannels);
    const QString shot = QDir(m_root).filePath(QStringLiteral("shot-%1.png").arg(m_canary));
    app.start(QStringLiteral(MX_APP_BINARY), args + QStringList{QStringLiteral("--screenshot"), shot});
    if (!app.waitForStarted(10000)) {
        qWarning("the app did not start: %s", qPrintable(app.errorString()));
        return run;
    }
    QElapsedTimer clock;
    clock.start();
    while (app.state() != QProcess::NotRunning && clock.elapsed() < 150000) {
        for (qint64 pid : descendantsOf(QCoreApplication::applicationPid()))
            run.commandLines += commandLine(pid) + '\n';
        run.output += app.readAll();
        app.waitForFinished(250);
    }
    if (app.state() != QProcess::NotRunning) {
        app.kill();
        app.waitForFinished(5000);
    }
    run.output += app.readAll();
    run.exitCode = app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
    qInfo("app ran %lld ms, printed %lld bytes", clock.elapsed(), qint64(run.output.size()));
    return run;
}

void TstNoSecrets::releaseCollection()
{
    m_rootClient->releaseCollection({m_collection, {}});
    QTRY_VERIFY_WITH_TIMEOUT(!collectionLoaded(), 30000);
}

bool TstNoSecrets::collectionLoaded()
{
    return m_rootClient->getLoadState({m_collection, {}, {}}) != LoadState::NotLoad;
}

void TstNoSecrets::checkAfterRun(const Run &run)
{
    QCOMPARE(run.exitCode, 0);
    // Signed in with the secret: the app loaded the collection (its user may, the server checks).
    QTRY_VERIFY_WITH_TIMEOUT(collectionLoaded(), 30000);
    // What it printed.
    QVERIFY2(run.output.contains(m_canary.toUtf8()), "the app's output was not captured");
    QVERIFY2(leaks(run.output).isEmpty(), qPrintable(leaks(run.output).join(QLatin1Char(' '))));
    // The command lines: the app's own is among them (its screenshot path carries the canary).
    QVERIFY2(run.commandLines.contains(QByteArray(MX_APP_BINARY)), run.commandLines.left(2000).constData());
    QVERIFY(run.commandLines.contains(m_canary.toUtf8()));
    QVERIFY2(leaks(run.commandLines).isEmpty(), qPrintable(leaks(run.commandLines).join(QLatin1Char(' '))));
    // Settings, cache, data (the keyring file is encrypted) and home.
    QSettings().sync();
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "HOME"}) {
        const QByteArray files = allBytesUnder(qEnvironmentVariable(var));
        const QStringList found = leaks(files);
        QVERIFY2(found.isEmpty(),
                 qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(var), found.join(' '))));
    }
}

void TstNoSecrets::tokenFromTheEnvironment()
{
    releaseCollection();
    QProcessEnvironment extra;
    extra.insert(QStringLiteral("MX_LEAK_TOKEN"), m_tokenUser + QLatin1Char(':') + m_tokenUserPassword);
    const Run run = runApp({QStringLiteral("--uri"), m_server.uri(), QStringLiteral("--token-env"),
                            QStringLiteral("MX_LEAK_TOKEN"), QStringLiteral("--load"), m_collection},
                           extra);
    checkAfterRun(run);
}

void TstNoSecrets::passwordFromAProfile()
{
    releaseCollection();
    QString id;
    {
        // Saved as the Connections dialog saves: the password to the keychain, the rest to settings. A
        // second profile with a token that is never used must not reach the settings either.
        ConnectionProfiles profiles;
        SecretStore secrets;
        ConnectionProfile p;
        p.name = QStringLiteral("profile ") + m_canary;
        p.config.uri = m_server.uri();
        p.config.user = m_profileUser;
        p.config.password = m_profileUserPassword;
        const ConnectionProfile saved = profiles.save(p, &secrets);
        id = saved.id;
        ConnectionProfile unused;
        unused.name = QStringLiteral("unused");
        unused.config.uri = QStringLiteral("https://unused.example.org:19530");
        unused.config.token = m_unusedToken;
        const ConnectionProfile savedUnused = profiles.save(unused, &secrets);
        profiles.setLastUsedId(id);
        QTRY_COMPARE_WITH_TIMEOUT(
            PrivateKeychain::lookup(QStringLiteral("milvus-explorer"), saved.secretKey("password")),
            std::optional<QString>(m_profileUserPassword), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(
            PrivateKeychain::lookup(QStringLiteral("milvus-explorer"), savedUnused.secretKey("token")),
            std::optional<QString>(m_unusedToken), 20000);
        QVERIFY(!secrets.sessionOnly());
        QSettings().sync();
    }
    QVERIFY2(allBytesUnder(qEnvironmentVariable("XDG_CONFIG_HOME")).contains(m_canary.toUtf8()),
             "the profile is not in the settings searched");
    const Run run = runApp({QStringLiteral("--load"), m_collection}, {});
    checkAfterRun(run);
}

void TstNoSecrets::serverCommandLinesHoldNoSecret()
{
    // The server this test started (the same LocalServer the app uses for its local standalone): its
    // root password never travels on a command line.
    QByteArray lines;
    for (qint64 pid : descendantsOf(QCoreApplication::applicationPid()))
        lines += commandLine(pid) + '\n';
    QVERIFY2(lines.contains("standalone"), lines.constData());
    QVERIFY2(leaks(lines).isEmpty(), qPrintable(leaks(lines).join(QLatin1Char(' '))));
}

} // namespace mx

int main(int argc, char **argv)
{
    QTemporaryDir root(QStringLiteral("/tmp/mxns-XXXXXX")); // short: a unix socket path lives here
    if (!mx::test::PrivateKeychain::isolate(root.path()))
        return 1;
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("MilvusExplorer"));
    QCoreApplication::setApplicationName(QStringLiteral("milvus-explorer"));
    mx::TstNoSecrets t(root.path());
    return QTest::qExec(&t, argc, argv);
}

#include "tst_nosecrets.moc"
