#include "QueryOperation.h"

#include "CpuClock.h"
#include "ExprLiteral.h"
#include "OperationChain.h"
#include "TutorialDocuments.h"

namespace mx {

QueryOperation::QueryOperation(OperationTarget target, Settings settings)
    : m_target(std::move(target))
    , m_settings(std::move(settings))
{}

QueryRequest QueryOperation::request(qint64 index, const CallOptions &options) const
{
    QueryRequest q;
    q.collection = m_target.collection;
    q.filter =
        m_settings.filter.isEmpty() && m_target.layout.langchainShape
            ? QStringLiteral("%1 == %2")
                  .arg(m_target.layout.categoryField, exprStringLiteral(TutorialDocuments::category(index)))
            : m_settings.filter;
    q.limit = m_settings.limit;
    q.outputFields = m_settings.outputFields;
    q.consistency = m_settings.consistency;
    q.options = options;
    return q;
}

OpResult QueryOperation::resultOf(const QueryResult &q)
{
    OpResult r;
    r.rows = q.rowCount();
    r.opName = QStringLiteral("query");
    return r;
}

OpResult QueryOperation::run(qint64 index, const CallOptions &options)
{
    const qint64 t0 = CpuClock::steadyNowNs();
    OpResult r = resultOf(m_target.loadClient().query(request(index, options)));
    r.milvusNs = CpuClock::steadyNowNs() - t0;
    return r;
}

QFuture<OpResult> QueryOperation::start(qint64 index, const CallOptions &options)
{
    return detail::milvusOp([&] { return m_target.loadClient().queryAsync(request(index, options)); },
                            [](const QueryResult &q) { return resultOf(q); });
}

} // namespace mx
