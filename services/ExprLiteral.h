#pragma once

#include <QString>
#include <QVariant>

namespace mx {

// The one way this project writes a string literal into a Milvus boolean expression (filters, delete
// and get-by-key expressions, cursors): double quotes; \\, \", \n, \r and \t escaped; every other
// character, other control characters included, as it is. Milvus Lite 3.2.2 accepts exactly those five
// escapes and answers "unknown escape sequence" (code 6) to \u00XX, \xXX and \0, while it takes raw
// control characters (NUL, 0x01, ESC, DEL; seen 2026-12-01); raw \n and \r end its literal. The full
// server unquotes with Go's strconv.Unquote, which takes raw control characters too (read from its
// source, not yet run against standalone 2.3.5). Pure function, any thread.
QString exprStringLiteral(const QString &text);

// A primary-key (or any scalar) value as an expression literal: strings through exprStringLiteral,
// integers in decimal (exact beyond 2^53), booleans as true/false.
QString exprLiteral(const QVariant &value);

// `field in [k1, k2, ...]` for a list of keys (strings or integers); `field in []` for none.
QString exprInList(const QString &field, const QVariantList &keys);

} // namespace mx
