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
    // No stretchLastSection: it keeps the last column at least defaultSectionSize wide, which breaks the
    // fitting in fitColumns(); that widens the last column itself.
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
    // One query: the query column would only repeat "1".
    m_table->setColumnHidden(0, o.nq <= 1);
    fitColumns();
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
}

void SearchResultsPanel::fitColumns()
{
    m_table->resizeColumnsToContents();
    // Long output fields (texts, JSON) share what the fixed columns leave of the view, so that every column
    // stays in sight: columns narrower than a fair share keep their width, the others split the rest.
    const int first = m_model->fieldColumn(m_model->outcome().fieldColumns.value(0));
    if (first >= 0) {
        int available = m_table->viewport()->width();
        for (int c = 0; c < first; ++c)
            available -= m_table->isColumnHidden(c) ? 0 : m_table->columnWidth(c);
        QList<int> wide;
        for (int c = first; c < m_proxy->columnCount(); ++c)
            wide << c;
        std::sort(wide.begin(), wide.end(),
                  [this](int a, int b) { return m_table->columnWidth(a) < m_table->columnWidth(b); });
        while (!wide.isEmpty() && m_table->columnWidth(wide.first()) <= available / int(wide.size())) {
            available -= m_table->columnWidth(wide.first());
            wide.removeFirst();
        }
        for (int c : wide)
            m_table->setColumnWidth(c, std::max(120, available / int(wide.size())));
    }
    int used = 0;
    for (int c = 0; c < m_proxy->columnCount(); ++c)
        used += m_table->isColumnHidden(c) ? 0 : m_table->columnWidth(c);
    const int last = m_proxy->columnCount() - 1;
    if (used < m_table->viewport()->width())
        m_table->setColumnWidth(last, m_table->columnWidth(last) + m_table->viewport()->width() - used);
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
    m_detail->setPlainText(SearchResultExporter::rowJsonText(m_model->outcome(), *row));
}

} // namespace mx
