#pragma once

#include "CallOptions.h"

#include <QFuture>
#include <QString>
#include <QStringList>

#include <memory>

namespace mx {

class MilvusClient;

// count(*) of the rows matching `filter` (empty: all rows), at Strong consistency (every acknowledged
// write counted, every delete applied). The async form finishes on a gRPC thread; the blocking form must
// not run on the GUI thread. Failures (e.g. a malformed filter, a released collection) are
// MilvusException with the server's reason, never a count of 0.
QFuture<qint64> countEntitiesAsync(const MilvusClient &client, const QString &collection,
                                   const QString &filter, const CallOptions &options = {});
qint64 countEntities(const MilvusClient &client, const QString &collection, const QString &filter,
                     const CallOptions &options = {});

// The one definition of "rows" the app shows: the exact count(*) at Strong consistency. A collection
// that is not loaded cannot be counted; then the server's statistics stand in, labelled as such (they
// ignore unflushed inserts and still count deleted rows).
struct RowCount
{
    // Where a figure that is not exact comes from.
    enum class Basis
    {
        Count,       // count(*) at Strong: exact
        NotLoaded,   // statistics: the collection is not loaded
        PartitionKey // statistics: a partition of a partition-key collection, which cannot be counted
                     // by name (the full server refuses partition names there; Milvus Lite ignores them)
    };
    qint64 rows = -1;
    bool exact = false; // false: rows is the statistics figure
    Basis basis = Basis::NotLoaded;
    // Why the figure is not exact, for a tooltip; empty when exact.
    QString note() const;
    // "1,234" or "≈ 1,234".
    QString display() const;
};
// Of the collection, or of one partition when `partition` is set (`partitionKey`: the collection has a
// partition-key field, so the partition's figure is its statistics). Fails only when neither figure can
// be had (the collection is gone, the server is down).
QFuture<RowCount> rowCountAsync(std::shared_ptr<const MilvusClient> client, const QString &collection,
                                const QString &partition = {}, const CallOptions &options = {},
                                bool partitionKey = false);

} // namespace mx
