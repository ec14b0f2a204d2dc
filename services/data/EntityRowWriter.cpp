#include "EntityRowWriter.h"

#include "CellCodec.h"
#include "MilvusError.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace mx {

namespace {
const QString kMeta = QStringLiteral("$meta");
}

EntityRowWriter::EntityRowWriter(DataFileFormat format, QStringList fieldNames, bool includeDynamic)
    : m_format(format)
    , m_fields(std::move(fieldNames))
    , m_includeDynamic(includeDynamic)
{}

QByteArray EntityRowWriter::csvQuote(const QByteArray &cell)
{
    const bool needs = cell.isEmpty() || cell.contains(',') || cell.contains('"') || cell.contains('\n') ||
                       cell.contains('\r') || cell.startsWith(' ') || cell.endsWith(' ');
    if (!needs)
        return cell;
    QByteArray out = cell;
    out.replace("\"", "\"\"");
    return '"' + out + '"';
}

QByteArray EntityRowWriter::header() const
{
    if (m_format == DataFileFormat::Json)
        return QByteArrayLiteral("[\n");
    QByteArray out;
    QStringList names = m_fields;
    if (m_includeDynamic)
        names.append(kMeta);
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i)
            out.append(',');
        out.append(csvQuote(names.at(i).toUtf8()));
    }
    out.append("\r\n");
    return out;
}

QByteArray EntityRowWriter::footer() const
{
    return m_format == DataFileFormat::Json ? QByteArrayLiteral("\n]\n") : QByteArray();
}

QByteArray EntityRowWriter::encode(const QueryResult &page)
{
    QList<const FieldColumn *> columns;
    for (const auto &name : m_fields) {
        const FieldColumn *c = page.column(name);
        if (!c)
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Export"),
                       QStringLiteral("the server did not return field '%1'").arg(name));
        columns.append(c);
    }
    const FieldColumn *dynamic = nullptr;
    if (m_includeDynamic)
        for (const auto &c : page.columns)
            if (c.isDynamic)
                dynamic = &c;

    QByteArray out;
    const qsizetype rows = page.rowCount();
    for (qsizetype r = 0; r < rows; ++r) {
        if (m_format == DataFileFormat::Csv) {
            for (qsizetype i = 0; i < columns.size(); ++i) {
                if (i)
                    out.append(',');
                const FieldColumn &c = *columns.at(i);
                if (isNullCell(c, r))
                    continue; // NULL: an empty, unquoted cell
                if (const auto *strings = std::get_if<QStringList>(&c.data))
                    out.append(csvQuote(strings->at(r).toUtf8()));
                else
                    out.append(csvQuote(cellJson(c, r)));
            }
            if (m_includeDynamic) {
                out.append(',');
                out.append(csvQuote(dynamic && !isNullCell(*dynamic, r) ? cellJson(*dynamic, r)
                                                                        : QByteArrayLiteral("{}")));
            }
            out.append("\r\n");
        } else {
            if (m_rowsWritten > 0)
                out.append(",\n");
            out.append('{');
            for (qsizetype i = 0; i < columns.size(); ++i) {
                if (i)
                    out.append(',');
                appendJsonString(out, m_fields.at(i));
                out.append(':');
                out.append(cellJson(*columns.at(i), r));
            }
            if (dynamic && !isNullCell(*dynamic, r)) {
                // Dynamic keys become top-level keys, as a Milvus insert row carries them: the members
                // of the server's object, spliced in byte for byte.
                const QByteArray object = cellJson(*dynamic, r);
                QJsonValue value;
                if (!parseJsonValue(object, &value) || !value.isObject())
                    throwError(ErrorKind::InvalidArgument, QStringLiteral("Export"),
                               QStringLiteral("the dynamic field of a row is not a JSON object: %1")
                                   .arg(QString::fromUtf8(object.left(80))));
                const QByteArray members = object.mid(1, object.size() - 2).trimmed();
                if (!members.isEmpty()) {
                    if (!columns.isEmpty())
                        out.append(',');
                    out.append(members);
                }
            }
            out.append('}');
        }
        ++m_rowsWritten;
    }
    return out;
}

} // namespace mx
