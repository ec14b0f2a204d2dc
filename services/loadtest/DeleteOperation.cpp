#include "DeleteOperation.h"

#include "CpuClock.h"
#include "ExprLiteral.h"
#include "OperationChain.h"
#include "TutorialDocuments.h"

namespace mx {

DeleteOperation::DeleteOperation(OperationTarget target, By by, std::shared_ptr<LiveKeys> live, int batch,
                                 bool exactDocs, qint64 firstDoc)
    : m_target(std::move(target))
    , m_by(by)
    , m_live(live ? std::move(live) : std::make_shared<LiveKeys>())
    , m_batch(std::max(1, batch))
    , m_exactDocs(exactDocs && by == By::Expression)
    , m_firstDoc(firstDoc)
{}

DeleteOperation::Claim DeleteOperation::claim(qint64 index)
{
    Claim c;
    QList<qint64> docs;
    if (m_exactDocs) {
        for (qint64 d = m_firstDoc + index * m_batch; d < m_firstDoc + (index + 1) * m_batch; ++d) {
            docs.append(d);
            LiveKeys::Entry e;
            if (m_live->claimDoc(d, &e) == LiveKeys::State::Free)
                c.held.append(e);
        }
    } else {
        const auto taken = m_live->checkout(m_batch, &m_cursor);
        if (!taken) {
            const LiveKeys::Counts n = m_live->counts();
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Delete"),
                       QStringLiteral("no %1 live rows left to delete (%2 free, %3 in flight, %4 deleted, %5 "
                                      "of unknown outcome): the tool never deletes a row twice")
                           .arg(m_batch)
                           .arg(n.free)
                           .arg(n.busy)
                           .arg(n.gone)
                           .arg(n.unknown));
        }
        c.held = *taken;
        for (const LiveKeys::Entry &e : c.held)
            docs.append(e.doc);
    }
    if (m_by == By::PrimaryKey) {
        QVariantList keys;
        for (const LiveKeys::Entry &e : c.held)
            keys.append(e.key);
        c.filter = exprInList(m_target.layout.pkField, keys);
    } else if (docs.size() == 1) {
        c.filter = QStringLiteral("%1 == %2")
                       .arg(m_target.layout.idField, exprStringLiteral(TutorialDocuments::docId(docs[0])));
    } else {
        QVariantList ids;
        for (qint64 d : docs)
            ids.append(TutorialDocuments::docId(d));
        c.filter = exprInList(m_target.layout.idField, ids);
    }
    return c;
}

DeleteRequest DeleteOperation::request(const Claim &c, const CallOptions &options) const
{
    DeleteRequest r;
    r.collection = m_target.collection;
    r.filter = c.filter;
    r.options = options;
    return r;
}

void DeleteOperation::settleFailure(LiveKeys &live, const QList<LiveKeys::Entry> &held, const MilvusError &e)
{
    if (leavesOutcomeUnknown(e))
        live.markUnknown(held);
    else
        live.release(held);
}

namespace {

OpResult deleted(const MutationResult &m, qsizetype liveRows)
{
    OpResult r;
    r.rows = liveRows;
    r.deletedRows = liveRows;
    r.serverDeleteCount = m.deleteCount;
    r.opName = QStringLiteral("delete");
    return r;
}

} // namespace

OpResult DeleteOperation::run(qint64 index, const CallOptions &options)
{
    const Claim c = claim(index);
    const qint64 t0 = CpuClock::steadyNowNs();
    try {
        OpResult r = deleted(m_target.loadClient().deleteEntities(request(c, options)), c.held.size());
        r.milvusNs = CpuClock::steadyNowNs() - t0;
        m_live->retire(c.held);
        return r;
    } catch (...) {
        settleFailure(*m_live, c.held, errorFromException(std::current_exception()));
        throw;
    }
}

QFuture<OpResult> DeleteOperation::start(qint64 index, const CallOptions &options)
{
    Claim c;
    try {
        c = claim(index);
    } catch (...) {
        return QtFuture::makeExceptionalFuture<OpResult>(std::current_exception());
    }
    const qsizetype rows = c.held.size();
    QFuture<OpResult> call =
        detail::milvusOp([&] { return m_target.loadClient().deleteEntitiesAsync(request(c, options)); },
                         [rows](const MutationResult &m) { return deleted(m, rows); });
    return detail::settle(
        call, [live = m_live, held = c.held](OpResult &) { live->retire(held); },
        [live = m_live, held = c.held](const MilvusError &e) { settleFailure(*live, held, e); });
}

} // namespace mx
