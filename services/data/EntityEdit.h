#pragma once

#include "CallOptions.h"
#include "MilvusRequests.h"

#include <QFuture>
#include <QJsonObject>

#include <memory>

namespace mx {

class MilvusClient;

struct EntityEditResult
{
    QVariant oldKey; // the primary key the edited row had
    QVariant newKey; // the key the server reports for the written row (MutationResult ids)
    bool keyChanged() const { return oldKey != newKey; }
};

// One edited entity written back with Upsert. The primary key always travels, also when the collection
// generates its keys (auto_id): Milvus wants it to know which row to replace, and without it Milvus Lite
// inserts a second row. On an auto_id collection the server may give the row a new key (Milvus 2.4+
// does; Milvus Lite keeps it), so the result names the key the server reports; Milvus 2.3 refuses
// upserts on auto_id collections: that comes back as its Milvus error, with a reason that says so.
class EntityEdit
{
public:
    EntityEdit(CollectionSchema schema, QString collection);

    // Whether the server may answer an edit with a new primary key (the key is auto_id): tell the user
    // before saving.
    bool mayChangeKey() const;
    // The Upsert for `row` (field name -> value, the primary key included), checked against the schema
    // as import checks a row. Throws MilvusException(InvalidArgument) naming the field at fault.
    InsertRequest request(const QJsonObject &row, const CallOptions &options = {}) const;
    // Sends request(row); finishes on a gRPC thread with the old and the new key, or the typed error.
    QFuture<EntityEditResult> saveAsync(const MilvusClient &client, const QJsonObject &row,
                                        const CallOptions &options = {}) const;

private:
    CollectionSchema m_schema;
    QString m_collection;
};

} // namespace mx
