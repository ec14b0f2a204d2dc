// Connection profiles: saved without secrets; secrets go to the SecretStore (session-only here, as on a
// machine without a keychain service); the local profile is always there and cannot be removed.

#include "ConnectionProfiles.h"
#include "SecretStore.h"
#include "TestSupport.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QSettings>
#include <QStandardPaths>

namespace mx {

class TestConnectionProfiles : public QObject
{
    Q_OBJECT

    QTemporaryDir m_config;

    QByteArray allSettingsBytes() const
    {
        QByteArray all;
        QDirIterator it(m_config.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly))
                all += f.readAll();
        }
        return all;
    }

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("MilvusExplorerTest"));
        QCoreApplication::setApplicationName(QStringLiteral("profiles"));
    }

    void localProfileAlwaysThere()
    {
        ConnectionProfiles profiles;
        QVERIFY(profiles.find(QLatin1String(ConnectionProfiles::kLocalId)).has_value());
        QVERIFY(profiles.find(QLatin1String(ConnectionProfiles::kLocalId))->embedded);
        SecretStore secrets;
        secrets.forceSessionOnly(QStringLiteral("test"));
        QVERIFY(!profiles.remove(QLatin1String(ConnectionProfiles::kLocalId), &secrets));
    }

    void secretsNeverReachTheSettingsFile()
    {
        SecretStore secrets;
        secrets.forceSessionOnly(QStringLiteral("no keychain in tests"));
        QVERIFY(secrets.sessionOnly());
        QString id;
        {
            ConnectionProfiles profiles;
            ConnectionProfile p;
            p.name = QStringLiteral("Zilliz prod");
            p.config.uri = QStringLiteral("https://in01-abc.zillizcloud.com");
            p.config.dbName = QStringLiteral("shop");
            p.config.token = QStringLiteral("super-secret-token-123");
            p.config.user = QStringLiteral("admin");
            p.config.password = QStringLiteral("hunter2-password");
            p.config.tls.caFile = QStringLiteral("/etc/ca.pem");
            const ConnectionProfile saved = profiles.save(p, &secrets);
            id = saved.id;
            QVERIFY(saved.hasToken);
            QVERIFY(saved.hasPassword);
            QVERIFY(saved.config.token.isEmpty());
            profiles.setLastUsedId(id);
        }
        QSettings().sync();
        const QByteArray onDisk = allSettingsBytes();
        QVERIFY(onDisk.contains("zillizcloud"));             // the profile itself was written…
        QVERIFY(!onDisk.contains("super-secret-token-123")); // …but never its secrets
        QVERIFY(!onDisk.contains("hunter2-password"));

        // A new instance reads the profile back; the secret comes from the store.
        ConnectionProfiles again;
        const auto p = again.find(id);
        QVERIFY(p.has_value());
        QCOMPARE(p->name, QStringLiteral("Zilliz prod"));
        QCOMPARE(p->config.dbName, QStringLiteral("shop"));
        QCOMPARE(p->config.tls.caFile, QStringLiteral("/etc/ca.pem"));
        QVERIFY(p->hasToken);
        QCOMPARE(again.lastUsedId(), id);
        QCOMPARE(test::await(secrets.read(p->secretKey("token"))), QStringLiteral("super-secret-token-123"));
        // Connecting fills in both secrets, token and password.
        const ConnectionConfig full = test::await(ConnectionProfiles::withSecrets(*p, &secrets));
        QCOMPARE(full.token, QStringLiteral("super-secret-token-123"));
        QCOMPARE(full.password, QStringLiteral("hunter2-password"));
        QCOMPARE(full.uri, QStringLiteral("https://in01-abc.zillizcloud.com"));

        QVERIFY(again.remove(id, &secrets));
        QCOMPARE(test::await(secrets.read(p->secretKey("token"))), QString());
        QVERIFY(!ConnectionProfiles().find(id).has_value());
    }

    void noKeychainFallsBackToSession()
    {
        // Without a D-Bus session (as in CI), the real keychain call fails and the store says so.
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        SecretStore secrets(QStringLiteral("milvus-explorer-test"));
        test::await(secrets.write(QStringLiteral("k"), QStringLiteral("v")));
        QCOMPARE(test::await(secrets.read(QStringLiteral("k"))), QStringLiteral("v"));
        if (!secrets.sessionOnly())
            qInfo("a keychain service is available here: the secret went to it");
        else
            QVERIFY(!secrets.keychainProblem().isEmpty());
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestConnectionProfiles)
#include "tst_connectionprofiles.moc"
