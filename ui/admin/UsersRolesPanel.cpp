#include "UsersRolesPanel.h"

#include "AdminClient.h"
#include "ConfirmDestructiveDialog.h"
#include "MilvusClient.h"
#include "PasswordDialog.h"
#include "PrivilegeCatalog.h"
#include "ServerCapabilities.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace mx {

namespace {

QTableView *makeTable(const char *name, QStandardItemModel *model, QWidget *parent)
{
    auto *v = new QTableView(parent);
    v->setObjectName(QString::fromLatin1(name));
    v->setModel(model);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->horizontalHeader()->setStretchLastSection(true);
    v->verticalHeader()->hide();
    return v;
}

QPushButton *makeButton(const QString &text, const char *name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(QString::fromLatin1(name));
    return b;
}

// The same enabled state and reason for a group of controls.
void allowIf(const QList<QWidget *> &widgets, const QString &reason, const QString &normalTip = {})
{
    for (QWidget *w : widgets) {
        w->setEnabled(reason.isEmpty());
        w->setToolTip(reason.isEmpty() ? normalTip : reason);
    }
}

} // namespace

UsersRolesPanel::UsersRolesPanel(QWidget *parent)
    : QWidget(parent)
{
    buildUi();
    applyAccess();
}

UsersRolesPanel::~UsersRolesPanel() = default;

void UsersRolesPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("accessBanner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_banner);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    layout->addWidget(m_error);

    m_users = new QStandardItemModel(0, 2, this);
    m_users->setHorizontalHeaderLabels({tr("User"), tr("Roles")});
    m_roles = new QStandardItemModel(0, 2, this);
    m_roles->setHorizontalHeaderLabels({tr("Role"), tr("Users")});
    m_grants = new QStandardItemModel(0, 5, this);
    m_grants->setHorizontalHeaderLabels(
        {tr("Object type"), tr("Object"), tr("Privilege"), tr("Granted by"), tr("Database")});

    auto *split = new QSplitter(Qt::Horizontal, this);
    auto *usersBox = new QGroupBox(tr("Users"), split);
    auto *ul = new QVBoxLayout(usersBox);
    m_usersView = makeTable("usersTable", m_users, usersBox);
    ul->addWidget(m_usersView);
    auto *ub = new QHBoxLayout;
    m_createUser = makeButton(tr("Create…"), "createUserButton", usersBox);
    m_deleteUser = makeButton(tr("Delete…"), "deleteUserButton", usersBox);
    m_changePassword = makeButton(tr("Change password…"), "changePasswordButton", usersBox);
    ub->addWidget(m_createUser);
    ub->addWidget(m_deleteUser);
    ub->addWidget(m_changePassword);
    ul->addLayout(ub);

    auto *rolesBox = new QGroupBox(tr("Roles"), split);
    auto *rl = new QVBoxLayout(rolesBox);
    m_rolesView = makeTable("rolesTable", m_roles, rolesBox);
    rl->addWidget(m_rolesView);
    auto *rb = new QHBoxLayout;
    m_createRole = makeButton(tr("Create…"), "createRoleButton", rolesBox);
    m_dropRole = makeButton(tr("Drop…"), "dropRoleButton", rolesBox);
    m_bind = makeButton(tr("Bind user"), "bindButton", rolesBox);
    m_unbind = makeButton(tr("Unbind user…"), "unbindButton", rolesBox);
    for (QPushButton *b : {m_createRole, m_dropRole, m_bind, m_unbind})
        rb->addWidget(b);
    rl->addLayout(rb);

    auto *grantsBox = new QGroupBox(tr("Privileges of the selected role"), split);
    auto *gl = new QVBoxLayout(grantsBox);
    m_grantsView = makeTable("grantsTable", m_grants, grantsBox);
    gl->addWidget(m_grantsView);
    auto *editor = new QHBoxLayout;
    m_objectType = new QComboBox(grantsBox);
    m_objectType->setObjectName(QStringLiteral("grantObjectType"));
    m_objectType->addItems(privileges::objectTypes());
    m_objectName = new QLineEdit(QStringLiteral("*"), grantsBox);
    m_objectName->setObjectName(QStringLiteral("grantObjectName"));
    m_objectName->setPlaceholderText(tr("object name, * for all"));
    m_objectName->setMinimumWidth(120);
    m_privilege = new QComboBox(grantsBox);
    m_privilege->setObjectName(QStringLiteral("grantPrivilege"));
    m_privilege->addItems(privileges::forObjectType(m_objectType->currentText()));
    connect(m_objectType, &QComboBox::currentTextChanged, this, [this](const QString &type) {
        m_privilege->clear();
        m_privilege->addItems(privileges::forObjectType(type));
    });
    m_grant = makeButton(tr("Grant"), "grantButton", grantsBox);
    m_revoke = makeButton(tr("Revoke selected…"), "revokeButton", grantsBox);
    editor->addWidget(m_objectType);
    editor->addWidget(m_objectName, 1);
    editor->addWidget(m_privilege);
    editor->addWidget(m_grant);
    gl->addLayout(editor);
    gl->addWidget(m_revoke, 0, Qt::AlignRight);
    split->setStretchFactor(2, 2);
    layout->addWidget(split, 1);

    m_refresh = makeButton(tr("Refresh"), "refreshButton", this);
    layout->addWidget(m_refresh, 0, Qt::AlignRight);

    connect(m_refresh, &QPushButton::clicked, this, &UsersRolesPanel::refresh);
    connect(m_createUser, &QPushButton::clicked, this, &UsersRolesPanel::createUser);
    connect(m_deleteUser, &QPushButton::clicked, this, &UsersRolesPanel::deleteUser);
    connect(m_changePassword, &QPushButton::clicked, this, &UsersRolesPanel::changePassword);
    connect(m_createRole, &QPushButton::clicked, this, &UsersRolesPanel::createRole);
    connect(m_dropRole, &QPushButton::clicked, this, &UsersRolesPanel::dropRole);
    connect(m_bind, &QPushButton::clicked, this, [this] { bindUser(true); });
    connect(m_unbind, &QPushButton::clicked, this, [this] { bindUser(false); });
    connect(m_grant, &QPushButton::clicked, this, [this] { grantOrRevoke(true); });
    connect(m_revoke, &QPushButton::clicked, this, [this] { grantOrRevoke(false); });
    connect(m_rolesView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &UsersRolesPanel::loadGrants);
}

void UsersRolesPanel::setConnection(std::shared_ptr<MilvusClient> client, const QString &user)
{
    m_client = std::move(client);
    m_admin = m_client ? std::make_shared<AdminClient>(*m_client) : nullptr;
    m_user = user.isEmpty() ? QStringLiteral("root") : user;
    m_accessKnown = false;
    refresh();
}

void UsersRolesPanel::begin()
{
    if (m_pending++ == 0)
        emit busyChanged(true);
}

void UsersRolesPanel::end()
{
    if (--m_pending == 0)
        emit busyChanged(false);
}

template<typename T, typename F>
void UsersRolesPanel::track(QFuture<T> future, F onDone)
{
    begin();
    const quint64 gen = m_generation;
    future.then(this, [this, gen, onDone](QFuture<T> f) {
        end();
        if (gen != m_generation)
            return; // another connection since
        try {
            if constexpr (std::is_void_v<T>) {
                f.waitForFinished();
                onDone();
            } else {
                onDone(f.result());
            }
        } catch (const MilvusException &e) {
            showError(e.error());
        }
    });
}

void UsersRolesPanel::refresh()
{
    ++m_generation;
    m_users->removeRows(0, m_users->rowCount());
    m_roles->removeRows(0, m_roles->rowCount());
    m_grants->removeRows(0, m_grants->rowCount());
    m_error->hide();
    if (!m_admin) {
        applyAccess();
        return;
    }
    track(m_client->getVersionAsync()
              .then([admin = std::shared_ptr<const AdminClient>(m_admin),
                     user = m_user](const QString &version) {
                  return UserAccess::load(admin, user,
                                          ServerCapabilities::fromVersion(version).displayName());
              })
              .unwrap(),
          [this](const UserAccess &access) {
              m_access = access;
              m_accessKnown = true;
              applyAccess();
              loadLists();
          });
    applyAccess();
}

void UsersRolesPanel::loadLists()
{
    if (!m_access.rbacAvailable)
        return;
    if (!m_access.manageReason().isEmpty()) {
        // A user without the admin role sees itself only: the server refuses it the lists.
        m_users->appendRow(
            {new QStandardItem(m_access.user), new QStandardItem(m_access.roles.join(QStringLiteral(", ")))});
        for (const QString &r : m_access.roles)
            m_roles->appendRow({new QStandardItem(r), new QStandardItem(m_access.user)});
        return;
    }
    track(m_admin->listUsersAsync(), [this](const QList<UserInfo> &users) {
        m_users->removeRows(0, m_users->rowCount());
        for (const UserInfo &u : users)
            m_users->appendRow(
                {new QStandardItem(u.name), new QStandardItem(u.roles.join(QStringLiteral(", ")))});
        m_usersView->resizeColumnToContents(0);
    });
    track(m_admin->listRolesAsync(), [this](const QList<RoleInfo> &roles) {
        const QString keep = selectedRole();
        m_roles->removeRows(0, m_roles->rowCount());
        for (const RoleInfo &r : roles)
            m_roles->appendRow(
                {new QStandardItem(r.name), new QStandardItem(r.users.join(QStringLiteral(", ")))});
        m_rolesView->resizeColumnToContents(0);
        for (int row = 0; row < m_roles->rowCount(); ++row)
            if (m_roles->item(row, 0)->text() == keep)
                m_rolesView->selectRow(row);
    });
}

void UsersRolesPanel::loadGrants()
{
    m_grants->removeRows(0, m_grants->rowCount());
    const QString role = selectedRole();
    if (role.isEmpty() || !m_admin)
        return;
    auto fill = [this](const QList<Grant> &grants) {
        m_grants->removeRows(0, m_grants->rowCount());
        for (const Grant &g : grants)
            m_grants->appendRow({new QStandardItem(g.objectType), new QStandardItem(g.objectName),
                                 new QStandardItem(g.privilege), new QStandardItem(g.grantor),
                                 new QStandardItem(g.dbName)});
    };
    if (!m_access.manageReason().isEmpty()) {
        QList<Grant> mine;
        for (const Grant &g : m_access.grants)
            if (g.role == role)
                mine.append(g);
        fill(mine);
        return;
    }
    track(m_admin->listGrantsAsync({role}), fill);
}

void UsersRolesPanel::applyAccess()
{
    QString manage, own;
    if (!m_admin) {
        manage = own = tr("Not connected.");
        m_banner->setText(manage);
    } else if (!m_accessKnown) {
        manage = own = tr("Finding out what '%1' may do…").arg(m_user);
        m_banner->setText(manage);
    } else if (!m_access.rbacAvailable) {
        manage = own = m_access.unavailableReason;
        m_banner->setText(m_access.unavailableReason);
    } else {
        manage = m_access.manageReason();
        const QString roles = !m_access.roles.isEmpty() ? m_access.roles.join(QStringLiteral(", "))
                              : m_access.user == QLatin1String("root") ? tr("none; root is the superuser")
                                                                       : tr("none");
        QString text = tr("Signed in as '%1' (roles: %2).").arg(m_access.user, roles);
        if (manage.isEmpty()) {
            text += QLatin1Char(' ') + tr("You may manage users, roles and privileges.");
        } else {
            QStringList may;
            for (const Grant &g : m_access.grants)
                may.append(
                    QStringLiteral("%1 on %2 '%3'").arg(g.privilege, g.objectType.toLower(), g.objectName));
            text += QLatin1Char(' ') +
                    (may.isEmpty() ? tr("No privileges granted.")
                                   : tr("You may: %1.").arg(may.join(QStringLiteral("; ")))) +
                    QLatin1Char(' ') + manage;
            if (!m_access.grantsError.isEmpty())
                text +=
                    QLatin1Char(' ') + tr("(Your grants could not be listed: %1)").arg(m_access.grantsError);
        }
        m_banner->setText(text);
    }
    allowIf({m_createUser, m_deleteUser, m_createRole, m_dropRole, m_bind, m_unbind, m_grant, m_revoke,
             m_objectType, m_objectName, m_privilege},
            manage);
    allowIf({m_changePassword}, own, tr("Change your own password, or (admin) another user's"));
    m_refresh->setEnabled(m_admin != nullptr);
}

void UsersRolesPanel::showError(const MilvusError &e)
{
    const bool denied = e.kind == ErrorKind::PermissionDenied;
    m_error->setStyleSheet(QStringLiteral("color: #b00020; font-weight: %1").arg(denied ? "bold" : "normal"));
    m_error->setText(denied ? tr("Permission denied: %1").arg(e.message()) : e.message());
    m_error->show();
}

void UsersRolesPanel::showMessage(const QString &text)
{
    m_error->setStyleSheet(QStringLiteral("color: palette(text)"));
    m_error->setText(text);
    m_error->show();
}

QString UsersRolesPanel::selectedUser() const
{
    const QModelIndexList rows = m_usersView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data().toString();
}

QString UsersRolesPanel::selectedRole() const
{
    const QModelIndexList rows = m_rolesView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data().toString();
}

int UsersRolesPanel::selectedGrantRow() const
{
    const QModelIndexList rows = m_grantsView->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void UsersRolesPanel::createUser()
{
    PasswordDialog dialog(PasswordDialog::Mode::NewUser, {}, {}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString user = dialog.user();
    track(m_admin->createUserAsync({user, dialog.password()}), [this, user] {
        showMessage(tr("User '%1' created.").arg(user));
        loadLists();
    });
}

void UsersRolesPanel::deleteUser()
{
    const QString user = selectedUser();
    if (user.isEmpty())
        return showMessage(tr("Select the user to delete."));
    if (user == QLatin1String("root"))
        return showMessage(tr("The root user cannot be deleted."));
    if (!ConfirmDestructiveDialog::confirm(this, tr("Delete user"),
                                           ConfirmDestructiveDialog::describe(tr("Delete"), tr("user"), user),
                                           user))
        return;
    track(m_admin->deleteUserAsync({user}), [this, user] {
        showMessage(tr("User '%1' deleted.").arg(user));
        refresh();
    });
}

void UsersRolesPanel::changePassword()
{
    QString user = selectedUser();
    if (user.isEmpty() || !m_access.manageReason().isEmpty())
        user = m_access.user; // a user without the admin role changes its own only
    const QString note =
        user == m_access.user
            ? QString()
            : tr("Milvus 2.3 checks the current password of '%1' unless you are one of the server's "
                 "superusers (common.security.superUsers).")
                  .arg(user);
    PasswordDialog dialog(PasswordDialog::Mode::ChangePassword, user, note, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    track(m_admin->updatePasswordAsync({user, dialog.oldPassword(), dialog.password(), {}}),
          [this, user] { showMessage(tr("Password of '%1' changed.").arg(user)); });
}

void UsersRolesPanel::createRole()
{
    bool ok = false;
    const QString role =
        QInputDialog::getText(this, tr("Create role"), tr("Role name:"), QLineEdit::Normal, {}, &ok)
            .trimmed();
    if (!ok || role.isEmpty())
        return;
    track(m_admin->createRoleAsync({role}), [this, role] {
        showMessage(tr("Role '%1' created.").arg(role));
        loadLists();
    });
}

void UsersRolesPanel::dropRole()
{
    const QString role = selectedRole();
    if (role.isEmpty())
        return showMessage(tr("Select the role to drop."));
    if (!ConfirmDestructiveDialog::confirm(
            this, tr("Drop role"), ConfirmDestructiveDialog::describe(tr("Drop"), tr("role"), role), role))
        return;
    track(m_admin->dropRoleAsync({role}), [this, role] {
        showMessage(tr("Role '%1' dropped.").arg(role));
        refresh();
    });
}

void UsersRolesPanel::bindUser(bool bind)
{
    const QString user = selectedUser(), role = selectedRole();
    if (user.isEmpty() || role.isEmpty())
        return showMessage(tr("Select a user and a role."));
    if (!bind && !ConfirmDestructiveDialog::confirm(
                     this, tr("Unbind user"), tr("Remove user '%1' from role '%2'?").arg(user, role), user))
        return;
    auto future =
        bind ? m_admin->addUserToRoleAsync({user, role}) : m_admin->removeUserFromRoleAsync({user, role});
    track(future, [this, user, role, bind] {
        showMessage(bind ? tr("'%1' now has role '%2'.").arg(user, role)
                         : tr("'%1' no longer has role '%2'.").arg(user, role));
        loadLists();
    });
}

void UsersRolesPanel::grantOrRevoke(bool grant)
{
    const QString role = selectedRole();
    if (role.isEmpty())
        return showMessage(tr("Select a role."));
    Grant g;
    g.role = role;
    if (grant) {
        g.objectType = m_objectType->currentText();
        g.objectName = m_objectName->text().trimmed();
        g.privilege = m_privilege->currentText();
        if (g.objectName.isEmpty())
            return showMessage(tr("Enter the object's name, or * for every object of the type."));
    } else {
        const int row = selectedGrantRow();
        if (row < 0)
            return showMessage(tr("Select the privilege to revoke."));
        g.objectType = m_grants->item(row, 0)->text();
        g.objectName = m_grants->item(row, 1)->text();
        g.privilege = m_grants->item(row, 2)->text();
        if (!ConfirmDestructiveDialog::confirm(
                this, tr("Revoke privilege"),
                tr("Revoke %1 on %2 '%3' from role '%4'?").arg(g.privilege, g.objectType, g.objectName, role),
                role))
            return;
    }
    auto future = grant ? m_admin->grantAsync({g}) : m_admin->revokeAsync({g});
    track(future, [this, g, grant] {
        showMessage(
            grant ? tr("Granted %1 on %2 '%3' to '%4'.").arg(g.privilege, g.objectType, g.objectName, g.role)
                  : tr("Revoked %1 on %2 '%3' from '%4'.")
                        .arg(g.privilege, g.objectType, g.objectName, g.role));
        loadGrants();
    });
}

} // namespace mx
