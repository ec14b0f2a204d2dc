#pragma once

#include "ServerCapabilities.h"

#include "MilvusTypes.h"
#include "SearchSpec.h"

#include <QFuture>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QListWidget;
class QToolButton;

namespace mx {

class MilvusClient;

// What a search runs against: database collection (listed from the server), vector field, metric (the
// index's, found with DescribeIndex, or an override), consistency level, output fields and partitions.
// Everything is loaded asynchronously; answers of an earlier database or collection are dropped by a
// generation counter. Failures are reported through errorOccurred, never as an empty list.
class SearchTargetPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SearchTargetPanel(QWidget *parent = nullptr);

    void setClient(std::shared_ptr<MilvusClient> client);
    // The full server searches with the index's metric only; Milvus Lite with any (so overrides are
    // offered there alone).
    void setCapabilities(const ServerCapabilities &caps);
    // Lists the database's collections and selects `collection` once listed (the first one when empty).
    void setCollection(const QString &database, const QString &collection);
    void reload();

    QString database() const { return m_database; }
    QString collection() const;
    bool hasSchema() const { return m_schemaLoaded; }
    const CollectionSchema &schema() const { return m_schema; }
    QString vectorField() const;
    int vectorDimension() const;
    QString indexMetric() const { return m_indexMetric; } // empty while unknown
    bool isLoading() const { return m_pending > 0; }

    // Reads and writes the target part of a spec. Applying a spec of another collection selects it and
    // applies the rest once its schema has arrived.
    void fillSpec(SearchSpec &spec) const;
    void applySpec(const SearchSpec &spec);

signals:
    void collectionChanged(const QString &database, const QString &collection);
    void schemaLoaded();
    void vectorFieldChanged(const QString &field, int dimension);
    void metricChanged(const QString &metric);
    void loadingChanged(bool loading);
    void errorOccurred(const QString &message);

private:
    void updateMetricChoices();
    void updatePartitionChoices();
    ServerCapabilities m_caps;
    void buildUi();
    void loadCollections();
    void loadSchema();
    void loadIndexMetric();
    void onCollectionPicked();
    void onVectorFieldPicked();
    void showSchema(const CollectionDescription &description);
    void showPartitions(const QList<PartitionInfo> &partitions);
    void applyTargetDetails(const SearchSpec &spec);
    void updateMetricLabel();
    void setPending(int delta);
    enum class Scope
    {
        List,   // stale once the collections are listed again
        Schema, // ... or another collection is picked
        Index   // ... or another vector field is picked
    };
    struct Generation
    {
        quint64 list = 0, schema = 0, index = 0;
    };
    Generation generation() const;
    bool isCurrent(const Generation &g, Scope scope) const;
    template<typename T, typename Fn>
    void track(QFuture<T> future, Scope scope, Fn onResult);

    std::shared_ptr<MilvusClient> m_client;
    QString m_database;
    QString m_wantedCollection;
    std::optional<SearchSpec> m_pendingSpec;
    CollectionSchema m_schema;
    ConsistencyLevel m_defaultConsistency = ConsistencyLevel::Bounded;
    bool m_schemaLoaded = false;
    QString m_indexMetric;
    quint64 m_listGeneration = 0;
    quint64 m_schemaGeneration = 0;
    quint64 m_indexGeneration = 0;
    int m_pending = 0;

    QComboBox *m_collection;
    QToolButton *m_reload;
    QComboBox *m_vectorField;
    QComboBox *m_metric;
    QComboBox *m_consistency;
    QListWidget *m_outputFields;
    QListWidget *m_partitions;
    // The context of the server's answers, declared last so that it is destroyed first. ~QWidget drops
    // the answers still queued for this widget, which cancels their futures, and an onCanceled(this)
    // handler then ran on what was no longer a SearchTargetPanel (UBSan; docs/sanitizers.md, third
    // pass). A plain QObject is unreachable through its QPointers before it drops its queue, so Qt
    // skips those handlers.
    QObject m_answers;
};

} // namespace mx
