#pragma once

#include "MilvusTypes.h"

#include <QJsonValue>

namespace mx {

// Builds one insert column for one schema field from untyped input, checking every value against the
// field before it is accepted: integer ranges, VARCHAR max_length (in UTF-8 bytes, as Milvus counts),
// vector dimension, array capacity and element type, sparse-vector shape, NULL only where the field is
// nullable or has a default. A rejected value leaves the column unchanged and says why in words a
// user understands ("'abc' is not an INT64"). Not thread-safe.
class ColumnBuilder
{
public:
    // Throws MilvusException(InvalidArgument) for field types the data services cannot carry
    // (float16, bfloat16 and int8 vectors).
    explicit ColumnBuilder(FieldSchema field);

    const FieldSchema &field() const { return m_field; }
    qsizetype rowCount() const { return m_rows; }

    // A value from a JSON document (JSON null is NULL).
    bool appendJson(const QJsonValue &value, QString *why);
    // A CSV cell: scalars as text, vectors / arrays / JSON / sparse vectors as JSON text; an empty
    // unquoted cell is NULL for nullable fields (and an empty string for VARCHAR otherwise).
    bool appendText(const QString &text, bool quoted, QString *why);
    // The source has no value for this field.
    bool appendMissing(QString *why);

    void truncate(qsizetype rows);
    FieldColumn take(); // the column built so far; the builder starts again empty

    static bool isSupported(DataType type);

private:
    bool appendNull(QString *why);
    void markValid(bool valid);
    bool checkElement(const QJsonValue &v, DataType type, int maxLength, QString *why) const;

    FieldSchema m_field;
    FieldColumn m_column;
    qsizetype m_rows = 0;
    bool m_tracksValidity = false;
};

} // namespace mx
