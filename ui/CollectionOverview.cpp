#include "CollectionOverview.h"

#include "CollectionDetails.h"

#include <QApplication>
#include <QClipboard>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSplitter>
#include <QTableWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace mx {

namespace {
QTableWidget *makeTable(const QStringList &headers, const QString &objectName, QWidget *parent)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(objectName);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(false);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
    t->setMinimumHeight(t->verticalHeader()->defaultSectionSize() * 3 +
                        t->horizontalHeader()->sizeHint().height());
    return t;
}

QGroupBox *boxed(const QString &title, QWidget *inner, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *l = new QVBoxLayout(box);
    l->setContentsMargins(6, 6, 6, 6);
    l->addWidget(inner);
    return box;
}

void setRow(QTableWidget *t, int row, const QStringList &cells)
{
    for (int c = 0; c < cells.size(); ++c)
        t->setItem(row, c, new QTableWidgetItem(cells.at(c)));
}

QString yes(bool b)
{
    return b ? QStringLiteral("✓") : QString();
}

QString fieldParams(const FieldSchema &f)
{
    QStringList parts;
    if (f.type == DataType::Array)
        parts << QStringLiteral("element %1").arg(dataTypeName(f.elementType));
    for (auto it = f.typeParams.cbegin(); it != f.typeParams.cend(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key(), it.value());
    return parts.join(QStringLiteral(", "));
}
} // namespace

CollectionOverview::CollectionOverview(CollectionDetails *details, QWidget *parent)
    : QWidget(parent)
    , m_details(details)
{
    setObjectName(QStringLiteral("collectionOverview"));
    auto *layout = new QVBoxLayout(this);
    m_toolBar = new QToolBar(this);
    m_toolBar->setObjectName(QStringLiteral("overviewToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    layout->addWidget(m_toolBar);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("overviewTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("overviewSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_loadProgress = new QProgressBar(this);
    m_loadProgress->setObjectName(QStringLiteral("loadProgress"));
    m_loadProgress->setRange(0, 100);
    m_loadProgress->setFormat(tr("Loading %p%"));
    m_loadProgress->hide();
    layout->addWidget(m_loadProgress);
    m_errors = new QLabel(this);
    m_errors->setObjectName(QStringLiteral("overviewErrors"));
    m_errors->setWordWrap(true);
    m_errors->setStyleSheet(QStringLiteral("color: #c62828"));
    m_errors->hide();
    layout->addWidget(m_errors);

    m_fields = makeTable({tr("Field"), tr("Type"), tr("Parameters"), tr("Primary key"), tr("Auto ID"),
                          tr("Partition key"), tr("Nullable"), tr("Default"), tr("Description")},
                         QStringLiteral("fieldsTable"), this);
    m_indexes = makeTable(
        {tr("Field"), tr("Index"), tr("Type"), tr("Metric"), tr("Parameters"), tr("Indexed / total")},
        QStringLiteral("indexesTable"), this);
    m_partitions = makeTable({tr("Partition"), tr("Rows")}, QStringLiteral("partitionsTable"), this);
    m_properties = makeTable({tr("Property"), tr("Value")}, QStringLiteral("propertiesTable"), this);

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(boxed(tr("Schema"), m_fields, vertical));
    vertical->addWidget(boxed(tr("Indexes"), m_indexes, vertical));
    auto *bottom = new QSplitter(Qt::Horizontal, vertical);
    bottom->addWidget(boxed(tr("Partitions"), m_partitions, bottom));
    bottom->addWidget(boxed(tr("Properties and aliases"), m_properties, bottom));
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 4);
    vertical->setStretchFactor(1, 2);
    vertical->setStretchFactor(2, 2);
    vertical->setChildrenCollapsible(false);
    layout->addWidget(vertical, 1);

    connect(m_details, &CollectionDetails::changed, this, &CollectionOverview::rebuild);
    rebuild();
}

void CollectionOverview::copyAsJson()
{
    QApplication::clipboard()->setText(
        QString::fromUtf8(QJsonDocument(m_details->toJson()).toJson(QJsonDocument::Indented)));
}

void CollectionOverview::rebuild()
{
    const auto &desc = m_details->description();
    m_title->setText(m_details->collection());

    QStringList summary;
    summary << tr("Database %1").arg(m_details->database());
    if (m_details->rowCount() >= 0)
        summary << (m_details->rows().exact ? tr("%1 rows")
                                            : tr("%1 rows (statistics; load for an exact count)"))
                       .arg(m_details->rows().display());
    if (const auto s = m_details->loadState())
        summary << tr("state: %1").arg(loadStateName(*s));
    if (desc) {
        summary << tr("consistency: %1").arg(consistencyLevelName(desc->consistency));
        summary << (desc->schema.enableDynamicField ? tr("dynamic field on") : tr("dynamic field off"));
        if (!m_details->aliases().isEmpty())
            summary << (m_details->aliases().size() == 1 ? tr("alias %1") : tr("aliases %1"))
                           .arg(m_details->aliases().join(QStringLiteral(", ")));
        if (!desc->schema.description.isEmpty())
            summary << desc->schema.description;
    }
    if (m_details->isBusy())
        summary << tr("refreshing…");
    m_summary->setText(summary.join(QStringLiteral("  ·  ")));

    const bool loading = m_details->loadState() == LoadState::Loading;
    m_loadProgress->setVisible(loading);
    m_loadProgress->setValue(m_details->loadingProgress());

    const QStringList errors = m_details->errors();
    m_errors->setVisible(!errors.isEmpty());
    m_errors->setText(errors.join(QLatin1Char('\n')));

    m_fields->setRowCount(desc ? int(desc->schema.fields.size()) : 0);
    if (desc) {
        int r = 0;
        for (const auto &f : desc->schema.fields) {
            setRow(m_fields, r++,
                   {f.name, dataTypeName(f.type), fieldParams(f), yes(f.isPrimaryKey), yes(f.autoId),
                    yes(f.isPartitionKey), yes(f.nullable),
                    f.defaultValue.isValid() ? f.defaultValue.toString() : QString(), f.description});
        }
    }
    m_fields->resizeColumnsToContents();

    const auto &indexes = m_details->indexes();
    m_indexes->setRowCount(int(indexes.size()));
    int r = 0;
    for (const auto &i : indexes) {
        setRow(m_indexes, r++,
               {i.fieldName, i.indexName, i.indexType(), i.metricType(), i.buildParamsText(),
                QStringLiteral("%1 / %2").arg(QLocale().toString(i.indexedRows),
                                              QLocale().toString(i.totalRows))});
    }
    if (indexes.isEmpty() && m_details->indexesMissing()) {
        m_indexes->setRowCount(1);
        const ServerCapabilities &caps = m_details->capabilities();
        setRow(m_indexes, 0,
               {caps.has(ServerCapabilities::Feature::LoadWithoutIndex)
                    ? tr("(no index: create one to load a released collection faster)")
                    : tr("(no index: %1 loads this collection only once its vector fields have one; create "
                         "an index first)")
                          .arg(caps.displayName())});
    }
    m_indexes->resizeColumnsToContents();

    const auto &parts = m_details->partitions();
    m_partitions->setRowCount(int(parts.size()));
    r = 0;
    for (const auto &p : parts) {
        setRow(m_partitions, r, {p.info.name, p.rows.rows >= 0 ? p.rows.display() : QStringLiteral("…")});
        if (p.rows.rows >= 0 && !p.rows.exact)
            m_partitions->item(r, 1)->setToolTip(p.rows.note());
        ++r;
    }

    m_properties->setRowCount(0);
    if (desc) {
        for (auto it = desc->properties.cbegin(); it != desc->properties.cend(); ++it) {
            m_properties->insertRow(m_properties->rowCount());
            setRow(m_properties, m_properties->rowCount() - 1, {it.key(), it.value()});
        }
        for (const auto &a : m_details->aliases()) {
            m_properties->insertRow(m_properties->rowCount());
            setRow(m_properties, m_properties->rowCount() - 1, {tr("alias"), a});
        }
        m_properties->insertRow(m_properties->rowCount());
        setRow(m_properties, m_properties->rowCount() - 1, {tr("shards"), QString::number(desc->shards)});
        if (desc->collectionId) {
            m_properties->insertRow(m_properties->rowCount());
            setRow(m_properties, m_properties->rowCount() - 1,
                   {tr("collection id"), QString::number(desc->collectionId)});
        }
    }
}

} // namespace mx
