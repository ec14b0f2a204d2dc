// MilvusClient: connection, server, databases, collections, indexes, partitions, users. Entities (insert,
// upsert, delete, query, search, flush) are in MilvusClientData.cpp; the shared state in ClientState.h.

#include "ClientState.h"
#include "GrpcChannel.h"
#include "IoPool.h"
#include "ProtoConvert.h"
#include "TlsDiagnosis.h"

#include <QJsonDocument>

#include <grpc/grpc.h>

namespace mx {

namespace {

// --- The RPCs, each with its blocking and completion-queue entry points. ---
const auto kConnect = MX_RPC(Connect, pbm::ConnectRequest, pbm::ConnectResponse);
const auto kGetVersion = MX_RPC(GetVersion, pbm::GetVersionRequest, pbm::GetVersionResponse);
const auto kCheckHealth = MX_RPC(CheckHealth, pbm::CheckHealthRequest, pbm::CheckHealthResponse);
const auto kListDatabases = MX_RPC(ListDatabases, pbm::ListDatabasesRequest, pbm::ListDatabasesResponse);
const auto kCreateDatabase = MX_RPC(CreateDatabase, pbm::CreateDatabaseRequest, pbc::Status);
const auto kDropDatabase = MX_RPC(DropDatabase, pbm::DropDatabaseRequest, pbc::Status);
const auto kShowCollections =
    MX_RPC(ShowCollections, pbm::ShowCollectionsRequest, pbm::ShowCollectionsResponse);
const auto kDescribeCollection =
    MX_RPC(DescribeCollection, pbm::DescribeCollectionRequest, pbm::DescribeCollectionResponse);
const auto kHasCollection = MX_RPC(HasCollection, pbm::HasCollectionRequest, pbm::BoolResponse);
const auto kCreateCollection = MX_RPC(CreateCollection, pbm::CreateCollectionRequest, pbc::Status);
const auto kDropCollection = MX_RPC(DropCollection, pbm::DropCollectionRequest, pbc::Status);
const auto kRenameCollection = MX_RPC(RenameCollection, pbm::RenameCollectionRequest, pbc::Status);
const auto kTruncateCollection =
    MX_RPC(TruncateCollection, pbm::TruncateCollectionRequest, pbm::TruncateCollectionResponse);
const auto kGetCollectionStatistics = MX_RPC(GetCollectionStatistics, pbm::GetCollectionStatisticsRequest,
                                             pbm::GetCollectionStatisticsResponse);
const auto kLoadCollection = MX_RPC(LoadCollection, pbm::LoadCollectionRequest, pbc::Status);
const auto kReleaseCollection = MX_RPC(ReleaseCollection, pbm::ReleaseCollectionRequest, pbc::Status);
const auto kGetLoadState = MX_RPC(GetLoadState, pbm::GetLoadStateRequest, pbm::GetLoadStateResponse);
const auto kGetLoadingProgress =
    MX_RPC(GetLoadingProgress, pbm::GetLoadingProgressRequest, pbm::GetLoadingProgressResponse);
const auto kListAliases = MX_RPC(ListAliases, pbm::ListAliasesRequest, pbm::ListAliasesResponse);
const auto kCreateIndex = MX_RPC(CreateIndex, pbm::CreateIndexRequest, pbc::Status);
const auto kDescribeIndex = MX_RPC(DescribeIndex, pbm::DescribeIndexRequest, pbm::DescribeIndexResponse);
const auto kDropIndex = MX_RPC(DropIndex, pbm::DropIndexRequest, pbc::Status);
const auto kShowPartitions = MX_RPC(ShowPartitions, pbm::ShowPartitionsRequest, pbm::ShowPartitionsResponse);
const auto kCreatePartition = MX_RPC(CreatePartition, pbm::CreatePartitionRequest, pbc::Status);
const auto kDropPartition = MX_RPC(DropPartition, pbm::DropPartitionRequest, pbc::Status);
const auto kHasPartition = MX_RPC(HasPartition, pbm::HasPartitionRequest, pbm::BoolResponse);
const auto kGetPartitionStatistics =
    MX_RPC(GetPartitionStatistics, pbm::GetPartitionStatisticsRequest, pbm::GetPartitionStatisticsResponse);
const auto kUpdateCredential = MX_RPC(UpdateCredential, pbm::UpdateCredentialRequest, pbc::Status);

// --- Converters from protocol responses to typed values. ---
ServerInfo toServerInfo(const pbm::ConnectResponse &r)
{
    ServerInfo s;
    s.buildTags = qs(r.server_info().build_tags());
    s.buildTime = qs(r.server_info().build_time());
    s.gitCommit = qs(r.server_info().git_commit());
    s.deployMode = qs(r.server_info().deploy_mode());
    s.identifier = r.identifier();
    for (const auto &[k, v] : r.server_info().reserved())
        s.reserved.insert(qs(k), qs(v));
    return s;
}

template<typename R>
QStringList toStringList(const R &repeated)
{
    QStringList out;
    out.reserve(repeated.size());
    for (const auto &s : repeated)
        out.append(qs(s));
    return out;
}

QList<PartitionInfo> toPartitions(const pbm::ShowPartitionsResponse &r)
{
    QList<PartitionInfo> out;
    for (int i = 0; i < r.partition_names_size(); ++i) {
        PartitionInfo p;
        p.name = qs(r.partition_names(i));
        p.id = i < r.partitionids_size() ? r.partitionids(i) : 0;
        p.createdUtcMs = i < r.created_utc_timestamps_size() ? r.created_utc_timestamps(i) : 0;
        p.inMemoryPercentage = i < r.inmemory_percentages_size() ? r.inmemory_percentages(i) : 0;
        out.append(p);
    }
    return out;
}

} // namespace

MilvusClient::MilvusClient(ConnectionConfig config)
    // The state's last owner may be a call finishing on the client's completion thread: the channel, stub
    // and call tracker (which owns that thread) are torn down on the I/O pool instead.
    : d(new detail::ClientState, [](detail::ClientState *st) { ioPool()->start([st] { delete st; }); })
{
    // Keep gRPC initialised for the whole process: otherwise destroying the last channel shuts the
    // library down while a completion may still be tearing its call down on the completion thread.
    [[maybe_unused]] static const bool grpcReady = [] {
        grpc_init();
        return true;
    }();
    d->channel = createMilvusChannel(config);
    d->stub = ::milvus::proto::milvus::MilvusService::NewStub(d->channel);
    d->conn.target = ss(parseMilvusUri(config.uri)->target());
    d->writes = detail::WriteClock::forServer(d->conn.target);
    d->conn.authorization = config.authorizationHeader().toStdString();
    d->conn.dbName = ss(config.dbName);
    d->conn.defaultTimeout = config.defaultTimeout;
    if (config.tls.enabled || parseMilvusUri(config.uri)->tls)
        d->conn.transportExplainer = [config](const MilvusError &e) { return diagnoseTlsFailure(config, e); };
    d->config = std::move(config);
}

MilvusClient::~MilvusClient()
{
    // No wait: every call in flight holds the state it runs on (AsyncCall::keepAlive), so destruction
    // is safe from any thread, the completion thread or the GUI thread included, and never blocks.
    d->tracker->cancelAll();
}

const ConnectionConfig &MilvusClient::config() const
{
    return d->config;
}

QString MilvusClient::target() const
{
    return qs(d->conn.target);
}

int MilvusClient::inFlight() const
{
    return d->tracker->inFlight();
}

void MilvusClient::cancelAll()
{
    d->tracker->cancelAll();
}

qint64 MilvusClient::rowCountFromStatistics(const QMap<QString, QString> &stats)
{
    return stats.value(QStringLiteral("row_count")).toLongLong();
}

ErrorExplainer detail::ClientState::dimensionExplainer(const QString &collection, const CallOptions &options,
                                                       QList<std::pair<QString, int>> sentDims) const
{
    if (sentDims.isEmpty())
        return {};
    // Weak: an explanation never keeps a client alive, and a client that is gone explains nothing.
    return [self = weak_from_this(), collection, options,
            sentDims](const MilvusError &original) -> QFuture<MilvusError> {
        const auto st = self.lock();
        if (!st)
            return QtFuture::makeReadyFuture(original);
        pbm::DescribeCollectionRequest req;
        req.set_db_name(dbNameFor(st->conn, options));
        req.set_collection_name(ss(collection));
        CallOptions lookup; // within the failed call's budget and under its cancel token
        lookup.dbName = options.dbName;
        lookup.cancel = options.cancel;
        lookup.timeout = std::min(std::chrono::milliseconds(5000), effectiveTimeout(st->conn, options));
        return st
            ->runAsync<CollectionDescription>(
                kDescribeCollection, lookup, [&] { return req; },
                [](const pbm::DescribeCollectionResponse &resp) { return proto::fromProto(resp); })
            .then([collection, sentDims, original](const CollectionDescription &desc) {
                const auto vectors = desc.schema.vectorFields();
                for (const auto &[field, dim] : sentDims) {
                    const FieldSchema *target = nullptr;
                    if (!field.isEmpty())
                        target = desc.schema.field(field);
                    else if (vectors.size() == 1)
                        target = vectors.first();
                    if (!target || target->type != DataType::FloatVector || target->dim() == dim)
                        continue;
                    MilvusError better = original;
                    better.reason =
                        QStringLiteral("vector dimension mismatch: got vectors of dimension %1, but field "
                                       "'%2' of collection '%3' has dimension %4")
                            .arg(dim)
                            .arg(target->name, collection)
                            .arg(target->dim());
                    better.detail = original.reason;
                    return better;
                }
                return original;
            })
            .onFailed([original] { return original; }); // no better explanation than the server's own
    };
}

// --- Server ---
namespace {
auto buildConnect(const ServerRequest &)
{
    pbm::ConnectRequest req;
    auto *info = req.mutable_client_info();
    info->set_sdk_type("MilvusExplorer");
    info->set_sdk_version(MX_VERSION_STRING);
    return req;
}
auto buildEmptyVersion(const ServerRequest &)
{
    return pbm::GetVersionRequest{};
}
auto buildHealth(const ServerRequest &)
{
    return pbm::CheckHealthRequest{};
}
HealthStatus toHealth(const pbm::CheckHealthResponse &r)
{
    HealthStatus h;
    h.healthy = r.ishealthy();
    h.reasons = toStringList(r.reasons());
    return h;
}
} // namespace

MX_BOTH_FORMS(ServerInfo, connect, ServerRequest, kConnect, buildConnect, toServerInfo)
MX_BOTH_FORMS(QString, getVersion, ServerRequest, kGetVersion, buildEmptyVersion,
              [](const pbm::GetVersionResponse &r) { return qs(r.version()); })
MX_BOTH_FORMS(HealthStatus, checkHealth, ServerRequest, kCheckHealth, buildHealth, toHealth)

// --- Databases ---
namespace {
auto buildListDatabases(const ServerRequest &)
{
    return pbm::ListDatabasesRequest{};
}
template<typename Pb>
auto buildDatabase(const DatabaseRequest &r)
{
    requireName(r.dbName, "database", "Database");
    Pb req;
    req.set_db_name(ss(r.dbName));
    return req;
}
} // namespace

MX_BOTH_FORMS(QStringList, listDatabases, ServerRequest, kListDatabases, buildListDatabases,
              [](const pbm::ListDatabasesResponse &r) { return toStringList(r.db_names()); })
MX_BOTH_FORMS(void, createDatabase, DatabaseRequest, kCreateDatabase,
              buildDatabase<pbm::CreateDatabaseRequest>, ignore)
MX_BOTH_FORMS(void, dropDatabase, DatabaseRequest, kDropDatabase, buildDatabase<pbm::DropDatabaseRequest>,
              ignore)

// --- Collections ---
namespace {
template<typename Pb>
auto buildCollection(const CollectionRequest &r, const detail::ConnectionContext &conn, const char *op)
{
    requireName(r.collection, "collection", op);
    Pb req;
    req.set_db_name(detail::dbNameFor(conn, r.options));
    req.set_collection_name(ss(r.collection));
    return req;
}
} // namespace

#define MX_COLLECTION_BUILD(PB, OP)                                                                          \
    [this](const CollectionRequest &r) { return buildCollection<PB>(r, d->conn, OP); }

MX_BOTH_FORMS(CollectionDescription, describeCollection, CollectionRequest, kDescribeCollection,
              MX_COLLECTION_BUILD(pbm::DescribeCollectionRequest, "DescribeCollection"),
              [](const pbm::DescribeCollectionResponse &resp) { return proto::fromProto(resp); })
MX_BOTH_FORMS(bool, hasCollection, CollectionRequest, kHasCollection,
              MX_COLLECTION_BUILD(pbm::HasCollectionRequest, "HasCollection"),
              [](const pbm::BoolResponse &resp) { return resp.value(); })
MX_BOTH_FORMS(void, dropCollection, CollectionRequest, kDropCollection,
              MX_COLLECTION_BUILD(pbm::DropCollectionRequest, "DropCollection"), ignore)
MX_BOTH_FORMS(void, truncateCollection, CollectionRequest, kTruncateCollection,
              MX_COLLECTION_BUILD(pbm::TruncateCollectionRequest, "TruncateCollection"), ignore)
MX_BOTH_FORMS(void, releaseCollection, CollectionRequest, kReleaseCollection,
              MX_COLLECTION_BUILD(pbm::ReleaseCollectionRequest, "ReleaseCollection"), ignore)
MX_BOTH_FORMS(QStringList, listAliases, CollectionRequest, kListAliases,
              MX_COLLECTION_BUILD(pbm::ListAliasesRequest, "ListAliases"),
              [](const pbm::ListAliasesResponse &resp) { return toStringList(resp.aliases()); })
MX_BOTH_FORMS(QList<PartitionInfo>, listPartitions, CollectionRequest, kShowPartitions,
              MX_COLLECTION_BUILD(pbm::ShowPartitionsRequest, "ShowPartitions"), toPartitions)
MX_BOTH_FORMS(StringMap, getCollectionStatistics, CollectionRequest, kGetCollectionStatistics,
              MX_COLLECTION_BUILD(pbm::GetCollectionStatisticsRequest, "GetCollectionStatistics"),
              [](const pbm::GetCollectionStatisticsResponse &resp) {
                  return proto::fromKeyValues(resp.stats());
              })

namespace {
pbm::CreateCollectionRequest buildCreateCollection(const CreateCollectionRequest &r, const std::string &db)
{
    requireName(r.collection, "collection", "CreateCollection");
    if (r.schema.fields.isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("CreateCollection"),
                   QStringLiteral("the schema has no fields"));
    CollectionSchema schema = r.schema;
    if (schema.name.isEmpty())
        schema.name = r.collection;
    pbm::CreateCollectionRequest req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    ::milvus::proto::schema::CollectionSchema pbSchema;
    proto::toProto(schema, &pbSchema);
    req.set_schema(pbSchema.SerializeAsString());
    req.set_shards_num(r.shards);
    req.set_consistency_level(pbc::ConsistencyLevel(int(r.consistency)));
    req.set_num_partitions(r.numPartitions);
    proto::toKeyValues(r.properties, req.mutable_properties());
    return req;
}

pbm::RenameCollectionRequest buildRename(const RenameCollectionRequest &r, const std::string &db)
{
    requireName(r.oldName, "collection", "RenameCollection");
    requireName(r.newName, "new collection", "RenameCollection");
    pbm::RenameCollectionRequest req;
    req.set_db_name(db);
    req.set_oldname(ss(r.oldName));
    req.set_newname(ss(r.newName));
    req.set_newdbname(ss(r.newDbName));
    return req;
}

pbm::LoadCollectionRequest buildLoad(const LoadCollectionRequest &r, const std::string &db)
{
    requireName(r.collection, "collection", "LoadCollection");
    pbm::LoadCollectionRequest req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    req.set_replica_number(r.replicaNumber);
    req.set_refresh(r.refresh);
    return req;
}

template<typename Pb>
Pb buildLoadState(const LoadStateRequest &r, const std::string &db, const char *op)
{
    requireName(r.collection, "collection", op);
    Pb req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    for (const auto &p : r.partitions)
        req.add_partition_names(ss(p));
    return req;
}
} // namespace

namespace {
pbm::ShowCollectionsRequest buildShowCollections(const ServerRequest &, const std::string &db)
{
    pbm::ShowCollectionsRequest req;
    req.set_db_name(db);
    return req;
}
} // namespace

MX_BOTH_FORMS(QStringList, listCollections, ServerRequest, kShowCollections,
              MX_DB_BUILD(buildShowCollections),
              [](const pbm::ShowCollectionsResponse &resp) { return toStringList(resp.collection_names()); })
MX_BOTH_FORMS(void, createCollection, CreateCollectionRequest, kCreateCollection,
              MX_DB_BUILD(buildCreateCollection), ignore)
MX_BOTH_FORMS(void, renameCollection, RenameCollectionRequest, kRenameCollection, MX_DB_BUILD(buildRename),
              ignore)
MX_BOTH_FORMS(void, loadCollection, LoadCollectionRequest, kLoadCollection, MX_DB_BUILD(buildLoad), ignore)
MX_BOTH_FORMS(
    LoadState, getLoadState, LoadStateRequest, kGetLoadState,
    [this](const LoadStateRequest &r) {
        return buildLoadState<pbm::GetLoadStateRequest>(r, detail::dbNameFor(d->conn, r.options),
                                                        "GetLoadState");
    },
    [](const pbm::GetLoadStateResponse &resp) { return LoadState(int(resp.state())); })
MX_BOTH_FORMS(
    int, getLoadingProgress, LoadStateRequest, kGetLoadingProgress,
    [this](const LoadStateRequest &r) {
        return buildLoadState<pbm::GetLoadingProgressRequest>(r, detail::dbNameFor(d->conn, r.options),
                                                              "GetLoadingProgress");
    },
    [](const pbm::GetLoadingProgressResponse &resp) { return int(resp.progress()); })

// --- Indexes ---
namespace {
pbm::CreateIndexRequest buildCreateIndex(const CreateIndexRequest &r, const std::string &db)
{
    requireName(r.collection, "collection", "CreateIndex");
    requireName(r.fieldName, "field", "CreateIndex");
    pbm::CreateIndexRequest req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    req.set_field_name(ss(r.fieldName));
    req.set_index_name(ss(r.indexName));
    QMap<QString, QString> params;
    if (!r.indexType.isEmpty())
        params.insert(QStringLiteral("index_type"), r.indexType);
    if (!r.metricType.isEmpty())
        params.insert(QStringLiteral("metric_type"), r.metricType);
    params.insert(QStringLiteral("params"),
                  QString::fromUtf8(QJsonDocument(r.params).toJson(QJsonDocument::Compact)));
    proto::toKeyValues(params, req.mutable_extra_params());
    return req;
}

template<typename Pb>
Pb buildIndex(const IndexRequest &r, const std::string &db)
{
    requireName(r.collection, "collection", "Index");
    Pb req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    req.set_field_name(ss(r.fieldName));
    req.set_index_name(ss(r.indexName));
    return req;
}

QList<IndexDescription> toIndexes(const pbm::DescribeIndexResponse &resp)
{
    QList<IndexDescription> out;
    for (const auto &i : resp.index_descriptions())
        out.append(proto::fromProto(i));
    return out;
}
} // namespace

MX_BOTH_FORMS(void, createIndex, CreateIndexRequest, kCreateIndex, MX_DB_BUILD(buildCreateIndex), ignore)
// Milvus 2.3 answers every index of the collection whatever field was asked for: keep the field's own.
MX_BOTH_FORMS(QList<IndexDescription>, describeIndex, IndexRequest, kDescribeIndex,
              MX_DB_BUILD(buildIndex<pbm::DescribeIndexRequest>),
              [field = r.fieldName](const pbm::DescribeIndexResponse &resp) {
                  QList<IndexDescription> all = toIndexes(resp);
                  if (!field.isEmpty())
                      all.removeIf([&](const IndexDescription &i) { return i.fieldName != field; });
                  return all;
              })
MX_BOTH_FORMS(void, dropIndex, IndexRequest, kDropIndex, MX_DB_BUILD(buildIndex<pbm::DropIndexRequest>),
              ignore)

// --- Partitions ---
namespace {
template<typename Pb>
Pb buildPartition(const PartitionRequest &r, const std::string &db)
{
    requireName(r.collection, "collection", "Partition");
    requireName(r.partition, "partition", "Partition");
    Pb req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    req.set_partition_name(ss(r.partition));
    return req;
}
} // namespace

MX_BOTH_FORMS(void, createPartition, PartitionRequest, kCreatePartition,
              MX_DB_BUILD(buildPartition<pbm::CreatePartitionRequest>), ignore)
MX_BOTH_FORMS(void, dropPartition, PartitionRequest, kDropPartition,
              MX_DB_BUILD(buildPartition<pbm::DropPartitionRequest>), ignore)
MX_BOTH_FORMS(bool, hasPartition, PartitionRequest, kHasPartition,
              MX_DB_BUILD(buildPartition<pbm::HasPartitionRequest>),
              [](const pbm::BoolResponse &resp) { return resp.value(); })
MX_BOTH_FORMS(StringMap, getPartitionStatistics, PartitionRequest, kGetPartitionStatistics,
              MX_DB_BUILD(buildPartition<pbm::GetPartitionStatisticsRequest>),
              [](const pbm::GetPartitionStatisticsResponse &resp) {
                  return proto::fromKeyValues(resp.stats());
              })

// --- Users ---
namespace {
pbm::UpdateCredentialRequest buildUpdateCredential(const UpdateCredentialRequest &r)
{
    requireName(r.user, "user", "UpdateCredential");
    pbm::UpdateCredentialRequest req;
    req.set_username(ss(r.user));
    req.set_oldpassword(r.oldPassword.toUtf8().toBase64().toStdString());
    req.set_newpassword(r.newPassword.toUtf8().toBase64().toStdString());
    return req;
}
} // namespace

MX_BOTH_FORMS(void, updateCredential, UpdateCredentialRequest, kUpdateCredential, buildUpdateCredential,
              ignore)

detail::CallChannel detail::ClientAccess::channel(const MilvusClient &client)
{
    return {client.d, client.d->stub.get(), client.d->tracker, client.d->conn};
}

} // namespace mx
