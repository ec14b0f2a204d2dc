// parseMilvusUri and ConnectionConfig::authorizationHeader: pure functions, no server. And what
// creating a channel does to the process (no connection is made until a call).

#include "ConnectionConfig.h"
#include "GrpcChannel.h"

#include <QTest>

#include <absl/synchronization/mutex.h>

namespace mx {

class TestConnectionConfig : public QObject
{
    Q_OBJECT

private slots:
    void parseValid_data();
    void parseValid();
    void parseInvalid_data();
    void parseInvalid();
    void parseWithoutErrorPointer();
    void defaultUriParses();
    void authorizationHeader_data();
    void authorizationHeader();
    void channelTurnsAbseilDeadlockDetectionOff();
};

void TestConnectionConfig::parseValid_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("target");

    QTest::newRow("http with port") << "http://localhost:19530"
                                    << "localhost" << 19530 << false << "localhost:19530";
    QTest::newRow("https with port") << "https://milvus.example.com:443"
                                     << "milvus.example.com" << 443 << true << "milvus.example.com:443";
    QTest::newRow("grpc") << "grpc://10.0.0.5:1234"
                          << "10.0.0.5" << 1234 << false << "10.0.0.5:1234";
    // grpcs means TLS too, but only Zilliz Cloud hosts default to 443.
    QTest::newRow("grpcs default port")
        << "grpcs://secure.example.org"
        << "secure.example.org" << 19530 << true << "secure.example.org:19530";
    QTest::newRow("tcp") << "tcp://db.internal:8080"
                         << "db.internal" << 8080 << false << "db.internal:8080";
    QTest::newRow("host:port without scheme") << "localhost:19531"
                                              << "localhost" << 19531 << false << "localhost:19531";
    QTest::newRow("bare host") << "milvus"
                               << "milvus" << 19530 << false << "milvus:19530";
    QTest::newRow("bare ipv4") << "192.168.1.20"
                               << "192.168.1.20" << 19530 << false << "192.168.1.20:19530";
    QTest::newRow("surrounding whitespace") << "  http://127.0.0.1:19530 \n"
                                            << "127.0.0.1" << 19530 << false << "127.0.0.1:19530";
    QTest::newRow("upper-case scheme") << "HTTPS://db.example.com:9000"
                                       << "db.example.com" << 9000 << true << "db.example.com:9000";
    QTest::newRow("zilliz cloud https defaults to 443")
        << "https://in03-abc.api.gcp-us-west1.zillizcloud.com"
        << "in03-abc.api.gcp-us-west1.zillizcloud.com" << 443 << true
        << "in03-abc.api.gcp-us-west1.zillizcloud.com:443";
    QTest::newRow("zilliz cloud explicit port wins")
        << "https://in03-abc.zillizcloud.com:19532"
        << "in03-abc.zillizcloud.com" << 19532 << true << "in03-abc.zillizcloud.com:19532";
    // Without TLS the 443 default would be wrong: plain gRPC never listens there.
    QTest::newRow("zilliz cloud plain http")
        << "http://in03-abc.zillizcloud.com"
        << "in03-abc.zillizcloud.com" << 19530 << false << "in03-abc.zillizcloud.com:19530";
    // gRPC needs the brackets back around an IPv6 literal, QUrl strips them from host().
    QTest::newRow("ipv6 with scheme") << "http://[::1]:19540"
                                      << "::1" << 19540 << false << "[::1]:19540";
    QTest::newRow("ipv6 without scheme") << "[fe80::1]:19541"
                                         << "fe80::1" << 19541 << false << "[fe80::1]:19541";
    QTest::newRow("path and credentials are ignored")
        << "http://user:pw@milvus.local:19530/some_db"
        << "milvus.local" << 19530 << false << "milvus.local:19530";
}

void TestConnectionConfig::parseValid()
{
    QFETCH(QString, uri);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, tls);
    QFETCH(QString, target);

    QString error = QStringLiteral("untouched");
    const auto parsed = parseMilvusUri(uri, &error);
    QVERIFY2(parsed.has_value(), qPrintable(error));
    QCOMPARE(parsed->host, host);
    QCOMPARE(parsed->port, port);
    QCOMPARE(parsed->tls, tls);
    QCOMPARE(parsed->target(), target);
    // Success must not invent an error message.
    QCOMPARE(error, QStringLiteral("untouched"));
}

void TestConnectionConfig::parseInvalid_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("errorContains");

    QTest::newRow("empty") << ""
                           << "empty";
    QTest::newRow("whitespace only") << "   \t"
                                     << "empty";
    QTest::newRow("ftp scheme") << "ftp://files.example.com"
                                << "unsupported scheme 'ftp'";
    QTest::newRow("unix socket") << "unix:///tmp/milvus.sock"
                                 << "unsupported scheme 'unix'";
    QTest::newRow("port zero") << "http://localhost:0"
                               << "out of range";
    QTest::newRow("port too large") << "http://localhost:70000"
                                    << "not a valid URI";
    QTest::newRow("non-numeric port") << "http://localhost:abc"
                                      << "not a valid URI";
    QTest::newRow("space in host") << "http://my host:19530"
                                   << "not a valid URI";
    QTest::newRow("no host") << "http://:19530"
                             << "no host";
}

void TestConnectionConfig::parseInvalid()
{
    QFETCH(QString, uri);
    QFETCH(QString, errorContains);

    QString error;
    const auto parsed = parseMilvusUri(uri, &error);
    QVERIFY2(!parsed.has_value(), qPrintable(parsed ? parsed->target() : QString()));
    QVERIFY2(error.contains(errorContains), qPrintable(error));
}

void TestConnectionConfig::parseWithoutErrorPointer()
{
    // The error pointer is optional; failure must still be reported through the return value.
    QVERIFY(!parseMilvusUri(QStringLiteral("ftp://x")).has_value());
    const auto ok = parseMilvusUri(QStringLiteral("localhost:1"));
    QVERIFY(ok.has_value());
    QCOMPARE(ok->port, 1);
}

void TestConnectionConfig::defaultUriParses()
{
    // A fresh config must be connectable as-is (the connect dialog starts from it).
    const ConnectionConfig config;
    const auto parsed = parseMilvusUri(config.uri);
    QVERIFY(parsed.has_value());
    QCOMPARE(parsed->target(), QStringLiteral("127.0.0.1:19530"));
    QCOMPARE(parsed->tls, false);
    QVERIFY(!config.tls.enabled);
    QVERIFY(config.authorizationHeader().isEmpty());
}

void TestConnectionConfig::authorizationHeader_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QByteArray>("expected");

    // Expected values are base64 computed independently (Python's base64.b64encode).
    QTest::newRow("nothing") << ""
                             << ""
                             << "" << QByteArray();
    QTest::newRow("api key token") << "abc"
                                   << ""
                                   << "" << QByteArray("YWJj");
    QTest::newRow("user and password") << ""
                                       << "root"
                                       << "Milvus" << QByteArray("cm9vdDpNaWx2dXM=");
    QTest::newRow("token in user:password form") << "root:Milvus"
                                                 << ""
                                                 << "" << QByteArray("cm9vdDpNaWx2dXM=");
    QTest::newRow("token wins over user") << "abc"
                                          << "root"
                                          << "Milvus" << QByteArray("YWJj");
    // A password alone identifies nobody; sending ":secret" would only produce a confusing server error.
    QTest::newRow("password without user") << ""
                                           << ""
                                           << "secret" << QByteArray();
    QTest::newRow("user with empty password") << ""
                                              << "root"
                                              << "" << QByteArray("cm9vdDo=");
    QTest::newRow("utf-8 credentials")
        << "" << QStringLiteral("jörg") << QStringLiteral("pässword") << QByteArray("asO2cmc6cMOkc3N3b3Jk");
    QTest::newRow("colons in password")
        << ""
        << "db_admin"
        << "s3cr3t:with:colons" << QByteArray("ZGJfYWRtaW46czNjcjN0OndpdGg6Y29sb25z");
}

void TestConnectionConfig::authorizationHeader()
{
    QFETCH(QString, token);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QByteArray, expected);

    ConnectionConfig config;
    config.token = token;
    config.user = user;
    config.password = password;
    QCOMPARE(config.authorizationHeader(), expected);
}

// Debian's Abseil is built without NDEBUG, so absl::Mutex checks for lock-order cycles on every lock
// gRPC takes and aborts the process on a suspected one (about 12% of a bare call's instructions).
// createMilvusChannel turns the check off. With it on (forced here first, whatever the build), taking
// two locks in both orders aborts this test.
void TestConnectionConfig::channelTurnsAbseilDeadlockDetectionOff()
{
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kAbort);
    ConnectionConfig config;
    config.uri = QStringLiteral("http://127.0.0.1:1");
    QVERIFY(createMilvusChannel(config));
    absl::Mutex a;
    absl::Mutex b;
    {
        absl::MutexLock la(&a);
        absl::MutexLock lb(&b);
    }
    {
        absl::MutexLock lb(&b);
        absl::MutexLock la(&a); // the reverse order: a cycle in the lock graph
    }
}

} // namespace mx

QTEST_APPLESS_MAIN(mx::TestConnectionConfig)
#include "tst_connectionconfig.moc"
