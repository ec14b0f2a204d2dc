#pragma once

#include "EmbeddingProvider.h"

#include <QHash>

#include <atomic>
#include <memory>

namespace mx::test {

// A deterministic, test-only EmbeddingProvider. Either a fixed table (text -> vector, read from the JSON
// fixture the parity script shares with langchain-milvus; an unknown text is an InvalidArgument error), or,
// without a table, a vector derived from the text's SHA-256 (bytes mapped to (b - 128) / 128: exact in float
// and double, so both languages store the same bits). Async forms run on the global pool and honour the
// cancel token, so continuations see a real thread hop.
class FixtureEmbeddings : public EmbeddingProvider
{
public:
    explicit FixtureEmbeddings(int dim); // derived vectors
    FixtureEmbeddings(int dim, QHash<QString, Embedding> table);
    // {"dim": 16, "vectors": {"text": [..], ..}}; throws MilvusException(InvalidArgument) when unreadable.
    static std::shared_ptr<FixtureEmbeddings> fromFile(const QString &path);
    static Embedding derive(const QString &text, int dim);

    QString name() const override { return QStringLiteral("test fixture"); }
    bool isSemantic() const override { return false; }
    int dimension() const override { return m_dim; }

    QFuture<QList<Embedding>> embedDocumentsAsync(const QStringList &texts,
                                                  const CallOptions &options = {}) override;
    QFuture<Embedding> embedQueryAsync(const QString &text, const CallOptions &options = {}) override;
    QList<Embedding> embedDocuments(const QStringList &texts, const CallOptions &options = {}) override;
    Embedding embedQuery(const QString &text, const CallOptions &options = {}) override;

    int calls() const { return m_calls.load(); } // texts embedded so far, both forms

private:
    Embedding lookup(const QString &text) const;

    int m_dim;
    QHash<QString, Embedding> m_table;
    bool m_derive;
    std::atomic<int> m_calls{0};
};

} // namespace mx::test
