#pragma once

#include <QString>
#include <QVariantMap>

namespace mx {

// A piece of text with its metadata, as langchain_core.documents.Document.
struct Document
{
    QString pageContent;
    QVariantMap metadata;
    // Empty when unknown. Documents read back from the store carry their primary key here (as text); the
    // key also stays in metadata under the primary field's name, as langchain-milvus puts it there.
    QString id;
    bool operator==(const Document &) const = default;
};

// A search hit: the document and the raw score Milvus reported (a distance for L2, a similarity for IP
// and COSINE), exactly as langchain-milvus's similarity_search_with_score returns it.
struct ScoredDocument
{
    Document document;
    double score = 0;
    bool operator==(const ScoredDocument &) const = default;
};

} // namespace mx
