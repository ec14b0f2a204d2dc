#pragma once

#include "MilvusError.h"
#include "MilvusTypes.h"

#include <QAbstractTableModel>

#include <memory>

namespace mx {

class MilvusClient;

// Collections of the current database with their row count and load state. refresh() lists the
// collections, then asks for each one's row count (rowCountAsync) and load state concurrently; rows fill in
// as the answers arrive (on the model's thread). Answers of an earlier refresh are dropped. Errors are
// exposed through errorText()/errorOccurred; a failure never shows up as an empty list. A collection
// that is loading is polled every second until it is not, then counted again.
class CollectionListModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
public:
    enum Column
    {
        NameColumn,
        RowsColumn,
        LoadStateColumn,
        ColumnCount
    };
    enum Role
    {
        LoadStateRole = Qt::UserRole + 1,
        RowCountRole,
        SortRole
    };

    explicit CollectionListModel(QObject *parent = nullptr);

    void setClient(std::shared_ptr<MilvusClient> client);
    void setDatabase(const QString &database); // takes effect at the next refresh()
    QString database() const { return m_database; }
    void refresh();
    void clear();

    bool isBusy() const { return m_pending > 0; }
    QString errorText() const { return m_errorText; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void busyChanged(bool busy);
    void refreshed();
    void errorOccurred(const QString &message);

private:
    struct Row
    {
        QString name;
        qint64 rows = -1;       // -1: not known yet
        bool rowsExact = false; // count(*); false: the statistics figure (not loaded)
        LoadState state = LoadState::NotExist;
        bool stateKnown = false;
        QString error; // per-collection failure (statistics or load state)
    };
    void setPending(int delta);
    void fetchDetails(int row, quint64 generation);
    // `counted`: part of a refresh (busy until it answers); polls while a load runs are not.
    void fetchRowCount(const QString &name, quint64 generation, bool counted);
    void fetchLoadState(const QString &name, quint64 generation, bool counted);
    void rowFailed(const QString &name, quint64 generation, bool counted, const MilvusError &error);
    static constexpr int kLoadPollMs = 1000;
    int rowOf(const QString &name) const;
    void setError(const QString &message);

    std::shared_ptr<MilvusClient> m_client;
    QString m_database;
    QList<Row> m_rows;
    quint64 m_generation = 0;
    int m_pending = 0;
    QString m_errorText;
};

} // namespace mx
