// VenvBootstrap, the per-user environment of the local servers, with real processes (python3 -m venv,
// pip) and no network: an index that refuses connections gives the "cannot be reached" error; an index
// that accepts and never answers keeps pip waiting, so cancelling it is observable; what it created is
// removed again, what it did not create is kept.

#include "CancelToken.h"
#include "LocalServer.h"
#include "MilvusError.h"
#include "VenvBootstrap.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace mx {

namespace {
// Waits for the future without blocking the event loop the bootstrap's processes report on.
template<typename T>
bool waitFor(const QFuture<T> &f, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!f.isFinished() && t.elapsed() < ms)
        QTest::qWait(20);
    return f.isFinished();
}

MilvusError errorOf(const QFuture<QString> &f)
{
    try {
        f.result();
    } catch (const MilvusException &e) {
        return e.error();
    }
    return MilvusError{ErrorKind::Inconsistent, {}, 0, 0, 0, 0, QStringLiteral("no error"), {}};
}

QString writeRequirements(const QTemporaryDir &dir)
{
    const QString file = dir.filePath(QStringLiteral("requirements.txt"));
    QFile f(file);
    f.open(QIODevice::WriteOnly);
    f.write("# a pin pip would fetch from the index\nmilvus-lite==3.2.2\n");
    return file;
}
} // namespace

class TestVenvBootstrap : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Hermetic: no pip.conf of this machine (an index, local wheel links) takes part.
        qputenv("PIP_CONFIG_FILE", "/dev/null");
        qunsetenv("PIP_INDEX_URL");
        qunsetenv("PIP_FIND_LINKS");
    }

    void unreachableIndexSaysSoAndRemovesTheVenv()
    {
        QTemporaryDir tmp;
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now: connection refused

        VenvBootstrap boot;
        QSignalSpy steps(&boot, &VenvBootstrap::progress);
        VenvBootstrapRequest req;
        req.venvDir = tmp.filePath(QStringLiteral("venv"));
        req.requirementsFile = writeRequirements(tmp);
        req.indexUrl = QStringLiteral("http://127.0.0.1:%1/simple").arg(port);
        req.retries = 1;
        req.networkTimeoutS = 5;
        const QFuture<QString> f = boot.start(req);
        QVERIFY(boot.isRunning());
        QVERIFY(waitFor(f, 120000));
        const MilvusError e = errorOf(f);
        qInfo() << e.message();
        QCOMPARE(e.kind, ErrorKind::Transport);
        QVERIFY2(e.reason.contains(QLatin1String("cannot be reached")), qPrintable(e.reason));
        QVERIFY(e.reason.contains(req.indexUrl));
        QVERIFY2(e.detail.contains(QLatin1String("milvus-lite")), qPrintable(e.detail)); // pip's output
        QVERIFY(steps.size() >= 2); // creating, downloading
        QVERIFY(!QDir(req.venvDir).exists());
        QVERIFY(!boot.isRunning());
    }

    void cancelStopsPipAndRemovesTheVenv()
    {
        QTemporaryDir tmp;
        // Accepts and never answers: pip waits for its (long) network timeout.
        QTcpServer silent;
        QList<QTcpSocket *> held;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (auto *s = silent.nextPendingConnection())
                held << s;
        });
        VenvBootstrap boot;
        auto token = CancelToken::create();
        VenvBootstrapRequest req;
        req.venvDir = tmp.filePath(QStringLiteral("venv"));
        req.requirementsFile = writeRequirements(tmp);
        req.indexUrl = QStringLiteral("http://127.0.0.1:%1/simple").arg(silent.serverPort());
        req.retries = 1;
        req.networkTimeoutS = 120;
        req.cancel = token;
        const QFuture<QString> f = boot.start(req);
        // Cancel once pip has connected to the index (so the cancel interrupts pip, not venv).
        QTRY_VERIFY_WITH_TIMEOUT(!held.isEmpty(), 60000);
        QVERIFY(!f.isFinished());
        QElapsedTimer t;
        t.start();
        token->cancel();
        QVERIFY(waitFor(f, 10000));
        QVERIFY2(t.elapsed() < 5000, "cancel must not wait for pip's timeout");
        QCOMPARE(errorOf(f).kind, ErrorKind::Cancelled);
        QVERIFY(!QDir(req.venvDir).exists());
        qDeleteAll(held);
    }

    void missingRequirementsIsAnError()
    {
        QTemporaryDir tmp;
        VenvBootstrap boot;
        VenvBootstrapRequest req;
        req.venvDir = tmp.filePath(QStringLiteral("venv"));
        req.requirementsFile = tmp.filePath(QStringLiteral("nope.txt"));
        const QFuture<QString> f = boot.start(req);
        QVERIFY(waitFor(f, 5000));
        const MilvusError e = errorOf(f);
        QCOMPARE(e.kind, ErrorKind::InvalidArgument);
        QVERIFY(e.reason.contains(QLatin1String("nope.txt")));
    }

    void aDirectoryItDidNotCreateIsKept()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("venv"));
        QVERIFY(QDir().mkpath(dir));
        QFile keep(dir + QStringLiteral("/precious.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        VenvBootstrap boot;
        VenvBootstrapRequest req;
        req.venvDir = dir;
        req.requirementsFile = writeRequirements(tmp);
        const QFuture<QString> f = boot.start(req);
        QVERIFY(waitFor(f, 5000));
        QCOMPARE(errorOf(f).kind, ErrorKind::InvalidArgument);
        QVERIFY(QFile::exists(dir + QStringLiteral("/precious.txt")));
    }

    void unreachablePatterns_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("unreachable");
        QTest::newRow("dns") << "Failed to establish a new connection: [Errno -3] Temporary failure in name "
                                "resolution"
                             << true;
        QTest::newRow("refused") << "NewConnectionError('<...>: [Errno 111] Connection refused')" << true;
        QTest::newRow("proxy") << "ProxyError('Cannot connect to proxy.')" << true;
        QTest::newRow("no such version") << "ERROR: No matching distribution found for milvus==9.9" << false;
        QTest::newRow("disk full") << "ERROR: Could not install packages: [Errno 28] No space left" << false;
    }
    void unreachablePatterns()
    {
        QFETCH(QString, output);
        QFETCH(bool, unreachable);
        QCOMPARE(VenvBootstrap::indexUnreachable(output), unreachable);
    }

    void userVenvIsUnderTheDataHome()
    {
        QVERIFY(LocalServer::userVenvDir().endsWith(QLatin1String("milvus-explorer/venv")));
        QVERIFY(LocalServer::requirementsFile().endsWith(QLatin1String("requirements.txt")));
        QVERIFY(QFile::exists(LocalServer::requirementsFile()));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestVenvBootstrap)
#include "tst_venvbootstrap.moc"
