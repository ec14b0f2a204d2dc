#pragma once

#include "MilvusRequests.h"
#include "MilvusTypes.h"

#include <QVariant>

namespace mx {

// Pages through the rows matching a filter in ascending primary-key order, the way pymilvus's
// QueryIterator does: every page asks for `(<filter>) and pk > <last pk>` with limit = page size and
// the `iterator` flag, which makes the server return the smallest matching keys in order. Offsets
// are never used: they get slower with depth and skip or repeat rows when data changes in between.
// The end is an EMPTY page, not a short one: with reduce_stop_for_best a server may answer a page
// with fewer rows than the limit although more rows follow.
// A value type with no I/O; not thread-safe (one owner at a time).
class PkCursor
{
public:
    PkCursor() = default;
    // primary: the collection's primary field (INT64 or VARCHAR); filter: the user's expression.
    PkCursor(FieldSchema primary, QString filter);

    const FieldSchema &primaryField() const { return m_primary; }
    const QString &filter() const { return m_filter; }
    bool atEnd() const { return m_atEnd; }
    bool hasPosition() const { return m_last.isValid(); }
    QVariant lastKey() const { return m_last; }

    // The expression for the next page.
    QString nextFilter() const;
    // A query for the next page; outputFields should include the primary field (added when missing).
    QueryRequest nextRequest(const QString &collection, QStringList outputFields, int pageSize,
                             const CallOptions &options = {}) const;
    // Sorts the page by primary key (defensive: a server that ignores `iterator` may return any order)
    // and moves the cursor past its last row; an empty page marks the end. Throws
    // MilvusException(InvalidArgument) when the page lacks the primary-key column.
    void advance(QueryResult &page);

    // Reorders every column of `page` by ascending primary key: integers numerically, strings by
    // their UTF-8 bytes (the server's order, which UTF-16 comparison gets wrong beyond the BMP).
    static void sortByPrimaryKey(QueryResult &page, const QString &primaryName);
    // The rows of `column` picked by `rows`, in that order (nullability flags too).
    static FieldColumn takeRows(const FieldColumn &column, const QList<qsizetype> &rows);

private:
    FieldSchema m_primary;
    QString m_filter;
    QVariant m_last;
    bool m_atEnd = false;
};

} // namespace mx
