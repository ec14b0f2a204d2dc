#include "MilvusClient.h"

#include "GrpcChannel.h"
#include "IoPool.h"
#include "ProtoConvert.h"
#include "RpcCall.h"
#include "TlsDiagnosis.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QMutex>

#include <grpc/grpc.h>

#include <thread>
#include <unordered_map>

namespace mx {

namespace pbm = ::milvus::proto::milvus;
namespace pbc = ::milvus::proto::common;
using detail::ErrorExplainer;
using detail::Rpc;

namespace detail {

// The last write made to each collection of one server (MutationResult.timestamp), for reading one's own
// writes: as pymilvus does, a Session read carries it as the guarantee timestamp. One clock per server
// in the process, as pymilvus keeps one per process (keyed by endpoint, database and collection): a read
// through any client of a server sees the writes acknowledged to the others (the N channels of a load
// test, the explorer beside a load test). Shared by the clients and the calls in flight (they record
// into it from gRPC threads), so it is reference-counted. Thread-safe.
class WriteClock
{
public:
    // The clock of the server at `target` (host:port), made on first use; it lives while a client of
    // that server does.
    static std::shared_ptr<WriteClock> forServer(const std::string &target)
    {
        static QMutex mutex;
        static std::unordered_map<std::string, std::weak_ptr<WriteClock>> clocks;
        QMutexLocker lock(&mutex);
        std::weak_ptr<WriteClock> &slot = clocks[target];
        std::shared_ptr<WriteClock> clock = slot.lock();
        if (!clock) {
            clock = std::make_shared<WriteClock>();
            slot = clock;
        }
        return clock;
    }

    struct Entry
    {
        quint64 timestamp = 0; // the server's hybrid timestamp of the write (the newest one known)
        qint64 atMs = 0;       // when it was acknowledged, on this machine's clock
        // The last write came back without a timestamp (Milvus 2.3.5 answers Delete with 0), so
        // `timestamp` may predate it: a Session read cannot name it.
        bool lastUntimed = false;
    };

    static std::string key(const std::string &db, const QString &collection)
    {
        // "" and "default" name the same database: a write through one must be seen through the other.
        return (db.empty() ? std::string("default") : db) + '\x1f' + collection.toStdString();
    }
    // Every acknowledged write counts, with or without a timestamp: a read right after it must see it.
    void note(const std::string &key, quint64 timestamp)
    {
        QMutexLocker lock(&m_mutex);
        Entry &e = m_entries[key];
        e.timestamp = std::max(e.timestamp, timestamp);
        e.lastUntimed = timestamp == 0;
        e.atMs = QDateTime::currentMSecsSinceEpoch();
    }
    std::optional<Entry> last(const std::string &key) const
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_entries.constFind(key);
        return it == m_entries.cend() ? std::nullopt : std::optional(*it);
    }

private:
    mutable QMutex m_mutex;
    QHash<std::string, Entry> m_entries;
};

struct ClientState : std::enable_shared_from_this<ClientState>
{
    ConnectionConfig config;
    ConnectionContext conn;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<Stub> stub;
    std::shared_ptr<CallTracker> tracker = std::make_shared<CallTracker>();
    std::shared_ptr<WriteClock> writes; // WriteClock::forServer(conn.target)

    // Builds the protocol request (validation errors become a failed future), then starts the call.
    template<typename Out, typename Req, typename Resp, typename Build, typename Convert>
    QFuture<Out> runAsync(const Rpc<Req, Resp> &rpc, const CallOptions &options, Build build, Convert convert,
                          ErrorExplainer explain = {}) const
    {
        Req request;
        try {
            request = build();
        } catch (const MilvusException &e) {
            return QtFuture::makeExceptionalFuture<Out>(e);
        }
        return callAsync<Out>(stub.get(), shared_from_this(), tracker, conn, rpc, std::move(request), options,
                              convert, std::move(explain));
    }

    template<typename Out, typename Req, typename Resp, typename Build, typename Convert>
    Out runSync(const Rpc<Req, Resp> &rpc, const CallOptions &options, Build build, Convert convert,
                const ErrorExplainer &explain = {}) const
    {
        const Req request = build();
        return callSync<Out>(stub.get(), conn, rpc, request, options, convert, explain);
    }

    // Some servers (Milvus Lite among them) answer a vector of the wrong dimension with an opaque
    // message. On that error path only, look the collection up and say which dimension was expected.
    ErrorExplainer dimensionExplainer(const QString &collection, const CallOptions &options,
                                      QList<std::pair<QString, int>> sentDims) const;
};

} // namespace detail

namespace {

std::string ss(const QString &s)
{
    return s.toStdString();
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

void requireName(const QString &name, const char *what, const char *op)
{
    if (name.trimmed().isEmpty())
        throwError(ErrorKind::InvalidArgument, QString::fromLatin1(op),
                   QStringLiteral("the %1 name is empty").arg(QLatin1String(what)));
}

const auto ignore = [](const auto &) {};
using StringMap = QMap<QString, QString>;

// --- The RPCs, each with its blocking and callback entry points. ---
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
const auto kInsert = MX_RPC(Insert, pbm::InsertRequest, pbm::MutationResult);
const auto kUpsert = MX_RPC(Upsert, pbm::UpsertRequest, pbm::MutationResult);
const auto kDelete = MX_RPC(Delete, pbm::DeleteRequest, pbm::MutationResult);
const auto kQuery = MX_RPC(Query, pbm::QueryRequest, pbm::QueryResults);
const auto kSearch = MX_RPC(Search, pbm::SearchRequest, pbm::SearchResults);
const auto kFlush = MX_RPC(Flush, pbm::FlushRequest, pbm::FlushResponse);
const auto kGetFlushState = MX_RPC(GetFlushState, pbm::GetFlushStateRequest, pbm::GetFlushStateResponse);
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

// How long after a write of this process to the collection (through any client of the server: the
// WriteClock) a read at the collection's default consistency is sent Strong:
// the full server's default level is Bounded (it may not see writes of the last few seconds; its
// gracefulTime defaults to 5 s), so a view refreshed right after the app's own insert or delete would
// otherwise show the old rows and counts.
constexpr qint64 kReadYourWritesWindowMs = 10000;

bool wroteRecently(const std::optional<detail::WriteClock::Entry> &last)
{
    return last && QDateTime::currentMSecsSinceEpoch() - last->atMs < kReadYourWritesWindowMs;
}

// Guarantee timestamps as pymilvus 2.6 sets them: Strong 0 (the server assigns the newest), Bounded 2,
// Session (and the default level) the last write's timestamp or 1, Eventually 1.
void setConsistency(std::optional<ConsistencyLevel> level,
                    const std::optional<detail::WriteClock::Entry> &last, auto *req)
{
    const quint64 lastTs = last ? last->timestamp : 0;
    if (!level && wroteRecently(last))
        level = ConsistencyLevel::Strong;
    // A recent write without a timestamp has no Session guarantee to give (pymilvus then reads at
    // Eventually and misses it): only Strong sees it.
    if (level == ConsistencyLevel::Session && wroteRecently(last) && last->lastUntimed)
        level = ConsistencyLevel::Strong;
    if (!level) {
        req->set_use_default_consistency(true);
        req->set_guarantee_timestamp(lastTs ? lastTs : 1);
        return;
    }
    req->set_consistency_level(pbc::ConsistencyLevel(int(*level)));
    req->set_use_default_consistency(false);
    switch (*level) {
    case ConsistencyLevel::Strong:
        req->set_guarantee_timestamp(0);
        break;
    case ConsistencyLevel::Bounded:
        req->set_guarantee_timestamp(2);
        break;
    case ConsistencyLevel::Session:
        req->set_guarantee_timestamp(lastTs ? lastTs : 1);
        break;
    default:
        req->set_guarantee_timestamp(1);
    }
}

void addParam(pbm::SearchRequest &req, const char *key, std::string value)
{
    auto *kv = req.add_search_params();
    kv->set_key(key);
    kv->set_value(std::move(value));
}

void addParam(pbm::SearchRequest &req, const char *key, const QString &value)
{
    addParam(req, key, ss(value));
}

} // namespace

MilvusClient::MilvusClient(ConnectionConfig config)
    // The state's last owner may be a call finishing on a gRPC thread: the channel, stub and call tracker
    // are torn down on the I/O pool instead, never inside gRPC's own callback.
    : d(new detail::ClientState, [](detail::ClientState *st) { ioPool()->start([st] { delete st; }); })
{
    // Keep gRPC initialised for the whole process: otherwise destroying the last channel shuts the
    // library down while a completion callback may still be tearing its call down on a gRPC thread.
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
    // is safe from any thread, a gRPC thread or the GUI thread included, and never blocks.
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

// Each RPC: a builder for the protocol request and a converter for the answer, shared by both forms.
#define MX_BOTH_FORMS(OUT, NAME, REQTYPE, RPC, BUILD, CONVERT)                                               \
    QFuture<OUT> MilvusClient::NAME##Async(const REQTYPE &r) const                                           \
    {                                                                                                        \
        return d->runAsync<OUT>(                                                                             \
            RPC, r.options, [&] { return BUILD(r); }, CONVERT);                                              \
    }                                                                                                        \
    OUT MilvusClient::NAME(const REQTYPE &r) const                                                           \
    {                                                                                                        \
        return d->runSync<OUT>(                                                                              \
            RPC, r.options, [&] { return BUILD(r); }, CONVERT);                                              \
    }

#define MX_BOTH_FORMS_EXPLAINED(OUT, NAME, REQTYPE, RPC, BUILD, CONVERT, EXPLAIN)                            \
    QFuture<OUT> MilvusClient::NAME##Async(const REQTYPE &r) const                                           \
    {                                                                                                        \
        return d->runAsync<OUT>(                                                                             \
            RPC, r.options, [&] { return BUILD(r); }, CONVERT, EXPLAIN);                                     \
    }                                                                                                        \
    OUT MilvusClient::NAME(const REQTYPE &r) const                                                           \
    {                                                                                                        \
        return d->runSync<OUT>(                                                                              \
            RPC, r.options, [&] { return BUILD(r); }, CONVERT, EXPLAIN);                                     \
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

namespace {
QList<std::pair<QString, int>> sentDimensions(const SearchRequest &r)
{
    if (!r.sparseVectors.isEmpty() || !r.binaryVectors.bytes.isEmpty() || r.vectors.dim <= 0)
        return {};
    return {{r.annsField, r.vectors.dim}};
}

QList<std::pair<QString, int>> sentDimensions(const InsertRequest &r)
{
    QList<std::pair<QString, int>> out;
    for (const auto &c : r.columns)
        if (const auto *v = std::get_if<FloatVectors>(&c.data))
            out.append({c.name, v->dim});
    return out;
}
} // namespace

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

#define MX_DB_BUILD(FN) [this](const auto &r) { return FN(r, detail::dbNameFor(d->conn, r.options)); }

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

// --- Data ---
namespace {
pbm::InsertRequest buildInsert(const InsertRequest &r, const std::string &db)
{
    requireName(r.collection, "collection", "Insert");
    pbm::InsertRequest req;
    req.set_db_name(db);
    proto::toProto(r, &req);
    return req;
}

pbm::UpsertRequest buildUpsert(const InsertRequest &r, const std::string &db)
{
    requireName(r.collection, "collection", "Upsert");
    pbm::UpsertRequest req;
    req.set_db_name(db);
    proto::toProto(r, &req);
    return req;
}

pbm::DeleteRequest buildDelete(const DeleteRequest &r, const std::string &db,
                               const detail::WriteClock &writes)
{
    requireName(r.collection, "collection", "Delete");
    if (r.filter.trimmed().isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Delete"),
                   QStringLiteral("a delete needs a filter expression (refusing to delete everything)"));
    pbm::DeleteRequest req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    req.set_partition_name(ss(r.partition));
    req.set_expr(ss(r.filter));
    // A delete by expression finds its rows with a query of its own: after this client's recent writes it
    // must see them too (servers that predate the field ignore it).
    std::optional<ConsistencyLevel> level = r.consistency;
    if (!level && wroteRecently(writes.last(detail::WriteClock::key(db, r.collection))))
        level = ConsistencyLevel::Strong;
    if (level)
        req.set_consistency_level(pbc::ConsistencyLevel(int(*level)));
    return req;
}

pbm::QueryRequest buildQuery(const QueryRequest &r, const std::string &db, const detail::WriteClock &writes)
{
    requireName(r.collection, "collection", "Query");
    pbm::QueryRequest req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    req.set_expr(ss(r.filter));
    for (const auto &f : r.outputFields)
        req.add_output_fields(ss(f));
    for (const auto &p : r.partitions)
        req.add_partition_names(ss(p));
    QMap<QString, QString> params;
    if (r.limit >= 0)
        params.insert(QStringLiteral("limit"), QString::number(r.limit));
    if (r.offset > 0)
        params.insert(QStringLiteral("offset"), QString::number(r.offset));
    if (r.iterator) {
        params.insert(QStringLiteral("iterator"), QStringLiteral("True"));
        params.insert(QStringLiteral("reduce_stop_for_best"), QStringLiteral("True"));
    }
    proto::toKeyValues(params, req.mutable_query_params());
    setConsistency(r.consistency, writes.last(detail::WriteClock::key(db, r.collection)), &req);
    return req;
}

pbm::SearchRequest buildSearch(const SearchRequest &r, const std::string &db,
                               const detail::WriteClock &writes)
{
    requireName(r.collection, "collection", "Search");
    if (r.topK <= 0)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Search"),
                   QStringLiteral("top k must be at least 1"));
    pbm::SearchRequest req;
    req.set_db_name(db);
    req.set_collection_name(ss(r.collection));
    for (const auto &p : r.partitions)
        req.add_partition_names(ss(p));
    req.set_dsl(ss(r.filter));
    req.set_dsl_type(pbc::DslType::BoolExprV1);
    for (const auto &f : r.outputFields)
        req.add_output_fields(ss(f));
    qint64 nq = 0;
    if (!r.sparseVectors.isEmpty()) {
        req.set_placeholder_group(proto::placeholderGroup(r.sparseVectors));
        nq = r.sparseVectors.size();
    } else if (!r.binaryVectors.bytes.isEmpty()) {
        req.set_placeholder_group(proto::placeholderGroup(r.binaryVectors));
        nq = r.binaryVectors.rows();
    } else {
        req.set_placeholder_group(proto::placeholderGroup(r.vectors));
        nq = r.vectors.rows();
    }
    req.set_nq(nq);
    if (!r.annsField.isEmpty())
        addParam(req, "anns_field", r.annsField);
    addParam(req, "topk", std::to_string(r.topK));
    if (!r.metricType.isEmpty())
        addParam(req, "metric_type", r.metricType);
    addParam(req, "round_decimal", std::to_string(r.roundDecimal));
    addParam(req, "ignore_growing", std::string("False"));
    if (r.offset > 0)
        addParam(req, "offset", std::to_string(r.offset));
    if (!r.groupByField.isEmpty())
        addParam(req, "group_by_field", r.groupByField);
    addParam(req, "params",
             r.searchParams.isEmpty()
                 ? std::string("{}")
                 : QJsonDocument(r.searchParams).toJson(QJsonDocument::Compact).toStdString());
    setConsistency(r.consistency, writes.last(detail::WriteClock::key(db, r.collection)), &req);
    return req;
}

pbm::FlushRequest buildFlush(const FlushRequest &r, const std::string &db)
{
    if (r.collections.isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Flush"),
                   QStringLiteral("no collection to flush"));
    pbm::FlushRequest req;
    req.set_db_name(db);
    for (const auto &c : r.collections)
        req.add_collection_names(ss(c));
    return req;
}

MutationResult toMutation(const pbm::MutationResult &resp)
{
    return proto::fromProto(resp);
}
} // namespace

// Reads see this client's writes: each acknowledged write is recorded in the write clock.
#define MX_WRITE_CONVERT(COLLECTION)                                                                         \
    [writes = d->writes, key = detail::WriteClock::key(detail::dbNameFor(d->conn, r.options), COLLECTION)](  \
        const pbm::MutationResult &resp) {                                                                   \
        MutationResult m = toMutation(resp);                                                                 \
        writes->note(key, m.timestamp);                                                                      \
        return m;                                                                                            \
    }
#define MX_READ_BUILD(FN)                                                                                    \
    [this](const auto &r) { return FN(r, detail::dbNameFor(d->conn, r.options), *d->writes); }

MX_BOTH_FORMS_EXPLAINED(MutationResult, insert, InsertRequest, kInsert, MX_DB_BUILD(buildInsert),
                        MX_WRITE_CONVERT(r.collection),
                        d->dimensionExplainer(r.collection, r.options, sentDimensions(r)))
MX_BOTH_FORMS_EXPLAINED(MutationResult, upsert, InsertRequest, kUpsert, MX_DB_BUILD(buildUpsert),
                        MX_WRITE_CONVERT(r.collection),
                        d->dimensionExplainer(r.collection, r.options, sentDimensions(r)))
MX_BOTH_FORMS(MutationResult, deleteEntities, DeleteRequest, kDelete, MX_READ_BUILD(buildDelete),
              MX_WRITE_CONVERT(r.collection))
MX_BOTH_FORMS(QueryResult, query, QueryRequest, kQuery, MX_READ_BUILD(buildQuery),
              [](const pbm::QueryResults &resp) { return proto::fromProto(resp); })
MX_BOTH_FORMS_EXPLAINED(
    SearchResults, search, SearchRequest, kSearch, MX_READ_BUILD(buildSearch),
    [](const pbm::SearchResults &resp) { return proto::fromProto(resp.results()); },
    d->dimensionExplainer(r.collection, r.options, sentDimensions(r)))
namespace {
// What a Flush answered: per collection the sealed segments and the flush timestamp to wait for.
struct FlushTicket
{
    struct Pending
    {
        std::string collection;
        std::vector<qint64> segments;
        quint64 flushTs = 0;
    };
    std::string db;
    std::vector<Pending> collections;
};

FlushTicket toFlushTicket(const pbm::FlushResponse &r)
{
    FlushTicket t;
    t.db = r.db_name();
    for (const auto &[name, ids] : r.coll_segids()) {
        FlushTicket::Pending p;
        p.collection = name;
        p.segments.assign(ids.data().begin(), ids.data().end());
        const auto ts = r.coll_flush_ts().find(name);
        p.flushTs = ts == r.coll_flush_ts().end() ? 0 : ts->second;
        t.collections.push_back(std::move(p));
    }
    return t;
}

// Polls GetFlushState until every collection of the ticket is flushed, the deadline passes (Timeout) or
// the token is cancelled (Cancelled). A server without GetFlushState (Milvus Lite) has nothing to wait for.
void waitFlushed(const detail::ClientState &st, const FlushTicket &ticket, const CallOptions &options,
                 std::chrono::steady_clock::time_point deadline)
{
    for (const auto &p : ticket.collections) {
        for (;;) {
            if (options.cancel && options.cancel->isCancelled())
                throwError(ErrorKind::Cancelled, QStringLiteral("Flush"), QStringLiteral("cancelled"));
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                throwError(ErrorKind::Timeout, QStringLiteral("Flush"),
                           QStringLiteral("'%1' was not flushed before the deadline").arg(qs(p.collection)));
            CallOptions one = options;
            one.timeout = left;
            pbm::GetFlushStateRequest req;
            req.set_db_name(ticket.db);
            req.set_collection_name(p.collection);
            req.set_flush_ts(p.flushTs);
            for (qint64 id : p.segments)
                req.add_segmentids(id);
            bool flushed = false;
            try {
                flushed = st.runSync<bool>(
                    kGetFlushState, one, [&] { return req; },
                    [](const pbm::GetFlushStateResponse &r) { return r.flushed(); });
            } catch (const MilvusException &e) {
                if (e.error().kind == ErrorKind::GrpcStatus && e.error().grpcCode == 12) // UNIMPLEMENTED
                    return;
                throw;
            }
            if (flushed)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

std::chrono::steady_clock::time_point flushDeadline(const detail::ClientState &st, const CallOptions &o)
{
    const auto timeout = o.timeout.count() > 0 ? o.timeout : st.conn.defaultTimeout;
    return std::chrono::steady_clock::now() + timeout;
}
} // namespace

void MilvusClient::flush(const FlushRequest &r) const
{
    const auto deadline = flushDeadline(*d, r.options);
    const FlushTicket ticket = d->runSync<FlushTicket>(
        kFlush, r.options, [&] { return buildFlush(r, detail::dbNameFor(d->conn, r.options)); },
        toFlushTicket);
    waitFlushed(*d, ticket, r.options, deadline);
}

QFuture<void> MilvusClient::flushAsync(const FlushRequest &r) const
{
    const auto deadline = flushDeadline(*d, r.options);
    // The wait runs on the I/O pool and holds the client's state, so it may outlive this client object.
    return d
        ->runAsync<FlushTicket>(
            kFlush, r.options, [&] { return buildFlush(r, detail::dbNameFor(d->conn, r.options)); },
            toFlushTicket)
        .then(ioPool(), [st = d, options = r.options, deadline](const FlushTicket &ticket) {
            waitFlushed(*st, ticket, options, deadline);
        });
}

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
