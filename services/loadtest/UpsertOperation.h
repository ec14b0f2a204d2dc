#pragma once

#include "LoadOperation.h"
#include "OperationTarget.h"
#include "TutorialDocuments.h"

#include <mutex>

namespace mx {

// Upsert of existing documents: operation i rewrites the documents at positions
// [firstDoc + i*batch, ...) (wrapping around the store) under their primary keys, with a new text and
// embedding. Row counts do not change. A server that answers an upsert with new keys (full Milvus on
// an auto-id collection replaces the row) has the new keys remembered for the next upsert.
class UpsertOperation : public LoadOperation
{
public:
    UpsertOperation(OperationTarget target, TutorialDocuments docs, QList<qint64> keys, int batch = 1,
                    qint64 firstDoc = 0);

    QString name() const override { return QStringLiteral("upsert"); }
    bool writes() const override { return true; }
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

private:
    struct Keys
    {
        std::mutex mutex;
        QList<qint64> keys;
    };
    struct Plan
    {
        QList<qint64> docs; // document positions
        QList<qint64> keys;
        QStringList texts;
    };
    Plan plan(qint64 index) const;
    static InsertRequest request(const OperationTarget &target, const TutorialDocuments &docs,
                                 const Plan &plan, const QList<Embedding> &vectors,
                                 const CallOptions &options);
    static OpResult resultOf(const std::shared_ptr<Keys> &keys, const Plan &plan, const MutationResult &m);

    OperationTarget m_target;
    TutorialDocuments m_docs;
    std::shared_ptr<Keys> m_keys;
    int m_batch;
    qint64 m_firstDoc;
};

} // namespace mx
