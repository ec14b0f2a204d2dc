#include "PkCursor.h"

#include "ExprLiteral.h"
#include "MilvusError.h"

#include <algorithm>
#include <numeric>

namespace mx {

PkCursor::PkCursor(FieldSchema primary, QString filter)
    : m_primary(std::move(primary))
    , m_filter(std::move(filter).trimmed())
{}

QString PkCursor::nextFilter() const
{
    if (!m_last.isValid())
        return m_filter;
    const bool isString = m_primary.type == DataType::VarChar || m_primary.type == DataType::String;
    const QString bound =
        QStringLiteral("%1 > %2").arg(m_primary.name, isString ? exprStringLiteral(m_last.toString())
                                                               : QString::number(m_last.toLongLong()));
    return m_filter.isEmpty() ? bound : QStringLiteral("(%1) and %2").arg(m_filter, bound);
}

QueryRequest PkCursor::nextRequest(const QString &collection, QStringList outputFields, int pageSize,
                                   const CallOptions &options) const
{
    if (!outputFields.contains(m_primary.name))
        outputFields.prepend(m_primary.name);
    QueryRequest r;
    r.collection = collection;
    r.filter = nextFilter();
    r.outputFields = std::move(outputFields);
    r.limit = std::max(1, pageSize);
    r.iterator = true;
    r.options = options;
    return r;
}

void PkCursor::advance(QueryResult &page)
{
    if (page.rowCount() == 0) {
        m_atEnd = true;
        return;
    }
    sortByPrimaryKey(page, m_primary.name);
    m_last = page.column(m_primary.name)->value(page.rowCount() - 1);
}

FieldColumn PkCursor::takeRows(const FieldColumn &column, const QList<qsizetype> &rows)
{
    FieldColumn out = column;
    std::visit(
        [&](auto &v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return;
            } else if constexpr (std::is_same_v<T, FloatVectors>) {
                const auto &src = std::get<FloatVectors>(column.data);
                v.values.clear();
                v.values.reserve(rows.size() * src.dim);
                for (qsizetype r : rows)
                    v.values.append(src.values.mid(r * src.dim, src.dim));
            } else if constexpr (std::is_same_v<T, BinaryVectors>) {
                const auto &src = std::get<BinaryVectors>(column.data);
                v.bytes.clear();
                for (qsizetype r : rows)
                    v.bytes.append(src.row(r));
            } else {
                const auto &src = std::get<T>(column.data);
                v.clear();
                v.reserve(rows.size());
                for (qsizetype r : rows)
                    v.append(src.at(r));
            }
        },
        out.data);
    if (!column.valid.isEmpty()) {
        out.valid.clear();
        for (qsizetype r : rows)
            out.valid.append(r < column.valid.size() ? column.valid.at(r) : true);
    }
    return out;
}

void PkCursor::sortByPrimaryKey(QueryResult &page, const QString &primaryName)
{
    const FieldColumn *pk = page.column(primaryName);
    if (!pk)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Query"),
                   QStringLiteral("the result has no primary-key column '%1'").arg(primaryName));
    QList<qsizetype> order(pk->rowCount());
    std::iota(order.begin(), order.end(), qsizetype(0));
    if (const auto *ints = std::get_if<QList<qint64>>(&pk->data)) {
        if (std::is_sorted(ints->cbegin(), ints->cend()))
            return;
        std::stable_sort(order.begin(), order.end(),
                         [ints](qsizetype a, qsizetype b) { return ints->at(a) < ints->at(b); });
    } else if (const auto *strings = std::get_if<QStringList>(&pk->data)) {
        QList<QByteArray> keys;
        keys.reserve(strings->size());
        for (const auto &s : *strings)
            keys.append(s.toUtf8());
        if (std::is_sorted(keys.cbegin(), keys.cend()))
            return;
        std::stable_sort(order.begin(), order.end(),
                         [&keys](qsizetype a, qsizetype b) { return keys.at(a) < keys.at(b); });
    } else {
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Query"),
                   QStringLiteral("primary key '%1' is neither INT64 nor VARCHAR").arg(primaryName));
    }
    for (auto &column : page.columns)
        column = takeRows(column, order);
}

} // namespace mx
