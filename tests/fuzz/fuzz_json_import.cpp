// JSON / JSON Lines import rows against a schema: JsonRowReader -> RecordConverter -> InsertRequest.

#include "FuzzSchema.h"
#include "JsonRowReader.h"
#include "MilvusError.h"
#include "ProtoConvert.h"
#include "RecordConverter.h"

#include <QBuffer>
#include <QJsonObject>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mx;
    static const CollectionSchema schema = fuzz::importSchema();
    QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    JsonRowReader reader(&buffer);
    RecordConverter converter(schema);
    QJsonObject object;
    RowError error;
    for (qint64 row = 1; row <= 64 && reader.next(object); ++row)
        converter.addJson(row, object, &error);
    InsertRequest request{QStringLiteral("c"), {}, converter.takeColumns()};
    if (request.columns.isEmpty() || request.columns.first().rowCount() == 0)
        return 0;
    ::milvus::proto::milvus::InsertRequest message;
    try {
        proto::toProto(request, &message);
    } catch (const MilvusException &) {
    }
    return 0;
}
