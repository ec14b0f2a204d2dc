#include "AdminMenu.h"

#include "AdminClient.h"
#include "MilvusClient.h"
#include "MilvusError.h"
#include "SystemPanel.h"
#include "UserAccess.h"
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

AdminMenu::AdminMenu(QMainWindow *window, QTabWidget *tabs,
                     std::function<std::shared_ptr<MilvusClient>()> client)
    : QObject(window)
    , m_tabs(tabs)
    , m_client(std::move(client))
{
    setObjectName(QStringLiteral("adminMenu"));
    m_menu = window->menuBar()->addMenu(tr("&Administration"));
    m_menu->setObjectName(QStringLiteral("administrationMenu"));
    m_menu->setToolTipsVisible(true); // a disabled action's tooltip says why
    m_users = m_menu->addAction(tr("Users and roles"));
    m_users->setObjectName(QStringLiteral("usersRolesAction"));
    m_system = m_menu->addAction(tr("System"));
    m_system->setObjectName(QStringLiteral("systemAction"));
    connect(m_users, &QAction::triggered, this, &AdminMenu::openUsersRoles);
    connect(m_system, &QAction::triggered, this, &AdminMenu::openSystem);
    setConnection(nullptr, {});
}

void AdminMenu::explain(QAction *action, bool enabled, const QString &why)
{
    action->setEnabled(enabled);
    action->setToolTip(why.isEmpty() ? action->text() : why);
    action->setStatusTip(why);
}

void AdminMenu::setConnection(std::shared_ptr<MilvusClient> client, const ServerCapabilities &caps)
{
    const quint64 gen = ++m_generation;
    m_pending = false;
    if (!client) {
        const QString why = tr("Connect to a server first.");
        explain(m_users, false, why);
        explain(m_system, false, why);
        return;
    }
    const QString noMetrics = caps.lacks(ServerCapabilities::Feature::Metrics);
    explain(m_system, noMetrics.isEmpty(), noMetrics);
    const QString noRbac = caps.lacks(ServerCapabilities::Feature::Rbac);
    explain(m_users, noRbac.isEmpty(), noRbac);
    if (!noRbac.isEmpty())
        return;
    m_pending = true;
    auto admin = std::make_shared<const AdminClient>(*client);
    UserAccess::load(admin, signedInUser(client->config()), caps.displayName())
        .then(this,
              [this, gen](const UserAccess &access) {
                  if (gen != m_generation)
                      return;
                  m_pending = false;
                  const QString manage = access.manageReason();
                  explain(m_users, true,
                          manage.isEmpty() ? QString()
                                           : tr("Your own account only (password, roles): %1").arg(manage));
                  emit accessKnown();
              })
        .onFailed(this, [this, gen](const MilvusException &e) {
            if (gen != m_generation)
                return;
            m_pending = false;
            // The view itself says the same, next to what it can still show.
            explain(m_users, true, tr("Your access is unknown: %1").arg(e.error().message()));
            emit accessKnown();
        });
}

void AdminMenu::openUsersRoles()
{
    auto c = m_client();
    if (!c || !m_users->isEnabled())
        return;
    openTab<UsersRolesPanel>(m_tabs, QStringLiteral("usersRolesTab"), tr("Users and roles"),
                             [c](UsersRolesPanel *p) { p->setConnection(c, signedInUser(c->config())); });
}

void AdminMenu::openSystem()
{
    auto c = m_client();
    if (!c || !m_system->isEnabled())
        return;
    openTab<SystemPanel>(m_tabs, QStringLiteral("systemTab"), tr("System"),
                         [c](SystemPanel *p) { p->setConnection(c); });
}

AdminMenu *installAdminMenu(QMainWindow *window, QTabWidget *tabs,
                            std::function<std::shared_ptr<MilvusClient>()> client)
{
    return new AdminMenu(window, tabs, std::move(client));
}

} // namespace mx
