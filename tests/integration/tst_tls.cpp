// TLS and token authentication against a real server: the local server behind an nginx that terminates TLS
// (HTTP/2) and checks the `authorization` metadata (tests/tls/tls_proxy.sh). Proves that a correctly
// configured client works through it, blocking and async, and that each way of getting it wrong ends
// with its own error a user can act on instead of a hang or a generic "unavailable".

#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <memory>

using namespace std::chrono_literals;

namespace mx {

using namespace mx::test;

namespace {

// The token nginx checks; against the standalone (authorization on) it is the server's own root
// credentials too, set in initTestCase, since nginx passes the header on.
QString kToken = QStringLiteral("root:Milvus-test-token");
// Short enough that a client stuck waiting for an answer that never comes fails the test quickly.
constexpr auto kCallTimeout = 5s;

// Stable substrings of the messages errorFromGrpc writes; each failure must carry its own and none of
// the others, so the user can tell the causes apart.
const QString kTlsMarker = QStringLiteral("TLS handshake");
const QString kAuthMarker = QStringLiteral("authentication failed");
const QString kPlaintextMarker = QStringLiteral("plaintext client");

enum class Ca
{
    None,
    Right,
    Wrong
};

QString scriptPath()
{
    return QStringLiteral(MX_SOURCE_DIR "/tests/tls/tls_proxy.sh");
}

// Runs tls_proxy.sh and puts its stdout in *out; on failure returns false with *error set, including
// its stderr (which carries nginx's error log).
bool runProxyScript(const QStringList &args, const QString &clientCertMode, QString *out, QString *error)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TLS_PROXY_CLIENT_CERT"), clientCertMode);
    // A crashed test must not leave nginx running for the default hour.
    env.insert(QStringLiteral("TLS_PROXY_LIFETIME"), QStringLiteral("900"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("bash"), QStringList{scriptPath()} + args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        *error = QStringLiteral("tls_proxy.sh %1 did not finish within 120 s").arg(args.join(u' '));
        return false;
    }
    *out = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
    const QString err = QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("tls_proxy.sh %1 failed (exit %2): %3")
                     .arg(args.join(u' '))
                     .arg(p.exitCode())
                     .arg(err.isEmpty() ? QStringLiteral("<no output>") : err);
        return false;
    }
    return true;
}

ServerRequest shortCall()
{
    ServerRequest r;
    r.options.timeout = kCallTimeout;
    return r;
}

} // namespace

class TstTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void rightCaAndToken();
    void roundTripThroughProxy();
    void serverNameOverride_data();
    void serverNameOverride();
    void rejected_data();
    void rejected();
    void mutualTls_data();
    void mutualTls();

private:
    // Starts a proxy in dir (certificates are generated there); returns its port, or 0 with *error set.
    int startProxy(const QString &dir, const QString &clientCertMode, QString *error);
    ConnectionConfig tlsConfig(const QString &dir, int port, Ca ca, const QString &token) const;

    TestServer m_server;
    QTemporaryDir m_proxyDir; // server-only TLS
    QTemporaryDir m_mtlsDir;  // TLS that requires a client certificate
    int m_port = 0;
    int m_mtlsPort = 0;
};

int TstTls::startProxy(const QString &dir, const QString &clientCertMode, QString *error)
{
    QString out;
    if (!runProxyScript({QStringLiteral("start"), dir, QString::number(m_server.server().port()), kToken},
                        clientCertMode, &out, error))
        return 0;
    bool ok = false;
    const int port = out.section(u'\n', -1).trimmed().toInt(&ok);
    if (!ok || port <= 0) {
        *error = QStringLiteral("tls_proxy.sh printed no port: '%1'").arg(out);
        return 0;
    }
    return port;
}

ConnectionConfig TstTls::tlsConfig(const QString &dir, int port, Ca ca, const QString &token) const
{
    ConnectionConfig cfg;
    cfg.uri = QStringLiteral("https://localhost:%1").arg(port);
    cfg.token = token;
    cfg.defaultTimeout = 30s;
    if (ca != Ca::None)
        cfg.tls.caFile =
            QDir(dir).filePath(ca == Ca::Right ? QStringLiteral("ca.pem") : QStringLiteral("wrong-ca.pem"));
    return cfg;
}

void TstTls::initTestCase()
{
    QVERIFY2(m_proxyDir.isValid() && m_mtlsDir.isValid(), "cannot create temporary directories");
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    if (!m_server.token().isEmpty())
        kToken = m_server.token();
    // No QSKIP when nginx is missing: a TLS suite that silently skips proves nothing.
    m_port = startProxy(m_proxyDir.path(), QStringLiteral("off"), &error);
    QVERIFY2(m_port > 0, qPrintable(error));
    m_mtlsPort = startProxy(m_mtlsDir.path(), QStringLiteral("require"), &error);
    QVERIFY2(m_mtlsPort > 0, qPrintable(error));
    qInfo("%s on %d, TLS proxy on %d, mutual-TLS proxy on %d",
          qPrintable(LocalServer::kindName(m_server.kind())), m_server.server().port(), m_port, m_mtlsPort);
}

void TstTls::cleanupTestCase()
{
    for (const QTemporaryDir *dir : {&m_proxyDir, &m_mtlsDir}) {
        if (!dir->isValid())
            continue;
        QString out, error;
        if (!runProxyScript({QStringLiteral("stop"), dir->path()}, QStringLiteral("off"), &out, &error))
            qWarning("%s", qPrintable(error));
    }
    m_server.stop();
}

void TstTls::rightCaAndToken()
{
    MilvusClient client(tlsConfig(m_proxyDir.path(), m_port, Ca::Right, kToken));

    const QString version = client.getVersion(shortCall());
    QVERIFY2(!version.isEmpty(), "blocking GetVersion through TLS returned no version");
    QCOMPARE(await(client.getVersionAsync(shortCall()), 20000), version);

    // An RPC that needs the server to do real work, both forms.
    const QStringList blocking = client.listCollections(shortCall());
    QCOMPARE(await(client.listCollectionsAsync(shortCall()), 20000), blocking);

    // The proxy really saw (and passed) the requests: nothing here would notice a client that quietly
    // went around it.
    QFile log(QDir(m_proxyDir.path()).filePath(QStringLiteral("access.log")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY2(log.readAll().contains("GetVersion"), "the proxy's access log has no GetVersion request");
}

void TstTls::roundTripThroughProxy()
{
    MilvusClient client(tlsConfig(m_proxyDir.path(), m_port, Ca::Right, kToken));
    constexpr int kDim = 8;
    constexpr int kRows = 50;
    const QString name = createLoadedCollection(client, QStringLiteral("tls_roundtrip"), kDim, kRows);
    auto drop = qScopeGuard([&] {
        try {
            client.dropCollection(CollectionRequest{name, {}});
        } catch (const MilvusException &e) {
            qWarning("cannot drop %s: %s", qPrintable(name), e.what());
        }
    });

    QVERIFY(client.listCollections().contains(name));

    QueryRequest q;
    q.collection = name;
    q.filter = QStringLiteral("id >= 10 and id < 20");
    q.outputFields = {QStringLiteral("id"), QStringLiteral("title")};
    q.consistency = ConsistencyLevel::Strong; // see the rows just inserted
    const QueryResult result = await(client.queryAsync(q), 30000);
    QCOMPARE(result.rowCount(), qsizetype(10));
    const FieldColumn *titles = result.column(QStringLiteral("title"));
    const FieldColumn *ids = result.column(QStringLiteral("id"));
    QVERIFY(titles && ids);
    for (qsizetype r = 0; r < result.rowCount(); ++r)
        QCOMPARE(titles->value(r).toString(), QStringLiteral("document %1").arg(ids->value(r).toLongLong()));
}

void TstTls::serverNameOverride_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("override");
    QTest::addColumn<bool>("works");

    QTest::newRow("IP, override to the certificate's DNS name") << "127.0.0.1"
                                                                << "localhost" << true;
    QTest::newRow("IP, no override (the certificate has an IP SAN)") << "127.0.0.1"
                                                                     << "" << true;
    // Proves the override is applied at all: verification must now fail although the address is fine.
    QTest::newRow("localhost, override to a name not in the certificate")
        << "localhost"
        << "not-the-server.example" << false;
}

void TstTls::serverNameOverride()
{
    QFETCH(QString, host);
    QFETCH(QString, override);
    QFETCH(bool, works);

    ConnectionConfig cfg = tlsConfig(m_proxyDir.path(), m_port, Ca::Right, kToken);
    cfg.uri = QStringLiteral("https://%1:%2").arg(host).arg(m_port);
    cfg.tls.serverNameOverride = override;
    MilvusClient client(cfg);

    if (works) {
        QVERIFY(!client.getVersion(shortCall()).isEmpty());
        QVERIFY(!await(client.getVersionAsync(shortCall()), 20000).isEmpty());
        return;
    }
    const MilvusError e = expectError([&] { client.getVersion(shortCall()); });
    qInfo("%s: %s", QTest::currentDataTag(), qPrintable(e.message()));
    QCOMPARE(e.kind, ErrorKind::Transport);
    QVERIFY2(e.message().contains(kTlsMarker), qPrintable(e.message()));
}

void TstTls::rejected_data()
{
    QTest::addColumn<bool>("tls");
    QTest::addColumn<int>("ca"); // Ca
    QTest::addColumn<QString>("token");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<int>("grpcCode");
    QTest::addColumn<QString>("marker");
    QTest::addColumn<QStringList>("mentions"); // further words the message must contain

    const QString wrongToken = QStringLiteral("root:not-the-token");
    QTest::newRow("wrong CA") << true << int(Ca::Wrong) << kToken << ErrorKind::Transport << 14 << kTlsMarker
                              << QStringList{QStringLiteral("certificate")};
    QTest::newRow("wrong token") << true << int(Ca::Right) << wrongToken << ErrorKind::GrpcStatus << 16
                                 << kAuthMarker << QStringList{QStringLiteral("rejected the token")};
    QTest::newRow("missing token") << true << int(Ca::Right) << QString() << ErrorKind::GrpcStatus << 16
                                   << kAuthMarker << QStringList{QStringLiteral("none is configured")};
    QTest::newRow("plaintext to the TLS port")
        << false << int(Ca::None) << kToken << ErrorKind::Transport << 14 << kPlaintextMarker
        << QStringList{QStringLiteral("TLS port")};
}

void TstTls::rejected()
{
    QFETCH(bool, tls);
    QFETCH(int, ca);
    QFETCH(QString, token);
    QFETCH(ErrorKind, kind);
    QFETCH(int, grpcCode);
    QFETCH(QString, marker);
    QFETCH(QStringList, mentions);

    // A working connection to the same proxy exists the whole time: the rejected client must not ride
    // on it (each channel has its own subchannel pool), and must not break it.
    MilvusClient good(tlsConfig(m_proxyDir.path(), m_port, Ca::Right, kToken));
    QVERIFY(!good.getVersion(shortCall()).isEmpty());

    ConnectionConfig cfg = tlsConfig(m_proxyDir.path(), m_port, Ca(ca), token);
    if (!tls)
        cfg.uri = QStringLiteral("http://localhost:%1").arg(m_port);
    MilvusClient bad(cfg);

    QElapsedTimer timer;
    timer.start();
    const MilvusError blocking = expectError([&] { bad.getVersion(shortCall()); });
    const qint64 blockingMs = timer.restart();
    const MilvusError async = expectError([&] { await(bad.getVersionAsync(shortCall()), 20000); });
    const qint64 asyncMs = timer.elapsed();
    qInfo("%s (%lld ms): %s", QTest::currentDataTag(), blockingMs, qPrintable(blocking.message()));

    for (const MilvusError &e : {blocking, async}) {
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.grpcCode, grpcCode);
        QCOMPARE(e.operation, QStringLiteral("GetVersion"));
        const QString message = e.message();
        QVERIFY2(message.contains(marker), qPrintable(message));
        for (const QString &word : mentions)
            QVERIFY2(message.contains(word, Qt::CaseInsensitive), qPrintable(message));
        for (const QString &other : {kTlsMarker, kAuthMarker, kPlaintextMarker})
            if (other != marker)
                QVERIFY2(!message.contains(other), qPrintable(message));
    }
    // Every one of these is answered by the proxy; none may wait for the deadline.
    QVERIFY2(blockingMs < 3000 && asyncMs < 3000,
             qPrintable(QStringLiteral("took %1 ms / %2 ms").arg(blockingMs).arg(asyncMs)));

    QVERIFY2(!good.getVersion(shortCall()).isEmpty(), "the good connection broke");
}

void TstTls::mutualTls_data()
{
    QTest::addColumn<bool>("withClientCert");
    QTest::newRow("with client certificate") << true;
    QTest::newRow("without client certificate") << false;
}

void TstTls::mutualTls()
{
    QFETCH(bool, withClientCert);

    ConnectionConfig cfg = tlsConfig(m_mtlsDir.path(), m_mtlsPort, Ca::Right, kToken);
    if (withClientCert) {
        cfg.tls.clientCertFile = QDir(m_mtlsDir.path()).filePath(QStringLiteral("client.pem"));
        cfg.tls.clientKeyFile = QDir(m_mtlsDir.path()).filePath(QStringLiteral("client.key"));
    }
    MilvusClient client(cfg);

    if (withClientCert) {
        QVERIFY(!client.getVersion(shortCall()).isEmpty());
        QVERIFY(!await(client.getVersionAsync(shortCall()), 20000).isEmpty());
        client.listCollections(shortCall());
        return;
    }
    const MilvusError e = expectError([&] { client.getVersion(shortCall()); });
    qInfo("%s: %s", QTest::currentDataTag(), qPrintable(e.message()));
    // nginx completes the handshake and then answers HTTP 400, which gRPC reports as INTERNAL.
    QCOMPARE(e.kind, ErrorKind::GrpcStatus);
    QCOMPARE(e.grpcCode, 13);
    QVERIFY2(e.message().contains(QStringLiteral("client certificate")), qPrintable(e.message()));
    for (const QString &other : {kTlsMarker, kAuthMarker, kPlaintextMarker})
        QVERIFY2(!e.message().contains(other), qPrintable(e.message()));
}

} // namespace mx

QTEST_GUILESS_MAIN(mx::TstTls)
#include "tst_tls.moc"
