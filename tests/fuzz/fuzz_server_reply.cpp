// Replies of a broken or hostile server: the first byte picks the message, the rest is its wire bytes.
// Decoding (ProtoConvert) and what the app does next with a page (sorting it by key and advancing the
// cursor as the entity browser does, writing it as an export does, reading every cell as the table does)
// must end in a typed MilvusException or a result, never a crash, an out-of-bounds read or a huge
// allocation made on the server's say-so.

#include "CellCodec.h"
#include "EntityRowWriter.h"
#include "MilvusError.h"
#include "PkCursor.h"
#include "ProtoConvert.h"

namespace {

using namespace mx;
namespace pb = ::milvus::proto;

void useColumns(const QList<FieldColumn> &columns)
{
    for (const FieldColumn &c : columns)
        for (qsizetype row = 0; row < c.rowCount() && row < 4096; ++row) {
            (void)cellJson(c, row);
            (void)c.value(row);
        }
}

void usePage(QueryResult page)
{
    useColumns(page.columns);
    for (qsizetype row = 0; row < page.rowCount() && row < 4096; ++row)
        (void)page.row(row);
    QStringList names;
    for (const FieldColumn &c : page.columns)
        if (!c.isDynamic)
            names.append(c.name);
    EntityRowWriter csv(DataFileFormat::Csv, names, true);
    (void)csv.encode(page);
    EntityRowWriter json(DataFileFormat::Json, names, true);
    (void)json.encode(page);
    FieldSchema pk;
    pk.name = page.primaryField.isEmpty() ? QStringLiteral("id") : page.primaryField;
    pk.isPrimaryKey = true;
    for (DataType type : {DataType::Int64, DataType::VarChar}) {
        pk.type = type;
        QueryResult copy = page;
        PkCursor::sortByPrimaryKey(copy, pk.name);
        PkCursor cursor(pk, {});
        cursor.advance(copy);
        (void)cursor.nextFilter();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *bytes = reinterpret_cast<const char *>(data) + 1;
    const int length = int(std::min<size_t>(size - 1, 1 << 20));
    try {
        switch (data[0] % 6) {
        case 0: {
            pb::milvus::QueryResults m;
            if (m.ParseFromArray(bytes, length))
                usePage(proto::fromProto(m));
            break;
        }
        case 1: {
            pb::schema::SearchResultData m;
            if (m.ParseFromArray(bytes, length)) {
                const SearchResults r = proto::fromProto(m);
                for (const auto &hits : r.queries)
                    for (const auto &hit : hits)
                        (void)hit.id;
            }
            break;
        }
        case 2: {
            pb::schema::FieldData m;
            if (m.ParseFromArray(bytes, length))
                useColumns({proto::fromProto(m)});
            break;
        }
        case 3: {
            pb::milvus::MutationResult m;
            if (m.ParseFromArray(bytes, length))
                (void)proto::fromProto(m);
            break;
        }
        case 4: {
            pb::milvus::DescribeCollectionResponse m;
            if (m.ParseFromArray(bytes, length))
                (void)proto::fromProto(m);
            break;
        }
        case 5:
            (void)proto::sparseFromBytes(std::string(bytes, size_t(length)));
            break;
        }
    } catch (const MilvusException &) {
        // The typed error a malformed reply must end in.
    }
    return 0;
}
