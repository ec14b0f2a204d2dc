// The milvus-loadtest executable, run as a process against a local server: flags, exit codes, the JSON
// report and `merge`.

#include "EmbeddingTestServer.h"
#include "ReportJson.h"
#include "ScratchStore.h"
#include "TestSupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>

namespace mx {

class TestLoadTestCli : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    QTemporaryDir m_dir;

    struct Result
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    Result cli(QStringList args, int timeoutMs = 120000)
    {
        QProcess p;
        // Credentials for the test's server travel in the environment, as a user would pass them.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MX_TEST_TOKEN"), m_server.token());
        p.setProcessEnvironment(env);
        if (args.contains(m_server.uri()) && !m_server.token().isEmpty())
            args << QStringLiteral("--token-env") << QStringLiteral("MX_TEST_TOKEN");
        p.start(QStringLiteral(MX_LOADTEST_CLI), args);
        if (!p.waitForStarted(10000))
            return {};
        // The test's event loop keeps running (the TestServer lives on this thread).
        QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs);
        Result r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    LoadTestReport readReport(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        LoadTestReport r;
        QString error;
        if (!ReportJson::fromJson(QJsonDocument::fromJson(f.readAll()).object(), &r, &error))
            qWarning("%s", qPrintable(error));
        return r;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void helpAndUsage()
    {
        const Result help = cli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QLatin1String("--preset")));
        QVERIFY(help.out.contains(QLatin1String("Exit status")));
        const Result bad = cli({QStringLiteral("--mode"), QStringLiteral("sideways")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QLatin1String("sideways")));
        const Result writes =
            cli({QStringLiteral("--uri"), m_server.uri(), QStringLiteral("--collection"),
                 QStringLiteral("someone_elses"), QStringLiteral("--op"), QStringLiteral("add")});
        QCOMPARE(writes.exitCode, 2);
        QVERIFY(writes.err.contains(QLatin1String("--allow-writes")));
    }

    void queryVectorsFileIsChecked()
    {
        // Refused before any server is contacted: a missing file, and files that are not vectors.
        QTemporaryDir dir;
        const Result missing = cli({QStringLiteral("--query-vectors"), dir.filePath(QStringLiteral("none"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains(QLatin1String("--query-vectors: cannot read")));
        for (const QByteArray &text :
             {QByteArray("[]"), QByteArray("[[1, \"a\"]]"), QByteArray("[[1, 2], []]"),
              QByteArray("{\"v\": [1]}"), QByteArray("[[1, 2")}) {
            QFile f(dir.filePath(QStringLiteral("v.json")));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
            f.close();
            const Result bad = cli({QStringLiteral("--query-vectors"), f.fileName()});
            QCOMPARE(bad.exitCode, 2);
            QVERIFY2(bad.err.contains(QLatin1String("is not a JSON array of non-empty arrays of numbers")),
                     text.constData());
        }
        // Vectors of another dimension than the collection's: the run is refused, nothing searched.
        QFile f(dir.filePath(QStringLiteral("v3.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[[0.1, 0.2, 0.3]]");
        f.close();
        const Result mismatch =
            cli({QStringLiteral("--uri"), m_server.uri(), QStringLiteral("--op"), QStringLiteral("search"),
                 QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--store-docs"),
                 QStringLiteral("5"), QStringLiteral("--query-vectors"), f.fileName(),
                 QStringLiteral("--quiet")});
        QCOMPARE(mismatch.exitCode, 1);
        QVERIFY2(mismatch.out.contains(QLatin1String("a given query vector has 3 values")),
                 qPrintable(mismatch.out));
    }

    void runWritesReportAndMerges()
    {
        const QString a = m_dir.filePath(QStringLiteral("a.json"));
        const QString b = m_dir.filePath(QStringLiteral("b.json"));
        const QStringList common{QStringLiteral("--uri"),         m_server.uri(),
                                 QStringLiteral("--op"),          QStringLiteral("add"),
                                 QStringLiteral("--mode"),        QStringLiteral("bounded"),
                                 QStringLiteral("--concurrency"), QStringLiteral("4"),
                                 QStringLiteral("--count"),       QStringLiteral("40"),
                                 QStringLiteral("--dim"),         QStringLiteral("32"),
                                 QStringLiteral("--quiet")};
        const Result ra = cli(common + QStringList{QStringLiteral("--json"), a});
        QVERIFY2(ra.exitCode == 0, qPrintable(ra.err + ra.out));
        QVERIFY(ra.out.contains(QLatin1String("integrity: OK")));
        const Result rb = cli(common + QStringList{QStringLiteral("--json"), b});
        QCOMPARE(rb.exitCode, 0);
        const LoadTestReport reportA = readReport(a);
        const LoadTestReport reportB = readReport(b);
        QCOMPARE(reportA.runs.size(), 1);
        QCOMPARE(reportA.runs[0].phases[0].completed, qint64(40));
        QCOMPARE(reportA.dimension, 32);

        const QString c = m_dir.filePath(QStringLiteral("c.json"));
        const Result merged = cli({QStringLiteral("merge"), a, b, QStringLiteral("-o"), c});
        QVERIFY2(merged.exitCode == 0, qPrintable(merged.err));
        QVERIFY(merged.out.contains(QLatin1String("merged from 2 reports")));
        const LoadTestReport reportC = readReport(c);
        QCOMPARE(reportC.mergedFrom, 2);
        QCOMPARE(reportC.runs.size(), 1); // the same run from two "machines"
        const PhaseResult &p = reportC.runs[0].phases[0];
        QCOMPARE(p.completed, qint64(80));
        LatencyHistogram both = reportA.runs[0].phases[0].latency;
        both.merge(reportB.runs[0].phases[0].latency);
        QVERIFY(p.latency == both);
        QCOMPARE(reportC.runs[0].integrity.inserted, qint64(80));

        const Result notAReport =
            cli({QStringLiteral("merge"), a, m_dir.filePath(QStringLiteral("missing.json")),
                 QStringLiteral("-o"), c});
        QCOMPARE(notAReport.exitCode, 2);
    }

    // "Async, all at once" includes the embedding: with no limit set, every request of an async run is
    // at the embedding server at once; a limit is honoured and reported.
    void embeddingRequestsAllAtOnce_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("peak");
        QTest::newRow("no limit (default)") << 0 << 30;
        QTest::newRow("--embedding-concurrency 4") << 4 << 4;
    }

    void embeddingRequestsAllAtOnce()
    {
        QFETCH(int, limit);
        QFETCH(int, peak);
        test::EmbeddingTestServer embeddings;
        QString error;
        QVERIFY2(embeddings.start(&error), qPrintable(error));
        const QString json = m_dir.filePath(QStringLiteral("embed-%1.json").arg(limit));
        QStringList args{QStringLiteral("--uri"),
                         m_server.uri(),
                         QStringLiteral("--op"),
                         QStringLiteral("add"),
                         QStringLiteral("--mode"),
                         QStringLiteral("async"),
                         QStringLiteral("--count"),
                         QStringLiteral("30"),
                         QStringLiteral("--embedding-url"),
                         embeddings.baseUrl(),
                         QStringLiteral("--embedding-model"),
                         QStringLiteral("normal:300"),
                         QStringLiteral("--dim"),
                         QStringLiteral("16"),
                         QStringLiteral("--json"),
                         json,
                         QStringLiteral("--quiet")};
        if (limit > 0)
            args << QStringLiteral("--embedding-concurrency") << QString::number(limit);
        QVERIFY(embeddings.reset());
        const Result r = cli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const QJsonObject stats = embeddings.stats();
        // Populating the store is not part of an add run (it starts empty), so every request is the run's.
        QCOMPARE(stats.value(QStringLiteral("peak_concurrency")).toInt(), peak);
        const LoadTestReport report = readReport(json);
        QCOMPARE(report.embeddingInFlight, limit);
        QVERIFY(r.out.contains(limit > 0
                                   ? QStringLiteral("embedding requests in flight: at most %1").arg(limit)
                                   : QStringLiteral("embedding requests in flight: no limit")));
    }

    // --scratch-prefix names the scratch collections; a collection the run did not create survives even
    // when it carries the same prefix.
    void scratchPrefixDropsOnlyItsOwn()
    {
        auto client = m_server.client();
        const QString foreign = test::createLoadedCollection(*client, QStringLiteral("ltcli_users"), 16, 20);
        QVERIFY(foreign.startsWith(QLatin1String("ltcli_")));
        const QString json = m_dir.filePath(QStringLiteral("prefix.json"));
        const Result r =
            cli({QStringLiteral("--uri"), m_server.uri(), QStringLiteral("--op"), QStringLiteral("search"),
                 QStringLiteral("--count"), QStringLiteral("5"), QStringLiteral("--store-docs"),
                 QStringLiteral("20"), QStringLiteral("--dim"), QStringLiteral("16"),
                 QStringLiteral("--scratch-prefix"), QStringLiteral("ltcli_"), QStringLiteral("--json"), json,
                 QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const LoadTestReport report = readReport(json);
        QCOMPARE(report.scratchPrefix, QStringLiteral("ltcli_"));
        QVERIFY(report.runs.first().collection.startsWith(QLatin1String("ltcli_search_")));
        QVERIFY(!client->hasCollection(CollectionRequest{report.runs.first().collection}));
        QVERIFY(client->hasCollection(CollectionRequest{foreign}));
        const Result bad = cli({QStringLiteral("--uri"), m_server.uri(), QStringLiteral("--scratch-prefix"),
                                QStringLiteral("bad prefix")});
        QCOMPARE(bad.exitCode, 2);
    }

    void errorsSetTheExitCode()
    {
        // A filter the server rejects: every search fails with a Milvus error.
        const QStringList args{QStringLiteral("--uri"),        m_server.uri(),
                               QStringLiteral("--op"),         QStringLiteral("search"),
                               QStringLiteral("--count"),      QStringLiteral("5"),
                               QStringLiteral("--store-docs"), QStringLiteral("10"),
                               QStringLiteral("--filter"),     QStringLiteral("no_such_field > ("),
                               QStringLiteral("--quiet")};
        const Result failing = cli(args);
        QCOMPARE(failing.exitCode, 1);
        QVERIFY(failing.out.contains(QLatin1String("ERRORS: 5 failed")));
        const Result tolerated =
            cli(args + QStringList{QStringLiteral("--fail-on-errors"), QStringLiteral("5")});
        QCOMPARE(tolerated.exitCode, 0);
    }

    void noServerIsCouldNotRun()
    {
        const int port = LocalServer::pickFreePort();
        const Result r = cli({QStringLiteral("--uri"), QStringLiteral("http://127.0.0.1:%1").arg(port),
                              QStringLiteral("--quiet")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.out.contains(QLatin1String("connection refused")));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestLoadTestCli)
#include "tst_loadtest_cli.moc"
