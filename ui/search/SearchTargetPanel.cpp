#include "SearchTargetPanel.h"

#include "Icons.h"
#include "MilvusClient.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QStandardItemModel>
#include <QToolButton>

namespace mx {

namespace {
const QString kDynamic = QStringLiteral("$meta");

QListWidgetItem *checkableItem(QListWidget *list, const QString &text, const QString &value, bool checked)
{
    auto *item = new QListWidgetItem(text, list);
    item->setData(Qt::UserRole, value);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    return item;
}

QStringList checkedValues(const QListWidget *list)
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->checkState() == Qt::Checked)
            out << list->item(i)->data(Qt::UserRole).toString();
    }
    return out;
}

// Tall enough for its items (up to `maxRows`), so that short lists leave room for the rest of the panel.
void fitHeight(QListWidget *list, int maxRows)
{
    const int rows = std::clamp(list->count(), 1, maxRows);
    const int rowHeight = list->count() > 0 ? list->sizeHintForRow(0) : list->fontMetrics().height() + 4;
    list->setFixedHeight(rows * rowHeight + 2 * list->frameWidth() + 2);
}

void setChecked(QListWidget *list, const QStringList &values)
{
    for (int i = 0; i < list->count(); ++i)
        list->item(i)->setCheckState(
            values.contains(list->item(i)->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
}
} // namespace

SearchTargetPanel::SearchTargetPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("searchTargetPanel"));
    buildUi();
}

void SearchTargetPanel::buildUi()
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    auto *collectionRow = new QHBoxLayout;
    m_collection = new QComboBox(this);
    m_collection->setObjectName(QStringLiteral("collectionCombo"));
    m_collection->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_collection->setMinimumContentsLength(12);
    collectionRow->addWidget(m_collection, 1);
    m_reload = new QToolButton(this);
    m_reload->setObjectName(QStringLiteral("reloadCollectionsButton"));
    m_reload->setIcon(icon(QStringLiteral("refresh")));
    m_reload->setToolTip(tr("Reload the collections and the schema"));
    collectionRow->addWidget(m_reload);
    form->addRow(tr("Collection"), collectionRow);

    m_vectorField = new QComboBox(this);
    m_vectorField->setObjectName(QStringLiteral("vectorFieldCombo"));
    form->addRow(tr("Vector field"), m_vectorField);

    m_metric = new QComboBox(this);
    m_metric->setObjectName(QStringLiteral("metricCombo"));
    m_metric->addItem(tr("Index metric"), QString());
    for (const char *m : {"L2", "IP", "COSINE"})
        m_metric->addItem(QString::fromLatin1(m), QString::fromLatin1(m));
    m_metric->setToolTip(tr("The metric of the field's index; an override must match the index"));
    form->addRow(tr("Metric"), m_metric);

    m_consistency = new QComboBox(this);
    m_consistency->setObjectName(QStringLiteral("consistencyCombo"));
    m_consistency->addItem(tr("Collection default"), -1);
    for (auto level : {ConsistencyLevel::Strong, ConsistencyLevel::Session, ConsistencyLevel::Bounded,
                       ConsistencyLevel::Eventually})
        m_consistency->addItem(consistencyLevelName(level), int(level));
    form->addRow(tr("Consistency"), m_consistency);

    m_outputFields = new QListWidget(this);
    m_outputFields->setObjectName(QStringLiteral("outputFieldList"));
    m_outputFields->setToolTip(tr("Fields returned with each hit"));
    fitHeight(m_outputFields, 6);
    form->addRow(tr("Output fields"), m_outputFields);

    m_partitions = new QListWidget(this);
    m_partitions->setObjectName(QStringLiteral("partitionList"));
    m_partitions->setToolTip(tr("Search only the checked partitions; none checked: all of them"));
    fitHeight(m_partitions, 4);
    form->addRow(tr("Partitions"), m_partitions);

    connect(m_collection, &QComboBox::currentIndexChanged, this, &SearchTargetPanel::onCollectionPicked);
    connect(m_vectorField, &QComboBox::currentIndexChanged, this, &SearchTargetPanel::onVectorFieldPicked);
    connect(m_metric, &QComboBox::currentIndexChanged, this,
            [this] { emit metricChanged(m_metric->currentData().toString()); });
    connect(m_reload, &QToolButton::clicked, this, &SearchTargetPanel::reload);
}

void SearchTargetPanel::setClient(std::shared_ptr<MilvusClient> client)
{
    m_client = std::move(client);
    if (!m_client) {
        ++m_listGeneration; // answers of the old connection are dropped
        const QSignalBlocker blocker(m_collection);
        m_collection->clear();
        onCollectionPicked();
        return;
    }
    reload();
}

void SearchTargetPanel::setCollection(const QString &database, const QString &collection)
{
    const bool sameDatabase = database == m_database && m_collection->count() > 0;
    m_database = database;
    m_wantedCollection = collection;
    if (sameDatabase && m_collection->findText(collection) >= 0) {
        m_collection->setCurrentIndex(m_collection->findText(collection));
        return;
    }
    loadCollections();
}

void SearchTargetPanel::reload()
{
    if (m_wantedCollection.isEmpty())
        m_wantedCollection = collection();
    loadCollections();
}

QString SearchTargetPanel::collection() const
{
    return m_collection->currentText();
}

QString SearchTargetPanel::vectorField() const
{
    return m_vectorField->currentData().toString();
}

int SearchTargetPanel::vectorDimension() const
{
    const FieldSchema *f = m_schema.field(vectorField());
    return f ? f->dim() : 0;
}

void SearchTargetPanel::setPending(int delta)
{
    const bool was = isLoading();
    m_pending += delta;
    if (was != isLoading())
        emit loadingChanged(isLoading());
}

SearchTargetPanel::Generation SearchTargetPanel::generation() const
{
    return {m_listGeneration, m_schemaGeneration, m_indexGeneration};
}

bool SearchTargetPanel::isCurrent(const Generation &g, Scope scope) const
{
    const Generation now = generation();
    switch (scope) {
    case Scope::List:
        return g.list == now.list;
    case Scope::Schema:
        return g.list == now.list && g.schema == now.schema;
    case Scope::Index:
        return g.list == now.list && g.schema == now.schema && g.index == now.index;
    }
    return false;
}

// Calls onResult with the value or the exception_ptr, on this thread, unless a newer list, collection or
// vector field made the answer stale.
template<typename T, typename Fn>
void SearchTargetPanel::track(QFuture<T> future, Scope scope, Fn onResult)
{
    setPending(+1);
    const Generation g = generation();
    future
        .then(&m_answers,
              [this, g, scope, onResult](QFuture<T> done) {
                  setPending(-1);
                  if (!isCurrent(g, scope))
                      return;
                  try {
                      const T value = done.result();
                      onResult(value);
                  } catch (...) {
                      onResult(std::current_exception());
                  }
              })
        .onCanceled(&m_answers, [this] { setPending(-1); });
}

void SearchTargetPanel::loadCollections()
{
    ++m_listGeneration;
    if (!m_client)
        return;
    ServerRequest r;
    r.options.dbName = m_database;
    track(m_client->listCollectionsAsync(r), Scope::List, [this](const auto &answer) {
        if constexpr (std::is_same_v<std::decay_t<decltype(answer)>, std::exception_ptr>) {
            emit errorOccurred(tr("Cannot list the collections of %1: %2")
                                   .arg(m_database.isEmpty() ? tr("the default database") : m_database,
                                        errorFromException(answer).message()));
        } else {
            QStringList names = answer;
            names.sort(Qt::CaseInsensitive);
            const QString wanted = m_wantedCollection.isEmpty() ? collection() : m_wantedCollection;
            m_wantedCollection.clear();
            {
                const QSignalBlocker blocker(m_collection);
                m_collection->clear();
                m_collection->addItems(names);
                m_collection->setCurrentIndex(std::max<qsizetype>(0, names.indexOf(wanted)));
            }
            onCollectionPicked();
        }
    });
}

void SearchTargetPanel::onCollectionPicked()
{
    ++m_schemaGeneration;
    m_schemaLoaded = false;
    m_schema = {};
    m_indexMetric.clear();
    {
        const QSignalBlocker blocker(m_vectorField);
        m_vectorField->clear();
    }
    m_outputFields->clear();
    m_partitions->clear();
    updateMetricLabel();
    if (m_pendingSpec && m_pendingSpec->collection != collection())
        m_pendingSpec.reset();
    emit collectionChanged(m_database, collection());
    loadSchema();
}

void SearchTargetPanel::loadSchema()
{
    if (!m_client || collection().isEmpty())
        return;
    CollectionRequest r;
    r.collection = collection();
    r.options.dbName = m_database;
    track(m_client->describeCollectionAsync(r), Scope::Schema, [this](const auto &answer) {
        if constexpr (std::is_same_v<std::decay_t<decltype(answer)>, std::exception_ptr>)
            emit errorOccurred(tr("Cannot read the schema of %1: %2")
                                   .arg(collection(), errorFromException(answer).message()));
        else
            showSchema(answer);
    });
    track(m_client->listPartitionsAsync(r), Scope::Schema, [this](const auto &answer) {
        if constexpr (std::is_same_v<std::decay_t<decltype(answer)>, std::exception_ptr>)
            emit errorOccurred(tr("Cannot list the partitions of %1: %2")
                                   .arg(collection(), errorFromException(answer).message()));
        else
            showPartitions(answer);
    });
}

void SearchTargetPanel::showSchema(const CollectionDescription &description)
{
    m_schema = description.schema;
    m_defaultConsistency = description.consistency;
    updatePartitionChoices();
    m_consistency->setItemText(0,
                               tr("Collection default (%1)").arg(consistencyLevelName(m_defaultConsistency)));
    m_outputFields->clear();
    for (const auto &f : m_schema.fields) {
        if (f.isDynamic)
            continue;
        const QString text = QStringLiteral("%1  (%2)").arg(f.name, dataTypeName(f.type));
        checkableItem(m_outputFields, text, f.name, !isVectorType(f.type) && !f.isPrimaryKey);
    }
    if (m_schema.enableDynamicField)
        checkableItem(m_outputFields, tr("%1  (dynamic fields)").arg(kDynamic), kDynamic, true);
    fitHeight(m_outputFields, 6);
    m_schemaLoaded = true;
    {
        const QSignalBlocker blocker(m_vectorField);
        for (const FieldSchema *f : m_schema.vectorFields())
            m_vectorField->addItem(
                QStringLiteral("%1  (%2, dim %3)").arg(f->name, dataTypeName(f->type)).arg(f->dim()),
                f->name);
    }
    if (m_pendingSpec && m_pendingSpec->collection == collection()) {
        const SearchSpec spec = *m_pendingSpec;
        m_pendingSpec.reset();
        applyTargetDetails(spec);
    }
    onVectorFieldPicked();
    emit schemaLoaded();
}

void SearchTargetPanel::showPartitions(const QList<PartitionInfo> &partitions)
{
    m_partitions->clear();
    for (const auto &p : partitions)
        checkableItem(m_partitions, p.name, p.name, false);
    fitHeight(m_partitions, 4);
    updatePartitionChoices();
}

void SearchTargetPanel::onVectorFieldPicked()
{
    ++m_indexGeneration;
    m_indexMetric.clear();
    updateMetricLabel();
    emit vectorFieldChanged(vectorField(), vectorDimension());
    loadIndexMetric();
}

void SearchTargetPanel::loadIndexMetric()
{
    if (!m_client || vectorField().isEmpty())
        return;
    IndexRequest r;
    r.collection = collection();
    r.fieldName = vectorField();
    r.options.dbName = m_database;
    const QString field = vectorField();
    track(m_client->describeIndexAsync(r), Scope::Index, [this, field](const auto &answer) {
        if constexpr (std::is_same_v<std::decay_t<decltype(answer)>, std::exception_ptr>) {
            const MilvusError e = errorFromException(answer);
            // A field without an index is a state, not a failure: search then needs a metric override.
            if (e.kind == ErrorKind::Milvus &&
                e.reason.contains(QLatin1String("index not"), Qt::CaseInsensitive))
                m_indexMetric.clear();
            else
                emit errorOccurred(tr("Cannot read the index of %1: %2").arg(field, e.message()));
        } else {
            for (const auto &index : answer) {
                if (index.fieldName == field || answer.size() == 1)
                    m_indexMetric = index.metricType();
            }
        }
        updateMetricLabel();
        emit metricChanged(m_metric->currentData().toString());
    });
}

void SearchTargetPanel::updateMetricLabel()
{
    m_metric->setItemText(0, m_indexMetric.isEmpty() ? tr("Index metric (unknown)")
                                                     : tr("Index metric (%1)").arg(m_indexMetric));
    updateMetricChoices();
}

void SearchTargetPanel::setCapabilities(const ServerCapabilities &caps)
{
    m_caps = caps;
    updateMetricChoices();
}

void SearchTargetPanel::updateMetricChoices()
{
    // Milvus refuses a search whose metric differs from the index's ("metric type not match"): offer
    // only the index's there. An already chosen override stays selected (and the server says why).
    auto *model = qobject_cast<QStandardItemModel *>(m_metric->model());
    const bool indexOnly = m_caps.flavor == ServerCapabilities::Flavor::Milvus && !m_indexMetric.isEmpty();
    for (int i = 1; model && i < model->rowCount(); ++i) {
        QStandardItem *item = model->item(i);
        const bool ok = !indexOnly || item->data(Qt::UserRole).toString() == m_indexMetric;
        item->setEnabled(ok || i == m_metric->currentIndex());
        item->setToolTip(ok ? QString()
                            : tr("%1 searches with the index's metric (%2) only")
                                  .arg(m_caps.displayName(), m_indexMetric));
    }
}

void SearchTargetPanel::updatePartitionChoices()
{
    // With a partition key the server routes rows by the key and refuses explicit partitions.
    const FieldSchema *key = nullptr;
    for (const auto &f : m_schema.fields)
        if (f.isPartitionKey)
            key = &f;
    if (key) {
        for (int i = 0; i < m_partitions->count(); ++i)
            m_partitions->item(i)->setCheckState(Qt::Unchecked);
    }
    m_partitions->setEnabled(!key);
    m_partitions->setToolTip(key ? tr("This collection is partitioned by its key '%1': the server picks the "
                                      "partitions; filter on %1 instead")
                                       .arg(key->name)
                                 : tr("Search only the checked partitions; none checked: all of them"));
}

void SearchTargetPanel::fillSpec(SearchSpec &spec) const
{
    spec.database = m_database;
    spec.collection = collection();
    spec.vectorField = vectorField();
    spec.metric = m_metric->currentData().toString();
    spec.outputFields = checkedValues(m_outputFields);
    spec.partitions = checkedValues(m_partitions);
    const int level = m_consistency->currentData().toInt();
    spec.consistency = level < 0 ? std::nullopt : std::optional(ConsistencyLevel(level));
}

void SearchTargetPanel::applySpec(const SearchSpec &spec)
{
    if (spec.collection == collection() && spec.database == m_database && m_schemaLoaded) {
        applyTargetDetails(spec);
        return;
    }
    m_pendingSpec = spec;
    setCollection(spec.database, spec.collection);
}

void SearchTargetPanel::applyTargetDetails(const SearchSpec &spec)
{
    const int field = m_vectorField->findData(spec.vectorField);
    if (field >= 0)
        m_vectorField->setCurrentIndex(field);
    m_metric->setCurrentIndex(std::max(0, m_metric->findData(spec.metric)));
    m_consistency->setCurrentIndex(
        std::max(0, m_consistency->findData(spec.consistency ? int(*spec.consistency) : -1)));
    setChecked(m_outputFields, spec.outputFields);
    setChecked(m_partitions, spec.partitions);
}

} // namespace mx
