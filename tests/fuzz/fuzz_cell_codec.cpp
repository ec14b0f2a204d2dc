// Cell texts: JSON cells (parseJsonValue, compactJson), and a cell of every importable type parsed from
// CSV text and from JSON through a one-row import (pasted float / binary / sparse vectors, arrays, JSON),
// then written back as the export writes it (cellJson).

#include "CellCodec.h"
#include "CsvReader.h"
#include "FuzzSchema.h"
#include "RecordConverter.h"

#include <QJsonValue>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mx;
    static const CollectionSchema schema = fuzz::importSchema();
    if (size < 1)
        return 0;
    const QByteArray text(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    QJsonValue value;
    QString error;
    if (parseJsonValue(text, &value, &error))
        (void)compactJson(value);
    // The first byte picks the field the rest of the input is a cell of.
    const FieldSchema &target = schema.fields.at(1 + (data[0] & 0x7f) % (schema.fields.size() - 1));
    RecordConverter converter(schema);
    QStringList header;
    CsvRecord record;
    for (const FieldSchema &f : schema.fields) {
        header.append(f.name);
        const bool isTarget = f.name == target.name;
        if (f.name == QLatin1String("id"))
            record.fields.append(QStringLiteral("1"));
        else if (isTarget)
            record.fields.append(QString::fromUtf8(text));
        else
            record.fields.append(QString());
        record.quoted.append(isTarget && (data[0] & 0x80));
    }
    if (!converter.setCsvHeader(header).isEmpty())
        __builtin_trap(); // the header names every field
    RowError rowError;
    converter.addCsv(1, record, &rowError);
    if (!value.isUndefined()) {
        QJsonObject object{{QStringLiteral("id"), 1}, {target.name, value}};
        converter.addJson(2, object, &rowError);
    }
    for (const FieldColumn &column : converter.takeColumns())
        for (qsizetype row = 0; row < column.rowCount(); ++row)
            (void)cellJson(column, row);
    return 0;
}
