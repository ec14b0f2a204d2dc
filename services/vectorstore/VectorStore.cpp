// The blocking forms; the async forms are in VectorStoreAsync.cpp. Both build their requests and read their
// answers with StoreCodec, so they differ only in how they wait.

#include "VectorStore.h"

#include "Mmr.h"
#include "StoreCodec.h"
#include "VectorStoreState.h"

namespace mx {

using detail::LayoutPtr;
using detail::throwIfCancelled;

namespace {
const QString kAdd = QStringLiteral("VectorStore add");
const QString kSearch = QStringLiteral("VectorStore search");
const QString kMmr = QStringLiteral("VectorStore MMR");

// Embeddings for texts, checked: one vector per text.
QList<Embedding> embedAll(detail::VectorStoreState &s, const QStringList &texts, const CallOptions &o)
{
    throwIfCancelled(o, kAdd);
    QList<Embedding> vectors = s.embeddings().embedDocuments(texts, o);
    detail::checkRows(kAdd, texts, vectors, {}, 0);
    return vectors;
}

// The write path shared by add_embeddings (insert) and upsert (upsert with ids).
QVariantList writeRows(detail::VectorStoreState &s, const QStringList &texts, const QList<Embedding> &vectors,
                       const QList<QVariantMap> &metadatas, const AddOptions &options, bool upsert)
{
    const CallOptions o = s.options(options.call);
    detail::checkRows(kAdd, texts, vectors, metadatas, 0);
    if (texts.isEmpty())
        return {};
    if (options.batchSize <= 0)
        throwError(ErrorKind::InvalidArgument, kAdd, QStringLiteral("batch size must be at least 1"));
    // langchain-milvus switches a store without ids to auto ids before creating its collection (in add_texts
    // only; its add_embeddings then fails with a TypeError: here both switch).
    const bool autoId = s.config().autoId || options.ids.isEmpty();
    const LayoutPtr layout = s.ensureCollection(o, int(vectors.first().size()), metadatas.value(0), autoId);
    detail::checkRows(kAdd, texts, vectors, metadatas, layout->dim);
    const bool withIds = upsert || !layout->autoId;
    if (withIds)
        detail::checkIds(kAdd, *layout, options.ids, texts.size());

    QVariantList keys;
    for (qsizetype begin = 0; begin < texts.size(); begin += options.batchSize) {
        throwIfCancelled(o, kAdd);
        const qsizetype end = std::min<qsizetype>(begin + options.batchSize, texts.size());
        InsertRequest r = detail::insertRequest(*layout, s.collection(), texts, vectors, metadatas,
                                                options.ids, begin, end, withIds);
        r.partition = options.partitionName;
        r.options = o;
        const MutationResult result = upsert ? s.client().upsert(r) : s.client().insert(r);
        keys.append(detail::idsOf(result.ids));
    }
    return keys;
}

QList<ScoredDocument> searchVector(detail::VectorStoreState &s, const Embedding &vector, int k,
                                   const QString &expr, const QJsonObject &param, const CallOptions &call)
{
    const CallOptions o = s.options(call);
    const LayoutPtr layout = s.attach(o);
    if (!layout)
        return {};
    detail::checkQueryVector(kSearch, *layout, vector);
    SearchRequest r = detail::searchRequest(*layout, s.collection(), vector, k, expr, param);
    r.options = o;
    return detail::documentsFromHits(*layout, s.client().search(r));
}

Embedding embedQuery(detail::VectorStoreState &s, const QString &query, const CallOptions &call)
{
    detail::checkQueryText(kSearch, query);
    const CallOptions o = s.options(call);
    throwIfCancelled(o, kSearch);
    return s.embeddings().embedQuery(query, o);
}
} // namespace

VectorStore::VectorStore() = default;

VectorStore::VectorStore(std::shared_ptr<MilvusClient> client, std::shared_ptr<EmbeddingProvider> embeddings,
                         Config config)
{
    if (!client || !embeddings)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("VectorStore"),
                   QStringLiteral("a vector store needs a Milvus client and an embedding provider"));
    m_state = std::make_shared<detail::VectorStoreState>(std::move(client), std::move(embeddings),
                                                         std::move(config));
}

const std::shared_ptr<detail::VectorStoreState> &VectorStore::state() const
{
    if (!m_state)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("VectorStore"),
                   QStringLiteral("the vector store handle is null"));
    return m_state;
}

const VectorStore::Config &VectorStore::config() const
{
    return state()->config();
}

bool VectorStore::hasCollection() const
{
    return m_state && m_state->cached() != nullptr;
}

void VectorStore::open(const CallOptions &options) const
{
    state()->open(options);
}

VectorStore VectorStore::fromTexts(std::shared_ptr<MilvusClient> client,
                                   std::shared_ptr<EmbeddingProvider> embeddings, const QStringList &texts,
                                   const QList<QVariantMap> &metadatas, const QVariantList &ids,
                                   Config config, const CallOptions &options)
{
    // from_texts: given ids mean string keys; without ids Milvus generates them, whatever config.autoId says.
    config.autoId = ids.isEmpty();
    VectorStore store(std::move(client), std::move(embeddings), std::move(config));
    store.open(options);
    AddOptions add;
    add.ids = ids;
    add.call = options;
    store.addTexts(texts, metadatas, add);
    return store;
}

QVariantList VectorStore::addTexts(const QStringList &texts, const QList<QVariantMap> &metadatas,
                                   const AddOptions &options) const
{
    auto &s = *state();
    detail::checkMetadataCount(kAdd, texts, metadatas);
    if (texts.isEmpty())
        return {};
    const QList<Embedding> vectors = embedAll(s, texts, s.options(options.call));
    return writeRows(s, texts, vectors, metadatas, options, false);
}

QVariantList VectorStore::addDocuments(const QList<Document> &documents, const AddOptions &options) const
{
    // langchain-core's contract: the documents' ids unless ids are given (langchain-milvus 0.3.3 drops them).
    AddOptions o = options;
    if (o.ids.isEmpty())
        o.ids = detail::documentIds(documents);
    return addTexts(detail::textsOf(documents), detail::metadatasOf(documents), o);
}

QVariantList VectorStore::addEmbeddings(const QStringList &texts, const QList<Embedding> &embeddings,
                                        const QList<QVariantMap> &metadatas, const AddOptions &options) const
{
    return writeRows(*state(), texts, embeddings, metadatas, options, false);
}

QList<Document> VectorStore::similaritySearch(const QString &query, const SearchOptions &options) const
{
    return detail::withoutScores(similaritySearchWithScore(query, options));
}

QList<Document> VectorStore::similaritySearchByVector(const Embedding &embedding,
                                                      const SearchOptions &options) const
{
    return detail::withoutScores(similaritySearchWithScoreByVector(embedding, options));
}

QList<ScoredDocument> VectorStore::similaritySearchWithScore(const QString &query,
                                                             const SearchOptions &options) const
{
    auto &s = *state();
    detail::checkQueryText(kSearch, query);
    // langchain-milvus returns [] before embedding when there is no collection.
    if (!s.attach(s.options(options.call)))
        return {};
    const Embedding vector = embedQuery(s, query, options.call);
    return searchVector(s, vector, options.k, options.expr, options.param, options.call);
}

QList<ScoredDocument> VectorStore::similaritySearchWithScoreByVector(const Embedding &embedding,
                                                                     const SearchOptions &options) const
{
    return searchVector(*state(), embedding, options.k, options.expr, options.param, options.call);
}

QList<Document> VectorStore::maxMarginalRelevanceSearch(const QString &query, const MmrOptions &options) const
{
    auto &s = *state();
    detail::checkQueryText(kMmr, query);
    if (!s.attach(s.options(options.call)))
        return {};
    return maxMarginalRelevanceSearchByVector(embedQuery(s, query, options.call), options);
}

QList<Document> VectorStore::maxMarginalRelevanceSearchByVector(const Embedding &embedding,
                                                                const MmrOptions &options) const
{
    auto &s = *state();
    const CallOptions o = s.options(options.call);
    const LayoutPtr layout = s.attach(o);
    if (!layout)
        return {};
    detail::checkQueryVector(kMmr, *layout, embedding);
    SearchRequest r = detail::searchRequest(*layout, s.collection(), embedding, options.fetchK, options.expr,
                                            options.param);
    r.options = o;
    const SearchResults results = s.client().search(r);
    const QList<ScoredDocument> hits = detail::documentsFromHits(*layout, results);
    if (hits.isEmpty())
        return {};
    const QVariantList ids = detail::idsOf(results);
    throwIfCancelled(o, kMmr);
    QueryRequest q = storedVectorsQuery(s.collection(), layout->primaryField, layout->vectorField, ids);
    q.options = o;
    const QList<QList<float>> vectors =
        storedVectorsInOrder(s.client().query(q), layout->primaryField, layout->vectorField, ids, kMmr);
    // The blocking form runs on the caller's (worker) thread already: no hop to the pool.
    QList<Document> out;
    for (int i : maximalMarginalRelevance(embedding, vectors, options.lambdaMult, options.k))
        out.append(hits.at(i).document);
    return out;
}

qint64 VectorStore::deleteDocuments(const QVariantList &ids, const QString &expr,
                                    const CallOptions &options) const
{
    auto &s = *state();
    DeleteRequest r;
    r.collection = s.collection();
    // langchain-milvus builds `pk in [...]` from its configured field name, without looking at the
    // collection.
    r.filter = ids.isEmpty() ? expr : detail::idFilter(s.config().primaryField, ids);
    if (r.filter.trimmed().isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("VectorStore delete"),
                   QStringLiteral("either ids or an expression must be provided"));
    r.options = s.options(options);
    // A failure throws; langchain-milvus logs it and returns False (its async form even True).
    return s.client().deleteEntities(r).deleteCount;
}

QVariantList VectorStore::upsert(const QList<Document> &documents, const AddOptions &options) const
{
    auto &s = *state();
    if (documents.isEmpty())
        return {};
    AddOptions o = options;
    if (o.ids.isEmpty())
        o.ids = detail::documentIds(documents);
    // Without ids there is nothing to replace: add as new rows. (langchain-milvus 0.3.3's blocking upsert
    // does that and then fails with a TypeError; its async form stops after adding, as here.)
    if (o.ids.isEmpty())
        return addDocuments(documents, o);
    const QStringList texts = detail::textsOf(documents);
    const QList<Embedding> vectors = embedAll(s, texts, s.options(o.call));
    return writeRows(s, texts, vectors, detail::metadatasOf(documents), o, true);
}

QList<Document> VectorStore::searchByMetadata(const QString &expr, const QStringList &fields, qint64 limit,
                                              const CallOptions &options) const
{
    auto &s = *state();
    const CallOptions o = s.options(options);
    const LayoutPtr layout = s.attach(o);
    if (!layout)
        return {};
    QueryRequest q;
    q.collection = s.collection();
    q.filter = expr;
    q.outputFields = detail::metadataOutputFields(*layout, fields);
    q.limit = limit;
    q.options = o;
    // A failed query throws; langchain-milvus logs it and returns [], which looks like "no match".
    return detail::documentsFromRows(*layout, s.client().query(q));
}

std::optional<QVariantList> VectorStore::getPks(const QString &expr, const CallOptions &options) const
{
    auto &s = *state();
    const CallOptions o = s.options(options);
    const LayoutPtr layout = s.attach(o);
    if (!layout)
        return std::nullopt;
    QueryRequest q;
    q.collection = s.collection();
    q.filter = expr;
    q.outputFields = {layout->primaryField};
    q.options = o;
    return detail::primaryKeysFromRows(*layout, s.client().query(q));
}

std::optional<double> VectorStore::relevanceScore(const QString &metricType, double score)
{
    const QString m = metricType.toUpper();
    if (m == QLatin1String("L2"))
        return 1.0 - score / 4.0;
    if (m == QLatin1String("IP") || m == QLatin1String("COSINE"))
        return (score + 1.0) / 2.0;
    return std::nullopt;
}

} // namespace mx
