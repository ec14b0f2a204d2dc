#pragma once

#include "CallOptions.h"

#include <QFuture>
#include <QStringList>

namespace mx {

class MilvusClient;

// count(*) of the rows matching `filter` (empty: all rows). The async form finishes on a gRPC thread;
// the blocking form must not run on the GUI thread. Failures (e.g. a malformed filter, a released
// collection) are MilvusException with the server's reason, never a count of 0.
QFuture<qint64> countEntitiesAsync(const MilvusClient &client, const QString &collection,
                                   const QString &filter, const CallOptions &options = {});
qint64 countEntities(const MilvusClient &client, const QString &collection, const QString &filter,
                     const CallOptions &options = {});

} // namespace mx
