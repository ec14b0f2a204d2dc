#pragma once

// Helpers shared by the data-service tests (tst_dataservices, tst_datacorrectness): small schema
// builders and reads of a whole collection through the primary-key cursor.

#include "MilvusClient.h"
#include "OutputSelection.h"
#include "PkCursor.h"
#include "TestSupport.h"

namespace mx::test {

inline FieldSchema makeField(const QString &name, DataType type, QMap<QString, QString> params = {},
                             DataType element = DataType::None)
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    f.elementType = element;
    f.typeParams = std::move(params);
    return f;
}

// Every row of a collection, in key order, as name -> value (dynamic keys at top level).
inline QList<QVariantMap> readAll(const MilvusClient &client, const QString &collection)
{
    const CollectionSchema schema = client.describeCollection({collection}).schema;
    const OutputSelection all = OutputSelection::resolve(schema, {});
    PkCursor cursor(*schema.primaryField(), {});
    QList<QVariantMap> rows;
    for (;;) {
        QueryResult page = client.query(cursor.nextRequest(collection, all.queryFields(), 1000));
        cursor.advance(page);
        if (cursor.atEnd())
            return rows;
        for (qsizetype r = 0; r < page.rowCount(); ++r)
            rows.append(page.row(r));
    }
}

inline QString createLike(MilvusClient &client, const QString &prefix, const CollectionSchema &schema)
{
    const QString name = uniqueName(prefix);
    CollectionSchema copy = schema;
    copy.name.clear();
    // Describe lists the dynamic field itself on some servers; create wants only the flag.
    copy.fields.removeIf([](const FieldSchema &f) { return f.isDynamic; });
    client.createCollection({name, copy});
    // Index and load it while empty: the full server reads only loaded collections, and loads only
    // indexed ones; rows written later are visible at once.
    // (Binary-vector collections are indexed by their tests, with a binary index.)
    const auto vectors = copy.vectorFields();
    if (!vectors.isEmpty() && vectors.first()->type == DataType::FloatVector)
        indexAndLoad(client, name, vectors.first()->name);
    return name;
}

} // namespace mx::test
