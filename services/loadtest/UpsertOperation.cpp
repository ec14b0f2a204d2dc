#include "UpsertOperation.h"

#include "CpuClock.h"
#include "OperationChain.h"

namespace mx {

UpsertOperation::UpsertOperation(OperationTarget target, TutorialDocuments docs, QList<qint64> keys,
                                 int batch, qint64 firstDoc)
    : m_target(std::move(target))
    , m_docs(docs)
    , m_keys(std::make_shared<Keys>())
    , m_batch(std::max(1, batch))
    , m_firstDoc(firstDoc)
{
    m_keys->keys = std::move(keys);
}

UpsertOperation::Plan UpsertOperation::plan(qint64 index) const
{
    Plan p;
    std::lock_guard lock(m_keys->mutex);
    if (m_keys->keys.isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Upsert"),
                   QStringLiteral("upsert needs existing documents, and the store has none"));
    for (qint64 d = m_firstDoc + index * m_batch; d < m_firstDoc + (index + 1) * m_batch; ++d) {
        const qint64 pos = d % m_keys->keys.size();
        p.docs.append(pos);
        p.keys.append(m_keys->keys.at(pos));
        p.texts.append(m_docs.text(pos) + QStringLiteral(" (upserted by operation %1)").arg(index));
    }
    return p;
}

InsertRequest UpsertOperation::request(const OperationTarget &target, const TutorialDocuments &docs,
                                       const Plan &plan, const QList<Embedding> &vectors,
                                       const CallOptions &options)
{
    InsertRequest r;
    r.collection = target.collection;
    // Positions can be non-contiguous after wrapping, so build the columns one document at a time.
    QList<FieldColumn> columns;
    for (qsizetype i = 0; i < plan.docs.size(); ++i) {
        const QList<FieldColumn> one =
            docs.columns(plan.docs.at(i), {vectors.at(i)}, target.layout, {plan.texts.at(i)});
        if (columns.isEmpty()) {
            columns = one;
            continue;
        }
        for (qsizetype c = 0; c < columns.size(); ++c) {
            std::visit(
                [&](auto &dst) {
                    using T = std::decay_t<decltype(dst)>;
                    if constexpr (std::is_same_v<T, FloatVectors>)
                        dst.values.append(std::get<FloatVectors>(one.at(c).data).values);
                    else if constexpr (std::is_same_v<T, BinaryVectors>)
                        dst.bytes.append(std::get<BinaryVectors>(one.at(c).data).bytes);
                    else if constexpr (!std::is_same_v<T, std::monostate>)
                        dst.append(std::get<T>(one.at(c).data));
                },
                columns[c].data);
        }
    }
    columns.prepend(FieldColumn::int64s(target.layout.pkField, plan.keys));
    r.columns = columns;
    r.options = options;
    return r;
}

OpResult UpsertOperation::resultOf(const std::shared_ptr<Keys> &keys, const Plan &plan,
                                   const MutationResult &m)
{
    if (const auto *ids = std::get_if<QList<qint64>>(&m.ids.ids); ids && ids->size() == plan.docs.size()) {
        std::lock_guard lock(keys->mutex);
        for (qsizetype i = 0; i < ids->size(); ++i)
            keys->keys[plan.docs.at(i)] = ids->at(i);
    }
    OpResult r;
    r.rows = m.upsertCount;
    r.upsertedRows = m.upsertCount;
    r.opName = QStringLiteral("upsert");
    return r;
}

OpResult UpsertOperation::run(qint64 index, const CallOptions &options)
{
    const Plan p = plan(index);
    const qint64 t0 = CpuClock::steadyNowNs();
    const QList<Embedding> vectors = m_target.embedder->embedDocuments(p.texts, options);
    const qint64 t1 = CpuClock::steadyNowNs();
    if (vectors.size() != p.texts.size())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Embed"),
                   QStringLiteral("the embedder returned %1 vectors for %2 texts")
                       .arg(vectors.size())
                       .arg(p.texts.size()));
    OpResult r = resultOf(m_keys, p, m_target.client->upsert(request(m_target, m_docs, p, vectors, options)));
    r.embeddingNs = t1 - t0;
    r.milvusNs = CpuClock::steadyNowNs() - t1;
    return r;
}

QFuture<OpResult> UpsertOperation::start(qint64 index, const CallOptions &options)
{
    Plan p;
    QFuture<QList<Embedding>> embedding;
    const qint64 t0 = CpuClock::steadyNowNs();
    try {
        p = plan(index);
        embedding = m_target.embedder->embedDocumentsAsync(p.texts, options);
    } catch (...) {
        embedding = QtFuture::makeExceptionalFuture<QList<Embedding>>(std::current_exception());
    }
    return detail::embedThenMilvusOp(
        embedding, t0,
        [target = m_target, docs = m_docs, p, options](const QList<Embedding> &vectors) {
            if (vectors.size() != p.texts.size())
                throwError(ErrorKind::InvalidArgument, QStringLiteral("Embed"),
                           QStringLiteral("the embedder returned %1 vectors for %2 texts")
                               .arg(vectors.size())
                               .arg(p.texts.size()));
            return target.client->upsertAsync(request(target, docs, p, vectors, options));
        },
        [keys = m_keys, p](const MutationResult &m) { return resultOf(keys, p, m); });
}

} // namespace mx
