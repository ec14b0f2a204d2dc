#include "AdminMenu.h"

#include "MilvusClient.h"
#include "SystemPanel.h"
#include "UsersRolesPanel.h"

#include <QMainWindow>
#include <QMenuBar>
#include <QTabWidget>

namespace mx {

namespace {

// The user name the connection signs in with ("user:password" tokens included); empty: none.
QString signedInUser(const ConnectionConfig &c)
{
    if (!c.token.isEmpty())
        return c.token.contains(QLatin1Char(':')) ? c.token.section(QLatin1Char(':'), 0, 0) : QString();
    return c.user;
}

template<typename Panel, typename Setup>
void openTab(QTabWidget *tabs, const QString &objectName, const QString &title, Setup setup)
{
    for (int i = 0; i < tabs->count(); ++i)
        if (auto *p = qobject_cast<Panel *>(tabs->widget(i)); p && p->objectName() == objectName) {
            setup(p); // the connection may have changed since
            tabs->setCurrentIndex(i);
            return;
        }
    auto *panel = new Panel(tabs);
    panel->setObjectName(objectName);
    tabs->setCurrentIndex(tabs->addTab(panel, title));
    setup(panel);
}

} // namespace

void installAdminMenu(QMainWindow *window, QTabWidget *tabs,
                      std::function<std::shared_ptr<MilvusClient>()> client)
{
    QMenu *menu = window->menuBar()->addMenu(QObject::tr("&Administration"));
    QAction *users = menu->addAction(QObject::tr("Users and roles"));
    users->setObjectName(QStringLiteral("usersRolesAction"));
    QAction *system = menu->addAction(QObject::tr("System"));
    system->setObjectName(QStringLiteral("systemAction"));
    QObject::connect(users, &QAction::triggered, tabs, [tabs, client] {
        auto c = client();
        if (!c)
            return;
        openTab<UsersRolesPanel>(tabs, QStringLiteral("usersRolesTab"), QObject::tr("Users and roles"),
                                 [c](UsersRolesPanel *p) { p->setConnection(c, signedInUser(c->config())); });
    });
    QObject::connect(system, &QAction::triggered, tabs, [tabs, client] {
        auto c = client();
        if (!c)
            return;
        openTab<SystemPanel>(tabs, QStringLiteral("systemTab"), QObject::tr("System"),
                             [c](SystemPanel *p) { p->setConnection(c); });
    });
}

} // namespace mx
