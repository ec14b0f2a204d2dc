#pragma once

// Exact text forms of entity cells, shared by export, import and the entity browser. Pure functions,
// thread-safe. Numbers use the shortest text that reads back to the same value (float32 values as
// float32, so a vector survives a CSV/JSON round trip bit for bit).

#include "MilvusTypes.h"

#include <QByteArray>
#include <QJsonValue>

namespace mx {

// The name Milvus users know: INT64, VARCHAR, FLOAT_VECTOR, ...
QString milvusTypeName(DataType type);
// "an INT64", "a VARCHAR": for messages like "'abc' is not an INT64".
QString milvusTypeWithArticle(DataType type);

QByteArray floatText(float value);   // shortest float32 text; non-finite values as NaN/Infinity
QByteArray doubleText(double value); // shortest float64 text
void appendJsonString(QByteArray &out, QStringView text);

// The cell as JSON text ("null" for a null cell): numbers exact, strings quoted, JSON fields byte for
// byte as the server sent them, arrays and float vectors as JSON arrays (FLOAT16, BFLOAT16 and INT8
// vectors as their float values), binary vectors as the array of their dim / 8 packed bytes (0-255,
// see BinaryVectors), sparse vectors as {"index": value}.
QByteArray cellJson(const FieldColumn &column, qsizetype row);
bool isNullCell(const FieldColumn &column, qsizetype row);

// Any JSON value (also a bare string, number or bool, which QJsonDocument refuses at top level)
// from text; returns false when `text` is not exactly one JSON value.
bool parseJsonValue(const QByteArray &text, QJsonValue *out, QString *error = nullptr);
// Compact text of any JSON value.
QByteArray compactJson(const QJsonValue &value);

} // namespace mx
