#include "EntityCount.h"

#include "MilvusClient.h"

namespace mx {

namespace {
const QString kCount = QStringLiteral("count(*)");

QueryRequest countRequest(const QString &collection, const QString &filter, const CallOptions &options)
{
    QueryRequest r;
    r.collection = collection;
    r.filter = filter.trimmed();
    r.outputFields = {kCount};
    r.options = options;
    return r;
}

qint64 countOf(const QueryResult &result)
{
    const FieldColumn *c = result.column(kCount);
    if (!c || c->rowCount() < 1)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Count"),
                   QStringLiteral("the server's answer has no count(*) value"));
    return c->value(0).toLongLong();
}
} // namespace

QFuture<qint64> countEntitiesAsync(const MilvusClient &client, const QString &collection,
                                   const QString &filter, const CallOptions &options)
{
    return client.queryAsync(countRequest(collection, filter, options)).then([](const QueryResult &r) {
        return countOf(r);
    });
}

qint64 countEntities(const MilvusClient &client, const QString &collection, const QString &filter,
                     const CallOptions &options)
{
    return countOf(client.query(countRequest(collection, filter, options)));
}

} // namespace mx
