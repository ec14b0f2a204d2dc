#include "AddOperation.h"

#include "CpuClock.h"
#include "OperationChain.h"

namespace mx {

AddOperation::AddOperation(OperationTarget target, TutorialDocuments docs, int batch, qint64 firstDoc,
                           std::shared_ptr<LiveKeys> live)
    : m_target(std::move(target))
    , m_docs(docs)
    , m_batch(std::max(1, batch))
    , m_firstDoc(firstDoc)
    , m_live(std::move(live))
{}

InsertRequest AddOperation::request(qint64 first, const QList<Embedding> &vectors, const QStringList &texts,
                                    const CallOptions &options) const
{
    InsertRequest r;
    r.collection = m_target.collection;
    r.columns = m_docs.columns(first, vectors, m_target.layout, texts);
    r.options = options;
    return r;
}

OpResult AddOperation::resultOf(const MutationResult &m, qint64 first, const std::shared_ptr<LiveKeys> &live)
{
    if (const auto *ids = std::get_if<QList<qint64>>(&m.ids.ids); live && ids) {
        QList<LiveKeys::Entry> added;
        for (qsizetype i = 0; i < ids->size(); ++i)
            added.append({first + i, ids->at(i)});
        live->add(added);
    }
    OpResult r;
    r.rows = m.insertCount;
    r.insertedRows = m.insertCount;
    r.opName = QStringLiteral("add");
    return r;
}

OpResult AddOperation::run(qint64 index, const CallOptions &options)
{
    const qint64 first = firstDocOf(index);
    const QStringList texts = m_docs.texts(first, m_batch);
    const qint64 t0 = CpuClock::steadyNowNs();
    const QList<Embedding> vectors = m_target.embedder->embedDocuments(texts, options);
    const qint64 t1 = CpuClock::steadyNowNs();
    OpResult r =
        resultOf(m_target.loadClient().insert(request(first, vectors, texts, options)), first, m_live);
    r.embeddingNs = t1 - t0;
    r.milvusNs = CpuClock::steadyNowNs() - t1;
    return r;
}

QFuture<OpResult> AddOperation::start(qint64 index, const CallOptions &options)
{
    const qint64 first = firstDocOf(index);
    const QStringList texts = m_docs.texts(first, m_batch);
    const qint64 t0 = CpuClock::steadyNowNs();
    QFuture<QList<Embedding>> embedding;
    try {
        embedding = m_target.embedder->embedDocumentsAsync(texts, options);
    } catch (...) {
        embedding = QtFuture::makeExceptionalFuture<QList<Embedding>>(std::current_exception());
    }
    // The lambdas copy what they need: the operation may be gone before the answer arrives.
    return detail::embedThenMilvusOp(
        embedding, t0,
        [target = m_target, docs = m_docs, first, texts, options](const QList<Embedding> &vectors) {
            InsertRequest r;
            r.collection = target.collection;
            r.columns = docs.columns(first, vectors, target.layout, texts);
            r.options = options;
            return target.loadClient().insertAsync(r);
        },
        [first, live = m_live](const MutationResult &m) { return resultOf(m, first, live); });
}

} // namespace mx
