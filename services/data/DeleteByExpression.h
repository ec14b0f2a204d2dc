#pragma once

#include "CallOptions.h"

#include <QFuture>

#include <memory>

namespace mx {

class MilvusClient;

// Delete by expression, with the count a confirmation dialog shows first. Both calls are async and
// finish on a gRPC thread (use .then(context, ...)); failures are MilvusException with the server's
// reason. An empty filter is refused (InvalidArgument) rather than deleting everything.
class DeleteByExpression
{
public:
    DeleteByExpression(std::shared_ptr<MilvusClient> client, QString collection, QString filter,
                       QString partition = {}, CallOptions options = {});

    const QString &filter() const { return m_filter; }
    // count(*) of the rows the filter matches now.
    QFuture<qint64> preview() const;
    // Deletes the matching rows; the result is the server's delete count.
    QFuture<qint64> execute() const;

private:
    std::shared_ptr<MilvusClient> m_client;
    QString m_collection;
    QString m_filter;
    QString m_partition;
    CallOptions m_options;
};

} // namespace mx
