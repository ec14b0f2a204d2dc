#pragma once

#include <QString>
#include <QVariant>

namespace mx {

// The one way this project writes a string literal into a Milvus boolean expression (filters, delete
// and get-by-key expressions, cursors): double quotes; \\, \", \n, \r and \t escaped; every other
// control character as \u00XX. The full server unquotes with Go's strconv rules and Milvus Lite with
// Python's, and both read this form back to the same text. Pure function, any thread.
QString exprStringLiteral(const QString &text);

// A primary-key (or any scalar) value as an expression literal: strings through exprStringLiteral,
// integers in decimal (exact beyond 2^53), booleans as true/false.
QString exprLiteral(const QVariant &value);

// `field in [k1, k2, ...]` for a list of keys (strings or integers); `field in []` for none.
QString exprInList(const QString &field, const QVariantList &keys);

} // namespace mx
