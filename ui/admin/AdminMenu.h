#pragma once

#include "ServerCapabilities.h"

#include <QObject>

#include <functional>
#include <memory>

class QAction;
class QMainWindow;
class QMenu;
class QTabWidget;

namespace mx {

class MilvusClient;

// The "Administration" menu of the main window: "Users and roles" and "System" open (or show) a tab
// of their own in `tabs`, on the connection `client()` returns then. The tabs' objectNames are
// usersRolesTab and systemTab; the actions' usersRolesAction, systemAction. setConnection() (on every
// connect and disconnect) enables each action only where it can work and otherwise says why in its
// tooltip and status tip: not connected; a server without RBAC or metrics (Milvus Lite). On a server
// with RBAC the signed-in user's access is looked up (asynchronously; late answers of an earlier
// connection are dropped): a user who may not manage users and roles still opens the view (for its own
// password and roles) and the action says what it may not do. GUI thread only.
class AdminMenu : public QObject
{
    Q_OBJECT
public:
    AdminMenu(QMainWindow *window, QTabWidget *tabs, std::function<std::shared_ptr<MilvusClient>()> client);

    void setConnection(std::shared_ptr<MilvusClient> client, const ServerCapabilities &capabilities);
    QMenu *menu() const { return m_menu; }
    QAction *usersRolesAction() const { return m_users; }
    QAction *systemAction() const { return m_system; }
    bool isBusy() const { return m_pending; }

signals:
    void accessKnown(); // the signed-in user's access has been applied to the actions

private:
    static void explain(QAction *action, bool enabled, const QString &why);
    void openUsersRoles();
    void openSystem();

    QTabWidget *m_tabs;
    std::function<std::shared_ptr<MilvusClient>()> m_client;
    QMenu *m_menu;
    QAction *m_users;
    QAction *m_system;
    quint64 m_generation = 0;
    bool m_pending = false;
};

// The menu, owned by `window`, disabled until the first setConnection().
AdminMenu *installAdminMenu(QMainWindow *window, QTabWidget *tabs,
                            std::function<std::shared_ptr<MilvusClient>()> client);

} // namespace mx
