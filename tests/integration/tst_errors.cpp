// Each way a call can fail ends in a typed error with a message a user understands, in both forms.

#include "TestSupport.h"

#include <QElapsedTimer>
#include <QFile>

#include <csignal>
#include <thread>

namespace mx {

using test::await;

namespace {
// Freezes the server process for the lifetime of the guard, so calls neither answer nor fail.
class FreezeServer
{
public:
    explicit FreezeServer(qint64 pid)
        : m_pid(pid)
    {
        ::kill(pid_t(m_pid), SIGSTOP);
        // Signal delivery is asynchronous: wait until the kernel reports the process stopped.
        if (!QTest::qWaitFor([this] { return state() == 'T'; }, 5000))
            qWarning("server process %lld did not stop", m_pid);
    }
    ~FreezeServer() { ::kill(pid_t(m_pid), SIGCONT); }

private:
    char state() const
    {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(m_pid));
        if (!stat.open(QIODevice::ReadOnly))
            return '?';
        const QByteArray line = stat.readAll();
        const qsizetype close = line.lastIndexOf(')');
        return close > 0 && close + 2 < line.size() ? line.at(close + 2) : '?';
    }

    qint64 m_pid;
};
} // namespace

class TestErrors : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::unique_ptr<MilvusClient> m_client;
    QString m_collection;
    static constexpr int kDim = 8;

    // The error of one call in the form the current data row asks for.
    template<typename Sync, typename Async>
    MilvusError errorOf(Sync sync, Async async)
    {
        QFETCH_GLOBAL(bool, async_form);
        if (async_form)
            return test::expectError([&] { await(async()); });
        return test::expectError(sync);
    }

private slots:
    void initTestCase_data()
    {
        QTest::addColumn<bool>("async_form");
        QTest::newRow("blocking") << false;
        QTest::newRow("async") << true;
    }

    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        m_collection = test::createLoadedCollection(*m_client, QStringLiteral("err"), kDim, 100);
    }

    void unknownCollection()
    {
        const CollectionRequest r{QStringLiteral("no_such_collection")};
        const MilvusError e = errorOf([&] { m_client->describeCollection(r); },
                                      [&] { return m_client->describeCollectionAsync(r); });
        qInfo() << e.message();
        QCOMPARE(e.kind, ErrorKind::Milvus);
        QCOMPARE(e.milvusCode, 100); // CollectionNotFound
        QVERIFY(e.message().contains(QLatin1String("no_such_collection")));
        QVERIFY(e.message().startsWith(QLatin1String("DescribeCollection failed")));
    }

    void malformedFilter()
    {
        QueryRequest q{m_collection};
        q.filter = QStringLiteral("id >>= 3 and (");
        q.outputFields = {QStringLiteral("id")};
        const MilvusError e = errorOf([&] { m_client->query(q); }, [&] { return m_client->queryAsync(q); });
        qInfo() << e.message();
        QCOMPARE(e.kind, ErrorKind::Milvus);
        QVERIFY(e.milvusCode != 0 || e.legacyCode != 0);
        QVERIFY(!e.reason.isEmpty());

        SearchRequest s;
        s.collection = m_collection;
        s.vectors = FloatVectors{kDim, test::vectorFor(1, kDim)};
        s.filter = QStringLiteral("title ==");
        const MilvusError se =
            errorOf([&] { m_client->search(s); }, [&] { return m_client->searchAsync(s); });
        qInfo() << se.message();
        QCOMPARE(se.kind, ErrorKind::Milvus);
    }

    void wrongDimension()
    {
        SearchRequest s;
        s.collection = m_collection;
        s.vectors = FloatVectors{kDim - 3, test::vectorFor(1, kDim - 3)};
        const MilvusError e = errorOf([&] { m_client->search(s); }, [&] { return m_client->searchAsync(s); });
        qInfo() << e.message();
        QCOMPARE(e.kind, ErrorKind::Milvus);
        // Explained (asynchronously for the async form) with what the collection expects.
        QVERIFY2(e.reason.contains(QLatin1String("vector dimension mismatch")), qPrintable(e.reason));
        QVERIFY2(e.reason.contains(QStringLiteral("has dimension %1").arg(kDim)), qPrintable(e.reason));

        QList<FieldColumn> rows = test::richRows(kDim + 1, 5000, 2);
        const InsertRequest insert{m_collection, {}, rows};
        const MilvusError ie =
            errorOf([&] { m_client->insert(insert); }, [&] { return m_client->insertAsync(insert); });
        qInfo() << ie.message();
        QCOMPARE(ie.kind, ErrorKind::Milvus);
        QVERIFY2(ie.reason.contains(QLatin1String("vector dimension mismatch")), qPrintable(ie.reason));
        QVERIFY2(ie.reason.contains(QStringLiteral("has dimension %1").arg(kDim)), qPrintable(ie.reason));
    }

    // A client destroyed while its failed call is being explained: the call still finishes with an
    // error (the explanation holds no client), nothing crashes, nothing waits.
    void clientGoneWhileExplaining()
    {
        auto client = m_server.client();
        QList<FieldColumn> rows = test::richRows(kDim + 1, 6000, 2);
        QFuture<MutationResult> f = client->insertAsync(InsertRequest{m_collection, {}, rows});
        QElapsedTimer clock;
        clock.start();
        client.reset();
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(test::waitForFuture(f, 30000));
        const MilvusError e = test::expectError([&] { f.waitForFinished(); });
        QVERIFY2(e.kind == ErrorKind::Milvus || e.kind == ErrorKind::Cancelled, qPrintable(e.message()));
    }

    // The last owner of a client may be a continuation on a gRPC thread: the client's destruction
    // there neither waits for itself (it did, for 10 s) nor crashes.
    void destroyedOnAGrpcThread()
    {
        std::shared_ptr<MilvusClient> client = m_server.client();
        QElapsedTimer clock;
        QFuture<qint64> f;
        {
            FreezeServer freeze(m_server.server().pid()); // the call cannot finish before we let go
            f = client->listCollectionsAsync().then([c = client, &clock](const QStringList &) mutable {
                clock.start();
                c.reset(); // the last reference: ~MilvusClient on this gRPC thread
                return clock.elapsed();
            });
            client.reset();
        }
        QVERIFY(test::waitForFuture(f, 30000));
        QVERIFY2(f.result() < 1000, qPrintable(QString::number(f.result())));
    }

    void insertMissingField()
    {
        QList<FieldColumn> rows = test::richRows(kDim, 6000, 2);
        rows.removeIf([](const FieldColumn &c) { return c.name == QLatin1String("title"); });
        const InsertRequest insert{m_collection, {}, rows};
        const MilvusError e =
            errorOf([&] { m_client->insert(insert); }, [&] { return m_client->insertAsync(insert); });
        qInfo() << e.message();
        QCOMPARE(e.kind, ErrorKind::Milvus);
        QVERIFY2(e.reason.contains(QLatin1String("title")), qPrintable(e.reason));
        QueryRequest q{m_collection};
        q.filter = QStringLiteral("id >= 6000");
        q.outputFields = {QStringLiteral("id")};
        QCOMPARE(m_client->query(q).rowCount(), 0); // nothing half-inserted
    }

    void invalidArgumentBeforeSending()
    {
        const InsertRequest ragged{m_collection,
                                   {},
                                   {FieldColumn::int64s(QStringLiteral("id"), {1, 2}),
                                    FieldColumn::varchars(QStringLiteral("title"), {QStringLiteral("x")})}};
        const MilvusError e =
            errorOf([&] { m_client->insert(ragged); }, [&] { return m_client->insertAsync(ragged); });
        QCOMPARE(e.kind, ErrorKind::InvalidArgument);
        QVERIFY(e.reason.contains(QLatin1String("rows")));

        const DeleteRequest everything{m_collection, {}, {}};
        const MilvusError d = errorOf([&] { m_client->deleteEntities(everything); },
                                      [&] { return m_client->deleteEntitiesAsync(everything); });
        QCOMPARE(d.kind, ErrorKind::InvalidArgument);
    }

    void connectionRefused()
    {
        ConnectionConfig cfg;
        cfg.uri = QStringLiteral("http://127.0.0.1:%1").arg(LocalServer::pickFreePort());
        cfg.defaultTimeout = std::chrono::milliseconds(5000);
        MilvusClient dead(cfg);
        const MilvusError e = errorOf([&] { dead.getVersion(); }, [&] { return dead.getVersionAsync(); });
        qInfo() << e.message();
        QCOMPARE(e.kind, ErrorKind::Transport);
        QVERIFY2(e.message().contains(QLatin1String("connection refused")), qPrintable(e.message()));
    }

    void deadlineExceeded()
    {
        FreezeServer freeze(m_server.server().pid());
        ServerRequest r;
        r.options.timeout = std::chrono::milliseconds(300);
        QElapsedTimer clock;
        clock.start();
        const MilvusError e =
            errorOf([&] { m_client->listCollections(r); }, [&] { return m_client->listCollectionsAsync(r); });
        qInfo() << e.message();
        QCOMPARE(e.kind, ErrorKind::Timeout);
        QVERIFY(e.message().contains(QLatin1String("300 ms")));
        QVERIFY(clock.elapsed() < 5000);
    }

    void cancelledByToken()
    {
        FreezeServer freeze(m_server.server().pid());
        ServerRequest r;
        r.options.cancel = CancelToken::create();
        std::thread canceller([token = r.options.cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            token->cancel();
        });
        const MilvusError e =
            errorOf([&] { m_client->listCollections(r); }, [&] { return m_client->listCollectionsAsync(r); });
        canceller.join();
        QCOMPARE(e.kind, ErrorKind::Cancelled);

        // A token cancelled beforehand stops the call before it is sent.
        const MilvusError early =
            errorOf([&] { m_client->listCollections(r); }, [&] { return m_client->listCollectionsAsync(r); });
        QCOMPARE(early.kind, ErrorKind::Cancelled);
    }

    void cancelFuture()
    {
        QFETCH_GLOBAL(bool, async_form);
        if (!async_form)
            return; // a blocking call is cancelled through its token (above)
        FreezeServer freeze(m_server.server().pid());
        QFuture<QStringList> f = m_client->listCollectionsAsync();
        QTest::qWait(50);
        QCOMPARE(m_client->inFlight(), 1);
        f.cancel();
        // Cancelling the future cancels the RPC itself: nothing stays in flight on the channel.
        QTRY_COMPARE_WITH_TIMEOUT(m_client->inFlight(), 0, 2000);
        QVERIFY(f.isCanceled());
        QVERIFY(f.isFinished());
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestErrors)
#include "tst_errors.moc"
