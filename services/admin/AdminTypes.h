#pragma once

// Request and result types of the administration calls (AdminClient): users, roles, grants, system
// topology, segments, compaction, aliases.

#include "CallOptions.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace mx {

// --- Users and roles ---

struct ListUsersRequest
{
    QString user;             // empty: every user
    bool includeRoles = true; // SelectUser with role info (ListCredUsers when false and user is empty)
    CallOptions options;
};

struct UserInfo
{
    QString name;
    QStringList roles; // empty when not asked for
};

// A new user's password travels once, base64-encoded like UpdateCredential; it is never kept.
struct CreateUserRequest
{
    QString user;
    QString password;
    CallOptions options;
};

struct UserRequest
{
    QString user;
    CallOptions options;
};

struct ListRolesRequest
{
    QString role;             // empty: every role
    bool includeUsers = true; // the users bound to each role
    CallOptions options;
};

struct RoleInfo
{
    QString name;
    QStringList users;
};

struct RoleRequest
{
    QString role;
    CallOptions options;
};

struct UserRoleRequest
{
    QString user;
    QString role;
    CallOptions options;
};

// One privilege of a role on one object. objectType is the server's name: "Collection", "Global",
// "User"; objectName "*" means every object of that type; privilege e.g. "Search", "*" (All).
struct Grant
{
    QString role;
    QString objectType;
    QString objectName;
    QString privilege;
    QString grantor; // who granted it (answers only)
    QString dbName;  // answers only; requests use options.dbName

    bool operator==(const Grant &o) const
    {
        return role == o.role && objectType == o.objectType && objectName == o.objectName &&
               privilege == o.privilege;
    }
};

struct GrantRequest
{
    Grant grant; // role, objectType, objectName, privilege
    CallOptions options;
};

// SelectGrant: every grant of a role, or only those on one object when objectType is set.
struct ListGrantsRequest
{
    QString role;
    QString objectType; // empty: every object
    QString objectName;
    CallOptions options;
};

// --- System ---

struct MetricsRequest
{
    QString metricType = QStringLiteral("system_info");
    CallOptions options;
};

struct ComponentState
{
    qint64 nodeId = 0;
    QString role;
    QString state; // "Healthy", "Abnormal", "Initializing", "StandBy", "Stopping"
    QMap<QString, QString> extra;
};

struct ComponentStates
{
    ComponentState self;
    QList<ComponentState> subcomponents;
};

// --- Segments and compaction ---

struct PersistentSegment
{
    qint64 id = 0;
    qint64 collectionId = 0;
    qint64 partitionId = 0;
    qint64 rows = 0;
    QString state; // "Growing", "Sealed", "Flushed", "Flushing", "Dropped", ...
};

struct QuerySegment
{
    qint64 id = 0;
    qint64 collectionId = 0;
    qint64 partitionId = 0;
    qint64 rows = 0;
    qint64 memSize = 0;
    QString indexName; // empty: not indexed (growing, or brute force)
    qint64 indexId = 0;
    QList<qint64> nodeIds;
    QString state;
};

struct CompactionRequest
{
    QString collection;
    CallOptions options;
};

struct CompactionStarted
{
    qint64 compactionId = 0;
    int planCount = 0;
};

struct CompactionStateRequest
{
    qint64 compactionId = 0;
    CallOptions options;
};

struct CompactionProgress
{
    QString state; // "Executing", "Completed", "UndefiedState"
    qint64 executing = 0, completed = 0, failed = 0, timedOut = 0;
    bool completedState() const { return state == QLatin1String("Completed"); }
};

// A manual compaction followed to the end, with the segments before and after.
struct CompactionOutcome
{
    CompactionStarted started;
    CompactionProgress finalState;
    QList<PersistentSegment> before;
    QList<PersistentSegment> after;
    int polls = 0;
    qint64 elapsedMs = 0;
};

// --- Aliases ---

struct AliasRequest
{
    QString alias;
    QString collection; // create/alter: the collection the alias names
    CallOptions options;
};

struct AliasInfo
{
    QString alias;
    QString collection;
    QString dbName;
};

} // namespace mx
