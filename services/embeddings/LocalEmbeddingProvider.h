#pragma once

#include "EmbeddingProvider.h"

#include <QThreadPool>

namespace mx {

// An offline, deterministic stand-in for an embedding model: lexical, not semantic. Texts that share
// character 3- and 4-grams get similar vectors; synonyms do not. Good enough to try search without a
// model server, and fast (microseconds per text).
//
// The algorithm is normative: a Python reimplementation is checked against it for parity, so change
// both or neither.
//   1. s = " " + text.toLower() + " "            (QString::toLower(); Python: str.lower())
//      One known difference: str.lower() applies the context-dependent Final_Sigma rule (a capital
//      sigma ending a word becomes U+03C2) and QString::toLower() does not (always U+03C3). Python
//      code that must match exactly lowers per code point: "".join(c.lower() for c in text).
//   2. cps = the Unicode code points of s         (QString::toUcs4(); Python: iterating the str)
//      An unpaired UTF-16 surrogate becomes U+FFFD (toUcs4 does this; Python must replace it first).
//   3. v = [0.0] * dim (double). For n in (3, 4), for every window of n consecutive code points
//      (none when len(cps) < n), in order:
//        bytes = UTF-8 encoding of the window's code points
//        h = FNV-1a 64 over bytes: h = 14695981039346656037; for b in bytes: h = (h ^ b) *
//            1099511628211 mod 2^64
//        v[h % dim] += +1.0 if (h >> 63) == 0 else -1.0
//   4. norm = sqrt(sum of v[i]^2 for i in 0..dim-1, summed in index order, in double).
//      If norm == 0 the result is e0 (v[0] = 1, all else 0); otherwise v[i] = v[i] / norm.
//   5. Convert each component to float (IEEE single, round to nearest) at the very end.
class LocalEmbeddingProvider final : public EmbeddingProvider
{
public:
    static constexpr int DefaultDimension = 384;

    // Throws MilvusException(InvalidArgument) when dimension < 1.
    explicit LocalEmbeddingProvider(int dimension = DefaultDimension);
    ~LocalEmbeddingProvider() override; // waits for async calls still running on its pool

    // The algorithm above. Pure and thread-safe; dimension must be >= 1.
    static Embedding embed(const QString &text, int dimension);

    QString name() const override;
    bool isSemantic() const override { return false; }
    int dimension() const override { return m_dimension; }

    // Computed on the provider's own thread pool (not the global one). The cancel token, checked
    // between texts, fails the future with Cancelled; cancelling the future stops the work.
    // CallOptions::timeout is ignored: there is no I/O to wait for.
    QFuture<QList<Embedding>> embedDocumentsAsync(const QStringList &texts,
                                                  const CallOptions &options = {}) override;
    QFuture<Embedding> embedQueryAsync(const QString &text, const CallOptions &options = {}) override;
    // Computed inline on the calling thread; throws MilvusException(Cancelled) when the token is or
    // becomes cancelled (checked between texts).
    QList<Embedding> embedDocuments(const QStringList &texts, const CallOptions &options = {}) override;
    Embedding embedQuery(const QString &text, const CallOptions &options = {}) override;

private:
    int m_dimension;
    QThreadPool m_pool;
};

} // namespace mx
