#pragma once

#include "CallOptions.h"
#include "LoadTestTypes.h"

#include <QFuture>

namespace mx {

// One kind of load-test operation (add, search, delete, ...). `index` numbers the operations of a run
// (0, 1, 2, ...) and decides what the operation touches (which documents, which query), so a run is
// reproducible. Implementations are thread-safe: start() and run() may be called concurrently.
class LoadOperation
{
public:
    virtual ~LoadOperation() = default;

    virtual QString name() const = 0;
    virtual bool writes() const = 0;
    // Whether operation `index` writes (a mix picks per index); for counting abandoned writes.
    virtual bool writesAt(qint64 index) const
    {
        Q_UNUSED(index);
        return writes();
    }

    // Blocking: does the whole operation on the calling thread through the blocking client (never the
    // GUI thread). Honours options (deadline, cancel token). Throws MilvusException on failure.
    virtual OpResult run(qint64 index, const CallOptions &options) = 0;

    // Async: returns at once; the future finishes on a gRPC or embedding thread with the result or a
    // MilvusException (a cancelled token ends it with ErrorKind::Cancelled). Never a Qt-cancelled
    // future unless something below breaks its promise.
    virtual QFuture<OpResult> start(qint64 index, const CallOptions &options) = 0;
};

} // namespace mx
