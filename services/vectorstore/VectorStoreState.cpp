#include "VectorStoreState.h"

#include "StoreCodec.h"

#include <QMutexLocker>

namespace mx::detail {

namespace {

CollectionRequest collectionRequest(const QString &name, const CallOptions &o)
{
    return CollectionRequest{name, o};
}

IndexRequest indexRequest(const VectorStoreConfig &c, const CallOptions &o)
{
    IndexRequest r;
    r.collection = c.collectionName;
    r.fieldName = c.vectorField;
    r.options = o;
    return r;
}

LoadCollectionRequest loadRequest(const VectorStoreConfig &c, const CallOptions &o)
{
    LoadCollectionRequest r;
    r.collection = c.collectionName;
    r.replicaNumber = c.replicaNumber;
    r.options = o;
    return r;
}

std::optional<IndexDescription> vectorIndex(const QList<IndexDescription> &indexes, const QString &field)
{
    for (const auto &i : indexes) {
        if (i.fieldName == field)
            return i;
    }
    return std::nullopt;
}

QList<IndexDescription> noIndexes(const MilvusException &e)
{
    if (!isIndexMissing(e.error()))
        throw e;
    return {};
}

} // namespace

void throwIfCancelled(const CallOptions &o, const QString &op)
{
    if (o.cancel && o.cancel->isCancelled())
        throwError(ErrorKind::Cancelled, op, QStringLiteral("cancelled by the caller"));
}

bool isIndexMissing(const MilvusError &e)
{
    return e.kind == ErrorKind::Milvus && (e.milvusCode == 700 || e.legacyCode == 11);
}

VectorStoreState::VectorStoreState(std::shared_ptr<MilvusClient> client,
                                   std::shared_ptr<EmbeddingProvider> embeddings, VectorStoreConfig config)
    : m_client(std::move(client))
    , m_embeddings(std::move(embeddings))
    , m_config(std::move(config))
{}

CallOptions VectorStoreState::options(const CallOptions &call) const
{
    CallOptions o = call;
    if (o.timeout.count() <= 0)
        o.timeout = m_config.timeout;
    return o;
}

LayoutPtr VectorStoreState::cached() const
{
    QMutexLocker lock(&m_mutex);
    return m_layout;
}

void VectorStoreState::forget()
{
    QMutexLocker lock(&m_mutex);
    m_layout.reset();
}

LayoutPtr VectorStoreState::remember(const CollectionDescription &description, const IndexDescription &index)
{
    auto layout = std::make_shared<const CollectionLayout>(
        CollectionLayout::fromDescription(description, index, m_config));
    QMutexLocker lock(&m_mutex);
    m_layout = layout;
    return layout;
}

// --- blocking ---

void VectorStoreState::open(const CallOptions &call)
{
    const CallOptions o = options(call);
    if (m_config.dropOld && m_client->hasCollection(collectionRequest(collection(), o))) {
        m_client->dropCollection(collectionRequest(collection(), o));
        forget();
    }
    attach(o);
}

LayoutPtr VectorStoreState::attach(const CallOptions &o)
{
    if (auto layout = cached())
        return layout;
    throwIfCancelled(o, QStringLiteral("VectorStore"));
    if (!m_client->hasCollection(collectionRequest(collection(), o)))
        return nullptr;
    return adopt(o);
}

LayoutPtr VectorStoreState::adopt(const CallOptions &o)
{
    const CollectionDescription description =
        m_client->describeCollection(collectionRequest(collection(), o));
    QList<IndexDescription> indexes;
    try {
        indexes = m_client->describeIndex(indexRequest(m_config, o));
    } catch (const MilvusException &e) {
        indexes = noIndexes(e);
    }
    auto index = vectorIndex(indexes, m_config.vectorField);
    if (!index) {
        try {
            m_client->createIndex([&] {
                auto r = createIndexRequest(m_config);
                r.options = o;
                return r;
            }());
        } catch (const MilvusException &) {
            // Another client may have created it meanwhile; only a still missing index is an error.
            if (!vectorIndex(m_client->describeIndex(indexRequest(m_config, o)), m_config.vectorField))
                throw;
        }
        index = vectorIndex(m_client->describeIndex(indexRequest(m_config, o)), m_config.vectorField);
    }
    m_client->loadCollection(loadRequest(m_config, o));
    return remember(description, index.value_or(IndexDescription{}));
}

LayoutPtr VectorStoreState::ensureCollection(const CallOptions &o, int dim, const QVariantMap &firstMetadata,
                                             bool autoId)
{
    if (auto layout = attach(o))
        return layout;
    auto create = createCollectionRequest(m_config, autoId, dim, firstMetadata);
    create.options = o;
    try {
        m_client->createCollection(create);
    } catch (const MilvusException &) {
        // Lost a race with another writer: use its collection, as langchain-milvus would find it next time.
        if (!m_client->hasCollection(collectionRequest(collection(), o)))
            throw;
    }
    return adopt(o);
}

// --- async ---

QFuture<void> VectorStoreState::openAsync(const CallOptions &call)
{
    const CallOptions o = options(call);
    auto self = shared_from_this();
    QFuture<void> dropped = readyFuture();
    if (m_config.dropOld) {
        dropped = m_client->hasCollectionAsync(collectionRequest(collection(), o))
                      .then([self, o](bool exists) {
                          if (!exists)
                              return readyFuture();
                          return self->m_client->dropCollectionAsync(collectionRequest(self->collection(), o))
                              .then([self] { self->forget(); });
                      })
                      .unwrap();
    }
    return dropped.then([self, o] { return self->attachAsync(o); }).unwrap().then([](LayoutPtr) {});
}

QFuture<LayoutPtr> VectorStoreState::attachAsync(const CallOptions &o)
{
    if (auto layout = cached())
        return readyFuture(layout);
    auto self = shared_from_this();
    return guarded<LayoutPtr>([&] {
        throwIfCancelled(o, QStringLiteral("VectorStore"));
        return m_client->hasCollectionAsync(collectionRequest(collection(), o))
            .then([self, o](bool exists) {
                if (!exists)
                    return readyFuture(LayoutPtr{});
                return self->adoptAsync(o);
            })
            .unwrap();
    });
}

QFuture<LayoutPtr> VectorStoreState::adoptAsync(const CallOptions &o)
{
    auto self = shared_from_this();
    const auto describeIndexes = [self, o] {
        return self->m_client->describeIndexAsync(indexRequest(self->m_config, o))
            .onFailed([](const MilvusException &e) { return noIndexes(e); });
    };
    return m_client->describeCollectionAsync(collectionRequest(collection(), o))
        .then([self, o, describeIndexes](const CollectionDescription &description) {
            return describeIndexes()
                .then([self, o, describeIndexes](const QList<IndexDescription> &indexes) {
                    if (vectorIndex(indexes, self->m_config.vectorField))
                        return readyFuture(indexes);
                    auto create = createIndexRequest(self->m_config);
                    create.options = o;
                    return self->m_client->createIndexAsync(create)
                        .then([self, o](QFuture<void> created) {
                            std::exception_ptr failure;
                            try {
                                created.waitForFinished(); // finished already: rethrows its failure
                            } catch (...) {
                                failure = std::current_exception();
                            }
                            // A failed create is fine when the index exists now (another writer made it).
                            return self->m_client->describeIndexAsync(indexRequest(self->m_config, o))
                                .then([self, failure](const QList<IndexDescription> &now) {
                                    if (failure && !vectorIndex(now, self->m_config.vectorField))
                                        std::rethrow_exception(failure);
                                    return now;
                                });
                        })
                        .unwrap();
                })
                .unwrap()
                .then([self, o](const QList<IndexDescription> &indexes) {
                    const auto index = vectorIndex(indexes, self->m_config.vectorField);
                    if (!index)
                        throwError(
                            ErrorKind::Milvus, QStringLiteral("CreateIndex"),
                            QStringLiteral("could not create the index on field '%1' of collection '%2'")
                                .arg(self->m_config.vectorField, self->collection()));
                    return self->m_client->loadCollectionAsync(loadRequest(self->m_config, o)).then([index] {
                        return *index;
                    });
                })
                .unwrap()
                .then([self, description](const IndexDescription &index) {
                    return self->remember(description, index);
                });
        })
        .unwrap();
}

QFuture<LayoutPtr> VectorStoreState::createAsync(const CallOptions &o, int dim,
                                                 const QVariantMap &firstMetadata, bool autoId)
{
    auto self = shared_from_this();
    return guarded<LayoutPtr>([&] {
        auto create = createCollectionRequest(m_config, autoId, dim, firstMetadata);
        create.options = o;
        return m_client->hasCollectionAsync(collectionRequest(collection(), o))
            .then([self, o, create](bool exists) {
                if (exists)
                    return self->adoptAsync(o);
                return self->m_client->createCollectionAsync(create)
                    .then([self, o](QFuture<void> created) {
                        try {
                            created.waitForFinished(); // finished already: rethrows its failure
                            return self->adoptAsync(o);
                        } catch (const MilvusException &e) {
                            // Lost a race with another writer: go on with its collection if it is there.
                            return self->m_client
                                ->hasCollectionAsync(collectionRequest(self->collection(), o))
                                .then([self, o, e](bool there) {
                                    if (!there)
                                        throw e;
                                    return self->adoptAsync(o);
                                })
                                .unwrap();
                        }
                    })
                    .unwrap();
            })
            .unwrap();
    });
}

namespace {
// Hands a finished future's outcome to a promise: its result, its exception, or "cancelled".
void settle(QPromise<LayoutPtr> &promise, QFuture<LayoutPtr> done)
{
    try {
        done.waitForFinished(); // rethrows the failure, if any
        if (done.resultCount() > 0)
            promise.addResult(done.result());
        else
            promise.setException(
                MilvusException(MilvusError{ErrorKind::Cancelled,
                                            QStringLiteral("add"),
                                            0,
                                            0,
                                            0,
                                            0,
                                            QStringLiteral("creating the collection was cancelled"),
                                            {}}));
    } catch (const QException &e) {
        promise.setException(e);
    } catch (...) {
        promise.setException(MilvusException(errorFromException(std::current_exception())));
    }
    promise.finish();
}
} // namespace

QFuture<LayoutPtr> VectorStoreState::ensureCollectionAsync(const CallOptions &o, int dim,
                                                           const QVariantMap &firstMetadata, bool autoId)
{
    if (auto layout = cached())
        return readyFuture(layout);
    auto self = shared_from_this();
    {
        QMutexLocker lock(&m_mutex);
        if (m_layout)
            return readyFuture(m_layout);
        if (m_creating) {
            // Join the creation in flight; if it fails (its rows, its deadline), try again with ours.
            auto promise = std::make_shared<QPromise<LayoutPtr>>();
            promise->start();
            m_joiners.push_back({promise, [self, o, dim, firstMetadata, autoId] {
                                     return self->createAsync(o, dim, firstMetadata, autoId);
                                 }});
            return promise->future();
        }
        m_creating = true;
    }
    auto mine = std::make_shared<QPromise<LayoutPtr>>();
    mine->start();
    QFuture<LayoutPtr> out = mine->future();
    createAsync(o, dim, firstMetadata, autoId).then([self, mine](QFuture<LayoutPtr> done) {
        std::vector<Joiner> joiners;
        {
            QMutexLocker lock(&self->m_mutex);
            joiners.swap(self->m_joiners);
            self->m_creating = false;
        }
        const bool ok = done.resultCount() > 0;
        settle(*mine, done);
        for (auto &j : joiners) {
            if (ok)
                settle(*j.promise, done);
            else
                j.retry().then([promise = j.promise](QFuture<LayoutPtr> again) { settle(*promise, again); });
        }
    });
    return out;
}

} // namespace mx::detail
