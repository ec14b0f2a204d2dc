#include "UserAccess.h"

#include "AdminClient.h"
#include "IoPool.h"
#include "PrivilegeCatalog.h"

#include <QtConcurrent>

namespace mx {

bool UserAccess::isAdmin() const
{
    return user == QLatin1String("root") || roles.contains(QLatin1String("admin"));
}

bool UserAccess::allowed(const QString &objectType, const QString &objectName, const QString &privilege) const
{
    if (!rbacAvailable)
        return false;
    if (isAdmin())
        return true;
    for (const Grant &g : grants)
        if (privileges::covers(g, objectType, objectName, privilege))
            return true;
    return false;
}

QString UserAccess::reason(const QString &objectType, const QString &objectName,
                           const QString &privilege) const
{
    if (!rbacAvailable)
        return unavailableReason;
    if (allowed(objectType, objectName, privilege))
        return {};
    const QString who =
        roles.isEmpty() ? QObject::tr("user '%1' (no roles)").arg(user)
                        : QObject::tr("user '%1' (roles: %2)").arg(user, roles.join(QStringLiteral(", ")));
    return QObject::tr("%1 has no %2 privilege on %3 '%4'")
        .arg(who, privilege, objectType.toLower(), objectName);
}

QString UserAccess::manageReason() const
{
    if (!rbacAvailable)
        return unavailableReason;
    if (isAdmin() ||
        allowed(QStringLiteral("Global"), QStringLiteral("*"), QStringLiteral("ManageOwnership")))
        return {};
    return QObject::tr("Managing users and roles needs the admin role: %1")
        .arg(reason(QStringLiteral("Global"), QStringLiteral("*"), QStringLiteral("ManageOwnership")));
}

QFuture<UserAccess> UserAccess::load(std::shared_ptr<const AdminClient> admin, const QString &user,
                                     const QString &serverName)
{
    return QtConcurrent::run(ioPool(), [admin, user, serverName] {
        UserAccess a;
        a.user = user.isEmpty() ? QStringLiteral("root") : user;
        try {
            const QList<UserInfo> me = admin->listUsers({a.user, true, {}});
            if (!me.isEmpty())
                a.roles = me.first().roles;
        } catch (const MilvusException &e) {
            if (e.error().kind == ErrorKind::GrpcStatus && e.error().grpcCode == 12 /* UNIMPLEMENTED */) {
                a.rbacAvailable = false;
                a.unavailableReason = QObject::tr("%1 has no users, roles or privileges.").arg(serverName);
                return a;
            }
            throw;
        }
        for (const QString &role : a.roles) {
            try {
                a.grants += admin->listGrants({role, {}, {}, {}});
            } catch (const MilvusException &e) {
                a.grantsError = e.error().message();
            }
        }
        return a;
    });
}

} // namespace mx
