#pragma once

#include "EmbeddingProvider.h"
#include "MilvusError.h"
#include "MilvusTypes.h"
#include "QueryInputs.h"
#include "SearchOutcome.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QThreadPool>

#include <memory>

namespace mx {

class MilvusClient;

// Runs one workbench search end to end without blocking its thread: gathers the query vectors (parses
// them, reads a queries file on a pool thread, looks up an entity's vector, or embeds texts through the
// provider), then searches, queries, or searches and re-ranks with MMR on a pool thread. Every step is an
// async call whose continuation comes back to this object's thread (the GUI thread), so results and
// errors arrive as signals there. A new start() or cancel() cancels the run in flight through its cancel
// token (the embedding and Milvus calls stop) and drops its late answers. Failures are typed MilvusErrors,
// never an empty result.
class SearchRunner : public QObject
{
    Q_OBJECT
public:
    explicit SearchRunner(QObject *parent = nullptr);
    ~SearchRunner() override; // cancels the run and waits for re-ranking still on the pool

    void setClient(std::shared_ptr<MilvusClient> client);

    // `schema` is the collection's; `indexMetric` the vector field's index metric (used when spec.metric is
    // empty); `provider` embeds texts (null is fine when nothing needs embedding).
    void start(const SearchSpec &spec, const CollectionSchema &schema, const QString &indexMetric,
               std::shared_ptr<EmbeddingProvider> provider);
    void cancel();
    bool isRunning() const { return m_run != nullptr; }

signals:
    void runningChanged(bool running);
    void finished(const mx::SearchOutcome &outcome);
    void failed(const mx::MilvusError &error);
    void cancelled();

private:
    struct Run;
    using RunPtr = std::shared_ptr<Run>;

    template<typename T, typename Fn>
    void step(const RunPtr &run, QFuture<T> future, Fn onResult);

    void gatherVectors(const RunPtr &run);
    void embedAndSearch(const RunPtr &run, const QList<QueryLine> &lines);
    void search(const RunPtr &run, const QList<Embedding> &vectors);
    void rerank(const RunPtr &run, const QList<Embedding> &vectors, const SearchResults &results);
    void queryByFilter(const RunPtr &run);
    void finish(const RunPtr &run, SearchOutcome outcome);
    void fail(const RunPtr &run, const MilvusError &error);
    void checkDimensions(const RunPtr &run, const QList<Embedding> &vectors, const QString &source) const;
    CallOptions callOptions(const RunPtr &run) const;

    std::shared_ptr<MilvusClient> m_client;
    RunPtr m_run;
    std::shared_ptr<EmbeddingProvider> m_provider; // of the run in flight; released on this thread
    QThreadPool m_pool;                            // file parsing and MMR re-ranking
};

} // namespace mx
