#pragma once

#include "CancelToken.h"
#include "MilvusError.h"

#include <QPromise>
#include <QThreadPool>

namespace mx {

// The pool long data operations (export, import, sample data) run on: their own threads, so a long
// export never starves QThreadPool::globalInstance() that QtConcurrent users share. Waited for at exit.
QThreadPool *dataThreadPool();

// Throws MilvusException(Cancelled, "<operation> cancelled <progress>") when the caller cancelled the
// future or the operation's token. Called by workers between rows and batches.
template<typename T>
void throwIfCancelled(const QPromise<T> &promise, const CancelToken &token, const QString &operation,
                      const QString &progress)
{
    if (promise.isCanceled() || token.isCancelled())
        throwError(ErrorKind::Cancelled, operation, QStringLiteral("cancelled %1").arg(progress));
}

// Reports the failure of a worker on its promise (a cancelled future drops it, which is fine: the
// caller asked for the cancellation and sees the future cancelled).
template<typename T>
void reportFailure(QPromise<T> &promise, std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (const QException &e) {
        promise.setException(e);
    } catch (...) {
        promise.setException(MilvusException(errorFromException(std::current_exception())));
    }
}

} // namespace mx
