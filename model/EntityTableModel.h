#pragma once

#include "MilvusError.h"
#include "MilvusTypes.h"
#include "OutputSelection.h"
#include "PkCursor.h"

#include <QAbstractTableModel>
#include <QFuture>
#include <QHash>
#include <QJsonObject>

#include <memory>

namespace mx {

class MilvusClient;

// The entity browser: rows of one collection that match a filter, paged by PRIMARY-KEY CURSOR (see
// PkCursor) through canFetchMore()/fetchMore(). Every request is async; answers land on the model's
// thread from the event loop (never inside the call that asked), and a generation counter drops answers
// of an earlier collection, filter or field choice. A page is sorted and its JSON normalised on the
// gRPC thread, so the model's thread only appends rows.
//
// Columns: the primary key first, then schema fields in schema order (limited by setOutputFields()),
// then the dynamic field's keys, one column per key, appended as pages reveal them (a key missing from
// a row is an empty cell). DisplayRole is short text (vectors abbreviated "[0.12, -0.5, … 128 dims]",
// JSON compact); FullValueRole the whole value, PrettyJsonRole indented JSON, RowMapRole the row.
//
// State: a collection that is not loaded gives State::NotLoaded (offer loadCollection()), a failed
// request State::Error with errorText() and errorOccurred() carrying the server's message; neither
// looks like an empty result. The total (count(*) with the same filter) arrives separately.
class EntityTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(qint64 totalCount READ totalCount NOTIFY totalCountChanged)
public:
    enum class State
    {
        NoCollection, // nothing chosen yet
        Describing,   // reading the schema and load state
        NotLoaded,    // the collection is released (or still loading): rows cannot be read
        Ready,        // paging (rows may still be arriving)
        Error         // the last request failed: errorText()
    };
    Q_ENUM(State)

    enum Role
    {
        FullValueRole = Qt::UserRole + 1, // the complete value: QVariantList for vectors and arrays,
                                          // QVariantMap for sparse vectors and JSON objects, else scalar
        PrettyJsonRole,                   // the value as indented JSON text
        RowMapRole,                       // the whole row as QVariantMap (dynamic keys at top level)
        PrimaryKeyRole,                   // the row's primary key
        IsNullRole,                       // true for NULL (and for a dynamic key the row lacks)
        FieldNameRole,                    // header: the field or dynamic key of the column
        FieldTypeRole,                    // header: the DataType as int (Json for dynamic keys)
        IsDynamicRole                     // header: the column is a dynamic key
    };

    explicit EntityTableModel(QObject *parent = nullptr);
    ~EntityTableModel() override;

    // Each setter below drops answers still in flight and starts over; none blocks.
    void setClient(std::shared_ptr<MilvusClient> client);
    // Describes the collection, checks its load state, then counts and fetches the first page.
    void setCollection(const QString &collection, const QString &database = {});
    void setFilter(const QString &filter);
    // Schema fields, "$meta" or dynamic keys; empty for everything. The primary key is always shown.
    void setOutputFields(const QStringList &fields);
    // Rows per page from the next page on (no restart).
    void setPageSize(int rows);
    // Re-reads schema and load state and starts over.
    void refresh();
    // Loads the collection (the NotLoaded state's action), then starts over; errors -> State::Error.
    void loadCollection();

    QString collection() const { return m_collection; }
    QString filter() const { return m_filter; }
    QStringList outputFields() const { return m_outputFields; }
    int pageSize() const { return m_pageSize; }
    const CollectionSchema &schema() const { return m_schema; }
    State state() const { return m_state; }
    LoadState loadState() const { return m_loadState; }
    bool isBusy() const { return m_pending > 0; }
    bool isFetching() const { return m_fetching; }
    bool atEnd() const { return m_cursor.atEnd(); }
    QString errorText() const { return m_errorText; }
    qint64 totalCount() const { return m_totalCount; } // -1 while unknown
    QString countErrorText() const { return m_countError; }
    int droppedResponses() const { return m_dropped; } // late answers ignored (diagnostics, tests)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    // Asks for the next page unless one is in flight; rows are appended when it arrives.
    void fetchMore(const QModelIndex &parent) override;

signals:
    void busyChanged(bool busy);
    void stateChanged(mx::EntityTableModel::State state);
    void errorOccurred(const QString &message);
    void totalCountChanged(qint64 count);
    void pageLoaded(int rows); // after a page's rows were appended; 0 when the end was reached
    void schemaChanged();

private:
    struct Column
    {
        QString name;
        FieldSchema field; // type Json for dynamic keys
        bool dynamic = false;
    };
    struct Page
    {
        QueryResult result;
        QHash<QString, int> columnOf;
        QList<QJsonObject> dynamic; // per row, when the dynamic field was read
        QStringList dynamicKeys;    // in order of first appearance
    };
    static Page preparePage(QueryResult result, const QString &primaryName);

    void resetRows(const PkCursor &cursor = {});
    void startOver(); // with the schema known: reset rows, count and fetch the first page
    // Runs onResult / onError on the model's thread from the event loop, only while the generation
    // that made the request is current; the request counts as pending (busy) until then.
    template<typename T, typename OnResult, typename OnError>
    void track(QFuture<T> future, OnResult onResult, OnError onError);
    void describe();
    void checkLoadState();
    void startCount();
    void applyPage(Page page);
    void setState(State state);
    void setPending(int delta);
    void fail(const MilvusError &error);
    CallOptions callOptions() const;
    const Page *pageOf(int row, qsizetype *localRow) const;
    QString displayText(const FieldColumn &column, qsizetype row) const;

    std::shared_ptr<MilvusClient> m_client;
    QString m_collection;
    QString m_database;
    QString m_filter;
    QStringList m_outputFields;
    int m_pageSize = 200;

    CollectionSchema m_schema;
    bool m_schemaKnown = false;
    OutputSelection m_selection;
    LoadState m_loadState = LoadState::NotExist;
    State m_state = State::NoCollection;
    QString m_errorText;
    QString m_countError;
    qint64 m_totalCount = -1;

    QList<Column> m_columns;
    QHash<QString, int> m_dynamicColumn; // dynamic key -> column
    QList<Page> m_pages;
    QList<qint64> m_pageStart; // first row of each page
    qint64 m_rows = 0;
    PkCursor m_cursor;
    bool m_fetching = false;

    quint64 m_generation = 0;
    int m_pending = 0;
    int m_dropped = 0;
};

} // namespace mx
