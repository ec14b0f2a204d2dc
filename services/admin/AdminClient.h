#pragma once

#include "AdminTypes.h"
#include "MilvusClient.h"

#include <QFuture>

#include <memory>

namespace mx {

namespace detail {
struct CallChannel;
}

// The administration calls of one MilvusClient connection: users, roles and grants, system topology,
// segments, compaction, aliases. It shares the client's channel, call tracker and credentials (no second
// connection); it may outlive the MilvusClient object (it keeps the connection state alive).
// Same contract as MilvusClient: `xAsync()` returns a QFuture finishing on a gRPC thread, `x()` blocks
// (never on the GUI thread); both honour the request's deadline and cancel token; failures are
// MilvusException, a refusal for lack of privilege with ErrorKind::PermissionDenied. Thread-safe.
class AdminClient
{
public:
    explicit AdminClient(const MilvusClient &client);
    ~AdminClient();
    AdminClient(const AdminClient &) = delete;
    AdminClient &operator=(const AdminClient &) = delete;

    // Users
    QFuture<QStringList> listUserNamesAsync(const ServerRequest &r = {}) const; // ListCredUsers
    QStringList listUserNames(const ServerRequest &r = {}) const;
    QFuture<QList<UserInfo>> listUsersAsync(const ListUsersRequest &r = {}) const; // SelectUser
    QList<UserInfo> listUsers(const ListUsersRequest &r = {}) const;
    QFuture<void> createUserAsync(const CreateUserRequest &r) const;
    void createUser(const CreateUserRequest &r) const;
    QFuture<void> deleteUserAsync(const UserRequest &r) const;
    void deleteUser(const UserRequest &r) const;
    // The server checks oldPassword unless the caller is a superuser (root) changing another user's.
    QFuture<void> updatePasswordAsync(const UpdateCredentialRequest &r) const;
    void updatePassword(const UpdateCredentialRequest &r) const;

    // Roles
    QFuture<QList<RoleInfo>> listRolesAsync(const ListRolesRequest &r = {}) const; // SelectRole
    QList<RoleInfo> listRoles(const ListRolesRequest &r = {}) const;
    QFuture<void> createRoleAsync(const RoleRequest &r) const;
    void createRole(const RoleRequest &r) const;
    QFuture<void> dropRoleAsync(const RoleRequest &r) const;
    void dropRole(const RoleRequest &r) const;
    QFuture<void> addUserToRoleAsync(const UserRoleRequest &r) const;
    void addUserToRole(const UserRoleRequest &r) const;
    QFuture<void> removeUserFromRoleAsync(const UserRoleRequest &r) const;
    void removeUserFromRole(const UserRoleRequest &r) const;

    // Grants
    QFuture<void> grantAsync(const GrantRequest &r) const;
    void grant(const GrantRequest &r) const;
    QFuture<void> revokeAsync(const GrantRequest &r) const;
    void revoke(const GrantRequest &r) const;
    QFuture<QList<Grant>> listGrantsAsync(const ListGrantsRequest &r) const; // SelectGrant
    QList<Grant> listGrants(const ListGrantsRequest &r) const;

    // System
    QFuture<QJsonObject> getMetricsAsync(const MetricsRequest &r = {}) const;
    QJsonObject getMetrics(const MetricsRequest &r = {}) const;
    QFuture<ComponentStates> getComponentStatesAsync(const ServerRequest &r = {}) const;
    ComponentStates getComponentStates(const ServerRequest &r = {}) const;

    // Segments and compaction
    QFuture<QList<PersistentSegment>> persistentSegmentsAsync(const CollectionRequest &r) const;
    QList<PersistentSegment> persistentSegments(const CollectionRequest &r) const;
    QFuture<QList<QuerySegment>> querySegmentsAsync(const CollectionRequest &r) const;
    QList<QuerySegment> querySegments(const CollectionRequest &r) const;
    // Looks the collection's id up (2.3 compacts by id), then starts a manual compaction.
    QFuture<CompactionStarted> manualCompactionAsync(const CompactionRequest &r) const;
    CompactionStarted manualCompaction(const CompactionRequest &r) const;
    QFuture<CompactionProgress> compactionStateAsync(const CompactionStateRequest &r) const;
    CompactionProgress compactionState(const CompactionStateRequest &r) const;
    // Segments before, ManualCompaction, GetCompactionState every pollMs until Completed (or the
    // request's deadline, default 120 s, passes: Timeout), segments after. Runs on mx::ioPool();
    // cancelled through the request's token or the future.
    QFuture<CompactionOutcome> compactAndWait(const CompactionRequest &r, int pollMs = 500) const;

    // Aliases
    QFuture<void> createAliasAsync(const AliasRequest &r) const;
    void createAlias(const AliasRequest &r) const;
    QFuture<void> alterAliasAsync(const AliasRequest &r) const; // moves the alias to r.collection
    void alterAlias(const AliasRequest &r) const;
    QFuture<void> dropAliasAsync(const AliasRequest &r) const;
    void dropAlias(const AliasRequest &r) const;
    QFuture<AliasInfo> describeAliasAsync(const AliasRequest &r) const;
    AliasInfo describeAlias(const AliasRequest &r) const;

private:
    std::unique_ptr<detail::CallChannel> d;
};

} // namespace mx
