#pragma once

#include "CallOptions.h"

#include <QJsonObject>
#include <QString>
#include <QVariantList>

namespace mx {

// Per-call arguments of the vector-store operations; defaults are langchain-milvus's.

// add_texts / add_documents / add_embeddings / upsert.
struct AddOptions
{
    // Primary keys, one per text (strings for a VARCHAR key, integers for an INT64 key). Ignored when the
    // collection generates its keys. For add_documents and upsert an empty list means the documents' own ids
    // when every document has one.
    QVariantList ids;
    int batchSize = 1000;  // rows per Insert/Upsert RPC
    QString partitionName; // empty: the default partition
    CallOptions call;
};

// similarity_search and its _by_vector / _with_score forms.
struct SearchOptions
{
    int k = 4;
    QString expr;      // boolean filter; empty: none
    QJsonObject param; // search_params for this call ({"metric_type":..,"params":{..}}); empty: the store's
    CallOptions call;
};

// max_marginal_relevance_search and its _by_vector form.
struct MmrOptions
{
    int k = 4;
    int fetchK = 20;
    double lambdaMult = 0.5; // 0: most diverse, 1: most similar
    QString expr;
    QJsonObject param;
    CallOptions call;
};

} // namespace mx
