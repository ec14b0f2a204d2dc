#pragma once

#include "SearchOutcome.h"

#include <QAbstractTableModel>

namespace mx {

// The hits of the last workbench run as a table: query #, rank, id, [distance, relevance,] then one column
// per output field. GUI thread only. setOutcome() replaces everything (one reset) and bumps generation(),
// so a view can tell that a row it remembers belongs to an earlier run.
class SearchResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role
    {
        SortRole = Qt::UserRole + 1, // the raw value (numbers stay numbers)
    };

    explicit SearchResultModel(QObject *parent = nullptr);

    void setOutcome(const SearchOutcome &outcome);
    void clear();
    const SearchOutcome &outcome() const { return m_outcome; }
    const SearchResultRow *rowAt(int row) const;
    quint64 generation() const { return m_generation; }

    // Column of the distance / relevance (-1 when the mode has no scores) and of an output field.
    int distanceColumn() const { return m_outcome.hasScores() ? 3 : -1; }
    int relevanceColumn() const { return m_outcome.hasScores() ? 4 : -1; }
    int fieldColumn(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    int firstFieldColumn() const { return m_outcome.hasScores() ? 5 : 3; }
    QVariant rawValue(const SearchResultRow &row, int column) const;

    SearchOutcome m_outcome;
    quint64 m_generation = 0;
};

} // namespace mx
