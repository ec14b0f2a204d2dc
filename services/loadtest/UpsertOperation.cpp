#include "UpsertOperation.h"

#include "CpuClock.h"
#include "OperationChain.h"

namespace mx {

UpsertOperation::UpsertOperation(OperationTarget target, TutorialDocuments docs,
                                 std::shared_ptr<LiveKeys> live, int batch, qint64 firstDoc)
    : m_target(std::move(target))
    , m_docs(docs)
    , m_live(live ? std::move(live) : std::make_shared<LiveKeys>())
    , m_batch(std::max(1, batch))
    , m_cursor(qsizetype(firstDoc))
{}

UpsertOperation::Plan UpsertOperation::plan(qint64 index)
{
    const auto taken = m_live->checkout(m_batch, &m_cursor);
    if (!taken) {
        const LiveKeys::Counts n = m_live->counts();
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Upsert"),
                   QStringLiteral("no %1 live rows free to upsert (%2 free, %3 in flight, %4 deleted, %5 of "
                                  "unknown outcome): the tool never writes a row that another write holds")
                       .arg(m_batch)
                       .arg(n.free)
                       .arg(n.busy)
                       .arg(n.gone)
                       .arg(n.unknown));
    }
    Plan p;
    p.held = *taken;
    for (const LiveKeys::Entry &e : p.held)
        p.texts.append(m_docs.text(e.doc) + QStringLiteral(" (upserted by operation %1)").arg(index));
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
    QList<qint64> keys;
    StoreLayout withoutKey = target.layout;
    withoutKey.autoId = true; // the key column comes from the live set, below
    for (qsizetype i = 0; i < plan.held.size(); ++i) {
        keys.append(plan.held.at(i).key);
        const QList<FieldColumn> one =
            docs.columns(plan.held.at(i).doc, {vectors.at(i)}, withoutKey, {plan.texts.at(i)});
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
    columns.prepend(FieldColumn::int64s(target.layout.pkField, keys));
    r.columns = columns;
    r.options = options;
    return r;
}

OpResult UpsertOperation::resultOf(LiveKeys &live, const Plan &plan, const MutationResult &m)
{
    const auto *ids = std::get_if<QList<qint64>>(&m.ids.ids);
    live.release(plan.held, ids && ids->size() == plan.held.size() ? *ids : QList<qint64>{});
    OpResult r;
    r.rows = m.upsertCount;
    r.upsertedRows = m.upsertCount;
    r.opName = QStringLiteral("upsert");
    return r;
}

void UpsertOperation::settleFailure(LiveKeys &live, const Plan &plan, const MilvusError &e)
{
    if (leavesOutcomeUnknown(e))
        live.markUnknown(plan.held);
    else
        live.release(plan.held);
}

OpResult UpsertOperation::run(qint64 index, const CallOptions &options)
{
    const Plan p = plan(index);
    try {
        const qint64 t0 = CpuClock::steadyNowNs();
        const QList<Embedding> vectors = m_target.embedder->embedDocuments(p.texts, options);
        const qint64 t1 = CpuClock::steadyNowNs();
        if (vectors.size() != p.texts.size())
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Embed"),
                       QStringLiteral("the embedder returned %1 vectors for %2 texts")
                           .arg(vectors.size())
                           .arg(p.texts.size()));
        OpResult r = resultOf(*m_live, p,
                              m_target.loadClient().upsert(request(m_target, m_docs, p, vectors, options)));
        r.embeddingNs = t1 - t0;
        r.milvusNs = CpuClock::steadyNowNs() - t1;
        return r;
    } catch (...) {
        settleFailure(*m_live, p, errorFromException(std::current_exception()));
        throw;
    }
}

QFuture<OpResult> UpsertOperation::start(qint64 index, const CallOptions &options)
{
    Plan p;
    try {
        p = plan(index);
    } catch (...) {
        return QtFuture::makeExceptionalFuture<OpResult>(std::current_exception());
    }
    QFuture<QList<Embedding>> embedding;
    const qint64 t0 = CpuClock::steadyNowNs();
    try {
        embedding = m_target.embedder->embedDocumentsAsync(p.texts, options);
    } catch (...) {
        embedding = QtFuture::makeExceptionalFuture<QList<Embedding>>(std::current_exception());
    }
    QFuture<OpResult> call = detail::embedThenMilvusOp(
        embedding, t0,
        [target = m_target, docs = m_docs, p, options](const QList<Embedding> &vectors) {
            if (vectors.size() != p.texts.size())
                throwError(ErrorKind::InvalidArgument, QStringLiteral("Embed"),
                           QStringLiteral("the embedder returned %1 vectors for %2 texts")
                               .arg(vectors.size())
                               .arg(p.texts.size()));
            return target.loadClient().upsertAsync(request(target, docs, p, vectors, options));
        },
        [p](const MutationResult &m) {
            OpResult r;
            r.rows = m.upsertCount;
            r.upsertedRows = m.upsertCount;
            r.opName = QStringLiteral("upsert");
            if (const auto *ids = std::get_if<QList<qint64>>(&m.ids.ids))
                r.newKeys = *ids;
            return r;
        });
    return detail::settle(
        call,
        [live = m_live, p](OpResult &r) {
            live->release(p.held, r.newKeys.size() == p.held.size() ? r.newKeys : QList<qint64>{});
            r.newKeys.clear();
        },
        [live = m_live, p](const MilvusError &e) { settleFailure(*live, p, e); });
}

} // namespace mx
