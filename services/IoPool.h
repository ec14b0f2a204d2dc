#pragma once

class QThreadPool;

namespace mx {

// The one pool for blocking work that is not a gRPC call (files, processes' outputs, parsing): never
// the GUI thread, never QThreadPool::globalInstance() (which QtConcurrent users share and can starve).
// Process-wide; bounded; safe from any thread.
QThreadPool *ioPool();

} // namespace mx
