#include "HttpEmbeddingProvider.h"

#include "HttpEmbeddingEngine.h"
#include "MilvusError.h"

#include <QPromise>
#include <QThread>

namespace mx {

namespace {

const QString Operation = QStringLiteral("Embeddings");

void checkConfig(const HttpEmbeddingProvider::Config &c, const QUrl &endpoint)
{
    auto invalid = [](const QString &why) { throwError(ErrorKind::InvalidArgument, Operation, why); };
    if (!endpoint.isValid())
        invalid(QStringLiteral("the embedding server URL \"%1\" is not an http:// or https:// URL")
                    .arg(c.baseUrl));
    if (c.model.trimmed().isEmpty())
        invalid(QStringLiteral("no embedding model is configured"));
    if (c.dimensions && *c.dimensions < 1)
        invalid(QStringLiteral("the embedding dimension must be at least 1 (got %1)").arg(*c.dimensions));
    if (c.batchSize < 1)
        invalid(QStringLiteral("the embedding batch size must be at least 1 (got %1)").arg(c.batchSize));
    if (c.maxConcurrentRequests < 1)
        invalid(QStringLiteral("at least one concurrent embedding request is needed (got %1)")
                    .arg(c.maxConcurrentRequests));
    if (c.maxRetries < 0)
        invalid(QStringLiteral("the number of retries cannot be negative (got %1)").arg(c.maxRetries));
}

// Waits for an async call's future and returns its only result; rethrows its MilvusException.
template<typename T>
T waitForResult(QFuture<T> future)
{
    future.waitForFinished(); // rethrows the exception the promise carries
    // A promise dropped without a result (its provider went away first) leaves a cancelled future.
    if (future.resultCount() == 0)
        throwError(ErrorKind::Cancelled, Operation, QStringLiteral("cancelled"));
    return future.result();
}

} // namespace

QUrl HttpEmbeddingProvider::endpointFor(const QString &baseUrl)
{
    QUrl url(baseUrl.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) ||
        url.host().isEmpty())
        return {};
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (!path.endsWith(QLatin1String("/v1/embeddings")))
        path += path.endsWith(QLatin1String("/v1")) ? QLatin1String("/embeddings")
                                                    : QLatin1String("/v1/embeddings");
    url.setPath(path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

HttpEmbeddingProvider::HttpEmbeddingProvider(Config config)
    : m_config(std::move(config))
    , m_endpoint(endpointFor(m_config.baseUrl))
{
    checkConfig(m_config, m_endpoint);
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("mx-http-embeddings"));
    m_engine = new detail::HttpEmbeddingEngine(m_config, m_endpoint);
    m_engine->moveToThread(m_thread.get());
    // The engine and its QNetworkAccessManager must die on the thread they live on.
    QObject::connect(m_thread.get(), &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread->start();
}

HttpEmbeddingProvider::~HttpEmbeddingProvider()
{
    detail::HttpEmbeddingEngine *engine = m_engine;
    if (QThread::currentThread() == m_thread.get()) {
        // Destroyed by a continuation on the network thread: it cannot wait for itself, so it lets
        // the thread end and clean up on its own.
        engine->shutdown();
        QThread *thread = m_thread.release();
        QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
        thread->quit();
        return;
    }
    QMetaObject::invokeMethod(
        engine, [engine] { engine->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

QString HttpEmbeddingProvider::name() const
{
    return QStringLiteral("OpenAI-compatible (%1)").arg(m_config.model);
}

int HttpEmbeddingProvider::dimension() const
{
    return m_config.dimensions ? *m_config.dimensions : m_engine->learnedDimension();
}

QFuture<QList<Embedding>> HttpEmbeddingProvider::embedDocumentsAsync(const QStringList &texts,
                                                                     const CallOptions &options)
{
    auto promise = std::make_shared<QPromise<QList<Embedding>>>();
    QFuture<QList<Embedding>> future = promise->future();
    promise->start();
    detail::HttpEmbeddingEngine::Call call;
    call.texts = texts;
    call.options = options;
    call.future = QFuture<void>(future);
    call.deliver = [promise](QList<Embedding> &&vectors) {
        promise->addResult(std::move(vectors));
        promise->finish();
    };
    call.fail = [promise](const MilvusError &error) {
        promise->setException(MilvusException(error));
        promise->finish();
    };
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, call = std::move(call)]() mutable { engine->submit(std::move(call)); },
        Qt::QueuedConnection);
    return future;
}

QFuture<Embedding> HttpEmbeddingProvider::embedQueryAsync(const QString &text, const CallOptions &options)
{
    auto promise = std::make_shared<QPromise<Embedding>>();
    QFuture<Embedding> future = promise->future();
    promise->start();
    detail::HttpEmbeddingEngine::Call call;
    call.texts = QStringList{text};
    call.options = options;
    call.future = QFuture<void>(future);
    call.deliver = [promise](QList<Embedding> &&vectors) {
        promise->addResult(std::move(vectors.first()));
        promise->finish();
    };
    call.fail = [promise](const MilvusError &error) {
        promise->setException(MilvusException(error));
        promise->finish();
    };
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, call = std::move(call)]() mutable { engine->submit(std::move(call)); },
        Qt::QueuedConnection);
    return future;
}

void HttpEmbeddingProvider::checkNotNetworkThread() const
{
    if (QThread::currentThread() == m_thread.get())
        throwError(ErrorKind::InvalidArgument, Operation,
                   QStringLiteral("a blocking embedding call was made on the provider's own network thread "
                                  "(it would wait for itself); use the async form there"));
}

QList<Embedding> HttpEmbeddingProvider::embedDocuments(const QStringList &texts, const CallOptions &options)
{
    checkNotNetworkThread();
    return waitForResult(embedDocumentsAsync(texts, options));
}

Embedding HttpEmbeddingProvider::embedQuery(const QString &text, const CallOptions &options)
{
    checkNotNetworkThread();
    return waitForResult(embedQueryAsync(text, options));
}

} // namespace mx
