#pragma once

#include "MilvusTypes.h"
#include "VectorStoreConfig.h"

#include <QJsonObject>
#include <QStringList>

namespace mx {

// What a VectorStore knows about its collection once it exists: read from DescribeCollection and
// DescribeIndex, never guessed. Immutable once built, shared between calls on any thread.
struct CollectionLayout
{
    CollectionSchema schema;
    QString primaryField;
    DataType primaryType = DataType::VarChar;
    bool autoId = false;
    QString textField;
    QString vectorField;
    int dim = 0;
    QString metricType;        // of the vector field's index
    QString indexType;         // of the vector field's index
    QJsonObject defaultSearch; // {"metric_type":..,"params":{..}}: the config's or langchain-milvus's default
    QStringList fieldNames;    // schema order, without the dynamic field (langchain-milvus's self.fields)
    QString metadataField;     // the JSON field holding all metadata; empty unless configured and present
    bool dynamic = false;

    // Throws MilvusException(InvalidArgument) when the collection cannot hold this store's documents
    // (no VARCHAR text field, no float vector field of the configured name).
    static CollectionLayout fromDescription(const CollectionDescription &description,
                                            const IndexDescription &index, const VectorStoreConfig &config);

    // langchain-milvus's default search params for an index type, with the index's metric.
    static QJsonObject defaultSearchParams(const QString &indexType, const QString &metricType);
};

} // namespace mx
