// The first window, offscreen, against a real Milvus Lite: it connects without blocking, lists the
// collections with row counts and load state, filters, and reports a dead server in the banner.

#include "CollectionListModel.h"
#include "CollectionOverview.h"
#include "CollectionPage.h"
#include "ConnectionProfiles.h"
#include "MainWindow.h"
#include "NavigatorModel.h"
#include "SecretStore.h"
#include "Session.h"
#include "TestSupport.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>

namespace mx {

class TestMainWindow : public QObject
{
    Q_OBJECT

    test::TestServer m_server;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        auto client = m_server.client();
        client->createCollection({QStringLiteral("articles"), test::richSchema(4)});
        client->insert(InsertRequest{QStringLiteral("articles"), {}, test::richRows(4, 0, 30)});
        test::indexAndLoad(*client, QStringLiteral("articles"));
        client->createCollection({QStringLiteral("products"), test::richSchema(4)});
        test::indexAndLoad(*client, QStringLiteral("products"));
    }

    void showsCollectionsOfTheServer()
    {
        Session session;
        ConnectionProfiles profiles;
        SecretStore secrets;
        secrets.forceSessionOnly(QStringLiteral("test"));
        MainWindow window(&session, &profiles, &secrets);
        window.show();
        QSignalSpy shown(&window, &MainWindow::collectionsShown);
        const ConnectionConfig cfg = m_server.config();
        session.connectTo(cfg);
        // connectTo returns at once: the window is still responsive while the answers travel.
        QVERIFY(session.state() == Session::State::Connecting);
        QVERIFY(shown.wait(30000));

        auto *table = window.findChild<QTableView *>(QStringLiteral("collectionTable"));
        QVERIFY(table);
        QTRY_COMPARE(table->model()->rowCount(), 2);
        QTRY_COMPARE(table->model()->index(0, CollectionListModel::RowsColumn).data().toString(),
                     QStringLiteral("30"));
        QCOMPARE(table->model()->index(0, CollectionListModel::LoadStateColumn).data().toString(),
                 QStringLiteral("loaded"));

        auto *state = window.findChild<QLabel *>(QStringLiteral("connectionState"));
        QVERIFY(state->text().contains(QLatin1String("Connected")));
        auto *version = window.findChild<QLabel *>(QStringLiteral("serverVersion"));
        QCOMPARE(version->text(),
                 test::isStandalone() ? QStringLiteral("Milvus 2.3.5") : QStringLiteral("Milvus Lite 3.2.2"));
        QVERIFY(version->toolTip().contains(test::isStandalone() ? QLatin1String("v2.3.5")
                                                                 : QLatin1String("milvus_lite")));

        auto *filter = window.findChild<QLineEdit *>(QStringLiteral("collectionFilter"));
        QTest::keyClicks(filter, QStringLiteral("prod"));
        QCOMPARE(table->model()->rowCount(), 1);
        QCOMPARE(table->model()->index(0, 0).data().toString(), QStringLiteral("products"));
        filter->clear();

        // F5 refreshes: a collection created elsewhere shows up.
        m_server.client()->createCollection({QStringLiteral("zeta"), test::richSchema(4)});
        QTest::keyClick(&window, Qt::Key_F5);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), 3, 10000);
    }

    void unreachableServerShowsBanner()
    {
        Session session;
        ConnectionProfiles profiles;
        SecretStore secrets;
        secrets.forceSessionOnly(QStringLiteral("test"));
        MainWindow window(&session, &profiles, &secrets);
        window.show();
        ConnectionConfig cfg;
        cfg.uri = QStringLiteral("http://127.0.0.1:%1").arg(LocalServer::pickFreePort());
        session.connectTo(cfg);
        auto *banner = window.findChild<QLabel *>(QStringLiteral("errorBanner"));
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QVERIFY(banner->text().contains(QLatin1String("connection refused")));
        auto *state = window.findChild<QLabel *>(QStringLiteral("connectionState"));
        QVERIFY(state->text().contains(QLatin1String("failed")));
    }
};

} // namespace mx

MX_TEST_MAIN_WITH_OWN_SETTINGS(mx::TestMainWindow, "tst_mainwindow")
#include "tst_mainwindow.moc"
