#include "CollectionDetails.h"

#include "MilvusClient.h"

#include <QJsonArray>
#include <QTimer>

#include <algorithm>

namespace mx {

namespace {
// common.IndexState
constexpr int kIndexUnissued = 1;
constexpr int kIndexInProgress = 2;
constexpr int kIndexRetry = 5;
} // namespace

CollectionDetails::CollectionDetails(std::shared_ptr<MilvusClient> client, QString database,
                                     QString collection, QObject *parent)
    : QObject(parent)
    , m_client(std::move(client))
    , m_database(std::move(database))
    , m_collection(std::move(collection))
{}

CallOptions CollectionDetails::options() const
{
    CallOptions o;
    o.dbName = m_database;
    return o;
}

void CollectionDetails::setPending(int delta)
{
    const bool was = isBusy();
    m_pending = std::max(0, m_pending + delta);
    if (was != isBusy())
        emit busyChanged(isBusy());
}

template<typename T, typename Apply>
void CollectionDetails::track(QFuture<T> future, const QString &what, Apply apply)
{
    const quint64 gen = m_generation;
    setPending(1);
    future
        .then(this,
              [this, gen, apply](const T &value) {
                  if (gen != m_generation)
                      return;
                  apply(value);
                  setPending(-1);
                  emit changed();
              })
        .onFailed(this, [this, gen, what](const MilvusException &e) {
            if (gen != m_generation)
                return;
            m_errors << QStringLiteral("%1: %2").arg(what, e.error().message());
            setPending(-1);
            emit changed();
        });
}

void CollectionDetails::refresh()
{
    ++m_generation;
    m_pending = 0;
    m_errors.clear();
    m_indexesMissing = false;
    const CallOptions o = options();

    // Partitions after the schema: a partition-key collection's partitions are not counted by name.
    track(m_client->describeCollectionAsync({m_collection, o}), tr("schema"),
          [this](const CollectionDescription &d) {
              m_description = d;
              trackPartitions(std::any_of(d.schema.fields.cbegin(), d.schema.fields.cend(),
                                          [](const FieldSchema &f) { return f.isPartitionKey; }));
          });
    track(rowCountAsync(m_client, m_collection, {}, o), tr("row count"),
          [this](const RowCount &count) { m_rows = count; });
    trackLoading();
    track(m_client->listAliasesAsync({m_collection, o}), tr("aliases"), [this](QStringList aliases) {
        aliases.sort(Qt::CaseInsensitive);
        m_aliases = aliases;
    });

    trackIndexes();
}

void CollectionDetails::trackPartitions(bool partitionKey)
{
    track(m_client->listPartitionsAsync({m_collection, options()}), tr("partitions"),
          [this, partitionKey](const QList<PartitionInfo> &ps) {
              m_partitions.clear();
              for (const auto &p : ps)
                  m_partitions.append(Partition{p, {}});
              for (const auto &p : ps) {
                  track(rowCountAsync(m_client, m_collection, p.name, options(), partitionKey),
                        tr("partition %1").arg(p.name), [this, name = p.name](const RowCount &count) {
                            for (auto &part : m_partitions)
                                if (part.info.name == name)
                                    part.rows = count;
                        });
              }
          });
}

void CollectionDetails::trackLoading()
{
    const CallOptions o = options();
    track(m_client->getLoadStateAsync({m_collection, {}, o}), tr("load state"), [this, o](LoadState s) {
        const bool wasLoading = m_loadState == LoadState::Loading;
        m_loadState = s;
        if (s == LoadState::Loading) {
            // Progress exists only while loading (the full server refuses it for a released collection).
            // Follow it with the two cheap calls only, then read everything once when loaded.
            track(m_client->getLoadingProgressAsync({m_collection, {}, o}), tr("loading progress"),
                  [this](int p) { m_progress = p; });
            const quint64 gen = m_generation;
            QTimer::singleShot(500, this, [this, gen] {
                if (gen == m_generation)
                    trackLoading();
            });
        } else {
            m_progress = s == LoadState::Loaded ? 100 : 0;
            if (wasLoading)
                QTimer::singleShot(0, this, &CollectionDetails::refresh);
        }
    });
}

void CollectionDetails::trackIndexes()
{
    // "No index" is an answer, not a failure: Milvus reports it as an error code.
    const quint64 gen = m_generation;
    setPending(1);
    m_client->describeIndexAsync({m_collection, {}, {}, options()})
        .then(
            this,
            [this, gen](const QList<IndexDescription> &list) {
                if (gen != m_generation)
                    return;
                m_indexes = list;
                m_indexesMissing = false;
                setPending(-1);
                emit changed();
                // A build in progress is followed until it finishes (indexed rows move on the full
                // server), so the overview does not sit at 0 until someone presses Refresh.
                const bool building = std::any_of(list.cbegin(), list.cend(), [](const IndexDescription &i) {
                    return i.state == kIndexUnissued || i.state == kIndexInProgress || i.state == kIndexRetry;
                });
                if (building)
                    QTimer::singleShot(1000, this, [this, gen] {
                        if (gen == m_generation)
                            trackIndexes();
                    });
            })
        .onFailed(this, [this, gen](const MilvusException &e) {
            if (gen != m_generation)
                return;
            m_indexes.clear();
            if (e.error().kind == ErrorKind::Milvus &&
                e.error().reason.contains(QLatin1String("index"), Qt::CaseInsensitive))
                m_indexesMissing = true;
            else
                m_errors << tr("indexes: %1").arg(e.error().message());
            setPending(-1);
            emit changed();
        });
}

QJsonObject CollectionDetails::toJson() const
{
    QJsonObject out;
    out[QStringLiteral("database")] = m_database;
    out[QStringLiteral("collection")] = m_collection;
    out[QStringLiteral("rowCount")] = m_rows.rows;
    out[QStringLiteral("rowCountExact")] = m_rows.exact;
    if (m_loadState)
        out[QStringLiteral("loadState")] = loadStateName(*m_loadState);
    if (m_description) {
        const auto &d = *m_description;
        QJsonObject schema;
        schema[QStringLiteral("description")] = d.schema.description;
        schema[QStringLiteral("enableDynamicField")] = d.schema.enableDynamicField;
        QJsonArray fields;
        for (const auto &f : d.schema.fields) {
            QJsonObject jf;
            jf[QStringLiteral("name")] = f.name;
            jf[QStringLiteral("type")] = dataTypeName(f.type);
            if (f.type == DataType::Array)
                jf[QStringLiteral("elementType")] = dataTypeName(f.elementType);
            jf[QStringLiteral("primaryKey")] = f.isPrimaryKey;
            jf[QStringLiteral("autoId")] = f.autoId;
            jf[QStringLiteral("partitionKey")] = f.isPartitionKey;
            jf[QStringLiteral("nullable")] = f.nullable;
            if (f.defaultValue.isValid())
                jf[QStringLiteral("default")] = QJsonValue::fromVariant(f.defaultValue);
            QJsonObject params;
            for (auto it = f.typeParams.cbegin(); it != f.typeParams.cend(); ++it)
                params[it.key()] = it.value();
            jf[QStringLiteral("params")] = params;
            if (!f.description.isEmpty())
                jf[QStringLiteral("description")] = f.description;
            fields.append(jf);
        }
        schema[QStringLiteral("fields")] = fields;
        out[QStringLiteral("schema")] = schema;
        out[QStringLiteral("consistencyLevel")] = consistencyLevelName(d.consistency);
        out[QStringLiteral("aliases")] = QJsonArray::fromStringList(m_aliases);
        QJsonObject props;
        for (auto it = d.properties.cbegin(); it != d.properties.cend(); ++it)
            props[it.key()] = it.value();
        out[QStringLiteral("properties")] = props;
    }
    QJsonArray indexes;
    for (const auto &i : m_indexes) {
        QJsonObject ji;
        ji[QStringLiteral("name")] = i.indexName;
        ji[QStringLiteral("field")] = i.fieldName;
        ji[QStringLiteral("indexType")] = i.indexType();
        ji[QStringLiteral("metricType")] = i.metricType();
        ji[QStringLiteral("params")] = i.buildParams();
        ji[QStringLiteral("indexedRows")] = i.indexedRows;
        ji[QStringLiteral("totalRows")] = i.totalRows;
        indexes.append(ji);
    }
    out[QStringLiteral("indexes")] = indexes;
    QJsonArray parts;
    for (const auto &p : m_partitions)
        parts.append(QJsonObject{{QStringLiteral("name"), p.info.name},
                                 {QStringLiteral("rows"), p.rows.rows},
                                 {QStringLiteral("rowsExact"), p.rows.exact}});
    out[QStringLiteral("partitions")] = parts;
    return out;
}

} // namespace mx
