#pragma once

#include "CollectionLayout.h"
#include "EmbeddingProvider.h"
#include "MilvusClient.h"
#include "MilvusError.h"
#include "VectorStoreConfig.h"

#include <QFuture>
#include <QMutex>
#include <QPromise>

#include <memory>

namespace mx::detail {

using LayoutPtr = std::shared_ptr<const CollectionLayout>;

// The shared state behind VectorStore handles: the client, the embeddings, the configuration and the
// layout of the collection once it is known. Async continuations hold a shared_ptr to it, never to a
// VectorStore, so a handle may go away while its calls are in flight. Thread-safe.
class VectorStoreState : public std::enable_shared_from_this<VectorStoreState>
{
public:
    VectorStoreState(std::shared_ptr<MilvusClient> client, std::shared_ptr<EmbeddingProvider> embeddings,
                     VectorStoreConfig config);

    MilvusClient &client() const { return *m_client; }
    EmbeddingProvider &embeddings() const { return *m_embeddings; }
    const VectorStoreConfig &config() const { return m_config; }
    const QString &collection() const { return m_config.collectionName; }

    // The call's options with the store's timeout filled in when the call sets none.
    CallOptions options(const CallOptions &call) const;

    LayoutPtr cached() const;
    void forget(); // after a drop

    // langchain-milvus's constructor: drop the old collection when asked, then attach to an existing one.
    void open(const CallOptions &o);
    QFuture<void> openAsync(const CallOptions &o);

    // The layout of the existing collection, creating its index and loading it the first time; null when the
    // collection does not exist (langchain-milvus's `col is None`).
    LayoutPtr attach(const CallOptions &o);
    QFuture<LayoutPtr> attachAsync(const CallOptions &o);

    // As attach(), but creates the collection when it does not exist, with a schema made from the first
    // rows (dimension, first metadata) and an INT64 auto-id key when `autoId`.
    LayoutPtr ensureCollection(const CallOptions &o, int dim, const QVariantMap &firstMetadata, bool autoId);
    QFuture<LayoutPtr> ensureCollectionAsync(const CallOptions &o, int dim, const QVariantMap &firstMetadata,
                                             bool autoId);

private:
    LayoutPtr adopt(const CallOptions &o);
    QFuture<LayoutPtr> adoptAsync(const CallOptions &o);
    LayoutPtr remember(const CollectionDescription &description, const IndexDescription &index);
    QFuture<LayoutPtr> createAsync(const CallOptions &o, int dim, const QVariantMap &firstMetadata,
                                   bool autoId);

    const std::shared_ptr<MilvusClient> m_client;
    const std::shared_ptr<EmbeddingProvider> m_embeddings;
    const VectorStoreConfig m_config;

    mutable QMutex m_mutex;
    LayoutPtr m_layout;
    // Async creations of the collection share one flight, so many adds on a fresh store create it once.
    // Joiners wait on promises of their own: a Qt 6.4 QFuture keeps only one continuation, so they must
    // not attach theirs to the creator's future.
    struct Joiner
    {
        std::shared_ptr<QPromise<LayoutPtr>> promise;
        std::function<QFuture<LayoutPtr>()> retry; // the joiner's own creation, if the flight fails
    };
    bool m_creating = false;
    std::vector<Joiner> m_joiners;
};

// Throws MilvusException(Cancelled) when the call's token is cancelled: checked between the steps of an
// operation, so a cancel lands even between two RPCs.
void throwIfCancelled(const CallOptions &o, const QString &op);

// Milvus's answer to DescribeIndex on a field without an index (code 700).
bool isIndexMissing(const MilvusError &e);

template<typename T>
QFuture<T> failedFuture(std::exception_ptr e)
{
    QPromise<T> p;
    p.start();
    p.setException(e);
    p.finish();
    return p.future();
}

template<typename T>
QFuture<T> readyFuture(T value)
{
    return QtFuture::makeReadyFuture(std::move(value));
}

inline QFuture<void> readyFuture()
{
    return QtFuture::makeReadyFuture();
}

// Runs `start` and turns a synchronous throw (argument checks) into a failed future, so async forms never
// throw at the caller.
template<typename T, typename Fn>
QFuture<T> guarded(Fn start)
{
    try {
        return start();
    } catch (...) {
        return failedFuture<T>(std::current_exception());
    }
}

} // namespace mx::detail
