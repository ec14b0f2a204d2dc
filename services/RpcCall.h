#pragma once

// Internal machinery shared by MilvusClient's calls: context preparation, status mapping, the async
// (completion queue + QPromise) and blocking (synchronous stub) call paths. Not part of the public API.

#include "CallOptions.h"
#include "MilvusError.h"

#include "milvus.grpc.pb.h"

#include <QFuture>
#include <QPromise>

#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace mx {
class MilvusClient;
}

namespace mx::detail {

using Stub = ::milvus::proto::milvus::MilvusService::Stub;

template<typename Req, typename Resp>
struct Rpc
{
    const char *name;
    grpc::Status (Stub::*sync)(grpc::ClientContext *, const Req &, Resp *);
    std::unique_ptr<grpc::ClientAsyncResponseReader<Resp>> (Stub::*prepareAsync)(grpc::ClientContext *,
                                                                                 const Req &,
                                                                                 grpc::CompletionQueue *);
};

// Names one RPC of the generated stub with both its blocking and its completion-queue entry points.
#define MX_RPC(NAME, REQ, RESP)                                                                              \
    ::mx::detail::Rpc<REQ, RESP>                                                                             \
    {                                                                                                        \
#NAME, &::mx::detail::Stub::NAME, &::mx::detail::Stub::PrepareAsync##NAME                            \
    }

// What every call of one connection shares.
struct ConnectionContext
{
    std::string target;
    std::string authorization; // base64 credential; empty when none
    std::string dbName;        // connection default database
    std::chrono::milliseconds defaultTimeout{30000};
    // Set on TLS connections: turns a terse handshake failure into its cause (TlsDiagnosis); may block
    // a few seconds, so it runs on a pool thread (async) or the caller's thread (blocking).
    std::function<MilvusError(const MilvusError &)> transportExplainer;
};

std::chrono::milliseconds effectiveTimeout(const ConnectionContext &conn, const CallOptions &options);
void prepareContext(grpc::ClientContext &ctx, const ConnectionContext &conn, const CallOptions &options);
std::string dbNameFor(const ConnectionContext &conn, const CallOptions &options);

// Maps a non-OK gRPC status to a typed error with a message a user understands.
MilvusError errorFromGrpc(const grpc::Status &status, const QString &operation, const ConnectionContext &conn,
                          std::chrono::milliseconds timeout, bool cancelledByCaller,
                          const std::string &debugString);

const ::milvus::proto::common::Status *statusOf(const ::milvus::proto::common::Status &s);
template<typename Resp>
const ::milvus::proto::common::Status *statusOf(const Resp &r)
{
    return &r.status();
}

// Throws MilvusException when Milvus reports a failure inside a gRPC-OK answer.
void checkMilvusStatus(const ::milvus::proto::common::Status &status, const QString &operation);

// Runs the async calls of one client: one thread of ours ("mx-calls": top, gdb, and the test that counts
// hand-overs) takes their completions from a gRPC completion queue, converts the answers and finishes the
// futures; it also cancels the RPC of a call whose QFuture was cancelled (Qt 6.4 has no cancel callback on
// QPromise: checked every few ms while calls are in flight), and cancels them all when the client goes away.
// Why a completion queue and not gRPC's callback API: there, an answer read by gRPC's poller thread is
// handed to its callback executor, a second thread wake-up per call. Here the thread that polls is the one
// that completes, and a continuation that starts the next call does so without any hand-over. The thread
// polls only while calls are in flight (and a short spell after), then parks: a thread parked in the
// queue would become a poller of gRPC's shared epoll set and take over the reads of the blocking calls.
class CallTracker
{
public:
    struct Entry : std::enable_shared_from_this<Entry>
    {
        virtual ~Entry();
        virtual bool futureCanceled() const = 0;
        virtual void cancelRpc() = 0;
        virtual void complete() = 0; // on the tracker's thread, once, when the RPC has finished
        bool cancelSent = false;     // guarded by the tracker's mutex
    };
    using Handle = std::list<std::shared_ptr<Entry>>::iterator;

    CallTracker();
    ~CallTracker();

    // Tracks a call; it then starts its RPC on queue() with the entry as the tag of its finish.
    Handle add(std::shared_ptr<Entry> entry);
    void remove(Handle it);
    grpc::CompletionQueue *queue() const;
    int inFlight() const;
    void cancelAll(); // the client is going away: every call is cancelled, and counts as cancelled
    bool closed() const;

private:
    struct Core;
    std::shared_ptr<Core> m_core; // shared with the thread, which may outlive this object (see ~CallTracker)
    std::thread m_thread;
};

// Optionally turns a terse Milvus error into a clearer one, asynchronously (it may issue async RPCs,
// bounded by the failed call's deadline and cancel token; it never blocks, and may run on the tracker's
// thread). Its future finishes with the error unchanged when it has nothing better to say.
using ErrorExplainer = std::function<QFuture<MilvusError>(const MilvusError &)>;

// A blocking explanation (e.g. the TLS diagnosis, which repeats a handshake) run on the I/O pool.
ErrorExplainer onIoPool(std::function<MilvusError(const MilvusError &)> blocking);

template<typename Req, typename Resp, typename Out, typename Convert>
struct AsyncCall final : CallTracker::Entry
{
    // What the call runs on (the client's stub and channel): kept alive until the call is gone (first
    // member, so released after the context), so a client can be destroyed from any thread, with calls
    // in flight, without waiting for them.
    std::shared_ptr<const void> keepAlive;
    std::shared_ptr<CallTracker> tracker;
    CallTracker::Handle handle;
    grpc::ClientContext ctx;
    Resp response; // the request is not kept: gRPC serializes it when the call is prepared
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<Resp>> reader;
    QPromise<Out> promise;
    std::optional<CancelRegistration> cancelRegistration;
    std::shared_ptr<CancelToken> token;
    QString op;
    ConnectionContext conn; // a copy: a call group (AdminClient) may go before its calls
    std::chrono::milliseconds timeout{0};
    Convert convert;
    ErrorExplainer explain;

    AsyncCall(Convert c)
        : convert(std::move(c))
    {}
    bool futureCanceled() const override { return promise.isCanceled(); }
    void cancelRpc() override { ctx.TryCancel(); }
    void complete() override;
    void finish()
    {
        tracker->remove(handle);
        promise.finish();
    }
};

template<typename Req, typename Resp, typename Out, typename Convert>
void AsyncCall<Req, Resp, Out, Convert>::complete()
{
    cancelRegistration.reset();
    const bool cancelledByCaller =
        promise.isCanceled() || (token && token->isCancelled()) || tracker->closed();
    try {
        if (!status.ok())
            throw MilvusException(
                errorFromGrpc(status, op, conn, timeout, cancelledByCaller, ctx.debug_error_string()));
        checkMilvusStatus(*statusOf(response), op);
        if constexpr (std::is_void_v<Out>)
            convert(response);
        else
            promise.addResult(convert(response));
    } catch (const MilvusException &e) {
        const ErrorExplainer explainer = e.error().kind == ErrorKind::Milvus ? explain
                                         : e.error().kind == ErrorKind::Transport && conn.transportExplainer
                                             ? onIoPool(conn.transportExplainer)
                                             : ErrorExplainer{};
        if (explainer && !promise.isCanceled()) {
            // The call stays tracked until the explanation is set; nothing blocks meanwhile.
            const auto self = std::static_pointer_cast<AsyncCall>(shared_from_this());
            const auto done = [self](const MilvusError &error) {
                self->promise.setException(MilvusException(error));
                self->finish();
            };
            explainer(e.error())
                .then([done](const MilvusError &better) { done(better); })
                .onFailed([done, original = e.error()] { done(original); })
                .onCanceled([done, original = e.error()] { done(original); });
            return;
        }
        promise.setException(e);
    } catch (const std::exception &e) {
        promise.setException(MilvusException(
            MilvusError{ErrorKind::InvalidArgument, op, 0, 0, 0, 0, QString::fromUtf8(e.what()), {}}));
    }
    finish();
}

// One MilvusClient's channel, seen by call groups kept in files of their own (services/admin): the same
// stub, call tracker (cancelAll, inFlight, shutdown wait) and connection context. `keepAlive` holds the
// client's state, so the stub outlives the client object while such a group is alive.
struct CallChannel
{
    std::shared_ptr<const void> keepAlive;
    Stub *stub = nullptr;
    std::shared_ptr<CallTracker> tracker;
    ConnectionContext conn;
};

struct ClientAccess
{
    static CallChannel channel(const MilvusClient &client);
};

// The explanation for a blocking call: waits for it (the caller's thread is blocking anyway); the
// original error when the explainer fails or is cancelled.
MilvusError explainNow(const ErrorExplainer &explain, const MilvusError &original);
// Starts one RPC on the client's completion queue. The returned future finishes on the tracker's thread
// with the converted result or a MilvusException; cancelling the future cancels the RPC.
template<typename Out, typename Req, typename Resp, typename Convert>
QFuture<Out> callAsync(Stub *stub, std::shared_ptr<const void> keepAlive,
                       const std::shared_ptr<CallTracker> &tracker, const ConnectionContext &conn,
                       const Rpc<Req, Resp> &rpc, const Req &request, const CallOptions &options,
                       Convert convert, ErrorExplainer explain = {})
{
    auto call = std::make_shared<AsyncCall<Req, Resp, Out, Convert>>(std::move(convert));
    call->keepAlive = std::move(keepAlive);
    call->token = options.cancel;
    QFuture<Out> future = call->promise.future();
    call->promise.start();
    call->op = QString::fromLatin1(rpc.name);
    if (options.cancel && options.cancel->isCancelled()) {
        call->promise.setException(MilvusException(MilvusError{
            ErrorKind::Cancelled, call->op, 0, 0, 0, 0, QStringLiteral("cancelled before it was sent"), {}}));
        call->promise.finish();
        return future;
    }
    call->tracker = tracker;
    call->conn = conn;
    call->timeout = effectiveTimeout(conn, options);
    call->explain = std::move(explain);
    prepareContext(call->ctx, conn, options);
    if (options.cancel)
        call->cancelRegistration.emplace(options.cancel, [raw = call.get()] { raw->ctx.TryCancel(); });
    CallTracker::Entry *tag = call.get();
    call->handle = tracker->add(call);
    call->reader = (stub->*rpc.prepareAsync)(&call->ctx, request, tracker->queue());
    call->reader->StartCall();
#if defined(__SANITIZE_THREAD__)
    // The completion thread takes this call's record from the queue only after Finish hands gRPC the
    // tag, but gRPC orders the two with its own locks, which TSan cannot see (Debian's gRPC is not
    // TSan-built): say so, for everything written to the record up to here (acquired in CallTracker).
    __tsan_release(tag);
#endif
    call->reader->Finish(&call->response, &call->status, tag);
    return future;
}

// Builds the protocol request, then starts the call. A validation error of the builder (a
// MilvusException) becomes a failed future, and nothing is sent.
template<typename Out, typename Req, typename Resp, typename Build, typename Convert>
QFuture<Out> buildAndCallAsync(Stub *stub, std::shared_ptr<const void> keepAlive,
                               const std::shared_ptr<CallTracker> &tracker, const ConnectionContext &conn,
                               const Rpc<Req, Resp> &rpc, const CallOptions &options, Build build,
                               Convert convert, ErrorExplainer explain = {})
{
    Req request;
    try {
        request = build();
    } catch (const MilvusException &e) {
        return QtFuture::makeExceptionalFuture<Out>(e);
    }
    return callAsync<Out>(stub, std::move(keepAlive), tracker, conn, rpc, request, options,
                          std::move(convert), std::move(explain));
}

// The same RPC through the blocking stub: the synchronous path, not a wait on the async one.
template<typename Out, typename Req, typename Resp, typename Convert>
Out callSync(Stub *stub, const ConnectionContext &conn, const Rpc<Req, Resp> &rpc, const Req &request,
             const CallOptions &options, Convert convert, const ErrorExplainer &explain = {})
{
    const QString op = QString::fromLatin1(rpc.name);
    if (options.cancel && options.cancel->isCancelled())
        throwError(ErrorKind::Cancelled, op, QStringLiteral("cancelled before it was sent"));
    grpc::ClientContext ctx;
    prepareContext(ctx, conn, options);
    const auto timeout = effectiveTimeout(conn, options);
    Resp response;
    grpc::Status status;
    {
        CancelRegistration registration(options.cancel, [&ctx] { ctx.TryCancel(); });
        status = (stub->*rpc.sync)(&ctx, request, &response);
    }
    if (!status.ok()) {
        const bool cancelledByCaller = options.cancel && options.cancel->isCancelled();
        const MilvusError e =
            errorFromGrpc(status, op, conn, timeout, cancelledByCaller, ctx.debug_error_string());
        if (e.kind == ErrorKind::Transport && conn.transportExplainer)
            throw MilvusException(conn.transportExplainer(e));
        throw MilvusException(e);
    }
    try {
        checkMilvusStatus(*statusOf(response), op);
    } catch (const MilvusException &e) {
        if (!explain)
            throw;
        throw MilvusException(explainNow(explain, e.error()));
    }
    if constexpr (std::is_void_v<Out>)
        convert(response);
    else
        return convert(response);
}

} // namespace mx::detail
