// The Administration menu's wiring (AdminMenu) against the real server: each action opens its panel in
// a tab of its own (and shows it again rather than opening a second); without a connection both are
// disabled and say so; on Milvus Lite (no RBAC, no metrics) both are disabled with the capability's
// reason and triggering them opens nothing; on the standalone a user who may not manage users and roles
// still opens the view and the action says what it may not do; an answer about an earlier connection
// does not change the actions.

#include "AdminClient.h"
#include "AdminMenu.h"
#include "ServerCapabilities.h"
#include "SystemPanel.h"
#include "TestSupport.h"
#include "UsersRolesPanel.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QMainWindow>
#include <QMenu>
#include <QSignalSpy>
#include <QTabWidget>

namespace mx {

using namespace mx::test;

class TstAdminMenu : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void disabledUntilConnected();
    void serverAdministrator();
    void userWhoMayNotManage();
    void answerForAnEarlierConnectionIsDropped();

private:
    void connectAs(std::shared_ptr<MilvusClient> client);
    void expectRefusedOnLite();

    TestServer m_server;
    std::shared_ptr<MilvusClient> m_root;
    ServerCapabilities m_caps;
    std::shared_ptr<MilvusClient> m_current; // what the menu's client() returns
    std::unique_ptr<QMainWindow> m_window;
    QTabWidget *m_tabs = nullptr;
    AdminMenu *m_menu = nullptr;
};

void TstAdminMenu::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    m_root = m_server.client();
    m_caps = ServerCapabilities::fromVersion(m_root->getVersion());
    QCOMPARE(m_caps.has(ServerCapabilities::Feature::Rbac), isStandalone());
}

void TstAdminMenu::init()
{
    m_window = std::make_unique<QMainWindow>();
    m_tabs = new QTabWidget(m_window.get());
    m_window->setCentralWidget(m_tabs);
    m_current.reset();
    m_menu = installAdminMenu(m_window.get(), m_tabs, [this] { return m_current; });
    m_window->show();
}

void TstAdminMenu::cleanup()
{
    m_window.reset();
}

void TstAdminMenu::connectAs(std::shared_ptr<MilvusClient> client)
{
    m_current = client;
    QSignalSpy known(m_menu, &AdminMenu::accessKnown);
    m_menu->setConnection(client, m_caps);
    if (m_caps.has(ServerCapabilities::Feature::Rbac)) {
        QElapsedTimer clock;
        clock.start();
        QVERIFY(known.count() > 0 || known.wait(60000));
        qInfo("access known after %lld ms", clock.elapsed());
    }
    QVERIFY(!m_menu->isBusy());
}

void TstAdminMenu::expectRefusedOnLite()
{
    QAction *users = m_menu->usersRolesAction();
    QAction *system = m_menu->systemAction();
    QVERIFY(!users->isEnabled());
    QVERIFY(!system->isEnabled());
    QCOMPARE(users->toolTip(), m_caps.lacks(ServerCapabilities::Feature::Rbac));
    QCOMPARE(system->toolTip(), m_caps.lacks(ServerCapabilities::Feature::Metrics));
    QVERIFY2(users->toolTip().contains(QLatin1String("Milvus Lite")), qPrintable(users->toolTip()));
    QVERIFY(!system->statusTip().isEmpty());
    users->trigger(); // a shortcut or a script cannot open it either
    system->trigger();
    QCOMPARE(m_tabs->count(), 0);
}

void TstAdminMenu::disabledUntilConnected()
{
    QCOMPARE(m_window->findChild<QMenu *>(QStringLiteral("administrationMenu")), m_menu->menu());
    QCOMPARE(m_window->findChild<QAction *>(QStringLiteral("usersRolesAction")), m_menu->usersRolesAction());
    QCOMPARE(m_window->findChild<QAction *>(QStringLiteral("systemAction")), m_menu->systemAction());
    for (QAction *a : {m_menu->usersRolesAction(), m_menu->systemAction()}) {
        QVERIFY(!a->isEnabled());
        QCOMPARE(a->toolTip(), QStringLiteral("Connect to a server first."));
        a->trigger();
    }
    QCOMPARE(m_tabs->count(), 0);
}

void TstAdminMenu::serverAdministrator()
{
    connectAs(m_root);
    if (!isStandalone()) {
        expectRefusedOnLite();
        return;
    }
    QAction *users = m_menu->usersRolesAction();
    QAction *system = m_menu->systemAction();
    QVERIFY(users->isEnabled());
    QVERIFY(system->isEnabled());
    QVERIFY(users->statusTip().isEmpty()); // nothing to explain for root
    users->trigger();
    QCOMPARE(m_tabs->count(), 1);
    auto *usersPanel = qobject_cast<UsersRolesPanel *>(m_tabs->currentWidget());
    QVERIFY(usersPanel);
    QCOMPARE(usersPanel->objectName(), QStringLiteral("usersRolesTab"));
    system->trigger();
    QCOMPARE(m_tabs->count(), 2);
    auto *systemPanel = qobject_cast<SystemPanel *>(m_tabs->currentWidget());
    QVERIFY(systemPanel);
    QCOMPARE(systemPanel->objectName(), QStringLiteral("systemTab"));
    users->trigger(); // shown again, not opened twice
    QCOMPARE(m_tabs->count(), 2);
    QCOMPARE(m_tabs->currentWidget(), usersPanel);
    // Disconnected: the actions say so again (the open tabs stay as they are).
    m_menu->setConnection(nullptr, {});
    QVERIFY(!users->isEnabled());
    QVERIFY(!system->isEnabled());
}

void TstAdminMenu::userWhoMayNotManage()
{
    if (!isStandalone()) {
        connectAs(m_root); // Lite has no users at all: the same refusal whoever connects
        expectRefusedOnLite();
        return;
    }
    const QString user = uniqueName(QStringLiteral("menu_user"));
    const QString password = uniqueName(QStringLiteral("Pw"));
    AdminClient(*m_root).createUser({user, password, {}});
    ConnectionConfig cfg = m_server.config();
    cfg.user = user;
    cfg.password = password;
    cfg.token.clear();
    connectAs(std::make_shared<MilvusClient>(cfg));
    QAction *users = m_menu->usersRolesAction();
    QVERIFY(users->isEnabled()); // the own password and roles are still there
    QVERIFY2(users->toolTip().contains(QLatin1String("Your own account only")), qPrintable(users->toolTip()));
    QVERIFY2(users->toolTip().contains(QLatin1String("admin role")), qPrintable(users->toolTip()));
    QCOMPARE(users->statusTip(), users->toolTip());
    QVERIFY(m_menu->systemAction()->isEnabled());
    users->trigger();
    QVERIFY(qobject_cast<UsersRolesPanel *>(m_tabs->currentWidget()));
    AdminClient(*m_root).deleteUser({user, {}});
}

void TstAdminMenu::answerForAnEarlierConnectionIsDropped()
{
    m_current = m_root;
    m_menu->setConnection(m_root, m_caps); // the access lookup starts…
    m_menu->setConnection(nullptr, {});    // …and the connection is gone before it answers
    m_current.reset();
    QTest::qWait(isStandalone() ? 2000 : 200);
    QVERIFY(!m_menu->usersRolesAction()->isEnabled());
    QCOMPARE(m_menu->usersRolesAction()->toolTip(), QStringLiteral("Connect to a server first."));
}

} // namespace mx

MX_TEST_MAIN_WITH_OWN_SETTINGS(mx::TstAdminMenu, "tst_adminmenu")

#include "tst_adminmenu.moc"
