#pragma once

#include "MilvusError.h"
#include "UserAccess.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace mx {

class AdminClient;
class MilvusClient;

// Users, roles and privileges of the connected server. Lists users (with their roles) and roles (with
// their users); creates and deletes users (the password typed twice, held only for the one call);
// changes passwords; creates and drops roles; binds and unbinds users and roles; grants and revokes
// privileges by object type, object name and the server's privilege names. What the signed-in user may
// not do is disabled with the reason (UserAccess) in its tooltip and in the banner; every refusal from
// the server is shown as it came (a PermissionDenied error says so). Destructive actions ask first.
// Widgets: accessBanner, errorLabel, usersTable, rolesTable, grantsTable, refreshButton,
// createUserButton, deleteUserButton, changePasswordButton, createRoleButton, dropRoleButton,
// bindButton, unbindButton, grantObjectType, grantObjectName, grantPrivilege, grantButton, revokeButton.
class UsersRolesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit UsersRolesPanel(QWidget *parent = nullptr);
    ~UsersRolesPanel() override;

    // The connection to administer, and the user it is signed in as (empty: root / no RBAC). Reloads.
    void setConnection(std::shared_ptr<MilvusClient> client, const QString &user);
    void refresh();
    bool isBusy() const { return m_pending > 0; }
    const UserAccess &access() const { return m_access; }

signals:
    void busyChanged(bool busy);

private:
    void buildUi();
    void applyAccess();
    void loadLists();
    void loadGrants();
    void showError(const MilvusError &e);
    void showMessage(const QString &text);
    QString selectedUser() const;
    QString selectedRole() const;
    int selectedGrantRow() const;
    void begin();
    void end();
    template<typename T, typename F>
    void track(QFuture<T> future, F onDone);

    void createUser();
    void deleteUser();
    void changePassword();
    void createRole();
    void dropRole();
    void bindUser(bool bind);
    void grantOrRevoke(bool grant);

    std::shared_ptr<MilvusClient> m_client;
    std::shared_ptr<AdminClient> m_admin;
    QString m_user;
    UserAccess m_access;
    bool m_accessKnown = false;
    int m_pending = 0;
    quint64 m_generation = 0;

    QLabel *m_banner = nullptr;
    QLabel *m_error = nullptr;
    QTableView *m_usersView = nullptr;
    QTableView *m_rolesView = nullptr;
    QTableView *m_grantsView = nullptr;
    QStandardItemModel *m_users = nullptr;
    QStandardItemModel *m_roles = nullptr;
    QStandardItemModel *m_grants = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_createUser = nullptr;
    QPushButton *m_deleteUser = nullptr;
    QPushButton *m_changePassword = nullptr;
    QPushButton *m_createRole = nullptr;
    QPushButton *m_dropRole = nullptr;
    QPushButton *m_bind = nullptr;
    QPushButton *m_unbind = nullptr;
    QComboBox *m_objectType = nullptr;
    QLineEdit *m_objectName = nullptr;
    QComboBox *m_privilege = nullptr;
    QPushButton *m_grant = nullptr;
    QPushButton *m_revoke = nullptr;
};

} // namespace mx
