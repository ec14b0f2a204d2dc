// Faults of the server under the app's feet, on both servers: killed (SIGKILL) during paging (then
// restarted: the session reconnects and says so), during export and during import; stalled (SIGSTOP)
// during paging and search; and a full disk during export. Each signal goes to the server process this
// test started (TestServer), never to anything else. The load
// test's own kill and stall cases live in tests/loadtest/tst_loadtest_faults.cpp.

#include "ConnectionWatch.h"
#include "EntityCount.h"
#include "EntityExporter.h"
#include "EntityImporter.h"
#include "EntityTableModel.h"
#include "LoadTestStallProbe.h"
#include "SearchService.h"
#include "Session.h"
#include "TestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>

#include <csignal>
#include <sys/mount.h>

namespace mx {

namespace {

constexpr int kDim = 8;
// The deadline of calls made while the server is stopped: long enough that a first query on a busy
// machine (CI runs tests two at a time) does not miss it, short enough to keep the test quick.
constexpr int kDeadlineMs = 4000;
// The GUI-thread check: a thread that waited on the stopped server would stall for the whole deadline;
// anything under half of it is the machine's scheduling (a busy CI runner: 10-400 ms seen here), not a
// wait on the network.

// Sends SIGCONT on scope exit, so a failed check never leaves the server frozen.
struct Frozen
{
    pid_t pid;
    explicit Frozen(pid_t p)
        : pid(p > 0 && ::kill(p, SIGSTOP) == 0 ? p : 0)
    {}
    ~Frozen() { thaw(); }
    void thaw()
    {
        if (pid > 0)
            ::kill(pid, SIGCONT);
        pid = 0;
    }
};

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
}

bool waitForState(const EntityTableModel &model, EntityTableModel::State state, int ms)
{
    return QTest::qWaitFor([&] { return model.state() == state && !model.isFetching(); }, ms);
}

} // namespace

class TestFaults : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    QTemporaryDir m_files;

    pid_t serverPid() { return pid_t(m_server.server().pid()); }

    // SIGKILL, wait for the LocalServer to see it, start again on the same port and data directory.
    void killServer()
    {
        const pid_t pid = serverPid();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid, SIGKILL), 0);
        QVERIFY(
            QTest::qWaitFor([&] { return m_server.server().state() != LocalServer::State::Running; }, 20000));
    }
    // Starts it again and waits until the shared client's channel is connected again: in between, calls
    // fail fast with "connection refused" for up to the channel's reconnect backoff (2 s).
    void restartServer()
    {
        QString error;
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(m_server.start(&error), qPrintable(error));
        qInfo("restarted in %lld ms", clock.elapsed());
        clock.restart();
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         try {
                             ServerRequest r;
                             r.options.timeout = std::chrono::milliseconds(1000);
                             m_client->getVersion(r);
                             return true;
                         } catch (const MilvusException &) {
                             return false;
                         }
                     },
                     15000),
                 "the client did not reconnect");
        qInfo("the client answered again %lld ms after the restart", clock.elapsed());
    }

    QString createCollection(const QString &prefix, int rows)
    {
        const QString name = test::uniqueName(prefix);
        m_client->createCollection({name, test::richSchema(kDim)});
        for (int first = 0; first < rows; first += 5000)
            m_client->insert(
                InsertRequest{name, {}, test::richRows(kDim, first, std::min(5000, rows - first))});
        test::indexAndLoad(*m_client, name);
        return name;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = m_server.client();
        QVERIFY(m_files.isValid());
    }

    // ---- stalls (SIGSTOP): the GUI thread keeps running, the call times out clearly, SIGCONT heals.

    void stalledDuringPaging()
    {
        const QString name = createCollection(QStringLiteral("stallpage"), 600);
        // Warm: the standalone's first query after a load can take seconds.
        QueryRequest warm;
        warm.collection = name;
        warm.filter = QStringLiteral("id >= 0");
        warm.limit = 1;
        QCOMPARE(test::await(m_client->queryAsync(warm)).rowCount(), 1);
        std::shared_ptr<MilvusClient> client = m_server.client(std::chrono::milliseconds(kDeadlineMs));
        EntityTableModel model;
        model.setPageSize(100);
        model.setClient(client);
        model.setCollection(name);
        QVERIFY2(QTest::qWaitFor([&] { return model.rowCount() == 100 && !model.isFetching(); }, 30000),
                 qPrintable(model.errorText()));

        LoadTestStallProbe probe;
        QElapsedTimer clock;
        {
            Frozen frozen(serverPid());
            QVERIFY(frozen.pid > 0);
            probe.start();
            clock.start();
            model.fetchMore({});
            QVERIFY2(waitForState(model, EntityTableModel::State::Error, 5 * kDeadlineMs),
                     "no error while stalled");
            const qint64 ms = clock.elapsed();
            const auto stalls = probe.stop();
            qInfo("paging timed out after %lld ms; GUI thread max stall %.1f ms over %lld samples", ms,
                  stalls.maxMs, stalls.samples);
            QVERIFY(ms >= kDeadlineMs - 500 && ms < 3 * kDeadlineMs);
            QVERIFY2(stalls.maxMs < kDeadlineMs / 2, "the GUI thread waited on the stopped server");
            QVERIFY2(model.errorText().contains(QLatin1String("deadline"), Qt::CaseInsensitive) ||
                         model.errorText().contains(QLatin1String("timed out"), Qt::CaseInsensitive),
                     qPrintable(model.errorText()));
            QCOMPARE(model.rowCount(), 100); // what was shown stays
        }
        // Working again after SIGCONT.
        model.refresh();
        QVERIFY(QTest::qWaitFor(
            [&] { return model.state() == EntityTableModel::State::Ready && model.rowCount() >= 100; },
            30000));
        QVERIFY2(model.errorText().isEmpty() || model.state() == EntityTableModel::State::Ready,
                 qPrintable(model.errorText()));
    }

    void stalledDuringSearch()
    {
        const QString name = createCollection(QStringLiteral("stallsearch"), 500);
        auto client = std::shared_ptr<MilvusClient>(m_server.client(std::chrono::milliseconds(kDeadlineMs)));
        SearchService service(client);
        SearchRunRequest request;
        request.schema = client->describeCollection({name}).schema;
        request.indexMetric = QStringLiteral("L2");
        request.spec.collection = name;
        request.spec.vectorField = QStringLiteral("vec");
        request.spec.inputMode = QueryInputMode::Vector;
        QStringList values;
        for (float v : test::vectorFor(7, kDim))
            values.append(QString::number(v));
        request.spec.vectorJson = QLatin1Char('[') + values.join(QLatin1Char(',')) + QLatin1Char(']');
        request.spec.topK = 5;
        request.options.timeout = std::chrono::milliseconds(kDeadlineMs);
        QCOMPARE(test::await(service.run(request)).rows.size(), 5); // works before

        LoadTestStallProbe probe;
        QElapsedTimer clock;
        {
            Frozen frozen(serverPid());
            QVERIFY(frozen.pid > 0);
            probe.start();
            clock.start();
            QFuture<SearchOutcome> f = service.run(request);
            QVERIFY(test::waitForFuture(f, 5 * kDeadlineMs));
            const qint64 ms = clock.elapsed();
            const auto stalls = probe.stop();
            const MilvusError e = test::expectError([&] { f.result(); });
            qInfo("search failed after %lld ms: %s; GUI thread max stall %.1f ms", ms,
                  qPrintable(e.message()), stalls.maxMs);
            QCOMPARE(e.kind, ErrorKind::Timeout);
            QVERIFY(ms >= kDeadlineMs - 500 && ms < 3 * kDeadlineMs);
            QVERIFY2(stalls.maxMs < kDeadlineMs / 2, "the GUI thread waited on the stopped server");
        }
        QElapsedTimer again;
        again.start();
        QVERIFY(QTest::qWaitFor(
            [&] {
                try {
                    return test::await(service.run(request)).rows.size() == 5;
                } catch (const MilvusException &) {
                    return false;
                }
            },
            30000));
        qInfo("searching again %lld ms after SIGCONT", again.elapsed());
    }

    // ---- a full disk: a clear error, no file (and an older file of that name untouched).

    void fullDiskDuringExport()
    {
        const QString name = createCollection(QStringLiteral("fulldisk"), 3000);
        QTemporaryDir mountPoint;
        QVERIFY(mountPoint.isValid());
        const QByteArray where = QFile::encodeName(mountPoint.path());
        // 64 KiB: the export of 3,000 rows of 8 floats, text and JSON is ~700 KB.
        if (::mount("tmpfs", where.constData(), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k") != 0)
            QFAIL(qPrintable(QStringLiteral("cannot mount a small tmpfs (%1): this test needs root or "
                                            "CAP_SYS_ADMIN to make a full disk")
                                 .arg(QString::fromLocal8Bit(strerror(errno)))));
        struct Unmount
        {
            QByteArray where;
            ~Unmount() { ::umount2(where.constData(), MNT_DETACH); }
        } unmount{where};

        const QString path = mountPoint.filePath(QStringLiteral("rows.json"));
        {
            QFile old(path);
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("an older export\n");
        }
        ExportOptions o;
        o.collection = name;
        o.path = path;
        o.batchSize = 500;
        EntityExporter exporter(m_client, o);
        QFuture<ExportResult> f = exporter.start();
        QVERIFY(test::waitForFuture(f, 60000));
        const MilvusError e = test::expectError([&] { f.result(); });
        qInfo().noquote() << "full disk:" << e.message();
        QVERIFY2(e.message().contains(QLatin1String("No space left on device")), qPrintable(e.message()));
        QVERIFY2(e.message().contains(path), qPrintable(e.message()));
        QCOMPARE(filesIn(mountPoint.path()), QStringList{QStringLiteral("rows.json")}); // no temp file
        QFile old(path);
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("an older export\n"));
    }

    // ---- the server killed (SIGKILL) mid-operation; each test restarts it afterwards.

    // Killed while the entity browser pages, then restarted (one kill, to keep the standalone's restarts
    // few): the page fails with the cause, what was shown stays; the session notices the loss, says so,
    // reconnects by itself when the server is back and says that too; the browser works again.
    void killedDuringPagingThenRestarted()
    {
        const QString name = createCollection(QStringLiteral("killpage"), 600);
        Session session;
        session.setWatchTiming({std::chrono::milliseconds(300), std::chrono::milliseconds(300),
                                std::chrono::milliseconds(1500)});
        QSignalSpy lost(&session, &Session::connectionLost);
        QSignalSpy back(&session, &Session::reconnected);
        session.connectTo(m_server.config());
        QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::State::Connected; }, 20000));
        QVERIFY(!session.isConnectionLost());
        EntityTableModel model;
        model.setPageSize(100);
        model.setClient(session.client());
        model.setCollection(name);
        QVERIFY2(QTest::qWaitFor([&] { return model.rowCount() == 100 && !model.isFetching(); }, 30000),
                 qPrintable(model.errorText()));

        killServer();
        if (QTest::currentTestFailed())
            return;
        QElapsedTimer clock;
        clock.start();
        model.fetchMore({});
        QVERIFY2(waitForState(model, EntityTableModel::State::Error, 20000), "no error after the kill");
        qInfo("paging failed %lld ms after the kill: %s", clock.elapsed(), qPrintable(model.errorText()));
        QVERIFY(clock.elapsed() < 15000);
        QVERIFY(!model.errorText().isEmpty());
        QCOMPARE(model.rowCount(), 100);
        QVERIFY2(QTest::qWaitFor([&] { return lost.count() == 1; }, 10000), "the session did not notice");
        QVERIFY(session.isConnectionLost());
        QCOMPARE(session.state(), Session::State::Connected); // still the same connection, not a new one
        QVERIFY2(session.stateText().contains(QLatin1String("lost")), qPrintable(session.stateText()));
        qInfo().noquote() << "while down:" << session.stateText();

        restartServer();
        if (QTest::currentTestFailed())
            return;
        clock.restart();
        QVERIFY2(QTest::qWaitFor([&] { return back.count() == 1; }, 15000), "the session did not reconnect");
        qInfo("session reconnected %lld ms after the server answered again: %s", clock.elapsed(),
              qPrintable(session.stateText()));
        QVERIFY(!session.isConnectionLost());
        QCOMPARE(session.reconnectCount(), 1);
        QVERIFY2(session.stateText().contains(QLatin1String("reconnected")), qPrintable(session.stateText()));
        QCOMPARE(lost.count(), 1);

        test::loadAndWait(*m_client, name); // Milvus Lite starts an indexed collection released
        model.refresh();
        QVERIFY2(
            QTest::qWaitFor(
                [&] { return model.state() == EntityTableModel::State::Ready && model.rowCount() >= 100; },
                60000),
            qPrintable(model.errorText()));
    }

    void killedDuringExport()
    {
        const QString name = createCollection(QStringLiteral("killexport"), 20000);
        const QString dir = m_files.filePath(QStringLiteral("export"));
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + QStringLiteral("/rows.csv");
        ExportOptions o;
        o.collection = name;
        o.path = path;
        o.batchSize = 100;
        EntityExporter exporter(m_client, o);
        QFuture<ExportResult> f = exporter.start();
        QVERIFY2(QTest::qWaitFor([&] { return f.progressValue() >= 300 || f.isFinished(); }, 60000),
                 "the export made no progress");
        QVERIFY2(!f.isFinished(), "the export finished before the kill (make it larger)");
        killServer();
        QVERIFY(test::waitForFuture(f, 30000));
        const MilvusError e = test::expectError([&] { f.result(); });
        qInfo().noquote() << "export:" << e.message();
        QVERIFY(e.kind == ErrorKind::Transport || e.kind == ErrorKind::Timeout);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(filesIn(dir), QStringList()); // no partial or temporary file either
        restartServer();
    }

    void killedDuringImport()
    {
        // A plain schema so the file is simple: int64 key, vector, text.
        const QString name = test::uniqueName(QStringLiteral("killimport"));
        CollectionSchema schema = test::richSchema(kDim);
        schema.fields = schema.fields.mid(0, 3);
        schema.enableDynamicField = false;
        m_client->createCollection({name, schema});
        test::indexAndLoad(*m_client, name);

        constexpr int kRows = 40000;
        const QString path = m_files.filePath(QStringLiteral("import.jsonl"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            for (int i = 0; i < kRows; ++i) {
                QJsonArray vec;
                for (float v : test::vectorFor(i, kDim))
                    vec.append(double(v));
                QJsonObject row{{QStringLiteral("id"), i},
                                {QStringLiteral("vec"), vec},
                                {QStringLiteral("title"), QStringLiteral("row %1").arg(i)}};
                file.write(QJsonDocument(row).toJson(QJsonDocument::Compact) + '\n');
            }
        }
        ImportOptions o;
        o.path = path;
        o.collection = name;
        o.batchSize = 200;
        auto importer = std::make_unique<EntityImporter>(m_client, o);
        QFuture<ImportResult> f = importer->start();
        // Past the checking pass (0..500) and some batches in.
        QVERIFY2(QTest::qWaitFor([&] { return f.progressValue() >= 530 || f.isFinished(); }, 120000),
                 "the import made no progress");
        QVERIFY2(!f.isFinished(), "the import finished before the kill (make it larger)");
        killServer();
        QVERIFY(test::waitForFuture(f, 30000));
        const MilvusError e = test::expectError([&] { f.result(); });
        qInfo().noquote() << "import:" << e.message();
        const auto told =
            QRegularExpression(QStringLiteral("([0-9,]+) rows were inserted before it")).match(e.reason);
        QVERIFY2(told.hasMatch(), qPrintable(e.reason));
        const qint64 inserted = told.captured(1).remove(QLatin1Char(',')).toLongLong();
        QVERIFY(inserted > 0 && inserted < kRows);
        QVERIFY2(e.reason.contains(QLatin1String("retry as an upsert")), qPrintable(e.reason));

        restartServer();
        if (QTest::currentTestFailed())
            return;
        test::loadAndWait(*m_client, name);
        const qint64 afterRestart = countEntities(*m_client, name, {});
        qInfo("told %lld rows went in; %lld there after the restart", inserted, afterRestart);
        // Acknowledged rows survive the kill; at most the batch in flight is extra.
        QVERIFY(afterRestart >= inserted);
        QVERIFY(afterRestart <= inserted + o.batchSize);

        // The retry as an upsert: every row once, none twice.
        o.upsert = true;
        o.batchSize = 2000;
        importer = std::make_unique<EntityImporter>(m_client, o);
        const ImportResult r = test::await(importer->start(), 180000);
        QCOMPARE(r.inserted, qint64(kRows));
        QCOMPARE(countEntities(*m_client, name, {}), qint64(kRows));
    }
};

} // namespace mx

QTEST_MAIN(mx::TestFaults)
#include "tst_faults.moc"
