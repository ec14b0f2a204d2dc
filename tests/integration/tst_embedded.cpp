// The embedded Milvus Lite as the app runs it: loopback only, durable across restarts of the app's
// session, clear errors when it is missing, locked or killed.

#include "MilvusClient.h"
#include "Session.h"
#include "TestSupport.h"

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
               90000) &&
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
        const QStringList addresses = listeningAddresses(server.server().port());
        QVERIFY2(!addresses.isEmpty(), "nothing listens on the server's port");
        // 127.0.0.1 as IPv4, or as an IPv4-mapped IPv6 address (grpcio binds that way); never a wildcard.
        const QStringList loopback{QStringLiteral("0100007F"),
                                   QStringLiteral("0000000000000000FFFF00000100007F")};
        for (const QString &a : addresses)
            QVERIFY2(loopback.contains(a), qPrintable(QStringLiteral("listening on %1").arg(a)));
    }

    void dataSurvivesAppRestart()
    {
        QTemporaryDir dir;
        MilvusLiteServer::Options options;
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
            QCOMPARE(countRows(*client, name), qint64(100));
        } // the session (as at app exit) stops the server

        Session again;
        again.connectEmbedded(options);
        QVERIFY2(waitConnected(again), qPrintable(again.lastError().message()));
        auto client = again.client();
        QVERIFY(client->hasCollection({name}));
        // With an index the collection starts released after a restart; load it to count.
        client->loadCollection(LoadCollectionRequest{name});
        QCOMPARE(countRows(*client, name), qint64(100));
        QueryRequest q{name};
        q.filter = QStringLiteral("id == 42");
        q.outputFields = {QStringLiteral("title")};
        QCOMPARE(client->query(q).row(0).value(QStringLiteral("title")).toString(),
                 QStringLiteral("document 42"));
    }

    void missingExecutableSaysWhatToInstall()
    {
        qputenv("MILVUS_EXPLORER_MILVUS_LITE", "/nonexistent/milvus-lite");
        Session session;
        session.connectEmbedded();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Failed, 10000);
        qunsetenv("MILVUS_EXPLORER_MILVUS_LITE");
        const QString message = session.lastError().message();
        qInfo() << message;
        QVERIFY(message.contains(QLatin1String("not installed")));
        QVERIFY(message.contains(QLatin1String("pip install milvus-lite")));
        QVERIFY(message.contains(QLatin1String("scripts/setup.sh")));
    }

    void lockedDataDirShowsServerOutput()
    {
        test::TestServer first;
        QString error;
        QVERIFY2(first.start(&error), qPrintable(error));
        MilvusLiteServer second;
        MilvusLiteServer::Options options;
        options.dataDir = first.dataDir();
        auto future = second.start(options);
        QVERIFY(test::waitForFuture(future, 90000));
        const MilvusError e = test::expectError([&] { future.result(); });
        qInfo().noquote() << e.message().left(400);
        QCOMPARE(e.kind, ErrorKind::Transport);
        QVERIFY(e.message().contains(QLatin1String("in use by another Milvus Lite")));
        QVERIFY(e.message().contains(QLatin1String("Server output:")));
        QVERIFY(e.message().contains(QLatin1String("DataDirLockedError")));
        QCOMPARE(second.state(), MilvusLiteServer::State::Failed);
    }

    void killedServerIsReported()
    {
        QTemporaryDir dir;
        MilvusLiteServer::Options options;
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
