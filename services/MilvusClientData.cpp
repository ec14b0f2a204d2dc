// MilvusClient, entities: insert, upsert, delete, query, search and flush (the rest: MilvusClient.cpp).

#include "ClientState.h"
#include "IoPool.h"
#include "ProtoConvert.h"

#include <QJsonDocument>

#include <thread>

namespace mx {

namespace {

const auto kInsert = MX_RPC(Insert, pbm::InsertRequest, pbm::MutationResult);
const auto kUpsert = MX_RPC(Upsert, pbm::UpsertRequest, pbm::MutationResult);
const auto kDelete = MX_RPC(Delete, pbm::DeleteRequest, pbm::MutationResult);
const auto kQuery = MX_RPC(Query, pbm::QueryRequest, pbm::QueryResults);
const auto kSearch = MX_RPC(Search, pbm::SearchRequest, pbm::SearchResults);
const auto kFlush = MX_RPC(Flush, pbm::FlushRequest, pbm::FlushResponse);
const auto kGetFlushState = MX_RPC(GetFlushState, pbm::GetFlushStateRequest, pbm::GetFlushStateResponse);

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

// --- Data ---
namespace {
// Insert and Upsert send the same columns: one builder for both protocol requests.
template<typename Req>
Req buildWrite(const InsertRequest &r, const std::string &db)
{
    requireName(r.collection, "collection", std::is_same_v<Req, pbm::InsertRequest> ? "Insert" : "Upsert");
    Req req;
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

MX_BOTH_FORMS_EXPLAINED(MutationResult, insert, InsertRequest, kInsert,
                        MX_DB_BUILD(buildWrite<pbm::InsertRequest>), MX_WRITE_CONVERT(r.collection),
                        d->dimensionExplainer(r.collection, r.options, sentDimensions(r)))
MX_BOTH_FORMS_EXPLAINED(MutationResult, upsert, InsertRequest, kUpsert,
                        MX_DB_BUILD(buildWrite<pbm::UpsertRequest>), MX_WRITE_CONVERT(r.collection),
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

} // namespace mx
