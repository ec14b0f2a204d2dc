#include "EntityEdit.h"

#include "MilvusClient.h"
#include "MilvusError.h"
#include "RecordConverter.h"

namespace mx {

EntityEdit::EntityEdit(CollectionSchema schema, QString collection)
    : m_schema(std::move(schema))
    , m_collection(std::move(collection))
{}

bool EntityEdit::mayChangeKey() const
{
    const FieldSchema *pk = m_schema.primaryField();
    return pk && (pk->autoId || m_schema.autoId);
}

InsertRequest EntityEdit::request(const QJsonObject &row, const CallOptions &options) const
{
    const QString op = QStringLiteral("Edit entity");
    const FieldSchema *pk = m_schema.primaryField();
    if (!pk)
        throwError(ErrorKind::InvalidArgument, op,
                   QStringLiteral("collection '%1' has no primary key field").arg(m_collection));
    if (!row.contains(pk->name) || row.value(pk->name).isNull())
        throwError(ErrorKind::InvalidArgument, op,
                   QStringLiteral("the entity has no primary key '%1', so there is no row to replace")
                       .arg(pk->name));
    // Import leaves an auto_id key out (the server assigns it); an upsert must name the row it replaces.
    CollectionSchema withKey = m_schema;
    withKey.autoId = false;
    for (auto &f : withKey.fields)
        if (f.isPrimaryKey)
            f.autoId = false;
    RecordConverter converter(withKey);
    RowError error;
    if (!converter.addJson(1, row, &error))
        throwError(ErrorKind::InvalidArgument, op, error.message);
    return InsertRequest{m_collection, {}, converter.takeColumns(), options};
}

QFuture<EntityEditResult> EntityEdit::saveAsync(const MilvusClient &client, const QJsonObject &row,
                                                const CallOptions &options) const
{
    InsertRequest r;
    try {
        r = request(row, options);
    } catch (const MilvusException &e) {
        return QtFuture::makeExceptionalFuture<EntityEditResult>(e);
    }
    const FieldSchema *pk = m_schema.primaryField();
    EntityEditResult result;
    for (const auto &c : r.columns)
        if (c.name == pk->name)
            result.oldKey = c.value(0);
    return client.upsertAsync(r)
        .then([result](const MutationResult &m) mutable {
            if (m.ids.size() != 1)
                throwError(ErrorKind::Inconsistent, QStringLiteral("Edit entity"),
                           QStringLiteral("the server reported %1 primary keys for one upserted row")
                               .arg(m.ids.size()));
            result.newKey = m.ids.at(0);
            return result;
        })
        .onFailed([autoKey = mayChangeKey()](const MilvusException &e) -> EntityEditResult {
            if (!autoKey || e.error().kind != ErrorKind::Milvus)
                throw e;
            // Milvus 2.3 answers with a field count or "can not assign primary field data": say what it
            // means.
            MilvusError explained = e.error();
            explained.detail = explained.reason;
            explained.reason =
                QStringLiteral("the server refused to replace a row of a collection with auto ID "
                               "keys (Milvus 2.3 cannot upsert there; Milvus 2.4 and later can): %1")
                    .arg(e.error().reason);
            throw MilvusException(explained);
        });
}

} // namespace mx
