#pragma once

// Composition of the async steps of an operation (embed, then one Milvus call) into one
// QFuture<OpResult>, with the time of each step. Continuations run synchronously on whichever thread
// finishes the previous step (an embedding or gRPC thread) and do only bookkeeping there.

#include "CpuClock.h"
#include "LoadTestTypes.h"
#include "MilvusError.h"

#include <QFuture>
#include <QPromise>

#include <memory>

namespace mx::detail {

using OpPromise = std::shared_ptr<QPromise<OpResult>>;

inline OpPromise newOpPromise()
{
    auto p = std::make_shared<QPromise<OpResult>>();
    p->start();
    return p;
}

// Every failure leaves as a MilvusException, whatever was thrown.
inline void failOp(const OpPromise &p, const std::exception_ptr &e)
{
    p->setException(MilvusException(errorFromException(e)));
    p->finish();
}

inline void failOpCancelled(const OpPromise &p, const QString &operation)
{
    MilvusError e;
    e.kind = ErrorKind::Cancelled;
    e.operation = operation;
    e.reason = QStringLiteral("cancelled (a step's future was cancelled)");
    p->setException(MilvusException(e));
    p->finish();
}

// Finishes `promise` with convert(result of `call`), adding the call's time as milvusNs.
template<typename M, typename Convert>
void finishAfterMilvus(QFuture<M> call, const OpPromise &promise, qint64 sentNs, Convert convert)
{
    call.then(QtFuture::Launch::Sync,
              [promise, sentNs, convert](QFuture<M> f) {
                  const qint64 end = CpuClock::steadyNowNs();
                  try {
                      OpResult r;
                      if constexpr (std::is_void_v<M>) {
                          f.waitForFinished();
                          r = convert();
                      } else {
                          r = convert(f.result());
                      }
                      r.milvusNs += end - sentNs;
                      promise->addResult(std::move(r));
                      promise->finish();
                  } catch (...) {
                      failOp(promise, std::current_exception());
                  }
              })
        .onCanceled([promise] { failOpCancelled(promise, QStringLiteral("Milvus")); });
}

// One Milvus call: `call()` starts it (may throw for a request rejected before sending).
template<typename Call, typename Convert>
QFuture<OpResult> milvusOp(Call call, Convert convert)
{
    auto promise = newOpPromise();
    QFuture<OpResult> out = promise->future();
    const qint64 sent = CpuClock::steadyNowNs();
    try {
        finishAfterMilvus(call(), promise, sent, convert);
    } catch (...) {
        failOp(promise, std::current_exception());
    }
    return out;
}

// Embedding, then one Milvus call: `call(vectors)` starts the Milvus call once the embedding is there.
template<typename E, typename Call, typename Convert>
QFuture<OpResult> embedThenMilvusOp(QFuture<E> embedding, qint64 startNs, Call call, Convert convert)
{
    auto promise = newOpPromise();
    QFuture<OpResult> out = promise->future();
    embedding
        .then(QtFuture::Launch::Sync,
              [promise, startNs, call, convert](QFuture<E> f) {
                  const qint64 embedded = CpuClock::steadyNowNs();
                  try {
                      E vectors = f.result();
                      auto withEmbedding = [convert, embedNs = embedded - startNs](auto &&...value) {
                          OpResult r = convert(std::forward<decltype(value)>(value)...);
                          r.embeddingNs = embedNs;
                          return r;
                      };
                      finishAfterMilvus(call(vectors), promise, embedded, withEmbedding);
                  } catch (...) {
                      failOp(promise, std::current_exception());
                  }
              })
        .onCanceled([promise] { failOpCancelled(promise, QStringLiteral("Embed")); });
    return out;
}

// `f` with bookkeeping when it ends: onOk(result&) on success (may amend the result; runs before the
// caller sees it), onFailed(error) on failure or cancellation. Both run on the finishing thread.
template<typename Ok, typename Failed>
QFuture<OpResult> settle(QFuture<OpResult> f, Ok onOk, Failed onFailed)
{
    auto promise = newOpPromise();
    QFuture<OpResult> out = promise->future();
    f.then(QtFuture::Launch::Sync, [promise, onOk, onFailed](QFuture<OpResult> done) {
         try {
             OpResult r = done.result();
             onOk(r);
             promise->addResult(std::move(r));
             promise->finish();
         } catch (...) {
             onFailed(errorFromException(std::current_exception()));
             failOp(promise, std::current_exception());
         }
     }).onCanceled([promise, onFailed] {
        MilvusError e;
        e.kind = ErrorKind::Cancelled;
        onFailed(e);
        failOpCancelled(promise, QStringLiteral("Milvus"));
    });
    return out;
}

} // namespace mx::detail
