#include "EntityTableModel.h"

#include "CellCodec.h"
#include "EntityCount.h"
#include "MilvusClient.h"

#include <QColor>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

namespace mx {

namespace {

constexpr int kLoadingPollMs = 500;
constexpr int kAbbreviatedValues = 3;

// Milvus reports "collection not loaded" with code 101 (new and legacy numbering agree).
bool isNotLoaded(const MilvusError &e)
{
    return e.kind == ErrorKind::Milvus && (e.milvusCode == 101 || e.legacyCode == 101);
}

QString shortNumber(double v)
{
    return QString::number(v, 'g', 3);
}

QString prettyJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    return QString::fromUtf8(compactJson(value));
}

QJsonValue cellValue(const FieldColumn &column, qsizetype row)
{
    QJsonValue v;
    parseJsonValue(cellJson(column, row), &v);
    return v;
}

bool isNumeric(DataType t)
{
    switch (t) {
    case DataType::Int8:
    case DataType::Int16:
    case DataType::Int32:
    case DataType::Int64:
    case DataType::Float:
    case DataType::Double:
        return true;
    default:
        return false;
    }
}

} // namespace

EntityTableModel::EntityTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

EntityTableModel::~EntityTableModel() = default;

CallOptions EntityTableModel::callOptions() const
{
    CallOptions o;
    o.dbName = m_database;
    return o;
}

void EntityTableModel::setPending(int delta)
{
    const bool wasBusy = isBusy();
    m_pending = std::max(0, m_pending + delta);
    if (wasBusy != isBusy())
        emit busyChanged(isBusy());
}

void EntityTableModel::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void EntityTableModel::fail(const MilvusError &error)
{
    m_errorText = error.message();
    setState(State::Error);
    emit errorOccurred(m_errorText);
}

void EntityTableModel::resetRows(const PkCursor &cursor)
{
    // Everything in flight belongs to the old generation from here on, and no longer counts as busy.
    ++m_generation;
    const bool wasBusy = isBusy();
    m_pending = 0;
    m_fetching = false;
    m_errorText.clear();
    m_countError.clear();
    const bool hadTotal = m_totalCount != -1;
    m_totalCount = -1;

    beginResetModel();
    m_pages.clear();
    m_pageStart.clear();
    m_rows = 0;
    m_columns.clear();
    m_dynamicColumn.clear();
    if (m_schemaKnown) {
        for (const auto &name : m_selection.fields)
            m_columns.append(Column{name, *m_schema.field(name), false});
        for (const auto &key : m_selection.dynamicKeys) {
            FieldSchema f;
            f.name = key;
            f.type = DataType::Json;
            m_dynamicColumn.insert(key, int(m_columns.size()));
            m_columns.append(Column{key, f, true});
        }
    }
    // Set before endResetModel(): views (and QAbstractItemModelTester) call fetchMore() from the reset.
    m_cursor = cursor;
    endResetModel();

    if (wasBusy && !isBusy())
        emit busyChanged(false);
    if (hadTotal)
        emit totalCountChanged(-1);
}

void EntityTableModel::setClient(std::shared_ptr<MilvusClient> client)
{
    m_client = std::move(client);
    if (!m_collection.isEmpty())
        refresh();
}

void EntityTableModel::setCollection(const QString &collection, const QString &database)
{
    m_collection = collection;
    m_database = database;
    refresh();
}

void EntityTableModel::refresh()
{
    m_schemaKnown = false;
    m_schema = {};
    const bool possible = !m_collection.isEmpty() && m_client;
    setState(possible ? State::Describing : State::NoCollection);
    resetRows();
    if (possible)
        describe();
}

void EntityTableModel::setFilter(const QString &filter)
{
    m_filter = filter.trimmed();
    if (m_schemaKnown && (m_state == State::Ready || m_state == State::Error))
        startOver();
}

void EntityTableModel::setOutputFields(const QStringList &fields)
{
    m_outputFields = fields;
    if (m_schemaKnown && (m_state == State::Ready || m_state == State::Error))
        startOver();
}

void EntityTableModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
}

template<typename T, typename OnResult, typename OnError>
void EntityTableModel::track(QFuture<T> future, OnResult onResult, OnError onError)
{
    const quint64 gen = m_generation;
    setPending(1);
    // Always queued: a .then(this, ...) continuation on a future that has already finished runs at once,
    // inside the caller, which would re-enter the model from its own setters, fetchMore() or signals.
    const auto deliver = [this, gen](auto fn) {
        QMetaObject::invokeMethod(
            this,
            [this, gen, fn = std::move(fn)]() mutable {
                if (gen != m_generation) {
                    ++m_dropped;
                    return;
                }
                setPending(-1);
                fn();
            },
            Qt::QueuedConnection);
    };
    QFuture<void> handled;
    if constexpr (std::is_void_v<T>)
        handled = future.then(this, [deliver, onResult] { deliver(onResult); });
    else
        handled = future.then(this, [deliver, onResult](T value) {
            deliver([onResult, value = std::move(value)]() mutable { onResult(std::move(value)); });
        });
    handled
        .onFailed(this,
                  [deliver, onError] {
                      const MilvusError error = errorFromException(std::current_exception());
                      deliver([onError, error] { onError(error); });
                  })
        .onCanceled(this, [deliver, onError] {
            MilvusError error;
            error.kind = ErrorKind::Cancelled;
            error.reason = QStringLiteral("the request was cancelled");
            deliver([onError, error] { onError(error); });
        });
}

void EntityTableModel::describe()
{
    track(
        m_client->describeCollectionAsync({m_collection, callOptions()}),
        [this](const CollectionDescription &d) {
            try {
                m_selection = OutputSelection::resolve(d.schema, m_outputFields);
            } catch (const MilvusException &e) {
                fail(e.error());
                return;
            }
            m_schema = d.schema;
            m_schemaKnown = true;
            emit schemaChanged();
            checkLoadState();
        },
        [this](const MilvusError &e) { fail(e); });
}

void EntityTableModel::checkLoadState()
{
    const quint64 gen = m_generation;
    track(
        m_client->getLoadStateAsync({m_collection, {}, callOptions()}),
        [this, gen](LoadState state) {
            m_loadState = state;
            if (state == LoadState::Loaded) {
                startOver();
                return;
            }
            setState(State::NotLoaded);
            if (state == LoadState::Loading) // look again until it is loaded
                QTimer::singleShot(kLoadingPollMs, this, [this, gen] {
                    if (gen == m_generation)
                        checkLoadState();
                });
        },
        [this](const MilvusError &e) { fail(e); });
}

void EntityTableModel::loadCollection()
{
    if (!m_client || m_collection.isEmpty())
        return;
    track(
        m_client->loadCollectionAsync(LoadCollectionRequest{m_collection, 1, false, callOptions()}),
        [this] { refresh(); }, [this](const MilvusError &e) { fail(e); });
}

void EntityTableModel::startOver()
{
    try {
        m_selection = OutputSelection::resolve(m_schema, m_outputFields);
    } catch (const MilvusException &e) {
        setState(State::Error);
        resetRows();
        fail(e.error());
        return;
    }
    resetRows(PkCursor(*m_schema.primaryField(), m_filter));
    setState(State::Ready);
    startCount();
    fetchMore({});
}

void EntityTableModel::startCount()
{
    track(
        countEntitiesAsync(*m_client, m_collection, m_filter, callOptions()),
        [this](qint64 count) {
            m_totalCount = count;
            emit totalCountChanged(count);
        },
        // The page query reports the same cause to the user; the count only notes it.
        [this](const MilvusError &e) { m_countError = e.message(); });
}

bool EntityTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_state == State::Ready && m_schemaKnown && !m_cursor.atEnd();
}

void EntityTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent) || m_fetching || !m_client)
        return;
    m_fetching = true;
    const QString primary = m_cursor.primaryField().name;
    auto page = m_client
                    ->queryAsync(m_cursor.nextRequest(m_collection, m_selection.queryFields(), m_pageSize,
                                                      callOptions()))
                    .then([primary](QueryResult result) { return preparePage(std::move(result), primary); });
    track(
        std::move(page), [this](Page p) { applyPage(std::move(p)); },
        [this](const MilvusError &e) {
            m_fetching = false;
            if (isNotLoaded(e)) {
                m_loadState = LoadState::NotLoad;
                setState(State::NotLoaded);
                return;
            }
            fail(e);
        });
}

EntityTableModel::Page EntityTableModel::preparePage(QueryResult result, const QString &primaryName)
{
    // Runs on the gRPC thread: the model's thread only appends what is ready to show.
    PkCursor::sortByPrimaryKey(result, primaryName);
    Page page;
    for (int i = 0; i < result.columns.size(); ++i) {
        FieldColumn &c = result.columns[i];
        if (c.isDynamic) {
            const qsizetype rows = c.rowCount();
            page.dynamic.reserve(rows);
            for (qsizetype r = 0; r < rows; ++r) {
                const QJsonObject object = cellValue(c, r).toObject();
                for (auto it = object.begin(); it != object.end(); ++it)
                    if (!page.dynamicKeys.contains(it.key()))
                        page.dynamicKeys.append(it.key());
                page.dynamic.append(object);
            }
        } else if (auto *json = std::get_if<QList<QByteArray>>(&c.data)) {
            for (QByteArray &cell : *json) {
                QJsonValue v;
                if (parseJsonValue(cell, &v))
                    cell = compactJson(v);
            }
        }
        page.columnOf.insert(c.name, i);
    }
    page.result = std::move(result);
    return page;
}

void EntityTableModel::applyPage(Page page)
{
    m_fetching = false;
    m_cursor.advance(page.result); // already sorted: only moves the cursor
    const qsizetype n = page.result.rowCount();
    if (m_selection.allDynamic) {
        QStringList fresh;
        for (const auto &key : page.dynamicKeys)
            if (!m_dynamicColumn.contains(key) && !m_schema.field(key))
                fresh.append(key);
        if (!fresh.isEmpty()) {
            const int first = int(m_columns.size());
            beginInsertColumns({}, first, first + int(fresh.size()) - 1);
            for (const auto &key : fresh) {
                FieldSchema f;
                f.name = key;
                f.type = DataType::Json;
                m_dynamicColumn.insert(key, int(m_columns.size()));
                m_columns.append(Column{key, f, true});
            }
            endInsertColumns();
        }
    }
    if (n > 0) {
        beginInsertRows({}, int(m_rows), int(m_rows + n - 1));
        m_pageStart.append(m_rows);
        m_pages.append(std::move(page));
        m_rows += n;
        endInsertRows();
    }
    emit pageLoaded(int(n));
}

int EntityTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows);
}

int EntityTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

const EntityTableModel::Page *EntityTableModel::pageOf(int row, qsizetype *localRow) const
{
    const auto it = std::upper_bound(m_pageStart.cbegin(), m_pageStart.cend(), qint64(row));
    if (it == m_pageStart.cbegin())
        return nullptr;
    const qsizetype p = (it - m_pageStart.cbegin()) - 1;
    *localRow = row - m_pageStart.at(p);
    return &m_pages.at(p);
}

QString EntityTableModel::displayText(const FieldColumn &c, qsizetype r) const
{
    if (isNullCell(c, r))
        return QStringLiteral("NULL");
    if (const auto *vectors = std::get_if<FloatVectors>(&c.data)) {
        QStringList parts;
        const int shown = std::min(vectors->dim, kAbbreviatedValues);
        for (int k = 0; k < shown; ++k)
            parts.append(shortNumber(vectors->values.at(r * vectors->dim + k)));
        if (vectors->dim > shown)
            parts.append(QStringLiteral("… %1 dims").arg(vectors->dim));
        return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
    }
    if (const auto *binary = std::get_if<BinaryVectors>(&c.data)) {
        // The packed bytes, as export writes them.
        const QByteArray row = binary->row(r);
        QStringList parts;
        const qsizetype shown = std::min<qsizetype>(row.size(), kAbbreviatedValues);
        for (qsizetype k = 0; k < shown; ++k)
            parts.append(QString::number(quint8(row.at(k))));
        if (row.size() > shown)
            parts.append(QStringLiteral("… %1 bits").arg(binary->dim));
        return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
    }
    if (const auto *sparse = std::get_if<QList<SparseVector>>(&c.data)) {
        const SparseVector &sv = sparse->at(r);
        QStringList parts;
        const qsizetype shown = std::min<qsizetype>(sv.indices.size(), kAbbreviatedValues);
        for (qsizetype k = 0; k < shown; ++k)
            parts.append(QStringLiteral("%1: %2").arg(sv.indices.at(k)).arg(shortNumber(sv.values.at(k))));
        if (sv.indices.size() > shown)
            parts.append(QStringLiteral("… %1 entries").arg(sv.indices.size()));
        return QLatin1Char('{') + parts.join(QLatin1String(", ")) + QLatin1Char('}');
    }
    if (const auto *strings = std::get_if<QStringList>(&c.data))
        return strings->at(r);
    if (const auto *json = std::get_if<QList<QByteArray>>(&c.data))
        return QString::fromUtf8(json->at(r)); // compacted in preparePage()
    return QString::fromUtf8(cellJson(c, r));
}

QVariant EntityTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    qsizetype r = 0;
    const Page *page = pageOf(index.row(), &r);
    if (!page)
        return {};
    const Column &column = m_columns.at(index.column());
    if (role == RowMapRole)
        return page->result.row(r);
    if (role == PrimaryKeyRole) {
        const FieldColumn *pk = page->result.column(m_cursor.primaryField().name);
        return pk ? pk->value(r) : QVariant();
    }

    if (column.dynamic) {
        const QJsonObject empty;
        const QJsonObject &object = page->dynamic.isEmpty() ? empty : page->dynamic.at(r);
        const QJsonValue v = object.value(column.name);
        const bool missing = v.isUndefined() || v.isNull();
        switch (role) {
        case Qt::DisplayRole:
            return missing ? QString() : v.isString() ? v.toString() : QString::fromUtf8(compactJson(v));
        case Qt::EditRole:
        case FullValueRole:
            return missing ? QVariant() : v.toVariant();
        case PrettyJsonRole:
        case Qt::ToolTipRole:
            return missing ? QVariant() : QVariant(prettyJson(v));
        case IsNullRole:
            return missing;
        default:
            return {};
        }
    }

    const auto found = page->columnOf.constFind(column.name);
    if (found == page->columnOf.cend())
        return {};
    const FieldColumn &c = page->result.columns.at(found.value());
    const bool isNull = isNullCell(c, r);
    switch (role) {
    case Qt::DisplayRole:
        return displayText(c, r);
    case Qt::EditRole:
    case FullValueRole:
        return c.value(r);
    case PrettyJsonRole:
        return prettyJson(cellValue(c, r));
    case Qt::ToolTipRole:
        if (c.type == DataType::Json || c.type == DataType::Array)
            return isNull ? QVariant() : QVariant(prettyJson(cellValue(c, r)));
        return {};
    case IsNullRole:
        return isNull;
    case Qt::TextAlignmentRole:
        if (isNumeric(c.type))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (isNull)
            return QColor(Qt::gray);
        return {};
    default:
        return {};
    }
}

QVariant EntityTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    const Column &c = m_columns.at(section);
    switch (role) {
    case Qt::DisplayRole:
    case FieldNameRole:
        return c.name;
    case FieldTypeRole:
        return int(c.field.type);
    case IsDynamicRole:
        return c.dynamic;
    case Qt::ToolTipRole: {
        if (c.dynamic)
            return tr("%1 · dynamic key").arg(c.name);
        QString type = milvusTypeName(c.field.type);
        if (c.field.type == DataType::Array)
            type += QStringLiteral("<%1>").arg(milvusTypeName(c.field.elementType));
        if (c.field.dim() > 0)
            type += QStringLiteral("(%1)").arg(c.field.dim());
        else if (c.field.maxLength() > 0)
            type += QStringLiteral("(%1)").arg(c.field.maxLength());
        QString tip = QStringLiteral("%1 · %2").arg(c.name, type);
        if (c.field.isPrimaryKey)
            tip += tr(" · primary key");
        if (c.field.nullable)
            tip += tr(" · nullable");
        return tip;
    }
    default:
        return {};
    }
}

} // namespace mx
