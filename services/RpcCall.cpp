#include "RpcCall.h"

#include "IoPool.h"

#include <QtConcurrent/QtConcurrentRun>

#include <pthread.h>

namespace mx::detail {

std::chrono::milliseconds effectiveTimeout(const ConnectionContext &conn, const CallOptions &options)
{
    return options.timeout.count() > 0 ? options.timeout : conn.defaultTimeout;
}

std::string dbNameFor(const ConnectionContext &conn, const CallOptions &options)
{
    return options.dbName.isEmpty() ? conn.dbName : options.dbName.toStdString();
}

void prepareContext(grpc::ClientContext &ctx, const ConnectionContext &conn, const CallOptions &options)
{
    ctx.set_deadline(std::chrono::system_clock::now() + effectiveTimeout(conn, options));
    if (!conn.authorization.empty())
        ctx.AddMetadata("authorization", conn.authorization);
    const std::string db = dbNameFor(conn, options);
    if (!db.empty())
        ctx.AddMetadata("dbname", db);
}

namespace {

bool containsAny(const QString &haystack, std::initializer_list<const char *> needles)
{
    for (const char *n : needles)
        if (haystack.contains(QLatin1String(n), Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace

MilvusError errorFromGrpc(const grpc::Status &status, const QString &operation, const ConnectionContext &conn,
                          std::chrono::milliseconds timeout, bool cancelledByCaller,
                          const std::string &debugString)
{
    MilvusError e;
    e.operation = operation;
    e.grpcCode = int(status.error_code());
    e.reason = QString::fromStdString(status.error_message());
    e.detail = QString::fromStdString(debugString);
    const QString target = QString::fromStdString(conn.target);
    const QString all = e.reason + QLatin1Char(' ') + e.detail;

    switch (status.error_code()) {
    case grpc::StatusCode::DEADLINE_EXCEEDED:
        e.kind = ErrorKind::Timeout;
        e.reason = QStringLiteral("no answer from %1 within %2 ms (deadline exceeded)")
                       .arg(target)
                       .arg(timeout.count());
        break;
    case grpc::StatusCode::CANCELLED:
        if (cancelledByCaller) {
            e.kind = ErrorKind::Cancelled;
            e.reason = QStringLiteral("cancelled");
        } else {
            e.kind = ErrorKind::GrpcStatus;
        }
        break;
    case grpc::StatusCode::UNAVAILABLE:
        e.kind = ErrorKind::Transport;
        // gRPC's own wording when the first bytes back are an HTTP/1.x response: a TLS port answers a
        // plaintext HTTP/2 preface that way, and so does any non-gRPC HTTP port. Checked first because
        // it is unambiguous, whatever else the debug string mentions.
        if (containsAny(all, {"http1.x server"})) {
            e.reason =
                QStringLiteral("%1 answered with HTTP/1.x instead of gRPC: this is a plaintext client "
                               "talking to a TLS port (use https:// or enable TLS), or the port is not "
                               "Milvus's gRPC port [%2]")
                    .arg(target, QString::fromStdString(status.error_message()));
        } else if (containsAny(all, {"certificate", "ssl", "handshake", "tls"})) {
            e.reason = QStringLiteral(
                           "TLS handshake with %1 failed: the server's certificate is not trusted or does "
                           "not match (check the CA file and server name) [%2]")
                           .arg(target, QString::fromStdString(status.error_message()));
        } else if (containsAny(all, {"connection refused"})) {
            e.reason =
                QStringLiteral("cannot connect to %1: connection refused (is the Milvus server running and "
                               "listening on that port?)")
                    .arg(target);
        } else if (containsAny(all, {"dns", "name resolution", "not resolve", "unknown host", "resolve"})) {
            e.reason = QStringLiteral("cannot resolve the host of %1 [%2]").arg(target, e.reason);
        } else if (containsAny(all, {"socket closed", "connection reset", "broken pipe", "end of tcp stream",
                                     "eof", "goaway", "unexpected", "protocol"})) {
            e.reason =
                QStringLiteral("the connection to %1 was closed by the other side (the server stopped, or "
                               "this is a plaintext client talking to a TLS port) [%2]")
                    .arg(target, QString::fromStdString(status.error_message()));
        } else {
            e.reason = QStringLiteral("%1 is unavailable: %2").arg(target, e.reason);
        }
        break;
    case grpc::StatusCode::UNAUTHENTICATED:
        e.kind = ErrorKind::GrpcStatus;
        // "Rejected the token" would mislead when none was sent: the fix is then to add one, not change it.
        e.reason =
            (conn.authorization.empty()
                 ? QStringLiteral("authentication failed: %1 requires a token or user/password and none "
                                  "is configured [%2]")
                 : QStringLiteral("authentication failed: %1 rejected the token or user/password [%2]"))
                .arg(target, QString::fromStdString(status.error_message()));
        break;
    case grpc::StatusCode::PERMISSION_DENIED:
        e.kind = ErrorKind::PermissionDenied;
        e.reason = QStringLiteral("permission denied by %1 [%2]")
                       .arg(target, QString::fromStdString(status.error_message()));
        break;
    case grpc::StatusCode::UNIMPLEMENTED:
        e.kind = ErrorKind::GrpcStatus;
        e.reason = QStringLiteral("the server at %1 does not implement %2").arg(target, operation);
        break;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
        e.kind = ErrorKind::GrpcStatus;
        e.reason = QStringLiteral("message too large or server overloaded: %1").arg(e.reason);
        break;
    case grpc::StatusCode::INTERNAL:
        e.kind = ErrorKind::GrpcStatus;
        // Milvus never answers HTTP 400 itself; an HTTP proxy in front of it does, notably a TLS proxy
        // that requires a client certificate and got none. gRPC's own text names only the status.
        if (containsAny(e.reason, {"http2 header with status: 400"})) {
            e.reason =
                QStringLiteral("%1 (or a proxy in front of it) rejected the request with HTTP 400; a TLS "
                               "proxy answers this when it requires a client certificate and none was "
                               "sent (set the client certificate and key in the TLS options) [%2]")
                    .arg(target, QString::fromStdString(status.error_message()));
        }
        break;
    default:
        e.kind = ErrorKind::GrpcStatus;
        break;
    }
    return e;
}

const ::milvus::proto::common::Status *statusOf(const ::milvus::proto::common::Status &s)
{
    return &s;
}

void checkMilvusStatus(const ::milvus::proto::common::Status &status, const QString &operation)
{
    if (status.code() == 0 && status.error_code() == 0)
        return;
    MilvusError e;
    e.kind = ErrorKind::Milvus;
    e.operation = operation;
    e.milvusCode = status.code();
    e.legacyCode = int(status.error_code());
    e.reason = QString::fromStdString(status.reason());
    if (e.reason.isEmpty())
        e.reason = QStringLiteral("the server reported error code %1")
                       .arg(e.milvusCode ? e.milvusCode : e.legacyCode);
    e.detail = QString::fromStdString(status.detail());
    if (isPermissionRefusal(e.milvusCode, e.legacyCode, e.reason))
        e.kind = ErrorKind::PermissionDenied;
    throw MilvusException(std::move(e));
}

// How soon a cancelled future's RPC is cancelled, and the longest the thread waits in the queue at once.
// A user's cancel lands long before they notice; the scan of the calls in flight costs nothing per call.
constexpr auto kPollInterval = std::chrono::milliseconds(20);
// How long the thread keeps polling after the last call finished, before it parks: long enough that calls
// one after another (each waited for) never wake it, short enough that it soon stops taking over the
// reads of blocking calls (see CallTracker).
constexpr auto kLinger = std::chrono::milliseconds(20);

struct CallTracker::Core
{
    mutable std::mutex mutex;
    std::condition_variable wake; // a parked thread: the first call after an idle spell, or stop
    std::list<std::shared_ptr<Entry>> entries;
    bool parked = false;
    bool stop = false;
    std::atomic<bool> closed{false};
    grpc::CompletionQueue queue;

    void run();
    void scanCancelled();
};

CallTracker::CallTracker()
    : m_core(std::make_shared<Core>())
    , m_thread([core = m_core] { core->run(); })
{}

CallTracker::~CallTracker()
{
    // Every call holds the client state that owns this tracker, so none is in flight here: the thread
    // is parked or polling an empty queue. It may be this very thread, when a completion dropped the
    // last reference: it then finishes on its own, holding the core.
    {
        std::lock_guard lock(m_core->mutex);
        m_core->stop = true;
    }
    m_core->wake.notify_all();
    m_core->queue.Shutdown();
    if (m_thread.get_id() == std::this_thread::get_id())
        m_thread.detach();
    else
        m_thread.join();
}

CallTracker::Entry::~Entry() = default;

CallTracker::Handle CallTracker::add(std::shared_ptr<Entry> entry)
{
    bool wake = false;
    Handle it;
    {
        std::lock_guard lock(m_core->mutex);
        wake = m_core->parked && m_core->entries.empty();
        m_core->entries.push_front(std::move(entry));
        it = m_core->entries.begin();
    }
    if (wake) // else the thread is polling the queue and takes this call's completion there
        m_core->wake.notify_one();
    return it;
}

void CallTracker::remove(Handle it)
{
    std::shared_ptr<Entry> keep; // released outside the lock
    std::lock_guard lock(m_core->mutex);
    keep = std::move(*it);
    m_core->entries.erase(it);
}

grpc::CompletionQueue *CallTracker::queue() const
{
    return &m_core->queue;
}

int CallTracker::inFlight() const
{
    std::lock_guard lock(m_core->mutex);
    return int(m_core->entries.size());
}

bool CallTracker::closed() const
{
    return m_core->closed.load();
}

void CallTracker::cancelAll()
{
    m_core->closed = true;
    std::lock_guard lock(m_core->mutex);
    for (auto &e : m_core->entries) {
        e->cancelRpc();
        e->cancelSent = true;
    }
}

void CallTracker::Core::scanCancelled()
{
    for (auto &e : entries) {
        if (!e->cancelSent && e->futureCanceled()) {
            e->cancelRpc();
            e->cancelSent = true;
        }
    }
}

void CallTracker::Core::run()
{
#ifdef __linux__
    pthread_setname_np(pthread_self(), "mx-calls");
#endif
    using Clock = std::chrono::steady_clock;
    auto lastBusy = Clock::now();
    auto lastScan = lastBusy;
    const auto completeOne = [](void *tag) {
#if defined(__SANITIZE_THREAD__)
        __tsan_acquire(tag); // callAsync released the record before handing the tag to gRPC
#endif
        // The entry is tracked until its completion removes it: hold it through that.
        const std::shared_ptr<Entry> call = static_cast<Entry *>(tag)->shared_from_this();
        call->complete();
    };
    std::unique_lock lock(mutex);
    while (!stop) {
        const auto now = Clock::now();
        if (!entries.empty()) {
            lastBusy = now;
        } else if (now - lastBusy >= kLinger) {
            parked = true;
            wake.wait(lock, [this] { return stop || !entries.empty(); });
            parked = false;
            lastBusy = Clock::now();
            continue;
        }
        if (now - lastScan >= kPollInterval) {
            scanCancelled();
            lastScan = now;
        }
        lock.unlock();
        void *tag = nullptr;
        bool ok = false;
        if (queue.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + kPollInterval) ==
            grpc::CompletionQueue::GOT_EVENT)
            completeOne(tag);
        lock.lock();
    }
    lock.unlock();
    // Shut down by ~CallTracker: take what is left (nothing, unless a call was still finishing).
    void *tag = nullptr;
    bool ok = false;
    while (queue.Next(&tag, &ok))
        completeOne(tag);
}

MilvusError explainNow(const ErrorExplainer &explain, const MilvusError &original)
{
    QFuture<MilvusError> f = explain(original);
    f.waitForFinished();
    if (f.isCanceled() || f.resultCount() < 1)
        return original;
    try {
        return f.result();
    } catch (...) {
        return original;
    }
}

ErrorExplainer onIoPool(std::function<MilvusError(const MilvusError &)> blocking)
{
    return [blocking = std::move(blocking)](const MilvusError &e) {
        return QtConcurrent::run(ioPool(), [blocking, e] { return blocking(e); });
    };
}

} // namespace mx::detail
