#pragma once

#include "LiveKeys.h"
#include "LoadOperation.h"
#include "LoadTestConfig.h"
#include "OperationTarget.h"
#include "TutorialDocuments.h"

#include <memory>

namespace mx {

// What a run's store holds before it starts: documents [0, docs) with these primary keys.
struct StoreContents
{
    qint64 docs = 0;
    QList<qint64> keys;            // in document order; empty for a user collection we did not fill
    QList<Embedding> queryVectors; // pre-computed search vectors (when the spec asks for them)
    // The rows the run's writes may touch; shared by every operation of the run (a mix's parts too).
    // Null: made from `keys` (or from `docs` when no keys are known) by the factory.
    std::shared_ptr<LiveKeys> live;
    std::optional<ConsistencyLevel> readConsistency; // searches and queries (nullopt: the collection's)
};

// Builds the operation a RunSpec names, over a target and its store contents. Operations of a mix share
// one live key set, so they never step on each other: adds write new documents after the store's (and
// join the set), deletes walk the set from its start, upserts from its middle.
class OperationFactory
{
public:
    // Throws MilvusException(InvalidArgument) when the spec cannot run on this target (e.g. an add on a
    // collection without the langchain fields).
    // What langchain-milvus's similarity_search asks for: every field, the vector included.
    static QStringList langchainOutputFields(const StoreLayout &layout);
    static std::unique_ptr<LoadOperation> create(OpKind op, const RunSpec &spec,
                                                 const OperationTarget &target, const StoreContents &store,
                                                 const TutorialDocuments &docs, bool inMix = false);
};

} // namespace mx
