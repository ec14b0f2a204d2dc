#pragma once

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
};

// Builds the operation a RunSpec names, over a target and its store contents. Where operations of a
// mix could step on each other, they are kept apart: adds write new documents after the store's,
// deletes walk the store from its start, upserts from its middle.
class OperationFactory
{
public:
    // Throws MilvusException(InvalidArgument) when the spec cannot run on this target (e.g. an add on a
    // collection without the langchain fields).
    static std::unique_ptr<LoadOperation> create(OpKind op, const RunSpec &spec,
                                                 const OperationTarget &target, const StoreContents &store,
                                                 const TutorialDocuments &docs, bool inMix = false);
};

} // namespace mx
