// The first-run empty state, offscreen, against a real local server: the welcome panel shows on a
// server without collections, its steps are reachable with the keyboard, the sample dataset lands as a
// loaded 200-row collection (and is never written over), the search step opens the workbench on it,
// and dismissing it is remembered across windows.

#include "CollectionListModel.h"
#include "ConnectionProfiles.h"
#include "MainWindow.h"
#include "SearchWorkbench.h"
#include "SecretStore.h"
#include "Session.h"
#include "TestSupport.h"
#include "WelcomePanel.h"

#include <QApplication>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>

namespace mx {

class TestWelcomePanel : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    QTemporaryDir m_config; // settings of this test only

    struct Window
    {
        Session session;
        ConnectionProfiles profiles;
        SecretStore secrets;
        std::unique_ptr<MainWindow> window;
    };
    std::unique_ptr<Window> open()
    {
        auto w = std::make_unique<Window>();
        w->secrets.forceSessionOnly(QStringLiteral("test"));
        w->window = std::make_unique<MainWindow>(&w->session, &w->profiles, &w->secrets);
        w->window->show();
        QSignalSpy shown(w->window.get(), &MainWindow::collectionsShown);
        w->session.connectTo(m_server.config());
        if (!shown.wait(60000))
            return nullptr;
        return w;
    }

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8()); // first run; the local embedding provider
        QCoreApplication::setOrganizationName(QStringLiteral("MilvusExplorerTest"));
        QCoreApplication::setApplicationName(QStringLiteral("welcome"));
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void emptyServerShowsTheSteps()
    {
        auto w = open();
        QVERIFY(w);
        auto *panel = w->window->findChild<WelcomePanel *>(QStringLiteral("welcomePanel"));
        QVERIFY(panel);
        QTRY_VERIFY(panel->isVisible());
        for (const char *name : {"welcomeCreate", "welcomeSample", "welcomeSearch", "welcomeTutorial"}) {
            auto *b = panel->findChild<QPushButton *>(QLatin1String(name));
            QVERIFY2(b && b->isVisible() && b->isEnabled() && b->focusPolicy() & Qt::TabFocus, name);
        }
    }

    void sampleDatasetFromTheKeyboard()
    {
        auto w = open();
        QVERIFY(w);
        auto *panel = w->window->welcomePanel();
        QTRY_VERIFY(panel->isVisible());
        auto *create = panel->findChild<QPushButton *>(QStringLiteral("welcomeCreate"));
        auto *sample = panel->findChild<QPushButton *>(QStringLiteral("welcomeSample"));
        w->window->activateWindow();
        create->setFocus(Qt::OtherFocusReason);
        QTRY_VERIFY(create->hasFocus());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab); // the next step, not a label
        QTRY_VERIFY(sample->hasFocus());
        QSignalSpy loaded(panel, &WelcomePanel::sampleLoaded);
        QTest::keyClick(sample, Qt::Key_Space);
        QVERIFY(!sample->isEnabled()); // busy while it loads; the window stays responsive
        QVERIFY(loaded.wait(120000));
        QCOMPARE(loaded.first().at(1).toString(), QStringLiteral("sample_documents"));
        auto *status = panel->findChild<QLabel *>(QStringLiteral("welcomeStatus"));
        QVERIFY2(status->text().contains(QLatin1String("Loaded 200 documents")), qPrintable(status->text()));
        QVERIFY(panel->findChild<QLabel *>(QStringLiteral("welcomeTitle"))
                    ->text()
                    .contains(QLatin1String("ready")));

        // On the server: 200 rows, loaded, counted exactly.
        auto client = m_server.client();
        QueryRequest count{QStringLiteral("sample_documents")};
        count.outputFields = {QStringLiteral("count(*)")};
        count.consistency = ConsistencyLevel::Strong;
        QCOMPARE(client->query(count).row(0).value(QStringLiteral("count(*)")).toLongLong(), qint64(200));
        // The list shows it (the panel stays, to lead on to the search).
        auto *table = w->window->findChild<QTableView *>(QStringLiteral("collectionTable"));
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 1, 30000);
        QVERIFY(panel->isVisible());

        // Search on it: the workbench opens on the sample collection.
        QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("welcomeSearch")), Qt::LeftButton);
        QVERIFY(qobject_cast<SearchWorkbench *>(w->window->tabs()->currentWidget()));

        // A second load never writes over it: the error says why, the rows stay.
        panel->loadSample();
        QTRY_VERIFY_WITH_TIMEOUT(sample->isEnabled(), 30000);
        QVERIFY2(status->text().contains(QLatin1String("exists already")), qPrintable(status->text()));
        QCOMPARE(client->query(count).row(0).value(QStringLiteral("count(*)")).toLongLong(), qint64(200));
    }

    void dismissIsRemembered()
    {
        {
            // Drop the sample so the database is empty again.
            m_server.client()->dropCollection({QStringLiteral("sample_documents")});
            auto w = open();
            QVERIFY(w);
            QTRY_VERIFY(w->window->welcomePanel()->isVisible());
            QTest::mouseClick(
                w->window->welcomePanel()->findChild<QPushButton *>(QStringLiteral("welcomeDismiss")),
                Qt::LeftButton);
            QVERIFY(!w->window->welcomePanel()->isVisible());
        }
        QVERIFY(WelcomePanel::isDismissed());
        auto w = open();
        QVERIFY(w);
        QTest::qWait(200);
        QVERIFY(!w->window->welcomePanel()->isVisible());
        // Help → Welcome brings it back.
        auto *again = w->window->findChild<QAction *>(QStringLiteral("welcomeAction"));
        QVERIFY(again);
        again->trigger();
        QVERIFY(w->window->welcomePanel()->isVisible());
        QVERIFY(!WelcomePanel::isDismissed());
    }
};

} // namespace mx

QTEST_MAIN(mx::TestWelcomePanel)
#include "tst_welcomepanel.moc"
