#pragma once

#include "EmbeddingProvider.h"

#include <atomic>

namespace mx::test {

// A trivial deterministic embedder for tests: vector i of a text is a hash of (text, i), normalised.
// Optional fixed delay per call (slept on the calling thread for the blocking forms, on a thread of
// its own for the async forms) and optional failure of every call. Thread-safe.
class FakeEmbeddingProvider : public EmbeddingProvider
{
public:
    explicit FakeEmbeddingProvider(int dim = 16, int delayMs = 0);

    QString name() const override { return QStringLiteral("fake test embedder (dim %1)").arg(m_dim); }
    bool isSemantic() const override { return false; }
    int dimension() const override { return m_dim; }

    QFuture<QList<Embedding>> embedDocumentsAsync(const QStringList &texts,
                                                  const CallOptions &options = {}) override;
    QFuture<Embedding> embedQueryAsync(const QString &text, const CallOptions &options = {}) override;
    QList<Embedding> embedDocuments(const QStringList &texts, const CallOptions &options = {}) override;
    Embedding embedQuery(const QString &text, const CallOptions &options = {}) override;

    void setFailing(bool fail) { m_fail = fail; }
    qint64 calls() const { return m_calls; }
    static Embedding vectorFor(const QString &text, int dim);

private:
    void maybeWaitAndFail(const CallOptions &options);

    int m_dim;
    int m_delayMs;
    std::atomic<bool> m_fail{false};
    std::atomic<qint64> m_calls{0};
};

} // namespace mx::test
