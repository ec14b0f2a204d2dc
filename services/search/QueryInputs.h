#pragma once

#include "EmbeddingProvider.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace mx {

// Parsing of what the user typed or loaded as queries. Pure functions, safe on any thread; failures
// throw MilvusException(InvalidArgument) with a message that says where the input is wrong.

// One query of a queries file: a text to embed or a ready vector.
struct QueryLine
{
    QString text;
    Embedding vector;
    bool isText() const { return vector.isEmpty(); }
};

// A JSON array of numbers (one query) or a JSON array of such arrays (nq > 1). Every vector must have the
// same length; the length is not checked against a field here.
QList<Embedding> parseQueryVectors(const QString &json);

// JSON lines: each non-blank line is a JSON string or {"text": ...} (a text), a JSON array of numbers or
// {"vector": [...]} (a vector). A line that does not start with '[', '{' or '"' is taken as plain text.
QList<QueryLine> parseQueryLines(const QByteArray &content);
// Reads the file at `path` and parses it with parseQueryLines. Blocking file I/O: call it on a worker
// thread (the search service uses dataThreadPool()). An unreadable file throws InvalidArgument naming it.
QList<QueryLine> readQueryFile(const QString &path);

// A primary key as typed, for the collection's key type: an integer for INT64 keys, the text otherwise
// (surrounding quotes removed). Returns the filter expression `field in [key]`, the key written by
// exprInList (services/ExprLiteral.h), so any text reaches Milvus as the same string.
QString primaryKeyFilter(const QString &field, bool integerKey, const QString &typedKey);

} // namespace mx
