#pragma once

#include "LiveKeys.h"
#include "LoadOperation.h"
#include "OperationTarget.h"
#include "TutorialDocuments.h"

namespace mx {

// The tutorial's add_documents: texts -> embeddings -> insert. Operation i adds documents
// [firstDoc + i*batch, firstDoc + (i+1)*batch), so runs never add the same document twice. With a live
// key set (a mix), acknowledged rows join it so later deletes and upserts may touch them.
class AddOperation : public LoadOperation
{
public:
    AddOperation(OperationTarget target, TutorialDocuments docs, int batch = 1, qint64 firstDoc = 0,
                 std::shared_ptr<LiveKeys> live = {});

    QString name() const override { return QStringLiteral("add"); }
    bool writes() const override { return true; }
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

private:
    qint64 firstDocOf(qint64 index) const { return m_firstDoc + index * m_batch; }
    InsertRequest request(qint64 first, const QList<Embedding> &vectors, const QStringList &texts,
                          const CallOptions &options) const;
    static OpResult resultOf(const MutationResult &m, qint64 first, const std::shared_ptr<LiveKeys> &live);

    OperationTarget m_target;
    TutorialDocuments m_docs;
    int m_batch;
    qint64 m_firstDoc;
    std::shared_ptr<LiveKeys> m_live;
};

} // namespace mx
