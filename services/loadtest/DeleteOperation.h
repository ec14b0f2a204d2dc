#pragma once

#include "LoadOperation.h"
#include "OperationTarget.h"

namespace mx {

// The tutorial's delete(expr="id == 'doc_{i}'"), or a delete by primary key. Operation i deletes
// documents [firstDoc + i*batch, firstDoc + (i+1)*batch) (by key: the keys at those positions of
// `keys`, wrapping around). The acknowledged row count is the server's delete count.
class DeleteOperation : public LoadOperation
{
public:
    enum class By
    {
        Expression, // id == "doc_i" (or id in [...] for batches)
        PrimaryKey  // pk in [...]
    };

    DeleteOperation(OperationTarget target, By by, int batch = 1, qint64 firstDoc = 0,
                    QList<qint64> keys = {});

    QString name() const override { return QStringLiteral("delete"); }
    bool writes() const override { return true; }
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

    QString filterFor(qint64 index) const;

private:
    DeleteRequest request(qint64 index, const CallOptions &options) const;
    static OpResult resultOf(const MutationResult &m);

    OperationTarget m_target;
    By m_by;
    int m_batch;
    qint64 m_firstDoc;
    QList<qint64> m_keys;
};

} // namespace mx
