// The local servers as the app runs them (Milvus Lite, or the Milvus standalone with authorization on):
// loopback only where they can be, never unauthenticated where they cannot, durable across restarts of
// the app's session, clear errors when missing, locked or killed.

#include "MilvusClient.h"
#include "Session.h"
#include "TestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSignalSpy>

#include <csignal>

namespace mx {

namespace {
// Local addresses on which something listens on `port`, from /proc/net/tcp and tcp6 (hex ip:port).
QStringList listeningAddresses(int port)
{
    QStringList out;
    const QString portHex = QStringLiteral("%1").arg(port, 4, 16, QLatin1Char('0')).toUpper();
    for (const char *file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        QFile f(QString::fromLatin1(file));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (const QByteArray &line : lines) {
            const QList<QByteArray> cols = line.simplified().split(' ');
            if (cols.size() < 4 || cols.at(3) != "0A") // 0A = LISTEN
                continue;
            const QList<QByteArray> local = cols.at(1).split(':');
            if (local.size() == 2 && QString::fromLatin1(local.at(1)) == portHex)
                out << QString::fromLatin1(local.at(0));
        }
    }
    return out;
}

qint64 countRows(MilvusClient &client, const QString &collection)
{
    QueryRequest q{collection};
    q.outputFields = {QStringLiteral("count(*)")};
    return client.query(q).column(QStringLiteral("count(*)"))->value(0).toLongLong();
}

bool waitConnected(Session &session)
{
    return QTest::qWaitFor(
               [&] {
                   return session.state() == Session::State::Connected ||
                          session.state() == Session::State::Failed;
               },
               180000) &&
           session.state() == Session::State::Connected;
}
} // namespace

class TestEmbedded : public QObject
{
    Q_OBJECT

private slots:
    void listensOnLoopbackOnly()
    {
        test::TestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        // Milvus Lite's gRPC port, the standalone's embedded etcd (client and peer): loopback only.
        QList<int> ports;
        if (server.kind() == LocalServer::Kind::Lite) {
            ports = {server.server().port()};
        } else {
            const auto all = server.server().listeningPorts();
            ports = {all.value(QStringLiteral("etcd_client_port")),
                     all.value(QStringLiteral("etcd_peer_port"))};
        }
        // 127.0.0.1 as IPv4, or as an IPv4-mapped IPv6 address (grpcio binds that way); never a wildcard.
        const QStringList loopback{QStringLiteral("0100007F"),
                                   QStringLiteral("0000000000000000FFFF00000100007F")};
        for (int port : ports) {
            QVERIFY(port > 0);
            const QStringList addresses = listeningAddresses(port);
            QVERIFY2(!addresses.isEmpty(),
                     qPrintable(QStringLiteral("nothing listens on port %1").arg(port)));
            for (const QString &a : addresses)
                QVERIFY2(loopback.contains(a),
                         qPrintable(QStringLiteral("port %1 listens on %2").arg(port).arg(a)));
        }
    }

    // The standalone's gRPC ports bind every interface, so it must never answer without credentials, nor
    // with the factory password: its root password is generated at the first start.
    void standaloneRefusesUnauthenticatedCalls()
    {
        if (!test::isStandalone()) {
            // Milvus Lite has no authentication at all: it listens on loopback only (checked above).
            test::TestServer server;
            QString error;
            QVERIFY2(server.start(&error), qPrintable(error));
            QVERIFY(server.token().isEmpty());
            return;
        }
        test::TestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const ConnectionConfig good = server.config(std::chrono::milliseconds(5000));
        QCOMPARE(good.user, QStringLiteral("root"));
        QVERIFY(good.password.size() >= 20);
        QVERIFY(good.password != QStringLiteral("Milvus"));
        QVERIFY(!MilvusClient(good).listCollections().contains(QStringLiteral("nothing")));
        for (const auto &[user, password] :
             {std::pair{QString(), QString()}, std::pair{QStringLiteral("root"), QStringLiteral("Milvus")},
              std::pair{QStringLiteral("root"), good.password + QLatin1Char('x')}}) {
            ConnectionConfig bad = good;
            bad.user = user;
            bad.password = password;
            const MilvusError e = test::expectError([&] { MilvusClient(bad).listCollections(); });
            qInfo().noquote() << "as" << (user.isEmpty() ? QStringLiteral("nobody") : user) << ":"
                              << e.message();
            QCOMPARE(e.kind, ErrorKind::GrpcStatus);
            QCOMPARE(e.grpcCode, 16); // UNAUTHENTICATED
        }
        // The password is kept where the app finds it again (here: no keychain, so a private file).
        QFile file(QDir(server.dataDir()).filePath(QStringLiteral("root-password")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), good.password);
        QCOMPARE(file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
    }

    void dataSurvivesAppRestart()
    {
        QTemporaryDir dir;
        LocalServer::Options options;
        options.kind = test::testServerKind();
        options.binaryDir = QStringLiteral(MX_TEST_STANDALONE_BIN_DIR);
        options.dataDir = dir.path();
        const QString name = QStringLiteral("durable");
        {
            Session session;
            session.connectEmbedded(options);
            QVERIFY2(waitConnected(session), qPrintable(session.lastError().message()));
            auto client = session.client();
            client->createCollection({name, test::richSchema(8)});
            client->insert(InsertRequest{name, {}, test::richRows(8, 0, 100)});
            CreateIndexRequest index{name, QStringLiteral("vec")};
            index.metricType = QStringLiteral("L2");
            client->createIndex(index);
            test::loadAndWait(*client, name);
            QCOMPARE(countRows(*client, name), qint64(100));
        } // the session (as at app exit) stops the server

        Session again;
        again.connectEmbedded(options);
        QVERIFY2(waitConnected(again), qPrintable(again.lastError().message()));
        auto client = again.client();
        QVERIFY(client->hasCollection({name}));
        // With an index the collection starts released after a restart; load it to count.
        test::loadAndWait(*client, name);
        QCOMPARE(countRows(*client, name), qint64(100));
        QueryRequest q{name};
        q.filter = QStringLiteral("id == 42");
        q.outputFields = {QStringLiteral("title")};
        QCOMPARE(client->query(q).row(0).value(QStringLiteral("title")).toString(),
                 QStringLiteral("document 42"));
    }

    void missingExecutableSaysWhatToInstall()
    {
        const bool standalone = test::isStandalone();
        const char *var = standalone ? "MILVUS_EXPLORER_PYTHON" : "MILVUS_EXPLORER_MILVUS_LITE";
        qputenv(var, "/nonexistent/bin/python");
        Session session;
        LocalServer::Options options;
        options.kind = test::testServerKind();
        session.connectEmbedded(options);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Failed, 10000);
        qunsetenv(var);
        const QString message = session.lastError().message();
        qInfo() << message;
        QVERIFY(message.contains(QLatin1String("not installed")));
        QVERIFY(message.contains(standalone ? QLatin1String("pip install milvus==2.3.5")
                                            : QLatin1String("pip install milvus-lite")));
        QVERIFY(message.contains(QLatin1String("scripts/setup.sh")));
    }

    // A python without the `milvus` package: the set-up step says what to install.
    void standaloneWithoutPackageSaysWhatToInstall()
    {
        if (!test::isStandalone()) {
            QVERIFY(LocalServer::locate(LocalServer::Kind::Lite).endsWith(QLatin1String("milvus-lite")));
            return;
        }
        LocalServer server;
        LocalServer::Options options;
        options.kind = LocalServer::Kind::Standalone;
        options.executable = QStringLiteral("/usr/bin/python3"); // the system python has no `milvus`
        QTemporaryDir dir;
        options.dataDir = dir.path();
        auto future = server.start(options);
        QVERIFY(test::waitForFuture(future, 30000));
        const MilvusError e = test::expectError([&] { future.result(); });
        qInfo().noquote() << e.message().left(300);
        QVERIFY(e.message().contains(QLatin1String("'milvus'")));
        QVERIFY(e.message().contains(QLatin1String("pip install milvus==2.3.5")));
    }

    void lockedDataDirShowsServerOutput()
    {
        test::TestServer first;
        QString error;
        QVERIFY2(first.start(&error), qPrintable(error));
        LocalServer second;
        LocalServer::Options options;
        options.kind = first.kind();
        options.binaryDir = QStringLiteral(MX_TEST_STANDALONE_BIN_DIR);
        options.dataDir = first.dataDir();
        auto future = second.start(options);
        QVERIFY(test::waitForFuture(future, 90000));
        const MilvusError e = test::expectError([&] { future.result(); });
        qInfo().noquote() << e.message().left(400);
        QVERIFY(e.message().contains(
            QStringLiteral("in use by another %1").arg(LocalServer::kindName(first.kind()))));
        if (first.kind() == LocalServer::Kind::Lite) {
            QCOMPARE(e.kind, ErrorKind::Transport);
            QVERIFY(e.message().contains(QLatin1String("Server output:")));
            QVERIFY(e.message().contains(QLatin1String("DataDirLockedError")));
        } else {
            QCOMPARE(e.kind, ErrorKind::InvalidArgument);
            QVERIFY(e.message().contains(QString::number(QCoreApplication::applicationPid())));
        }
        QCOMPARE(second.state(), LocalServer::State::Failed);
        // The first server is untouched.
        QVERIFY(first.client()->listCollections().size() >= 0);
        QCOMPARE(first.server().state(), LocalServer::State::Running);
    }

    void killedServerIsReported()
    {
        QTemporaryDir dir;
        LocalServer::Options options;
        options.kind = test::testServerKind();
        options.binaryDir = QStringLiteral(MX_TEST_STANDALONE_BIN_DIR);
        options.dataDir = dir.path();
        Session session;
        QSignalSpy failed(&session, &Session::failed);
        session.connectEmbedded(options);
        QVERIFY(waitConnected(session));
        ::kill(pid_t(session.embeddedServer()->pid()), SIGKILL);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Failed, 10000);
        QCOMPARE(failed.count(), 1);
        QVERIFY2(session.lastError().message().contains(QLatin1String("was killed")),
                 qPrintable(session.lastError().message()));
        // Calls on the old client now fail with a transport error instead of hanging.
        ServerRequest r;
        r.options.timeout = std::chrono::milliseconds(3000);
        const MilvusError e = test::expectError([&] { session.client()->getVersion(r); });
        QCOMPARE(e.kind, ErrorKind::Transport);
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestEmbedded)
#include "tst_embedded.moc"
