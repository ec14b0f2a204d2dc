#pragma once

#include "AdminTypes.h"

#include <QFuture>

#include <memory>

namespace mx {

class MilvusClient;

// One collection's segments as the server reports them: persistent (data coordinator) and loaded
// (query nodes), with the row picture: rows stored (GetCollectionStatistics, which still counts deleted
// rows until a compaction drops them) against live rows (count(*) at Strong consistency). A value.
struct SegmentSnapshot
{
    QString collection;
    QList<PersistentSegment> persistent;
    QList<QuerySegment> loaded;
    bool loadedKnown = false; // false: the collection is not loaded (no query segments to ask for)
    qint64 storedRows = -1;   // -1: unknown
    qint64 liveRows = -1;
    qint64 deletedNotCompacted() const
    {
        return storedRows >= 0 && liveRows >= 0 ? std::max<qint64>(0, storedRows - liveRows) : -1;
    }
    qint64 persistentRows() const;

    // On mx::ioPool() (blocking calls there). Fails with the segment calls' MilvusException.
    static QFuture<SegmentSnapshot> load(std::shared_ptr<const MilvusClient> client,
                                         const QString &collection, const QString &database = {});
};

} // namespace mx
