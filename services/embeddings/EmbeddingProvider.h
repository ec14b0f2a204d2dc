#pragma once

#include "CallOptions.h"

#include <QFuture>
#include <QList>
#include <QString>
#include <QStringList>

namespace mx {

using Embedding = QList<float>;

// Turns texts into vectors. Implementations are thread-safe: any method may be called from any thread.
// Async forms return a QFuture that fails with MilvusException (ErrorKind::Http, Timeout, Cancelled,
// Transport or InvalidArgument) and honour CallOptions (timeout per request, cancel token). Blocking
// forms have the same semantics and must not be called on the GUI thread.
class EmbeddingProvider
{
public:
    virtual ~EmbeddingProvider() = default;

    virtual QString name() const = 0;    // shown in the UI, e.g. "OpenAI-compatible (text-embedding-3-small)"
    virtual bool isSemantic() const = 0; // false for lexical stand-ins (the UI says so)
    virtual int dimension() const = 0;   // 0 when not known until the first answer

    virtual QFuture<QList<Embedding>> embedDocumentsAsync(const QStringList &texts,
                                                          const CallOptions &options = {}) = 0;
    virtual QFuture<Embedding> embedQueryAsync(const QString &text, const CallOptions &options = {}) = 0;
    virtual QList<Embedding> embedDocuments(const QStringList &texts, const CallOptions &options = {}) = 0;
    virtual Embedding embedQuery(const QString &text, const CallOptions &options = {}) = 0;
};

} // namespace mx
