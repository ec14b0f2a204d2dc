// CSV import rows against a schema: CsvReader -> RecordConverter (ColumnBuilder, CellCodec) -> the
// InsertRequest message. Rejected rows and malformed files must end in RowError / errorString, nothing else.

#include "CsvReader.h"
#include "FuzzSchema.h"
#include "MilvusError.h"
#include "ProtoConvert.h"
#include "RecordConverter.h"

#include <QBuffer>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mx;
    static const CollectionSchema schema = fuzz::importSchema();
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer);
    RecordConverter converter(schema);
    CsvRecord record;
    if (!reader.next(record))
        return 0;
    if (!converter.setCsvHeader(record.fields).isEmpty())
        return 0;
    RowError error;
    for (qint64 row = 1; row <= 64 && reader.next(record); ++row)
        converter.addCsv(row, record, &error);
    InsertRequest request{QStringLiteral("c"), {}, converter.takeColumns()};
    if (request.columns.isEmpty() || request.columns.first().rowCount() == 0)
        return 0;
    ::milvus::proto::milvus::InsertRequest message;
    try {
        proto::toProto(request, &message);
    } catch (const MilvusException &) {
        // Columns the converter accepted must convert; the message names the problem otherwise.
    }
    return 0;
}
