#pragma once

#include "CallOptions.h"
#include "EntityCount.h"
#include "MilvusError.h"
#include "MilvusTypes.h"
#include "ServerCapabilities.h"

#include <QFuture>
#include <QJsonObject>
#include <QObject>

#include <memory>

namespace mx {

class MilvusClient;

// Everything the overview shows about one collection: description (schema, properties, aliases),
// indexes, partitions with row counts, row count, load state and progress. refresh() issues the
// calls concurrently; each part fills in as it arrives (changed()), late answers of an earlier
// refresh are dropped, and each part's failure is kept next to it (a failure is never "no data").
// GUI thread only.
class CollectionDetails : public QObject
{
    Q_OBJECT
public:
    struct Partition
    {
        PartitionInfo info;
        RowCount rows; // rows.rows -1: not known yet
    };

    explicit CollectionDetails(std::shared_ptr<MilvusClient> client, QString database, QString collection,
                               QObject *parent = nullptr);

    void refresh();
    bool isBusy() const { return m_pending > 0; }

    QString database() const { return m_database; }
    QString collection() const { return m_collection; }
    const std::optional<CollectionDescription> &description() const { return m_description; }
    const QList<IndexDescription> &indexes() const { return m_indexes; }
    const QList<Partition> &partitions() const { return m_partitions; }
    qint64 rowCount() const { return m_rows.rows; }
    const RowCount &rows() const { return m_rows; }
    std::optional<LoadState> loadState() const { return m_loadState; }
    int loadingProgress() const { return m_progress; }
    QStringList errors() const { return m_errors; }
    bool indexesMissing() const { return m_indexesMissing; }
    // From ListAliases (both servers; Milvus Lite's DescribeCollection leaves them out), sorted.
    const QStringList &aliases() const { return m_aliases; }

    // What the server supports (set by the page that shows these details).
    void setCapabilities(const ServerCapabilities &c) { m_capabilities = c; }
    const ServerCapabilities &capabilities() const { return m_capabilities; }

    // The whole picture as JSON ("copy as JSON").
    QJsonObject toJson() const;

signals:
    void changed();
    void busyChanged(bool busy);

private:
    template<typename T, typename Apply>
    void track(QFuture<T> future, const QString &what, Apply apply);
    void trackLoading(); // load state, and progress while loading; repeats every 500 ms while loading
    void trackIndexes(); // describes the indexes; repeats every second while one is being built
    void trackPartitions(bool partitionKey); // lists them, then a row count each
    void setPending(int delta);
    CallOptions options() const;

    std::shared_ptr<MilvusClient> m_client;
    QString m_database;
    QString m_collection;
    quint64 m_generation = 0;
    int m_pending = 0;
    std::optional<CollectionDescription> m_description;
    QList<IndexDescription> m_indexes;
    bool m_indexesMissing = false;
    QList<Partition> m_partitions;
    QStringList m_aliases;
    RowCount m_rows;
    ServerCapabilities m_capabilities;
    std::optional<LoadState> m_loadState;
    int m_progress = 0;
    QStringList m_errors;
};

} // namespace mx
