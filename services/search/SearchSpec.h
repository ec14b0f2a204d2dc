#pragma once

#include "MilvusTypes.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace mx {

// Where the query vectors come from.
enum class QueryInputMode
{
    Text,     // one text, embedded through the chosen provider
    Vector,   // a JSON array (nq = 1) or a JSON array of arrays (nq > 1)
    EntityId, // the stored vector of an existing entity
    File      // JSON lines of texts and/or vectors (nq = number of lines)
};

// What the run asks Milvus and how the hits are shown.
enum class ResultMode
{
    Similarity, // ids and fields, best first
    WithScore,  // plus the raw distance and the relevance for the metric
    Mmr,        // fetchK nearest, re-ranked for diversity
    Metadata,   // filter only, no vector: Query with limit
    PrimaryKeys // filter only: the primary keys that match
};

QString resultModeName(ResultMode mode);
QString queryInputModeName(QueryInputMode mode);
// Modes that need query vectors (the others are filter-only queries).
bool needsQueryVectors(ResultMode mode);

// Everything one run of the workbench needs, as the user entered it. Plain data: it is what the history
// stores and what a click on a history entry restores.
struct SearchSpec
{
    QString database;
    QString collection;
    QString vectorField;
    QString metric; // empty: the index's metric
    QStringList outputFields;
    QStringList partitions;
    std::optional<ConsistencyLevel> consistency; // nullopt: the collection's default
    int topK = 10;
    qint64 offset = 0;
    QString searchParams; // JSON object text as typed, e.g. {"ef": 64}
    QString filter;

    QueryInputMode inputMode = QueryInputMode::Text;
    QString queryText;
    QString vectorJson;
    QString entityId;
    QString filePath;

    ResultMode resultMode = ResultMode::WithScore;
    int fetchK = 20;
    double lambdaMult = 0.5;

    QJsonObject toJson() const;
    static SearchSpec fromJson(const QJsonObject &json);
    // One line for a history list: mode, input and filter.
    QString summary() const;
    bool operator==(const SearchSpec &) const = default;
};

} // namespace mx
