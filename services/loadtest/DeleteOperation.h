#pragma once

#include "LiveKeys.h"
#include "LoadOperation.h"
#include "OperationTarget.h"

namespace mx {

// The tutorial's delete(expr="id == 'doc_{i}'"), or a delete by primary key, over the run's live key
// set: each operation takes the next `batch` rows that are live and not in flight (wrapping around),
// so no row is deleted twice and none while another write holds it; when too few are left it fails
// with InvalidArgument instead of deleting a row again. Exact mode (the faithful tutorial preset)
// instead names documents [firstDoc + i*batch, ...) whatever their state, as the tutorial does, and
// counts only the live ones as deleted. The rows counted are the live rows the delete named (what must
// be gone), never the server's delete_cnt (it counts keys named; kept as serverDeleteCount).
class DeleteOperation : public LoadOperation
{
public:
    enum class By
    {
        Expression, // id == "doc_i" (or id in [...] for batches)
        PrimaryKey  // pk in [...]
    };

    DeleteOperation(OperationTarget target, By by, std::shared_ptr<LiveKeys> live, int batch = 1,
                    bool exactDocs = false, qint64 firstDoc = 0);

    QString name() const override { return QStringLiteral("delete"); }
    bool writes() const override { return true; }
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

private:
    struct Claim
    {
        QString filter;
        QList<LiveKeys::Entry> held; // live rows this delete must remove
    };
    Claim claim(qint64 index);
    DeleteRequest request(const Claim &c, const CallOptions &options) const;
    static void settleFailure(LiveKeys &live, const QList<LiveKeys::Entry> &held, const MilvusError &e);

    OperationTarget m_target;
    By m_by;
    std::shared_ptr<LiveKeys> m_live;
    int m_batch;
    bool m_exactDocs;
    qint64 m_firstDoc;
    qsizetype m_cursor = 0; // next position to look at in the live set (under LiveKeys' lock)
};

} // namespace mx
