#include "CollectionListModel.h"

#include "EntityCount.h"
#include "MilvusClient.h"
#include "StatusIcons.h"

#include <QLocale>
#include <QTimer>

namespace mx {

CollectionListModel::CollectionListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void CollectionListModel::setClient(std::shared_ptr<MilvusClient> client)
{
    m_client = std::move(client);
    clear();
}

void CollectionListModel::setDatabase(const QString &database)
{
    if (database == m_database)
        return;
    m_database = database;
    clear();
}

void CollectionListModel::clear()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    if (m_pending != 0) {
        m_pending = 0;
        emit busyChanged(false);
    }
}

void CollectionListModel::setPending(int delta)
{
    const bool wasBusy = isBusy();
    m_pending += delta;
    if (wasBusy != isBusy())
        emit busyChanged(isBusy());
    if (wasBusy && !isBusy())
        emit refreshed();
}

void CollectionListModel::setError(const QString &message)
{
    m_errorText = message;
    emit errorOccurred(message);
}

int CollectionListModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).name == name)
            return i;
    return -1;
}

void CollectionListModel::refresh()
{
    if (!m_client)
        return;
    const quint64 gen = ++m_generation;
    m_errorText.clear();
    // Answers of the previous refresh are dropped, so its outstanding count no longer applies.
    m_pending = 0;
    setPending(1);
    ServerRequest list;
    list.options.dbName = m_database;
    m_client->listCollectionsAsync(list)
        .then(this,
              [this, gen](QStringList names) {
                  if (gen != m_generation)
                      return;
                  names.sort(Qt::CaseInsensitive);
                  beginResetModel();
                  m_rows.clear();
                  for (const auto &n : names) {
                      Row r;
                      r.name = n;
                      m_rows.append(r);
                  }
                  endResetModel();
                  for (int i = 0; i < m_rows.size(); ++i)
                      fetchDetails(i, gen);
                  setPending(-1);
              })
        .onFailed(this, [this, gen](const MilvusException &e) {
            if (gen != m_generation)
                return;
            setError(e.error().message());
            setPending(-1);
        });
}

void CollectionListModel::fetchDetails(int row, quint64 gen)
{
    const QString name = m_rows.at(row).name;
    setPending(2);
    fetchRowCount(name, gen, true);
    fetchLoadState(name, gen, true);
}

void CollectionListModel::fetchRowCount(const QString &name, quint64 gen, bool counted)
{
    CallOptions options;
    options.dbName = m_database;
    rowCountAsync(m_client, name, {}, options)
        .then(this,
              [this, gen, name, counted](const RowCount &count) {
                  if (gen != m_generation)
                      return;
                  const int r = rowOf(name);
                  if (r >= 0) {
                      m_rows[r].rows = count.rows;
                      m_rows[r].rowsExact = count.exact;
                      emit dataChanged(index(r, RowsColumn), index(r, RowsColumn));
                  }
                  if (counted)
                      setPending(-1);
              })
        .onFailed(this, [this, gen, name, counted](const MilvusException &e) {
            rowFailed(name, gen, counted, e.error());
        });
}

void CollectionListModel::rowFailed(const QString &name, quint64 gen, bool counted, const MilvusError &error)
{
    if (gen != m_generation)
        return;
    const int r = rowOf(name);
    if (r >= 0) {
        m_rows[r].error = error.message();
        emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
    }
    if (counted)
        setPending(-1);
}

void CollectionListModel::fetchLoadState(const QString &name, quint64 gen, bool counted)
{
    CallOptions options;
    options.dbName = m_database;
    m_client->getLoadStateAsync(LoadStateRequest{name, {}, options})
        .then(this,
              [this, gen, name, counted](LoadState state) {
                  if (gen != m_generation)
                      return;
                  const int r = rowOf(name);
                  if (r >= 0) {
                      const bool wasLoading = m_rows[r].stateKnown && m_rows[r].state == LoadState::Loading;
                      m_rows[r].state = state;
                      m_rows[r].stateKnown = true;
                      emit dataChanged(index(r, LoadStateColumn), index(r, LoadStateColumn));
                      // A load in progress (started here, elsewhere, or by the server itself after a
                      // restart) is followed until it ends; then the count becomes exact.
                      if (state == LoadState::Loading)
                          QTimer::singleShot(kLoadPollMs, this, [this, name, gen] {
                              if (gen == m_generation)
                                  fetchLoadState(name, gen, false);
                          });
                      else if (wasLoading)
                          fetchRowCount(name, gen, false);
                  }
                  if (counted)
                      setPending(-1);
              })
        .onFailed(this, [this, gen, name, counted](const MilvusException &e) {
            rowFailed(name, gen, counted, e.error());
        });
}

int CollectionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CollectionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CollectionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return row.name;
        case RowsColumn:
            return row.rows < 0 ? QVariant(row.error.isEmpty() ? QStringLiteral("…") : QStringLiteral("?"))
                                : QVariant(RowCount{row.rows, row.rowsExact}.display());
        case LoadStateColumn:
            return row.stateKnown ? loadStateName(row.state) : QStringLiteral("…");
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == LoadStateColumn && row.stateKnown)
            return loadStateIcon(row.state);
        break;
    case Qt::ToolTipRole:
        if (!row.error.isEmpty())
            return row.error;
        if (index.column() == RowsColumn && row.rows >= 0 && !row.rowsExact)
            return RowCount{row.rows, false}.note();
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == RowsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case LoadStateRole:
        return row.stateKnown ? QVariant(int(row.state)) : QVariant();
    case RowCountRole:
        return row.rows;
    case SortRole:
        switch (index.column()) {
        case RowsColumn:
            return row.rows;
        case LoadStateColumn:
            return row.stateKnown ? int(row.state) : -1;
        default:
            return row.name.toLower();
        }
    default:
        break;
    }
    return {};
}

QVariant CollectionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Collection");
    case RowsColumn:
        return tr("Rows");
    case LoadStateColumn:
        return tr("Load state");
    }
    return {};
}

} // namespace mx
