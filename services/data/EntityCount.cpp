#include "EntityCount.h"

#include "MilvusClient.h"

#include <QLocale>
#include <QObject>

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
    r.consistency = ConsistencyLevel::Strong;
    return r;
}

bool isNotLoaded(const MilvusError &e)
{
    // Milvus 2.3: code 101 "collection not loaded"; Milvus Lite words it the same way.
    return e.milvusCode == 101 || e.reason.contains(QLatin1String("not loaded"), Qt::CaseInsensitive) ||
           e.reason.contains(QLatin1String("released"), Qt::CaseInsensitive);
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

QString RowCount::note() const
{
    if (exact)
        return {};
    if (basis == Basis::PartitionKey)
        return QObject::tr("This collection has a partition key, so the server places rows in its "
                           "partitions itself and cannot count one partition by name: this is the "
                           "server's statistics figure, which ignores inserts not yet flushed and still "
                           "counts deleted rows. The collection's own row count is exact.");
    return QObject::tr("The collection is not loaded, so this is the server's statistics figure: it "
                       "ignores inserts not yet flushed and still counts deleted rows. Load the "
                       "collection for an exact count.");
}

QString RowCount::display() const
{
    if (rows < 0)
        return QStringLiteral("—");
    const QString n = QLocale().toString(rows);
    return exact ? n : QStringLiteral("≈ ") + n;
}

QFuture<RowCount> rowCountAsync(std::shared_ptr<const MilvusClient> client, const QString &collection,
                                const QString &partition, const CallOptions &options, bool partitionKey)
{
    if (!partition.isEmpty() && partitionKey)
        return client->getPartitionStatisticsAsync({collection, partition, options})
            .then([](const QMap<QString, QString> &s) {
                return RowCount{MilvusClient::rowCountFromStatistics(s), false,
                                RowCount::Basis::PartitionKey};
            });
    QueryRequest q = countRequest(collection, {}, options);
    if (!partition.isEmpty())
        q.partitions = {partition};
    auto c = client; // kept alive by the fallback below
    return client->queryAsync(q)
        .then([](const QueryResult &r) {
            return QtFuture::makeReadyFuture(RowCount{countOf(r), true, RowCount::Basis::Count});
        })
        .onFailed([c, collection, partition, options](const MilvusException &e) {
            if (!isNotLoaded(e.error()))
                throw e;
            const auto fromStats = [](const QMap<QString, QString> &s) {
                return RowCount{MilvusClient::rowCountFromStatistics(s), false, RowCount::Basis::NotLoaded};
            };
            return partition.isEmpty()
                       ? c->getCollectionStatisticsAsync({collection, options}).then(fromStats)
                       : c->getPartitionStatisticsAsync({collection, partition, options}).then(fromStats);
        })
        .unwrap();
}

} // namespace mx
