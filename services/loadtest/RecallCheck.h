#pragma once

#include "EmbeddingProvider.h"
#include "MilvusClient.h"
#include "OperationTarget.h"

#include <QJsonObject>

namespace mx {

// Recall@k of a run's searches: the same queries, with the same k, search parameters and filterless
// request, against an exact search by brute force in C++ over every vector fetched from the collection.
// A hit counts when its true distance is at least as good as the k-th exact one (so ties at the
// boundary are not misses).
struct RecallResult
{
    bool measured = false;
    int k = 0;
    qint64 queries = 0;
    qint64 rows = 0;   // vectors the exact search ran over
    double recall = 0; // mean over queries, in [0, 1]
    double minRecall = 0;
    QString metric;
    QString error; // why it was not measured (a filter, too many rows, the server failed, ...)

    QString describe() const;
    QJsonObject toJson() const;
    static RecallResult fromJson(const QJsonObject &json);
};

class RecallCheck
{
public:
    static constexpr qint64 kMaxRows = 200000;

    // Distance under `metric` ("L2" squared, "IP", "COSINE"); lower is better for every metric (IP and
    // COSINE are negated). Pure, thread-safe.
    static double distance(const Embedding &a, const Embedding &b, const QString &metric);
    // The exact top-k keys of `query` over `rows`, best first.
    static QList<qint64> exactTopK(const QList<QPair<qint64, Embedding>> &rows, const Embedding &query, int k,
                                   const QString &metric);

    // Blocking (the engine thread): fetches the vectors, runs each query through the blocking client at
    // Strong consistency with `searchParams`, and compares. Never throws: failures go to `error`.
    static RecallResult measure(MilvusClient &client, const OperationTarget &target, int k,
                                const QJsonObject &searchParams, const QList<Embedding> &queries,
                                const CallOptions &options);
};

} // namespace mx
