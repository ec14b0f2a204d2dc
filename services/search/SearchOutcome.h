#pragma once

#include "SearchSpec.h"

#include <QList>
#include <QStringList>
#include <QVariant>
#include <QVariantMap>

#include <optional>

namespace mx {

// One hit (or one matching entity for the filter-only modes).
struct SearchResultRow
{
    int query = 0; // 0-based query number (nq > 1)
    int rank = 0;  // 1-based, within its query
    QVariant id;
    std::optional<double> distance;  // raw score as Milvus reports it; nullopt in filter-only modes
    std::optional<double> relevance; // VectorStore::relevanceScore for the metric; nullopt when unknown
    QVariantMap fields;              // output fields, dynamic fields expanded
    bool operator==(const SearchResultRow &) const = default;
};

// What a finished run produced, with where its time went.
struct SearchOutcome
{
    SearchSpec spec;
    QString metric;       // the metric the scores are in (the override or the index's)
    QString primaryField; // name of the id column's field
    int nq = 0;           // number of queries (0 for filter-only modes)
    QList<SearchResultRow> rows;
    QStringList fieldColumns; // output field columns, in display order

    std::optional<double> embeddingMs; // nullopt: nothing was embedded
    double milvusMs = 0;               // every Milvus call of the run (id lookup, search, vectors for MMR)
    std::optional<double> rerankMs;    // MMR re-ranking
    double totalMs = 0;                // from start to results, as the user waited

    // Whether the distance and relevance columns apply (plain similarity shows ids and fields only).
    bool hasScores() const
    {
        return spec.resultMode == ResultMode::WithScore || spec.resultMode == ResultMode::Mmr;
    }
};

} // namespace mx
