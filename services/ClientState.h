#pragma once

// Private to the MilvusClient*.cpp files: the state behind a MilvusClient (channel, stub, call tracker,
// connection context, write clock), its two call forms, and the macros that define both forms of an RPC.

#include "MilvusClient.h"
#include "RequestHelpers.h"
#include "RpcCall.h"

#include <QDateTime>
#include <QHash>
#include <QMutex>

#include <grpcpp/channel.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace mx::detail {

// The last write made to each collection of one server (MutationResult.timestamp), for reading one's own
// writes: as pymilvus does, a Session read carries it as the guarantee timestamp. One clock per server
// in the process, as pymilvus keeps one per process (keyed by endpoint, database and collection): a read
// through any client of a server sees the writes acknowledged to the others (the N channels of a load
// test, the explorer beside a load test). Shared by the clients and the calls in flight (they record
// into it from the completion thread), so it is reference-counted. Thread-safe.
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

    template<typename Out, typename Req, typename Resp, typename Build, typename Convert>
    QFuture<Out> runAsync(const Rpc<Req, Resp> &rpc, const CallOptions &options, Build build, Convert convert,
                          ErrorExplainer explain = {}) const
    {
        return buildAndCallAsync<Out>(stub.get(), shared_from_this(), tracker, conn, rpc, options, build,
                                      std::move(convert), std::move(explain));
    }

    template<typename Out, typename Req, typename Resp, typename Build, typename Convert>
    Out runSync(const Rpc<Req, Resp> &rpc, const CallOptions &options, Build build, Convert convert,
                const ErrorExplainer &explain = {}) const
    {
        return callSync<Out>(stub.get(), conn, rpc, build(), options, convert, explain);
    }

    // Some servers (Milvus Lite among them) answer a vector of the wrong dimension with an opaque
    // message. On that error path only, look the collection up and say which dimension was expected.
    ErrorExplainer dimensionExplainer(const QString &collection, const CallOptions &options,
                                      QList<std::pair<QString, int>> sentDims) const;
};

} // namespace mx::detail

namespace mx {
using detail::ErrorExplainer; // the other names both MilvusClient*.cpp files use: RequestHelpers.h
} // namespace mx

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

#define MX_DB_BUILD(FN) [this](const auto &r) { return FN(r, detail::dbNameFor(d->conn, r.options)); }
