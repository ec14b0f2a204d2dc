#include "DeleteOperation.h"

#include "CpuClock.h"
#include "ExprLiteral.h"
#include "OperationChain.h"
#include "TutorialDocuments.h"

namespace mx {

DeleteOperation::DeleteOperation(OperationTarget target, By by, int batch, qint64 firstDoc,
                                 QList<qint64> keys)
    : m_target(std::move(target))
    , m_by(by)
    , m_batch(std::max(1, batch))
    , m_firstDoc(firstDoc)
    , m_keys(std::move(keys))
{}

QString DeleteOperation::filterFor(qint64 index) const
{
    const qint64 first = m_firstDoc + index * m_batch;
    if (m_by == By::PrimaryKey) {
        if (m_keys.isEmpty())
            throwError(
                ErrorKind::InvalidArgument, QStringLiteral("Delete"),
                QStringLiteral("delete by primary key needs the keys of the store, and there are none"));
        QVariantList keys;
        for (qint64 d = first; d < first + m_batch; ++d)
            keys.append(m_keys.at(d % m_keys.size()));
        return exprInList(m_target.layout.pkField, keys);
    }
    if (m_batch == 1)
        return QStringLiteral("%1 == %2")
            .arg(m_target.layout.idField, exprStringLiteral(TutorialDocuments::docId(first)));
    QVariantList ids;
    for (qint64 d = first; d < first + m_batch; ++d)
        ids.append(TutorialDocuments::docId(d));
    return exprInList(m_target.layout.idField, ids);
}

DeleteRequest DeleteOperation::request(qint64 index, const CallOptions &options) const
{
    DeleteRequest r;
    r.collection = m_target.collection;
    r.filter = filterFor(index);
    r.options = options;
    return r;
}

OpResult DeleteOperation::resultOf(const MutationResult &m)
{
    OpResult r;
    r.rows = m.deleteCount;
    r.deletedRows = m.deleteCount;
    r.opName = QStringLiteral("delete");
    return r;
}

OpResult DeleteOperation::run(qint64 index, const CallOptions &options)
{
    const qint64 t0 = CpuClock::steadyNowNs();
    OpResult r = resultOf(m_target.client->deleteEntities(request(index, options)));
    r.milvusNs = CpuClock::steadyNowNs() - t0;
    return r;
}

QFuture<OpResult> DeleteOperation::start(qint64 index, const CallOptions &options)
{
    return detail::milvusOp([&] { return m_target.client->deleteEntitiesAsync(request(index, options)); },
                            [](const MutationResult &m) { return resultOf(m); });
}

} // namespace mx
