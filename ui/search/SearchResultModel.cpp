#include "SearchResultModel.h"

#include "SearchResultExporter.h"

namespace mx {

SearchResultModel::SearchResultModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void SearchResultModel::setOutcome(const SearchOutcome &outcome)
{
    beginResetModel();
    m_outcome = outcome;
    ++m_generation;
    endResetModel();
}

void SearchResultModel::clear()
{
    setOutcome({});
}

const SearchResultRow *SearchResultModel::rowAt(int row) const
{
    return row >= 0 && row < m_outcome.rows.size() ? &m_outcome.rows.at(row) : nullptr;
}

int SearchResultModel::fieldColumn(const QString &name) const
{
    const qsizetype i = m_outcome.fieldColumns.indexOf(name);
    return i < 0 ? -1 : firstFieldColumn() + int(i);
}

int SearchResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_outcome.rows.size());
}

int SearchResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : firstFieldColumn() + int(m_outcome.fieldColumns.size());
}

QVariant SearchResultModel::rawValue(const SearchResultRow &row, int column) const
{
    switch (column) {
    case 0:
        return row.query + 1;
    case 1:
        return row.rank;
    case 2:
        return row.id;
    default:
        break;
    }
    if (column == distanceColumn())
        return row.distance ? QVariant(*row.distance) : QVariant();
    if (column == relevanceColumn())
        return row.relevance ? QVariant(*row.relevance) : QVariant();
    const int f = column - firstFieldColumn();
    return f >= 0 && f < m_outcome.fieldColumns.size() ? row.fields.value(m_outcome.fieldColumns.at(f))
                                                       : QVariant();
}

QVariant SearchResultModel::data(const QModelIndex &index, int role) const
{
    const SearchResultRow *row = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!row || index.column() >= columnCount())
        return {};
    const QVariant value = rawValue(*row, index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == distanceColumn() && row->distance)
            return QString::number(*row->distance, 'f', 6);
        if (index.column() == relevanceColumn())
            return row->relevance ? QString::number(*row->relevance, 'f', 4) : QStringLiteral("—");
        return SearchResultExporter::cellText(value);
    case Qt::ToolTipRole:
        if (index.column() == relevanceColumn() && !row->relevance)
            return tr("No relevance mapping for metric %1").arg(m_outcome.metric);
        return SearchResultExporter::cellText(value).left(2000);
    case Qt::TextAlignmentRole: {
        const auto t = value.typeId();
        const bool numeric = t == QMetaType::Int || t == QMetaType::LongLong || t == QMetaType::Double ||
                             t == QMetaType::Float;
        return int((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    case SortRole:
        return value;
    default:
        return {};
    }
}

QVariant SearchResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case 0:
        return tr("Query");
    case 1:
        return tr("Rank");
    case 2:
        return m_outcome.primaryField.isEmpty() ? tr("ID") : tr("ID (%1)").arg(m_outcome.primaryField);
    default:
        break;
    }
    if (section == distanceColumn()) {
        // Milvus calls every raw score a distance; for IP and COSINE larger means closer, so say so.
        const QString m = m_outcome.metric.toUpper();
        if (m == QLatin1String("IP") || m == QLatin1String("COSINE"))
            return tr("Similarity (%1)").arg(m_outcome.metric);
        return m_outcome.metric.isEmpty() ? tr("Distance") : tr("Distance (%1)").arg(m_outcome.metric);
    }
    if (section == relevanceColumn())
        return tr("Relevance");
    const int f = section - firstFieldColumn();
    return f >= 0 && f < m_outcome.fieldColumns.size() ? QVariant(m_outcome.fieldColumns.at(f)) : QVariant();
}

} // namespace mx
