#pragma once

#include "CollectionLayout.h"
#include "Document.h"
#include "EmbeddingProvider.h"
#include "MilvusRequests.h"
#include "VectorStoreConfig.h"

#include <QList>
#include <QVariantList>

// Pure translation between vector-store terms (texts, metadata, documents) and MilvusClient requests and
// results, shared by the blocking and the async forms so both send the same bytes and read the same answers.
// Every function is thread-safe and throws MilvusException(InvalidArgument) for input it cannot represent.
namespace mx::detail {

// CreateCollection for a new store collection: text, pk, vector, then one field per key of the first
// metadata (type inferred from its value), or a dynamic field / one JSON metadata field, as langchain-milvus.
CreateCollectionRequest createCollectionRequest(const VectorStoreConfig &config, bool autoId, int dim,
                                                const QVariantMap &firstMetadata);
CreateIndexRequest createIndexRequest(const VectorStoreConfig &config);

// Checks texts, vectors and metadata line up and every vector has the same dimension (`dim` when > 0).
void checkRows(const QString &op, const QStringList &texts, const QList<Embedding> &vectors,
               const QList<QVariantMap> &metadatas, int dim);
void checkMetadataCount(const QString &op, const QStringList &texts, const QList<QVariantMap> &metadatas);
// Checks caller-given primary keys against the collection's key type: one per row, unique, strings of at
// most 65,535 bytes for VARCHAR, integers for INT64.
void checkIds(const QString &op, const CollectionLayout &layout, const QVariantList &ids, qsizetype rows);
void checkQueryVector(const QString &op, const CollectionLayout &layout, const Embedding &vector);
void checkQueryText(const QString &op, const QString &query);

// Insert/Upsert rows [begin, end) as columns; with `withIds` the pk column comes from `ids`.
InsertRequest insertRequest(const CollectionLayout &layout, const QString &collection,
                            const QStringList &texts, const QList<Embedding> &vectors,
                            const QList<QVariantMap> &metadatas, const QVariantList &ids, qsizetype begin,
                            qsizetype end, bool withIds);

SearchRequest searchRequest(const CollectionLayout &layout, const QString &collection,
                            const Embedding &vector, int k, const QString &expr, const QJsonObject &param);
QList<ScoredDocument> documentsFromHits(const CollectionLayout &layout, const SearchResults &results);
QList<Document> withoutScores(const QList<ScoredDocument> &scored);

// `pk in [...]` with integers as numbers and anything else as a string literal (exprStringLiteral).
QString idFilter(const QString &primaryField, const QVariantList &ids);
QVariantList idsOf(const IdList &ids);
QVariantList idsOf(const SearchResults &results); // the first query's hit keys, typed as stored

// search_by_metadata: the output fields (all schema fields when none given, the text field always) and the
// documents (the whole row as metadata, as langchain-milvus; of the dynamic field only the keys asked for).
QStringList metadataOutputFields(const CollectionLayout &layout, const QStringList &fields);
QList<Document> documentsFromRows(const CollectionLayout &layout, const QueryResult &rows);
QVariantList primaryKeysFromRows(const CollectionLayout &layout, const QueryResult &rows);

// The Embedding of a document list; documents' own ids when every one has one, else none.
QStringList textsOf(const QList<Document> &documents);
QList<QVariantMap> metadatasOf(const QList<Document> &documents);
QVariantList documentIds(const QList<Document> &documents);

} // namespace mx::detail
