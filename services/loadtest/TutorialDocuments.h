#pragma once

#include "EmbeddingProvider.h"
#include "MilvusTypes.h"
#include "OperationTarget.h"

#include <QString>

namespace mx {

// The tutorial's test data, made reproducible: document i has the text "This is test document {i} with
// some random content: {r}", metadata id = "doc_{i}", score = uniform [0, 1), category = "cat_{i % 5}".
// The "random" numbers come from a hash of (seed, i), so every run and every machine with the same seed
// sees the same documents. Immutable and thread-safe.
class TutorialDocuments
{
public:
    explicit TutorialDocuments(quint64 seed = 42);

    quint64 seed() const { return m_seed; }
    QString text(qint64 i) const;
    static QString docId(qint64 i) { return QStringLiteral("doc_%1").arg(i); }
    double score(qint64 i) const;
    static QString category(qint64 i) { return QStringLiteral("cat_%1").arg(i % 5); }
    // The tutorial's search: similarity_search(f"test document {i % 50}", k=3).
    static QString searchQuery(qint64 i) { return QStringLiteral("test document %1").arg(i % 50); }

    QStringList texts(qint64 first, qint64 n) const;
    // Insert columns for documents [first, first + n) in `layout`'s field names (no primary key when the
    // store's key is auto-generated; else document i's key is i). Throws MilvusException(InvalidArgument)
    // when vectors do not match.
    QList<FieldColumn> columns(qint64 first, const QList<Embedding> &vectors, const StoreLayout &layout,
                               const QStringList &texts) const;

private:
    double uniform(qint64 i, quint64 stream) const;

    quint64 m_seed;
};

} // namespace mx
