#pragma once

#include <QString>
#include <QVariant>

namespace mx {

// The one way this project writes a string literal into a Milvus boolean expression (filters, delete
// and get-by-key expressions, cursors): double quotes; \\, \", \n, \r and \t escaped, every other
// character as it is. Those five escapes are the only ones Milvus Lite 3.2 reads (it refuses \u, \x,
// octal and \a); the full server (Go grammar and strconv.Unquote) reads them too and takes other
// control characters unescaped, so both read this form back to the same text (tests/explorer,
// tests/vectorstore: awkward keys against the server). Pure function, any thread.
QString exprStringLiteral(const QString &text);

// A primary-key (or any scalar) value as an expression literal: strings through exprStringLiteral,
// integers in decimal (exact beyond 2^53), booleans as true/false.
QString exprLiteral(const QVariant &value);

// `field in [k1, k2, ...]` for a list of keys (strings or integers); `field in []` for none.
QString exprInList(const QString &field, const QVariantList &keys);

} // namespace mx
