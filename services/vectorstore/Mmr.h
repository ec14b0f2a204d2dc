#pragma once

#include "CancelToken.h"
#include "MilvusRequests.h"

#include <QFuture>
#include <QList>
#include <QVariantList>

#include <memory>

namespace mx {

// Maximal marginal relevance as langchain-milvus computes it (its own copy of langchain_core's
// maximal_marginal_relevance, NumPy path): cosine similarity in double precision, a zero-norm row scoring 0,
// ties going to the lower index. The one MMR of the project: VectorStore and the search service both use
// these functions. The pure ones may run on any thread (off the GUI thread for large inputs).

// Row-wise cosine similarity: result[i][j] = cos(x[i], y[j]); NaN and infinities become 0.
QList<QList<double>> cosineSimilarity(const QList<QList<float>> &x, const QList<QList<float>> &y);

// Indices into `candidates`, in selection order: the most similar first, then each next one maximising
// lambdaMult * sim(query) - (1 - lambdaMult) * max sim(already selected). At most min(k, candidates) indices.
QList<int> maximalMarginalRelevance(const QList<float> &query, const QList<QList<float>> &candidates,
                                    double lambdaMult = 0.5, int k = 4);

// maximalMarginalRelevance for every query over its own candidates (queries[i] with candidates[i]), on the
// MMR pool: a pool of its own, so a large fetch_k never runs on the GUI thread, a gRPC thread or
// QThreadPool::globalInstance(). `cancel` (may be null) is checked between queries and fails the future
// with MilvusException(Cancelled, `operation`); a size mismatch fails it with InvalidArgument.
QFuture<QList<QList<int>>> maximalMarginalRelevanceAsync(const QList<QList<float>> &queries,
                                                         const QList<QList<QList<float>>> &candidates,
                                                         double lambdaMult, int k,
                                                         std::shared_ptr<CancelToken> cancel,
                                                         const QString &operation);

// The MMR fetch step: a Query for the stored vectors of the hits `ids` (`primaryField in [...]`, literals
// written by exprInList), and those vectors put back in the order of `ids`. A hit the query did not return
// (deleted in between) or a missing column throws MilvusException(Milvus, `operation`).
QueryRequest storedVectorsQuery(const QString &collection, const QString &primaryField,
                                const QString &vectorField, const QVariantList &ids);
QList<QList<float>> storedVectorsInOrder(const QueryResult &rows, const QString &primaryField,
                                         const QString &vectorField, const QVariantList &ids,
                                         const QString &operation);

} // namespace mx
