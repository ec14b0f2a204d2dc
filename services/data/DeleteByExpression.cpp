#include "DeleteByExpression.h"

#include "EntityCount.h"
#include "MilvusClient.h"

namespace mx {

DeleteByExpression::DeleteByExpression(std::shared_ptr<MilvusClient> client, QString collection,
                                       QString filter, QString partition, CallOptions options)
    : m_client(std::move(client))
    , m_collection(std::move(collection))
    , m_filter(std::move(filter).trimmed())
    , m_partition(std::move(partition))
    , m_options(std::move(options))
{}

QFuture<qint64> DeleteByExpression::preview() const
{
    if (m_filter.isEmpty())
        return QtFuture::makeExceptionalFuture<qint64>(MilvusException(
            MilvusError{ErrorKind::InvalidArgument,
                        QStringLiteral("Delete"),
                        0,
                        0,
                        0,
                        0,
                        QStringLiteral("a delete needs a filter expression (refusing to delete everything)"),
                        {}}));
    return countEntitiesAsync(*m_client, m_collection, m_filter, m_options);
}

QFuture<qint64> DeleteByExpression::execute() const
{
    DeleteRequest r;
    r.collection = m_collection;
    r.partition = m_partition;
    r.filter = m_filter;
    r.options = m_options;
    return m_client->deleteEntitiesAsync(r).then([](const MutationResult &m) { return m.deleteCount; });
}

} // namespace mx
