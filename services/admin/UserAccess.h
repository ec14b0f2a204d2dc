#pragma once

#include "AdminTypes.h"

#include <QFuture>

#include <memory>

namespace mx {

class AdminClient;

// What the signed-in user may do, from the server: its roles (SelectUser on itself) and its roles'
// grants (SelectGrant). The admin views enable an action only when allowed() and otherwise show
// reason(). A plain value; any thread.
struct UserAccess
{
    QString user;
    QStringList roles;
    QList<Grant> grants;
    bool rbacAvailable = true; // false: the server has no RBAC (Milvus Lite); unavailableReason says why
    QString unavailableReason;
    QString grantsError; // the server would not list this user's grants (then only roles are known)

    // root and members of the built-in admin role may do everything.
    bool isAdmin() const;
    bool allowed(const QString &objectType, const QString &objectName, const QString &privilege) const;
    // Empty when allowed; otherwise one sentence naming the user, its roles and what is missing.
    QString reason(const QString &objectType, const QString &objectName, const QString &privilege) const;
    // Managing users, roles and grants (the server asks for the admin role or the Global ownership
    // privileges). Empty when allowed.
    QString manageReason() const;

    // Looks the user up through `admin` on mx::ioPool() (blocking calls there). A server without
    // RBAC (gRPC UNIMPLEMENTED, as Milvus Lite answers) gives rbacAvailable = false, not a failure.
    static QFuture<UserAccess> load(std::shared_ptr<const AdminClient> admin, const QString &user,
                                    const QString &serverName);
};

} // namespace mx
