#include "CellCodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>
#include <cmath>

namespace mx {

namespace {

template<typename T>
QByteArray shortestText(T value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("Infinity") : QByteArrayLiteral("-Infinity");
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? QByteArray(buffer, end - buffer) : QByteArray::number(double(value), 'g', 17);
}

// JSON has no NaN or infinity; a non-finite number becomes null rather than invalid JSON.
template<typename T>
QByteArray jsonNumber(T value)
{
    return std::isfinite(value) ? shortestText(value) : QByteArrayLiteral("null");
}

void appendArrayElement(QByteArray &out, const QVariant &v, DataType elementType)
{
    switch (elementType) {
    case DataType::Bool:
        out.append(v.toBool() ? "true" : "false");
        break;
    case DataType::Int8:
    case DataType::Int16:
    case DataType::Int32:
    case DataType::Int64:
        out.append(QByteArray::number(v.toLongLong()));
        break;
    case DataType::Float:
        out.append(jsonNumber(v.toFloat()));
        break;
    case DataType::Double:
        out.append(jsonNumber(v.toDouble()));
        break;
    default:
        appendJsonString(out, v.toString());
    }
}

} // namespace

QString milvusTypeName(DataType type)
{
    switch (type) {
    case DataType::Bool:
        return QStringLiteral("BOOL");
    case DataType::Int8:
        return QStringLiteral("INT8");
    case DataType::Int16:
        return QStringLiteral("INT16");
    case DataType::Int32:
        return QStringLiteral("INT32");
    case DataType::Int64:
        return QStringLiteral("INT64");
    case DataType::Float:
        return QStringLiteral("FLOAT");
    case DataType::Double:
        return QStringLiteral("DOUBLE");
    case DataType::String:
        return QStringLiteral("STRING");
    case DataType::VarChar:
        return QStringLiteral("VARCHAR");
    case DataType::Array:
        return QStringLiteral("ARRAY");
    case DataType::Json:
        return QStringLiteral("JSON");
    case DataType::BinaryVector:
        return QStringLiteral("BINARY_VECTOR");
    case DataType::FloatVector:
        return QStringLiteral("FLOAT_VECTOR");
    case DataType::Float16Vector:
        return QStringLiteral("FLOAT16_VECTOR");
    case DataType::BFloat16Vector:
        return QStringLiteral("BFLOAT16_VECTOR");
    case DataType::SparseFloatVector:
        return QStringLiteral("SPARSE_FLOAT_VECTOR");
    case DataType::Int8Vector:
        return QStringLiteral("INT8_VECTOR");
    case DataType::None:
        break;
    }
    return dataTypeName(type).toUpper();
}

QString milvusTypeWithArticle(DataType type)
{
    const QString name = milvusTypeName(type);
    const bool vowel = name.startsWith(QLatin1Char('I')) || name.startsWith(QLatin1Char('A'));
    return (vowel ? QStringLiteral("an ") : QStringLiteral("a ")) + name;
}

QByteArray floatText(float value)
{
    return shortestText(value);
}

QByteArray doubleText(double value)
{
    return shortestText(value);
}

void appendJsonString(QByteArray &out, QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.append('"');
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (c < 0x20) {
                out.append("\\u00");
                out.append(hex[c >> 4]);
                out.append(hex[c & 0xf]);
            } else {
                out.append(ch);
            }
        }
    }
    out.append('"');
}

bool isNullCell(const FieldColumn &column, qsizetype row)
{
    return !column.valid.isEmpty() && row < column.valid.size() && !column.valid.at(row);
}

QByteArray cellJson(const FieldColumn &column, qsizetype row)
{
    if (isNullCell(column, row) || row < 0 || row >= column.rowCount())
        return QByteArrayLiteral("null");
    QByteArray out;
    std::visit(
        [&](const auto &v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                out = "null";
            } else if constexpr (std::is_same_v<T, QList<bool>>) {
                out = v.at(row) ? "true" : "false";
            } else if constexpr (std::is_same_v<T, QList<qint32>> || std::is_same_v<T, QList<qint64>>) {
                out = QByteArray::number(v.at(row));
            } else if constexpr (std::is_same_v<T, QList<float>> || std::is_same_v<T, QList<double>>) {
                out = jsonNumber(v.at(row));
            } else if constexpr (std::is_same_v<T, QStringList>) {
                appendJsonString(out, v.at(row));
            } else if constexpr (std::is_same_v<T, QList<QByteArray>>) {
                // The server's bytes, unchanged: re-serializing would sort the keys and turn integers
                // beyond 2^53 into doubles.
                out = v.at(row).trimmed();
                if (out.isEmpty())
                    out = QByteArrayLiteral("null");
            } else if constexpr (std::is_same_v<T, QList<QVariantList>>) {
                out.append('[');
                const QVariantList &cell = v.at(row);
                for (qsizetype i = 0; i < cell.size(); ++i) {
                    if (i)
                        out.append(',');
                    appendArrayElement(out, cell.at(i), column.elementType);
                }
                out.append(']');
            } else if constexpr (std::is_same_v<T, FloatVectors>) {
                out.reserve(v.dim * 12 + 2);
                out.append('[');
                for (int k = 0; k < v.dim; ++k) {
                    if (k)
                        out.append(',');
                    out.append(jsonNumber(v.values.at(row * v.dim + k)));
                }
                out.append(']');
            } else if constexpr (std::is_same_v<T, BinaryVectors>) {
                const QByteArray bytes = v.row(row);
                out.append('[');
                for (qsizetype i = 0; i < bytes.size(); ++i) {
                    if (i)
                        out.append(',');
                    out.append(QByteArray::number(quint8(bytes.at(i))));
                }
                out.append(']');
            } else if constexpr (std::is_same_v<T, QList<SparseVector>>) {
                const SparseVector &sv = v.at(row);
                out.append('{');
                for (qsizetype i = 0; i < sv.indices.size(); ++i) {
                    if (i)
                        out.append(',');
                    out.append('"').append(QByteArray::number(sv.indices.at(i))).append("\":");
                    out.append(jsonNumber(sv.values.at(i)));
                }
                out.append('}');
            }
        },
        column.data);
    return out;
}

bool parseJsonValue(const QByteArray &text, QJsonValue *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                  : QStringLiteral("not a single JSON value");
        return false;
    }
    *out = doc.array().at(0);
    return true;
}

QByteArray compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

} // namespace mx
