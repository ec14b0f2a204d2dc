#pragma once

#include "EmbeddingProvider.h"

#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>

class QThread;

namespace mx {

namespace detail {
class HttpEmbeddingEngine;
}

// Embeddings from any server that speaks OpenAI's `POST /v1/embeddings` (OpenAI, Ollama, vLLM, TEI,
// LM Studio, llama.cpp server). Texts are split into batches of Config::batchSize sent with at most
// Config::maxConcurrentRequests requests in flight per provider (shared by all calls); results keep
// the input order whatever order the batches answer in. 408, 429 and 5xx answers (and a connection
// the server closed) are retried with exponential backoff and jitter, honouring Retry-After.
//
// The network runs on a QThread the provider owns, so async calls never block the calling thread and
// blocking calls work from any thread but that one. Futures finish on that network thread: attach
// continuations with .then(context, ...) to land elsewhere. Failures are MilvusException:
//   Http (httpStatus set)  the API key was rejected (401/403), model or URL not found (404), the server
//                          refused the request (4xx), still rate limited / failing after maxRetries
//                          (429 / 5xx), a malformed reply, or vectors of an unexpected dimension;
//   Transport              connection refused, host not found, TLS failure, connection dropped;
//   Timeout                no complete answer within the per-request timeout;
//   Cancelled              the cancel token fired, or the provider was destroyed.
// The API key is sent only in the Authorization header and never appears in errors or logs.
class HttpEmbeddingProvider final : public EmbeddingProvider
{
public:
    struct Config
    {
        // Server root, e.g. "http://localhost:11434" or "https://api.openai.com". "/v1/embeddings" is
        // appended; a base ending in "/v1" or already in "/v1/embeddings" is taken as it is.
        QString baseUrl;
        QString model;
        QString apiKey;                // empty: no Authorization header
        std::optional<int> dimensions; // sent as "dimensions" and checked against every reply
        int batchSize = 64;
        int maxConcurrentRequests = 4;
        std::chrono::milliseconds timeout{30000}; // per HTTP request; CallOptions::timeout overrides
        int maxRetries = 5;
        std::chrono::milliseconds initialBackoff{500};
        std::chrono::milliseconds maxBackoff{30000};     // cap of the computed backoff
        std::chrono::milliseconds maxRetryAfter{120000}; // cap of what a server's Retry-After can ask
    };

    // Throws MilvusException(InvalidArgument) for a base URL that is not http(s), an empty model,
    // dimensions < 1, batchSize or maxConcurrentRequests < 1, or maxRetries < 0. Does not contact
    // the server.
    explicit HttpEmbeddingProvider(Config config);
    // Fails calls still in flight with Cancelled, then stops the network thread. Must not run on
    // that thread (i.e. not inside a continuation attached without a context object).
    ~HttpEmbeddingProvider() override;
    HttpEmbeddingProvider(const HttpEmbeddingProvider &) = delete;
    HttpEmbeddingProvider &operator=(const HttpEmbeddingProvider &) = delete;

    const Config &config() const { return m_config; }
    QUrl endpoint() const { return m_endpoint; } // the URL every request is posted to
    // The endpoint a base URL resolves to; an invalid QUrl when it is not a usable http(s) URL.
    static QUrl endpointFor(const QString &baseUrl);

    QString name() const override; // "OpenAI-compatible (<model>)"
    bool isSemantic() const override { return true; }
    // Config::dimensions when set, otherwise the dimension of the first reply (0 before it). Any thread.
    int dimension() const override;

    // Non-blocking from any thread. The future finishes on the network thread; the cancel token and
    // cancelling the future abort requests in flight and pending retries. An empty list succeeds at
    // once without a request.
    QFuture<QList<Embedding>> embedDocumentsAsync(const QStringList &texts,
                                                  const CallOptions &options = {}) override;
    QFuture<Embedding> embedQueryAsync(const QString &text, const CallOptions &options = {}) override;
    // Blocks the calling thread until the async form finishes; same errors, thrown. Never call it on
    // the GUI thread; on the provider's network thread it throws InvalidArgument instead of deadlocking.
    QList<Embedding> embedDocuments(const QStringList &texts, const CallOptions &options = {}) override;
    Embedding embedQuery(const QString &text, const CallOptions &options = {}) override;

private:
    void checkNotNetworkThread() const;

    Config m_config;
    QUrl m_endpoint;
    std::unique_ptr<QThread> m_thread;
    detail::HttpEmbeddingEngine *m_engine = nullptr; // lives on m_thread, deleted there when it finishes
};

} // namespace mx
