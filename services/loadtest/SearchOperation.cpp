#include "SearchOperation.h"

#include "CpuClock.h"
#include "OperationChain.h"
#include "TutorialDocuments.h"

namespace mx {

SearchOperation::SearchOperation(OperationTarget target, Settings settings)
    : m_target(std::move(target))
    , m_settings(std::move(settings))
{}

QList<Embedding> SearchOperation::embedTutorialQueries(EmbeddingProvider &embedder,
                                                       const CallOptions &options)
{
    QStringList queries;
    for (int i = 0; i < 50; ++i)
        queries.append(TutorialDocuments::searchQuery(i));
    return embedder.embedDocuments(queries, options);
}

SearchRequest SearchOperation::request(const OperationTarget &target, const Settings &settings,
                                       const Embedding &v, const CallOptions &options)
{
    SearchRequest s;
    s.collection = target.collection;
    s.annsField = target.layout.vectorField;
    s.vectors = FloatVectors{int(v.size()), v};
    s.topK = settings.k;
    s.filter = settings.filter;
    s.outputFields = settings.outputFields;
    s.searchParams = settings.searchParams;
    s.consistency = settings.consistency;
    s.options = options;
    return s;
}

OpResult SearchOperation::resultOf(const SearchResults &results)
{
    OpResult r;
    for (const auto &hits : results.queries)
        r.rows += hits.size();
    r.opName = QStringLiteral("search");
    return r;
}

OpResult SearchOperation::run(qint64 index, const CallOptions &options)
{
    const qint64 t0 = CpuClock::steadyNowNs();
    qint64 embedNs = 0;
    Embedding v;
    if (!m_settings.precomputed.isEmpty()) {
        v = m_settings.precomputed.at(index % m_settings.precomputed.size());
    } else {
        v = m_target.embedder->embedQuery(TutorialDocuments::searchQuery(index), options);
        embedNs = CpuClock::steadyNowNs() - t0;
    }
    const qint64 t1 = CpuClock::steadyNowNs();
    OpResult r = resultOf(m_target.loadClient().search(request(m_target, m_settings, v, options)));
    r.embeddingNs = embedNs;
    r.milvusNs = CpuClock::steadyNowNs() - t1;
    return r;
}

QFuture<OpResult> SearchOperation::start(qint64 index, const CallOptions &options)
{
    auto convert = [](const SearchResults &r) { return resultOf(r); };
    if (!m_settings.precomputed.isEmpty()) {
        const Embedding v = m_settings.precomputed.at(index % m_settings.precomputed.size());
        return detail::milvusOp(
            [&] { return m_target.loadClient().searchAsync(request(m_target, m_settings, v, options)); },
            convert);
    }
    const qint64 t0 = CpuClock::steadyNowNs();
    QFuture<Embedding> embedding;
    try {
        embedding = m_target.embedder->embedQueryAsync(TutorialDocuments::searchQuery(index), options);
    } catch (...) {
        embedding = QtFuture::makeExceptionalFuture<Embedding>(std::current_exception());
    }
    return detail::embedThenMilvusOp(
        embedding, t0,
        [target = m_target, settings = m_settings, options](const Embedding &v) {
            return target.loadClient().searchAsync(request(target, settings, v, options));
        },
        convert);
}

} // namespace mx
