#pragma once

#include <QList>

namespace mx {

// Maximal marginal relevance as langchain-milvus computes it (its own copy of langchain_core's
// maximal_marginal_relevance, NumPy path): cosine similarity in double precision, a zero-norm row scoring 0,
// ties going to the lower index. Pure functions: call them off the GUI thread for large inputs.

// Row-wise cosine similarity: result[i][j] = cos(x[i], y[j]); NaN and infinities become 0.
QList<QList<double>> cosineSimilarity(const QList<QList<float>> &x, const QList<QList<float>> &y);

// Indices into `candidates`, in selection order: the most similar first, then each next one maximising
// lambdaMult * sim(query) - (1 - lambdaMult) * max sim(already selected). At most min(k, candidates) indices.
QList<int> maximalMarginalRelevance(const QList<float> &query, const QList<QList<float>> &candidates,
                                    double lambdaMult = 0.5, int k = 4);

} // namespace mx
