#include "SegmentSnapshot.h"

#include "AdminClient.h"
#include "IoPool.h"

#include <QtConcurrent>

namespace mx {

qint64 SegmentSnapshot::persistentRows() const
{
    qint64 n = 0;
    for (const PersistentSegment &s : persistent)
        if (s.state != QLatin1String("Dropped"))
            n += s.rows;
    return n;
}

QFuture<SegmentSnapshot> SegmentSnapshot::load(std::shared_ptr<const MilvusClient> client,
                                               const QString &collection, const QString &database)
{
    return QtConcurrent::run(ioPool(), [client, collection, database] {
        const AdminClient admin(*client);
        CallOptions options;
        options.dbName = database;
        SegmentSnapshot s;
        s.collection = collection;
        s.persistent = admin.persistentSegments({collection, options});
        const bool loaded = client->getLoadState({collection, {}, options}) == LoadState::Loaded;
        if (loaded) {
            s.loaded = admin.querySegments({collection, options});
            s.loadedKnown = true;
            QueryRequest count;
            count.collection = collection;
            count.outputFields = {QStringLiteral("count(*)")};
            count.consistency = ConsistencyLevel::Strong;
            count.options = options;
            const QueryResult r = client->query(count);
            if (r.rowCount() > 0)
                s.liveRows = r.columns.first().value(0).toLongLong();
        }
        s.storedRows =
            MilvusClient::rowCountFromStatistics(client->getCollectionStatistics({collection, options}));
        return s;
    });
}

} // namespace mx
