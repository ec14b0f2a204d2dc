#pragma once

// Internal to HttpEmbeddingProvider: the object that lives on the provider's network thread and does
// all the HTTP work. Not part of the public API.

#include "HttpEmbeddingProvider.h"
#include "MilvusError.h"

#include <QFuture>
#include <QObject>

#include <utility>
#include <vector>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace mx::detail {

// Every member is touched only on the network thread (except m_learnedDimension, which is atomic),
// which is what makes the provider thread-safe without locking the network state.
class HttpEmbeddingEngine : public QObject
{
    Q_OBJECT

public:
    // One provider call, as handed over by the calling thread.
    struct Call
    {
        QStringList texts;
        CallOptions options;
        QFuture<void> future; // the caller's future: cancelling it cancels the call
        std::function<void(QList<Embedding> &&)> deliver;
        std::function<void(const MilvusError &)> fail;
    };

    HttpEmbeddingEngine(const HttpEmbeddingProvider::Config &config, const QUrl &endpoint);
    ~HttpEmbeddingEngine() override;

    // Network thread only: starts the call's batches (subject to the concurrency limit).
    void submit(Call call);
    // Network thread only: fails every call still running with Cancelled and forgets it.
    void shutdown();
    // Any thread: the dimension of the first accepted reply, 0 before it.
    int learnedDimension() const { return m_learnedDimension.load(std::memory_order_acquire); }

private:
    struct Job;
    struct Batch;

    // The least busy network manager: Qt opens at most 6 HTTP/1.1 connections per host and manager, so
    // reaching maxConcurrentRequests needs ceil(max / 6) managers.
    QNetworkAccessManager *network();
    void releaseNetwork(QNetworkAccessManager *manager);
    void pump();
    void send(Batch *batch);
    void onReplyFinished(Batch *batch);
    void onBatchTimer(Batch *batch);
    void scheduleRetry(Batch *batch, std::chrono::milliseconds delay);
    // Fills the job's results from a 2xx body; returns the error when the body is unusable.
    std::optional<MilvusError> acceptReply(Batch *batch, const QByteArray &body, int httpStatus);
    void cancelJob(quint64 id, const QString &reason);
    void finishJob(Job *job, const std::optional<MilvusError> &error);

    MilvusError httpError(int status, const QString &reason) const;
    MilvusError kindError(ErrorKind kind, const QString &reason) const;

    HttpEmbeddingProvider::Config m_config;
    QUrl m_endpoint;
    QString m_url; // m_endpoint for messages (it never holds credentials: the key is a header)
    std::vector<std::pair<QNetworkAccessManager *, int>> m_networks; // manager, requests in flight
    quint64 m_nextJobId = 1;
    std::map<quint64, std::unique_ptr<Job>> m_jobs;
    std::deque<Batch *> m_queue; // batches waiting for a free request slot, retries first
    int m_inFlight = 0;
    bool m_shutDown = false;
    std::atomic<int> m_learnedDimension{0};
};

} // namespace mx::detail
