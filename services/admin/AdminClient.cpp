#include "AdminClient.h"

#include "IoPool.h"
#include "ProtoConvert.h"
#include "RequestHelpers.h"
#include "RpcCall.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QPromise>
#include <QThread>
#include <QtConcurrent>

namespace mx {

using detail::CallChannel;

namespace {

template<typename Out, typename Req, typename Resp, typename Build, typename Convert>
QFuture<Out> runAsync(const CallChannel &c, const detail::Rpc<Req, Resp> &rpc, const CallOptions &options,
                      Build build, Convert convert)
{
    return detail::buildAndCallAsync<Out>(c.stub, c.keepAlive, c.tracker, c.conn, rpc, options, build,
                                          convert);
}

template<typename Out, typename Req, typename Resp, typename Build, typename Convert>
Out runSync(const CallChannel &c, const detail::Rpc<Req, Resp> &rpc, const CallOptions &options, Build build,
            Convert convert)
{
    return detail::callSync<Out>(c.stub, c.conn, rpc, build(), options, convert);
}

const auto kListCredUsers = MX_RPC(ListCredUsers, pbm::ListCredUsersRequest, pbm::ListCredUsersResponse);
const auto kSelectUser = MX_RPC(SelectUser, pbm::SelectUserRequest, pbm::SelectUserResponse);
const auto kCreateCredential = MX_RPC(CreateCredential, pbm::CreateCredentialRequest, pbc::Status);
const auto kDeleteCredential = MX_RPC(DeleteCredential, pbm::DeleteCredentialRequest, pbc::Status);
const auto kUpdateCredential = MX_RPC(UpdateCredential, pbm::UpdateCredentialRequest, pbc::Status);
const auto kSelectRole = MX_RPC(SelectRole, pbm::SelectRoleRequest, pbm::SelectRoleResponse);
const auto kCreateRole = MX_RPC(CreateRole, pbm::CreateRoleRequest, pbc::Status);
const auto kDropRole = MX_RPC(DropRole, pbm::DropRoleRequest, pbc::Status);
const auto kOperateUserRole = MX_RPC(OperateUserRole, pbm::OperateUserRoleRequest, pbc::Status);
const auto kOperatePrivilege = MX_RPC(OperatePrivilege, pbm::OperatePrivilegeRequest, pbc::Status);
const auto kSelectGrant = MX_RPC(SelectGrant, pbm::SelectGrantRequest, pbm::SelectGrantResponse);
const auto kGetMetrics = MX_RPC(GetMetrics, pbm::GetMetricsRequest, pbm::GetMetricsResponse);
const auto kGetComponentStates =
    MX_RPC(GetComponentStates, pbm::GetComponentStatesRequest, pbm::ComponentStates);
const auto kGetPersistentSegmentInfo = MX_RPC(GetPersistentSegmentInfo, pbm::GetPersistentSegmentInfoRequest,
                                              pbm::GetPersistentSegmentInfoResponse);
const auto kGetQuerySegmentInfo =
    MX_RPC(GetQuerySegmentInfo, pbm::GetQuerySegmentInfoRequest, pbm::GetQuerySegmentInfoResponse);
const auto kDescribeCollection =
    MX_RPC(DescribeCollection, pbm::DescribeCollectionRequest, pbm::DescribeCollectionResponse);
const auto kManualCompaction =
    MX_RPC(ManualCompaction, pbm::ManualCompactionRequest, pbm::ManualCompactionResponse);
const auto kGetCompactionState =
    MX_RPC(GetCompactionState, pbm::GetCompactionStateRequest, pbm::GetCompactionStateResponse);
const auto kCreateAlias = MX_RPC(CreateAlias, pbm::CreateAliasRequest, pbc::Status);
const auto kAlterAlias = MX_RPC(AlterAlias, pbm::AlterAliasRequest, pbc::Status);
const auto kDropAlias = MX_RPC(DropAlias, pbm::DropAliasRequest, pbc::Status);
const auto kDescribeAlias = MX_RPC(DescribeAlias, pbm::DescribeAliasRequest, pbm::DescribeAliasResponse);

// --- Builders ---

pbm::ListCredUsersRequest buildListCredUsers(const ServerRequest &)
{
    return {};
}

pbm::SelectUserRequest buildSelectUser(const ListUsersRequest &r)
{
    pbm::SelectUserRequest req;
    if (!r.user.isEmpty())
        req.mutable_user()->set_name(ss(r.user));
    req.set_include_role_info(r.includeRoles);
    return req;
}

pbm::CreateCredentialRequest buildCreateCredential(const CreateUserRequest &r)
{
    requireName(r.user, "user", "CreateCredential");
    if (r.password.isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("CreateCredential"),
                   QStringLiteral("the password is empty"));
    pbm::CreateCredentialRequest req;
    req.set_username(ss(r.user));
    req.set_password(r.password.toUtf8().toBase64().toStdString());
    return req;
}

pbm::DeleteCredentialRequest buildDeleteCredential(const UserRequest &r)
{
    requireName(r.user, "user", "DeleteCredential");
    pbm::DeleteCredentialRequest req;
    req.set_username(ss(r.user));
    return req;
}

pbm::UpdateCredentialRequest buildUpdateCredential(const UpdateCredentialRequest &r)
{
    requireName(r.user, "user", "UpdateCredential");
    if (r.newPassword.isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("UpdateCredential"),
                   QStringLiteral("the new password is empty"));
    pbm::UpdateCredentialRequest req;
    req.set_username(ss(r.user));
    req.set_oldpassword(r.oldPassword.toUtf8().toBase64().toStdString());
    req.set_newpassword(r.newPassword.toUtf8().toBase64().toStdString());
    return req;
}

pbm::SelectRoleRequest buildSelectRole(const ListRolesRequest &r)
{
    pbm::SelectRoleRequest req;
    if (!r.role.isEmpty())
        req.mutable_role()->set_name(ss(r.role));
    req.set_include_user_info(r.includeUsers);
    return req;
}

pbm::CreateRoleRequest buildCreateRole(const RoleRequest &r)
{
    requireName(r.role, "role", "CreateRole");
    pbm::CreateRoleRequest req;
    req.mutable_entity()->set_name(ss(r.role));
    return req;
}

pbm::DropRoleRequest buildDropRole(const RoleRequest &r)
{
    requireName(r.role, "role", "DropRole");
    pbm::DropRoleRequest req;
    req.set_role_name(ss(r.role));
    return req;
}

auto buildOperateUserRole(pbm::OperateUserRoleType type)
{
    return [type](const UserRoleRequest &r) {
        requireName(r.user, "user", "OperateUserRole");
        requireName(r.role, "role", "OperateUserRole");
        pbm::OperateUserRoleRequest req;
        req.set_username(ss(r.user));
        req.set_role_name(ss(r.role));
        req.set_type(type);
        return req;
    };
}

auto buildOperatePrivilege(pbm::OperatePrivilegeType type, const detail::ConnectionContext &conn)
{
    return [type, conn](const GrantRequest &r) {
        const Grant &g = r.grant;
        requireName(g.role, "role", "OperatePrivilege");
        requireName(g.objectType, "object type", "OperatePrivilege");
        requireName(g.objectName, "object", "OperatePrivilege");
        requireName(g.privilege, "privilege", "OperatePrivilege");
        pbm::OperatePrivilegeRequest req;
        auto *e = req.mutable_entity();
        e->mutable_role()->set_name(ss(g.role));
        e->mutable_object()->set_name(ss(g.objectType));
        e->set_object_name(ss(g.objectName));
        e->set_db_name(detail::dbNameFor(conn, r.options));
        e->mutable_grantor()->mutable_privilege()->set_name(ss(g.privilege));
        req.set_type(type);
        return req;
    };
}

QList<UserInfo> toUsers(const pbm::SelectUserResponse &resp)
{
    QList<UserInfo> out;
    for (const auto &u : resp.results()) {
        UserInfo info{qs(u.user().name()), {}};
        for (const auto &role : u.roles())
            info.roles.append(qs(role.name()));
        out.append(info);
    }
    return out;
}

QList<RoleInfo> toRoles(const pbm::SelectRoleResponse &resp)
{
    QList<RoleInfo> out;
    for (const auto &r : resp.results()) {
        RoleInfo info{qs(r.role().name()), {}};
        for (const auto &u : r.users())
            info.users.append(qs(u.name()));
        out.append(info);
    }
    return out;
}

QList<Grant> toGrants(const pbm::SelectGrantResponse &resp)
{
    QList<Grant> out;
    for (const auto &e : resp.entities()) {
        Grant g;
        g.role = qs(e.role().name());
        g.objectType = qs(e.object().name());
        g.objectName = qs(e.object_name());
        g.privilege = qs(e.grantor().privilege().name());
        g.grantor = qs(e.grantor().user().name());
        g.dbName = qs(e.db_name());
        out.append(g);
    }
    return out;
}

QJsonObject toMetrics(const pbm::GetMetricsResponse &resp)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(resp.response()), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        throwError(ErrorKind::Inconsistent, QStringLiteral("GetMetrics"),
                   QStringLiteral("the server's metrics are not a JSON object: %1").arg(err.errorString()));
    return doc.object();
}

ComponentState toComponent(const pbm::ComponentInfo &c)
{
    ComponentState s;
    s.nodeId = c.nodeid();
    s.role = qs(c.role());
    s.state = qs(pbc::StateCode_Name(c.state_code()));
    s.extra = proto::fromKeyValues(c.extra_info());
    return s;
}

ComponentStates toComponentStates(const pbm::ComponentStates &resp)
{
    ComponentStates out;
    out.self = toComponent(resp.state());
    for (const auto &c : resp.subcomponent_states())
        out.subcomponents.append(toComponent(c));
    return out;
}

template<typename Pb>
auto buildSegmentInfo(const detail::ConnectionContext &conn, const char *op)
{
    return [conn, op](const CollectionRequest &r) {
        requireName(r.collection, "collection", op);
        Pb req;
        req.set_dbname(detail::dbNameFor(conn, r.options));
        req.set_collectionname(ss(r.collection));
        return req;
    };
}

QList<PersistentSegment> toPersistent(const pbm::GetPersistentSegmentInfoResponse &resp)
{
    QList<PersistentSegment> out;
    for (const auto &s : resp.infos())
        out.append({s.segmentid(), s.collectionid(), s.partitionid(), s.num_rows(),
                    qs(pbc::SegmentState_Name(s.state()))});
    return out;
}

QList<QuerySegment> toQuery(const pbm::GetQuerySegmentInfoResponse &resp)
{
    QList<QuerySegment> out;
    for (const auto &s : resp.infos()) {
        QuerySegment q;
        q.id = s.segmentid();
        q.collectionId = s.collectionid();
        q.partitionId = s.partitionid();
        q.rows = s.num_rows();
        q.memSize = s.mem_size();
        q.indexName = qs(s.index_name());
        q.indexId = s.indexid();
        for (const qint64 n : s.nodeids())
            q.nodeIds.append(n);
        if (q.nodeIds.isEmpty() && s.nodeid() != 0)
            q.nodeIds.append(s.nodeid());
        q.state = qs(pbc::SegmentState_Name(s.state()));
        out.append(q);
    }
    return out;
}

auto buildDescribe(const detail::ConnectionContext &conn)
{
    return [conn](const CompactionRequest &r) {
        requireName(r.collection, "collection", "ManualCompaction");
        pbm::DescribeCollectionRequest req;
        req.set_db_name(detail::dbNameFor(conn, r.options));
        req.set_collection_name(ss(r.collection));
        return req;
    };
}

pbm::ManualCompactionRequest buildCompaction(qint64 collectionId)
{
    pbm::ManualCompactionRequest req;
    req.set_collectionid(collectionId);
    return req;
}

CompactionStarted toStarted(const pbm::ManualCompactionResponse &resp)
{
    // Milvus Lite answers OK with an empty response: no compaction was started, whatever the status says.
    if (resp.compactionid() == 0)
        throwError(ErrorKind::Inconsistent, QStringLiteral("ManualCompaction"),
                   QStringLiteral("the server answered without starting a compaction (compaction ID 0): it "
                                  "has no manual compaction"));
    return {resp.compactionid(), resp.compactionplancount()};
}

pbm::GetCompactionStateRequest buildCompactionState(const CompactionStateRequest &r)
{
    pbm::GetCompactionStateRequest req;
    req.set_compactionid(r.compactionId);
    return req;
}

CompactionProgress toProgress(const pbm::GetCompactionStateResponse &resp)
{
    CompactionProgress p;
    p.state = qs(pbc::CompactionState_Name(resp.state()));
    p.executing = resp.executingplanno();
    p.completed = resp.completedplanno();
    p.failed = resp.failedplanno();
    p.timedOut = resp.timeoutplanno();
    return p;
}

template<typename Pb>
auto buildAlias(const detail::ConnectionContext &conn, const char *op, bool needsCollection)
{
    return [conn, op, needsCollection](const AliasRequest &r) {
        requireName(r.alias, "alias", op);
        Pb req;
        req.set_db_name(detail::dbNameFor(conn, r.options));
        req.set_alias(ss(r.alias));
        if constexpr (requires { req.set_collection_name(std::string()); }) {
            if (needsCollection)
                requireName(r.collection, "collection", op);
            req.set_collection_name(ss(r.collection));
        }
        return req;
    };
}

AliasInfo toAlias(const pbm::DescribeAliasResponse &resp)
{
    return {qs(resp.alias()), qs(resp.collection()), qs(resp.db_name())};
}

} // namespace

AdminClient::AdminClient(const MilvusClient &client)
    : d(std::make_unique<CallChannel>(detail::ClientAccess::channel(client)))
{}

AdminClient::~AdminClient() = default;

// Each call: a builder for the protocol request and a converter for the answer, shared by both forms.
#define MX_ADMIN_BOTH(OUT, NAME, REQTYPE, RPC, BUILD, CONVERT)                                               \
    QFuture<OUT> AdminClient::NAME##Async(const REQTYPE &r) const                                            \
    {                                                                                                        \
        return runAsync<OUT>(                                                                                \
            *d, RPC, r.options, [&] { return BUILD(r); }, CONVERT);                                          \
    }                                                                                                        \
    OUT AdminClient::NAME(const REQTYPE &r) const                                                            \
    {                                                                                                        \
        return runSync<OUT>(                                                                                 \
            *d, RPC, r.options, [&] { return BUILD(r); }, CONVERT);                                          \
    }

MX_ADMIN_BOTH(QStringList, listUserNames, ServerRequest, kListCredUsers, buildListCredUsers,
              [](const pbm::ListCredUsersResponse &resp) {
                  QStringList out;
                  for (const auto &u : resp.usernames())
                      out.append(qs(u));
                  return out;
              })
MX_ADMIN_BOTH(QList<UserInfo>, listUsers, ListUsersRequest, kSelectUser, buildSelectUser, toUsers)
MX_ADMIN_BOTH(void, createUser, CreateUserRequest, kCreateCredential, buildCreateCredential, ignore)
MX_ADMIN_BOTH(void, deleteUser, UserRequest, kDeleteCredential, buildDeleteCredential, ignore)
MX_ADMIN_BOTH(void, updatePassword, UpdateCredentialRequest, kUpdateCredential, buildUpdateCredential, ignore)

MX_ADMIN_BOTH(QList<RoleInfo>, listRoles, ListRolesRequest, kSelectRole, buildSelectRole, toRoles)
MX_ADMIN_BOTH(void, createRole, RoleRequest, kCreateRole, buildCreateRole, ignore)
MX_ADMIN_BOTH(void, dropRole, RoleRequest, kDropRole, buildDropRole, ignore)
MX_ADMIN_BOTH(void, addUserToRole, UserRoleRequest, kOperateUserRole,
              buildOperateUserRole(pbm::AddUserToRole), ignore)
MX_ADMIN_BOTH(void, removeUserFromRole, UserRoleRequest, kOperateUserRole,
              buildOperateUserRole(pbm::RemoveUserFromRole), ignore)

MX_ADMIN_BOTH(void, grant, GrantRequest, kOperatePrivilege, buildOperatePrivilege(pbm::Grant, d->conn),
              ignore)
MX_ADMIN_BOTH(void, revoke, GrantRequest, kOperatePrivilege, buildOperatePrivilege(pbm::Revoke, d->conn),
              ignore)

namespace {
auto buildSelectGrant(const detail::ConnectionContext &conn)
{
    return [conn](const ListGrantsRequest &r) {
        requireName(r.role, "role", "SelectGrant");
        pbm::SelectGrantRequest req;
        auto *e = req.mutable_entity();
        e->mutable_role()->set_name(ss(r.role));
        if (!r.objectType.isEmpty()) {
            e->mutable_object()->set_name(ss(r.objectType));
            e->set_object_name(ss(r.objectName));
        }
        e->set_db_name(detail::dbNameFor(conn, r.options));
        return req;
    };
}
} // namespace

MX_ADMIN_BOTH(QList<Grant>, listGrants, ListGrantsRequest, kSelectGrant, buildSelectGrant(d->conn), toGrants)

MX_ADMIN_BOTH(
    QJsonObject, getMetrics, MetricsRequest, kGetMetrics,
    [](const MetricsRequest &r) {
        pbm::GetMetricsRequest req;
        req.set_request(
            ss(QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("metric_type"), r.metricType}})
                                     .toJson(QJsonDocument::Compact))));
        return req;
    },
    toMetrics)
MX_ADMIN_BOTH(
    ComponentStates, getComponentStates, ServerRequest, kGetComponentStates,
    [](const ServerRequest &) { return pbm::GetComponentStatesRequest{}; }, toComponentStates)

MX_ADMIN_BOTH(QList<PersistentSegment>, persistentSegments, CollectionRequest, kGetPersistentSegmentInfo,
              buildSegmentInfo<pbm::GetPersistentSegmentInfoRequest>(d->conn, "GetPersistentSegmentInfo"),
              toPersistent)
MX_ADMIN_BOTH(QList<QuerySegment>, querySegments, CollectionRequest, kGetQuerySegmentInfo,
              buildSegmentInfo<pbm::GetQuerySegmentInfoRequest>(d->conn, "GetQuerySegmentInfo"), toQuery)

QFuture<CompactionStarted> AdminClient::manualCompactionAsync(const CompactionRequest &r) const
{
    const CallChannel c = *d;
    const CallOptions options = r.options;
    return runAsync<qint64>(
               c, kDescribeCollection, options, [&] { return buildDescribe(c.conn)(r); },
               [](const pbm::DescribeCollectionResponse &resp) { return resp.collectionid(); })
        .then(QtFuture::Launch::Sync,
              [c, options](qint64 id) {
                  return detail::callAsync<CompactionStarted>(c.stub, c.keepAlive, c.tracker, c.conn,
                                                              kManualCompaction, buildCompaction(id), options,
                                                              toStarted);
              })
        .unwrap();
}

CompactionStarted AdminClient::manualCompaction(const CompactionRequest &r) const
{
    const qint64 id = runSync<qint64>(
        *d, kDescribeCollection, r.options, [&] { return buildDescribe(d->conn)(r); },
        [](const pbm::DescribeCollectionResponse &resp) { return resp.collectionid(); });
    return detail::callSync<CompactionStarted>(d->stub, d->conn, kManualCompaction, buildCompaction(id),
                                               r.options, toStarted);
}

MX_ADMIN_BOTH(CompactionProgress, compactionState, CompactionStateRequest, kGetCompactionState,
              buildCompactionState, toProgress)

QFuture<CompactionOutcome> AdminClient::compactAndWait(const CompactionRequest &r, int pollMs) const
{
    // A copy of the channel: the work may outlive this object.
    auto channel = std::make_shared<CallChannel>(*d);
    return QtConcurrent::run(ioPool(), [channel, r, pollMs](QPromise<CompactionOutcome> &promise) {
        const auto deadline =
            r.options.timeout.count() > 0 ? r.options.timeout : std::chrono::milliseconds(120000);
        QElapsedTimer clock;
        clock.start();
        CallOptions each = r.options;
        each.timeout = std::chrono::milliseconds(0); // every call its connection default
        const auto stopIfCancelled = [&] {
            if (promise.isCanceled() || (r.options.cancel && r.options.cancel->isCancelled()))
                throwError(ErrorKind::Cancelled, QStringLiteral("Compaction"), QStringLiteral("cancelled"));
        };
        CompactionOutcome out;
        const CollectionRequest segs{r.collection, each};
        out.before = runSync<QList<PersistentSegment>>(
            *channel, kGetPersistentSegmentInfo, each,
            [&] {
                return buildSegmentInfo<pbm::GetPersistentSegmentInfoRequest>(
                    channel->conn, "GetPersistentSegmentInfo")(segs);
            },
            toPersistent);
        const qint64 id = runSync<qint64>(
            *channel, kDescribeCollection, each, [&] { return buildDescribe(channel->conn)(r); },
            [](const pbm::DescribeCollectionResponse &resp) { return resp.collectionid(); });
        out.started = detail::callSync<CompactionStarted>(channel->stub, channel->conn, kManualCompaction,
                                                          buildCompaction(id), each, toStarted);
        for (;;) {
            stopIfCancelled();
            out.finalState = detail::callSync<CompactionProgress>(
                channel->stub, channel->conn, kGetCompactionState,
                buildCompactionState({out.started.compactionId, each}), each, toProgress);
            ++out.polls;
            if (out.finalState.completedState())
                break;
            if (clock.elapsed() > deadline.count())
                throwError(ErrorKind::Timeout, QStringLiteral("Compaction"),
                           QStringLiteral("compaction %1 of '%2' still %3 after %4 ms")
                               .arg(out.started.compactionId)
                               .arg(r.collection, out.finalState.state)
                               .arg(clock.elapsed()));
            QThread::msleep(pollMs);
        }
        out.after = runSync<QList<PersistentSegment>>(
            *channel, kGetPersistentSegmentInfo, each,
            [&] {
                return buildSegmentInfo<pbm::GetPersistentSegmentInfoRequest>(
                    channel->conn, "GetPersistentSegmentInfo")(segs);
            },
            toPersistent);
        out.elapsedMs = clock.elapsed();
        promise.addResult(out);
    });
}

MX_ADMIN_BOTH(void, createAlias, AliasRequest, kCreateAlias,
              buildAlias<pbm::CreateAliasRequest>(d->conn, "CreateAlias", true), ignore)
MX_ADMIN_BOTH(void, alterAlias, AliasRequest, kAlterAlias,
              buildAlias<pbm::AlterAliasRequest>(d->conn, "AlterAlias", true), ignore)
MX_ADMIN_BOTH(void, dropAlias, AliasRequest, kDropAlias,
              buildAlias<pbm::DropAliasRequest>(d->conn, "DropAlias", false), ignore)
MX_ADMIN_BOTH(AliasInfo, describeAlias, AliasRequest, kDescribeAlias,
              buildAlias<pbm::DescribeAliasRequest>(d->conn, "DescribeAlias", false), toAlias)

} // namespace mx
