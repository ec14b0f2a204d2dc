#include "SearchResultsPanel.h"

#include "Icons.h"
#include "SearchResultExporter.h"
#include "SearchResultModel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace mx {

namespace {
QString ms(double value)
{
    return value < 10 ? QString::number(value, 'f', 2) : QString::number(value, 'f', 0);
}
} // namespace

SearchResultsPanel::SearchResultsPanel(SearchResultModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("searchResultsPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("resultsSplitter"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SearchResultModel::SortRole);
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("resultsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setDefaultSectionSize(120);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // the server's order until the user sorts
    splitter->addWidget(m_table);

    m_detail = new QPlainTextEdit(splitter);
    m_detail->setObjectName(QStringLiteral("hitDetail"));
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select a hit to see it in full"));
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    auto *statusRow = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusRow->addWidget(m_status, 1);
    m_export = new QToolButton(this);
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setIcon(icon(QStringLiteral("export")));
    m_export->setText(tr("Export…"));
    m_export->setToolTip(tr("Save the results as CSV or JSON"));
    m_export->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_export->setEnabled(false);
    statusRow->addWidget(m_export);
    layout->addLayout(statusRow);

    connect(m_export, &QToolButton::clicked, this, &SearchResultsPanel::exportRequested);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SearchResultsPanel::showSelectedHit);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_detail->clear();
        m_export->setEnabled(m_model->rowCount() > 0);
    });
}

void SearchResultsPanel::showOutcome(const SearchOutcome &o)
{
    QStringList parts;
    const qsizetype n = o.rows.size();
    if (needsQueryVectors(o.spec.resultMode))
        parts << (n == 1 ? tr("1 hit") : tr("%1 hits").arg(n)) +
                     (o.nq > 1 ? tr(" for %1 queries").arg(o.nq) : QString());
    else
        parts << (n == 1 ? tr("1 entity") : tr("%1 entities").arg(n));
    if (o.embeddingMs)
        parts << tr("embedding %1 ms").arg(ms(*o.embeddingMs));
    parts << tr("Milvus %1 ms").arg(ms(o.milvusMs));
    if (o.rerankMs)
        parts << tr("MMR %1 ms").arg(ms(*o.rerankMs));
    parts << tr("total %1 ms").arg(ms(o.totalMs));
    if (o.hasScores() && !o.metric.isEmpty())
        parts << tr("metric %1").arg(o.metric);
    setStatus(parts.join(QStringLiteral("  ·  ")));
    m_table->resizeColumnsToContents();
    const int maxWidth = 320;
    for (int c = 0; c < m_proxy->columnCount(); ++c) {
        if (m_table->columnWidth(c) > maxWidth)
            m_table->setColumnWidth(c, maxWidth);
    }
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
}

void SearchResultsPanel::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString SearchResultsPanel::statusText() const
{
    return m_status->text();
}

void SearchResultsPanel::showSelectedHit()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const SearchResultRow *row = m_model->rowAt(current.row());
    if (!row) {
        m_detail->clear();
        return;
    }
    const QJsonObject json = SearchResultExporter::rowJson(m_model->outcome(), *row);
    m_detail->setPlainText(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)));
}

} // namespace mx
