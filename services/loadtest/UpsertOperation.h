#pragma once

#include "LiveKeys.h"
#include "LoadOperation.h"
#include "OperationTarget.h"
#include "TutorialDocuments.h"

namespace mx {

// Upsert of existing documents over the run's live key set: each operation takes the next `batch`
// live rows that no other write holds (wrapping around the store, starting at `firstDoc`), rewrites
// them under their primary keys with a new text and embedding, and gives them back with the keys the
// server answered (an auto-id upsert on the full server moves a row to a new key). So no row is
// written by two operations at once; when every live row is held it fails with InvalidArgument.
// Row counts do not change.
class UpsertOperation : public LoadOperation
{
public:
    UpsertOperation(OperationTarget target, TutorialDocuments docs, std::shared_ptr<LiveKeys> live,
                    int batch = 1, qint64 firstDoc = 0);

    QString name() const override { return QStringLiteral("upsert"); }
    bool writes() const override { return true; }
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

private:
    struct Plan
    {
        QList<LiveKeys::Entry> held;
        QStringList texts;
    };
    Plan plan(qint64 index);
    static InsertRequest request(const OperationTarget &target, const TutorialDocuments &docs,
                                 const Plan &plan, const QList<Embedding> &vectors,
                                 const CallOptions &options);
    static OpResult resultOf(LiveKeys &live, const Plan &plan, const MutationResult &m);
    static void settleFailure(LiveKeys &live, const Plan &plan, const MilvusError &e);

    OperationTarget m_target;
    TutorialDocuments m_docs;
    std::shared_ptr<LiveKeys> m_live;
    int m_batch;
    qsizetype m_cursor = 0;
};

} // namespace mx
