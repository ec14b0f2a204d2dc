#pragma once

#include "CallOptions.h"
#include "EmbeddingProvider.h"
#include "MilvusTypes.h"
#include "SearchOutcome.h"
#include "SearchSpec.h"

#include <QFuture>

#include <memory>

namespace mx {

class MilvusClient;

// One run of the search pipeline, as plain data.
struct SearchRunRequest
{
    SearchSpec spec;         // what to run, as the user entered it; spec.database is every call's database
    CollectionSchema schema; // of spec.collection: its primary key and vector field
    QString indexMetric;     // the vector field's index metric, used when spec.metric is empty
    // Embeds the texts of Text and File queries; null is fine when nothing needs embedding. The run lets go
    // of it as soon as the embedding call has started, never on the provider's own thread.
    std::shared_ptr<EmbeddingProvider> provider;
    // timeout: the deadline of the whole run; each step gets what is left of it (zero: the connection's
    // per-call default, no overall deadline). cancel: the run's one cancellation path. dbName is unused.
    CallOptions options;
};

// The search pipeline behind the workbench, end to end: gathers the query vectors (parses pasted vectors,
// reads a queries file on dataThreadPool(), looks up an entity's stored vector, or embeds texts through the
// provider), then searches; or searches fetchK candidates, reads their stored vectors and re-ranks them
// with the vector store's MMR (maximalMarginalRelevanceAsync, on its own pool); or runs a filter-only
// query. Scores get VectorStore::relevanceScore's relevance for the metric.
//
// A cheap handle: copies share the client. Thread-safe; runs may overlap.
class SearchService
{
public:
    explicit SearchService(std::shared_ptr<MilvusClient> client = {});

    const std::shared_ptr<MilvusClient> &client() const { return m_client; }

    // Never blocks and never throws at the caller; the future finishes on a gRPC, provider or pool thread
    // (attach continuations with .then(context, ...)). Failures are MilvusException with a typed MilvusError,
    // never an empty result: InvalidArgument for input rejected before it reaches Milvus (empty query, bad
    // JSON, wrong vector dimension, unknown entity, unreadable file), what the provider or Milvus reported
    // otherwise (e.g. Milvus for a malformed filter), Timeout once the deadline has passed, Cancelled as
    // soon as the token is cancelled (the future fails at once; the calls in flight stop through the same
    // token and their late answers are dropped).
    QFuture<SearchOutcome> run(const SearchRunRequest &request) const;

private:
    std::shared_ptr<MilvusClient> m_client;
};

} // namespace mx
