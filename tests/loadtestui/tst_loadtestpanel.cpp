// The load-test panel against a real Milvus Lite: the tutorial preset from the button, Stop mid-run,
// a sweep, history persisted and compared, and every export.
#include "LoadTestCharts.h"
#include "LoadTestConfigForm.h"
#include "LoadTestPanel.h"
#include "PhaseResultsTable.h"
#include "ReportJson.h"
#include "RunComparisonTable.h"
#include "Session.h"
#include "TestSupport.h"
#include "TutorialResultsTable.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace mx;

class TestLoadTestPanel : public QObject
{
    Q_OBJECT
    test::TestServer m_server;
    Session *m_session = nullptr;
    QTemporaryDir m_dir;
    QString m_shots; // MX_LOADTEST_SCREENSHOTS: where to put the docs' screenshots

    std::unique_ptr<LoadTestPanel> makePanel()
    {
        auto panel = std::make_unique<LoadTestPanel>(m_session);
        panel->setHistoryStore(RunHistoryStore(m_dir.filePath(QStringLiteral("history"))));
        panel->resize(1500, 950);
        panel->show();
        return panel;
    }

    void shoot(QWidget *w, const QString &name)
    {
        if (!m_shots.isEmpty())
            QVERIFY(w->grab().save(QDir(m_shots).filePath(QStringLiteral("loadtest-%1.png").arg(name))));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_shots = qEnvironmentVariable("MX_LOADTEST_SCREENSHOTS");
        QString why;
        QVERIFY2(m_server.start(&why), qPrintable(why));
        m_session = new Session(this);
        ConnectionConfig cfg;
        cfg = m_server.config();
        m_session->connectTo(cfg);
        QVERIFY(QTest::qWaitFor([&] { return m_session->state() == Session::State::Connected; }, 60000));
    }

    void tutorialPresetFromTheButton()
    {
        auto panel = makePanel();
        panel->form()->setRepeats(2);
        QSignalSpy finished(panel.get(), &LoadTestPanel::runFinished);
        auto *button = panel->findChild<QPushButton *>(QStringLiteral("tutorialButton"));
        auto *variant = panel->findChild<QComboBox *>(QStringLiteral("tutorialVariant"));
        QVERIFY(variant && variant->currentText() == QLatin1String("faithful"));
        QVERIFY(button && button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(panel->isRunning());
        QVERIFY(!button->isEnabled());
        // The GUI stays live while it runs: charts fill from snapshots.
        QVERIFY(QTest::qWaitFor([&] { return panel->tutorialTable()->rowCount() >= 5; }, 300000));
        QVERIFY(panel->charts()->latencyPoints() > 10);
        shoot(panel.get(), QStringLiteral("tutorial-running"));
        QVERIFY(finished.wait(400000));
        const LoadTestReport &r = panel->lastReport();
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.preset, QStringLiteral("tutorial-faithful")); // the variant chosen by default
        QCOMPARE(r.runs.size(), 24);                             // 3 ops x 2 counts x sync/async x 2 repeats
        QCOMPARE(r.integrityProblems(), 0);
        QCOMPARE(r.unbalancedPhases(), 0);
        // Every store was ready before its clock started: no first operation stalled.
        QCOMPARE(r.stalledPhases(), 0);
        QVERIFY(r.runs.first().timedSetupNs > 0); // the faithful first add sets its store up in the clock
        QVERIFY(panel->resultsTable()
                    ->item(0, PhaseResultsTable::Conditions)
                    ->text()
                    .contains(QLatin1String("reads Session")));

        auto *tutorial = panel->tutorialTable();
        QCOMPARE(tutorial->rowCount(), 6);
        for (int row = 0; row < 6; ++row) {
            const QString speedup = tutorial->item(row, 4)->text();
            QVERIFY2(speedup.contains(QLatin1String("x [")), qPrintable(speedup)); // ratio and its CI
            QVERIFY2(tutorial->item(row, 2)->text().contains(QLatin1Char('[')),
                     qPrintable(tutorial->item(row, 2)->text()));
        }
        QCOMPARE(tutorial->item(0, 0)->text(), QStringLiteral("add"));
        QCOMPARE(panel->resultsTable()->rowCount(), 24);
        QVERIFY(panel->resultsTable()
                    ->item(0, PhaseResultsTable::Integrity)
                    ->text()
                    .contains(QLatin1String("OK")));
        QCOMPARE(panel->charts()->tutorialBars(), 12);
        QVERIFY(panel->charts()->throughputPoints() > 10);
        QVERIFY(panel->charts()->latencyPoints() > 5);
        QVERIFY(!panel->lastSavedRun().isEmpty());
        QVERIFY(QFileInfo::exists(panel->lastSavedRun()));
        shoot(panel.get(), QStringLiteral("tutorial-done"));
        panel->findChild<QTabWidget *>(QStringLiteral("loadTestTabs"))->setCurrentIndex(0);
        shoot(panel.get(), QStringLiteral("tutorial-charts"));

        // Exports.
        const QString csv = m_dir.filePath(QStringLiteral("t.csv"));
        QVERIFY(panel->exportCsv(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 25);
        QVERIFY(lines[0].startsWith(QLatin1String("run,phase,op,mode")));
        QVERIFY(lines[1].contains(QLatin1String(",add,async,")));
        QVERIFY(lines[1].endsWith(QLatin1String(",yes,10,10")));
        const QString json = m_dir.filePath(QStringLiteral("t.json"));
        QVERIFY(panel->exportJson(json));
        QFile j(json);
        QVERIFY(j.open(QIODevice::ReadOnly));
        LoadTestReport back;
        QString why;
        QVERIFY2(ReportJson::fromJson(QJsonDocument::fromJson(j.readAll()).object(), &back, &why),
                 qPrintable(why));
        QCOMPARE(back.runs.size(), 24);
        QCOMPARE(back.totalCompleted(), r.totalCompleted());
        for (const QString &file : panel->saveChartsPng(m_dir.filePath(QStringLiteral("charts"))) +
                                       panel->saveChartsPdf(m_dir.filePath(QStringLiteral("charts"))))
            QVERIFY2(QFileInfo(file).size() > 5000, qPrintable(file));
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("charts-*")}).size(), 8);
    }

    void stopMidRunKeepsPartialResults()
    {
        auto panel = makePanel();
        panel->form()->setRepeats(1);
        panel->form()->setOperation(OpKind::Search);
        panel->form()->setMode(LoadMode::Bounded);
        panel->form()->setConcurrency(8);
        panel->form()->setCount(1'000'000);
        QSignalSpy finished(panel.get(), &LoadTestPanel::runFinished);
        QVERIFY(panel->startFromForm());
        QVERIFY(QTest::qWaitFor([&] { return panel->charts()->throughputPoints() > 5; }, 120000));
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("stopButton")), Qt::LeftButton);
        QVERIFY(finished.wait(10000));
        qInfo("stopped after %lld ms", clock.elapsed());
        QVERIFY(clock.elapsed() < 5000);
        const LoadTestReport &r = panel->lastReport();
        QVERIFY(r.stopped);
        QCOMPARE(r.runs.size(), 1);
        QVERIFY(r.runs[0].phases.size() == 1);
        QVERIFY(r.runs[0].phases[0].completed > 0);
        QVERIFY(r.runs[0].phases[0].completed < 1'000'000);
        QCOMPARE(panel->resultsTable()->rowCount(), 1);
        QVERIFY(panel->statusText().contains(QLatin1String("Stopped")));
        QVERIFY(!panel->isRunning());
    }

    void sweepDrawsTheCurve()
    {
        auto panel = makePanel();
        panel->form()->setRepeats(1);
        panel->form()->setOperation(OpKind::Search);
        panel->form()->setMode(LoadMode::Sweep);
        panel->form()->setConcurrency(8);
        panel->form()->setCount(300);
        QSignalSpy finished(panel.get(), &LoadTestPanel::runFinished);
        QVERIFY(panel->startFromForm());
        QVERIFY(QTest::qWaitFor([&] { return panel->charts()->sweepPoints() >= 2; }, 120000));
        shoot(panel.get(), QStringLiteral("sweep-running"));
        QVERIFY(finished.wait(120000));
        QCOMPARE(panel->charts()->sweepPoints(), 4); // 1, 2, 4, 8
        QCOMPARE(panel->resultsTable()->rowCount(), 4);
        panel->findChild<QTabWidget *>(QStringLiteral("loadTestTabs"))->setCurrentIndex(0);
        shoot(panel.get(), QStringLiteral("sweep-done"));
    }

    void historyIsPersistedAndComparable()
    {
        auto panel = makePanel(); // a new panel reads what the earlier ones saved
        QCOMPARE(panel->historyList()->count(), 3);
        const QString a = panel->historyList()->item(1)->data(Qt::UserRole).toString(); // the stopped run
        const QString b = panel->historyList()->item(0)->data(Qt::UserRole).toString(); // the sweep
        QVERIFY(panel->compareRuns(a, b));
        auto *table = panel->comparisonTable();
        QCOMPARE(table->rowCount(), 4 * 5); // the sweep's 4 phases x 5 figures
        QCOMPARE(table->item(1, 1)->text(), QStringLiteral("ops/s"));
        QVERIFY(table->item(1, 4)->text().endsWith(QLatin1Char('x')));
        QCOMPARE(table->item(6, 2)->text(), QStringLiteral("-")); // run A has one phase only
        // Through the UI: select two and press Compare.
        table->setRowCount(0);
        panel->historyList()->item(0)->setSelected(true);
        panel->historyList()->item(2)->setSelected(true);
        QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("compareButton")), Qt::LeftButton);
        QCOMPARE(table->rowCount(), 24 * 5);
        shoot(panel.get(), QStringLiteral("compare"));
    }

    void cleanupTestCase()
    {
        delete m_session;
        m_server.stop();
    }
};

QTEST_MAIN(TestLoadTestPanel)
#include "tst_loadtestpanel.moc"
