#include "HttpEmbeddingEngine.h"

#include "HttpRetry.h"

#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace mx::detail {

namespace {

Q_LOGGING_CATEGORY(lcEmbeddings, "mx.embeddings", QtWarningMsg)

QString snippet(const QByteArray &body, int max = 300)
{
    QString text = QString::fromUtf8(body).simplified();
    if (text.size() > max)
        text = text.left(max) + QStringLiteral("…");
    return text;
}

// What the server said about a failure, from the usual error shapes (OpenAI {"error":{"message"}},
// TEI/vLLM {"error": "..."} or {"message"}, FastAPI {"detail"}), else the start of the body.
QString serverMessage(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QJsonObject root = doc.object();
        const QJsonValue error = root.value(QLatin1String("error"));
        if (error.isObject() && error.toObject().value(QLatin1String("message")).isString())
            return error.toObject().value(QLatin1String("message")).toString();
        if (error.isString())
            return error.toString();
        if (root.value(QLatin1String("message")).isString())
            return root.value(QLatin1String("message")).toString();
        const QJsonValue detail = root.value(QLatin1String("detail"));
        if (detail.isString())
            return detail.toString();
        if (!detail.isUndefined())
            return snippet(QJsonDocument(QJsonArray{detail}).toJson(QJsonDocument::Compact));
    }
    return snippet(body);
}

QString withServerMessage(const QString &reason, const QByteArray &body)
{
    const QString said = serverMessage(body);
    return said.isEmpty() ? reason : QStringLiteral("%1 (server said: %2)").arg(reason, said);
}

bool isRetryableStatus(int status)
{
    // 501 and 505 say the server will never do this; retrying cannot help.
    return status == 408 || status == 429 ||
           (status >= 500 && status <= 599 && status != 501 && status != 505);
}

bool isRetryableNetworkError(QNetworkReply::NetworkError error)
{
    // A kept-alive connection the server dropped, or a network blip: the next attempt may well work.
    // Refused connections and unknown hosts are not retried: they fail fast with a clear message.
    return error == QNetworkReply::RemoteHostClosedError ||
           error == QNetworkReply::TemporaryNetworkFailureError ||
           error == QNetworkReply::NetworkSessionFailedError;
}

// data[i].embedding: a list of numbers, or base64 of little-endian float32 (encoding_format=base64,
// which some servers answer whatever was asked).
bool decodeEmbedding(const QJsonValue &value, Embedding *out, QString *why)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        out->reserve(array.size());
        for (qsizetype k = 0; k < array.size(); ++k) {
            if (!array.at(k).isDouble()) {
                *why = QStringLiteral("has a non-number at position %1").arg(k);
                return false;
            }
            out->append(float(array.at(k).toDouble()));
        }
    } else if (value.isString()) {
        const QByteArray bytes = QByteArray::fromBase64(value.toString().toLatin1());
        if (bytes.isEmpty() || bytes.size() % 4 != 0) {
            *why = QStringLiteral("is a string but not base64 float32 data");
            return false;
        }
        out->resize(bytes.size() / 4);
        for (qsizetype k = 0; k < out->size(); ++k)
            (*out)[k] = qFromLittleEndian<float>(bytes.constData() + 4 * k);
    } else {
        *why = value.isUndefined() || value.isNull()
                   ? QStringLiteral("is missing")
                   : QStringLiteral("is neither a list of numbers nor base64");
        return false;
    }
    if (out->isEmpty()) {
        *why = QStringLiteral("is empty");
        return false;
    }
    return true;
}

} // namespace

struct HttpEmbeddingEngine::Batch
{
    Job *job = nullptr;
    int offset = 0; // of the first text in the job's input
    int count = 0;
    QByteArray body;
    int retries = 0;
    QNetworkReply *reply = nullptr; // while in flight
    QTimer *timer = nullptr;        // the reply's deadline while in flight, the retry delay while waiting
    bool timedOut = false;
};

struct HttpEmbeddingEngine::Job
{
    quint64 id = 0;
    Call call;
    std::chrono::milliseconds timeout{0};
    QList<Embedding> results;
    int batchesLeft = 0;
    quint64 cancelId = 0;
    QFutureWatcher<void> *watcher = nullptr;
    std::vector<std::unique_ptr<Batch>> batches;
};

HttpEmbeddingEngine::HttpEmbeddingEngine(const HttpEmbeddingProvider::Config &config, const QUrl &endpoint)
    : m_config(config)
    , m_endpoint(endpoint)
    , m_url(endpoint.toDisplayString())
{}

HttpEmbeddingEngine::~HttpEmbeddingEngine()
{
    // Calls submitted after shutdown() but before the thread stopped must still end, and their
    // cancel-token callbacks (which point at this object) must be unregistered.
    shutdown();
}

QNetworkAccessManager *HttpEmbeddingEngine::network()
{
    // Created on first use so that they are created on the network thread, where they must live.
    if (m_networks.empty()) {
        constexpr int kConnectionsPerManager = 6;
        const int managers = std::max(1, (m_config.maxConcurrentRequests + kConnectionsPerManager - 1) /
                                             kConnectionsPerManager);
        for (int i = 0; i < managers; ++i)
            m_networks.emplace_back(new QNetworkAccessManager(this), 0);
    }
    auto least = std::min_element(m_networks.begin(), m_networks.end(),
                                  [](const auto &a, const auto &b) { return a.second < b.second; });
    ++least->second;
    return least->first;
}

void HttpEmbeddingEngine::releaseNetwork(QNetworkAccessManager *manager)
{
    for (auto &[m, load] : m_networks)
        if (m == manager && load > 0)
            --load;
}

void HttpEmbeddingEngine::submit(Call call)
{
    if (m_shutDown) {
        call.fail(kindError(ErrorKind::Cancelled, QStringLiteral("the embedding provider was destroyed")));
        return;
    }
    if ((call.options.cancel && call.options.cancel->isCancelled()) || call.future.isCanceled()) {
        call.fail(kindError(ErrorKind::Cancelled, QStringLiteral("cancelled before it was sent")));
        return;
    }
    if (call.texts.isEmpty()) {
        call.deliver({});
        return;
    }

    auto owned = std::make_unique<Job>();
    Job *job = owned.get();
    job->id = m_nextJobId++;
    job->timeout = call.options.timeout.count() > 0 ? call.options.timeout : m_config.timeout;
    job->results.resize(call.texts.size());
    const int total = int(call.texts.size());
    for (int offset = 0; offset < total; offset += m_config.batchSize) {
        auto batch = std::make_unique<Batch>();
        batch->job = job;
        batch->offset = offset;
        batch->count = std::min(m_config.batchSize, total - offset);
        QJsonObject body{
            {QStringLiteral("model"), m_config.model},
            {QStringLiteral("input"), QJsonArray::fromStringList(call.texts.mid(offset, batch->count))},
            {QStringLiteral("encoding_format"), QStringLiteral("float")},
        };
        if (m_config.dimensions)
            body.insert(QStringLiteral("dimensions"), *m_config.dimensions);
        batch->body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        batch->timer = new QTimer(this);
        batch->timer->setSingleShot(true);
        connect(batch->timer, &QTimer::timeout, this, [this, raw = batch.get()] { onBatchTimer(raw); });
        m_queue.push_back(batch.get());
        job->batches.push_back(std::move(batch));
    }
    job->batchesLeft = int(job->batches.size());
    job->call = std::move(call);
    const quint64 id = job->id;
    m_jobs.emplace(id, std::move(owned));

    job->watcher = new QFutureWatcher<void>(this);
    connect(job->watcher, &QFutureWatcherBase::canceled, this,
            [this, id] { cancelJob(id, QStringLiteral("cancelled")); });
    job->watcher->setFuture(job->call.future);
    if (job->call.options.cancel) {
        // Runs on the cancelling thread under the token's lock: only post, never touch state here.
        job->cancelId = job->call.options.cancel->registerCallback([this, id] {
            QMetaObject::invokeMethod(
                this, [this, id] { cancelJob(id, QStringLiteral("cancelled")); }, Qt::QueuedConnection);
        });
    }
    pump();
}

void HttpEmbeddingEngine::shutdown()
{
    m_shutDown = true;
    while (!m_jobs.empty())
        finishJob(m_jobs.begin()->second.get(),
                  kindError(ErrorKind::Cancelled, QStringLiteral("the embedding provider was destroyed")));
}

void HttpEmbeddingEngine::pump()
{
    while (m_inFlight < m_config.maxConcurrentRequests && !m_queue.empty()) {
        Batch *batch = m_queue.front();
        m_queue.pop_front();
        send(batch);
    }
}

void HttpEmbeddingEngine::send(Batch *batch)
{
    QNetworkRequest request(m_endpoint);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("MilvusExplorer/" MX_VERSION_STRING));
    request.setRawHeader("Accept", "application/json");
    if (!m_config.apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_config.apiKey.toUtf8());

    batch->timedOut = false;
    batch->reply = network()->post(request, batch->body);
    ++m_inFlight;
    connect(batch->reply, &QNetworkReply::finished, this, [this, batch] { onReplyFinished(batch); });
    // Our own timer rather than QNetworkRequest's transfer timeout: that one measures silence, so a
    // server trickling bytes would never time out.
    batch->timer->start(batch->job->timeout);
}

void HttpEmbeddingEngine::onBatchTimer(Batch *batch)
{
    if (batch->reply) {
        batch->timedOut = true;
        batch->reply->abort(); // finishes the reply, which may end the job: batch is gone after this
        return;
    }
    // The retry delay is over: go ahead of batches that have not been tried yet.
    m_queue.push_front(batch);
    pump();
}

void HttpEmbeddingEngine::scheduleRetry(Batch *batch, std::chrono::milliseconds delay)
{
    ++batch->retries;
    qCDebug(lcEmbeddings) << "retry" << batch->retries << "of" << m_config.maxRetries << "for" << m_url
                          << "in" << delay.count() << "ms";
    batch->timer->start(delay);
}

void HttpEmbeddingEngine::onReplyFinished(Batch *batch)
{
    QNetworkReply *reply = std::exchange(batch->reply, nullptr);
    batch->timer->stop();
    --m_inFlight;
    releaseNetwork(reply->manager());
    reply->deleteLater();
    Job *job = batch->job;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray(); // closed once aborted
    const int retriesLeft = m_config.maxRetries - batch->retries;

    auto fail = [&](const MilvusError &error) {
        finishJob(job, error);
        pump();
    };
    auto retryAfterAsked = [&]() -> std::optional<std::chrono::milliseconds> {
        std::optional<std::chrono::milliseconds> asked;
        if (reply->hasRawHeader("retry-after-ms"))
            asked = parseRetryAfterMs(reply->rawHeader("retry-after-ms"));
        if (!asked && reply->hasRawHeader("Retry-After"))
            asked = parseRetryAfter(reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
        return asked;
    };
    auto retryDelay = [&] {
        if (const auto asked = retryAfterAsked())
            return std::min(*asked, m_config.maxRetryAfter);
        return backoffDelay(batch->retries, m_config.initialBackoff, m_config.maxBackoff,
                            QRandomGenerator::global()->generateDouble());
    };

    if (batch->timedOut) {
        fail(
            kindError(ErrorKind::Timeout, QStringLiteral("no complete answer from %1 within %2 ms (model %3)")
                                              .arg(m_url)
                                              .arg(job->timeout.count())
                                              .arg(m_config.model)));
        return;
    }

    if (status == 0) { // no HTTP answer at all
        if (isRetryableNetworkError(networkError) && retriesLeft > 0) {
            scheduleRetry(batch, retryDelay());
            pump();
            return;
        }
        QString reason;
        switch (networkError) {
        case QNetworkReply::ConnectionRefusedError:
            reason =
                QStringLiteral("cannot connect to %1: connection refused (is the embedding server running "
                               "and listening on that port?)")
                    .arg(m_url);
            break;
        case QNetworkReply::HostNotFoundError:
            reason = QStringLiteral("cannot resolve the host of %1 (%2)").arg(m_url, reply->errorString());
            break;
        case QNetworkReply::SslHandshakeFailedError:
            reason = QStringLiteral("TLS handshake with %1 failed: %2").arg(m_url, reply->errorString());
            break;
        default:
            reason = isRetryableNetworkError(networkError)
                         ? QStringLiteral("the connection to %1 failed after %2 retries: %3")
                               .arg(m_url)
                               .arg(batch->retries)
                               .arg(reply->errorString())
                         : QStringLiteral("the request to %1 failed: %2").arg(m_url, reply->errorString());
            break;
        }
        fail(kindError(ErrorKind::Transport, reason));
        return;
    }

    if (status >= 200 && status < 300) {
        if (const auto error = acceptReply(batch, body, status)) {
            fail(*error);
            return;
        }
        if (--job->batchesLeft == 0)
            finishJob(job, std::nullopt);
        pump();
        return;
    }

    if (isRetryableStatus(status)) {
        if (retriesLeft > 0) {
            scheduleRetry(batch, retryDelay());
            pump();
            return;
        }
        const QString reason = status == 429
                                   ? QStringLiteral("rate limited by %1: still HTTP 429 after %2 retries")
                                         .arg(m_url)
                                         .arg(batch->retries)
                                   : QStringLiteral("%1 still answered HTTP %2 after %3 retries")
                                         .arg(m_url)
                                         .arg(status)
                                         .arg(batch->retries);
        fail(httpError(status, withServerMessage(reason, body)));
        return;
    }

    QString reason;
    if (status == 401 || status == 403) {
        reason = m_config.apiKey.isEmpty()
                     ? QStringLiteral("%1 requires an API key and none is configured").arg(m_url)
                     : QStringLiteral("the API key was rejected by %1").arg(m_url);
    } else if (status == 404) {
        reason =
            QStringLiteral("the model \"%1\" or the URL %2 was not found (check the base URL and the model "
                           "name)")
                .arg(m_config.model, m_url);
    } else if (status == 413) {
        reason = QStringLiteral("%1 says the request is too large: lower the batch size (now %2)")
                     .arg(m_url)
                     .arg(m_config.batchSize);
    } else if (status >= 400 && status < 500) {
        reason = QStringLiteral("%1 rejected the request").arg(m_url);
    } else {
        reason = QStringLiteral("unexpected HTTP status from %1").arg(m_url);
    }
    fail(httpError(status, withServerMessage(reason, body)));
}

std::optional<MilvusError> HttpEmbeddingEngine::acceptReply(Batch *batch, const QByteArray &body,
                                                            int httpStatus)
{
    auto malformed = [&](const QString &what) {
        return httpError(httpStatus, QStringLiteral("malformed reply from %1: %2").arg(m_url, what));
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return malformed(QStringLiteral("not JSON (%1 at offset %2): %3")
                             .arg(parseError.errorString())
                             .arg(parseError.offset)
                             .arg(snippet(body, 120)));
    const QJsonValue dataValue = doc.object().value(QLatin1String("data"));
    if (!doc.isObject() || !dataValue.isArray())
        return malformed(QStringLiteral("no \"data\" list in %1").arg(snippet(body, 120)));
    const QJsonArray data = dataValue.toArray();
    if (data.size() != batch->count)
        return malformed(QStringLiteral("%1 embeddings for %2 inputs").arg(data.size()).arg(batch->count));

    QList<Embedding> vectors(batch->count);
    std::vector<bool> seen(size_t(batch->count), false);
    int replyDimension = -1;
    for (int i = 0; i < batch->count; ++i) {
        if (!data.at(i).isObject())
            return malformed(QStringLiteral("data[%1] is not an object").arg(i));
        const QJsonObject item = data.at(i).toObject();
        int index = i; // servers that omit "index" answer in input order
        if (item.contains(QLatin1String("index"))) {
            const QJsonValue indexValue = item.value(QLatin1String("index"));
            const double d = indexValue.toDouble(-1.0);
            if (!indexValue.isDouble() || d != std::floor(d) || d < 0 || d >= batch->count)
                return malformed(QStringLiteral("data[%1].index is not an input position 0..%2")
                                     .arg(i)
                                     .arg(batch->count - 1));
            index = int(d);
        }
        if (seen[size_t(index)])
            return malformed(QStringLiteral("two embeddings for input %1").arg(index));
        seen[size_t(index)] = true;
        QString why;
        if (!decodeEmbedding(item.value(QLatin1String("embedding")), &vectors[index], &why))
            return malformed(QStringLiteral("data[%1].embedding %2").arg(i).arg(why));
        const int dim = int(vectors[index].size());
        if (replyDimension >= 0 && dim != replyDimension)
            return httpError(httpStatus,
                             QStringLiteral("%1 returned vectors of different dimensions (%2 and %3) "
                                            "in one reply")
                                 .arg(m_url)
                                 .arg(replyDimension)
                                 .arg(dim));
        replyDimension = dim;
    }

    if (m_config.dimensions && replyDimension != *m_config.dimensions)
        return httpError(httpStatus,
                         QStringLiteral("%1 returned vectors of dimension %2 but dimensions=%3 was "
                                        "requested (model %4 may not support the \"dimensions\" "
                                        "parameter)")
                             .arg(m_url)
                             .arg(replyDimension)
                             .arg(*m_config.dimensions)
                             .arg(m_config.model));
    int learned = 0;
    if (!m_learnedDimension.compare_exchange_strong(learned, replyDimension, std::memory_order_acq_rel) &&
        learned != replyDimension)
        return httpError(httpStatus,
                         QStringLiteral("%1 returned vectors of dimension %2 but earlier replies had "
                                        "dimension %3 (did the model behind it change?)")
                             .arg(m_url)
                             .arg(replyDimension)
                             .arg(learned));

    for (int i = 0; i < batch->count; ++i)
        batch->job->results[batch->offset + i] = std::move(vectors[i]);
    return std::nullopt;
}

void HttpEmbeddingEngine::cancelJob(quint64 id, const QString &reason)
{
    const auto it = m_jobs.find(id);
    if (it != m_jobs.end()) // else it already ended: the cancel raced with its last reply
        finishJob(it->second.get(), kindError(ErrorKind::Cancelled, reason));
}

void HttpEmbeddingEngine::finishJob(Job *job, const std::optional<MilvusError> &error)
{
    for (const auto &batch : job->batches) {
        if (QNetworkReply *reply = std::exchange(batch->reply, nullptr)) {
            disconnect(reply, nullptr, this, nullptr); // abort() emits finished(): not for us any more
            releaseNetwork(reply->manager());
            reply->abort();
            reply->deleteLater();
            --m_inFlight;
        }
        batch->timer->stop();
        disconnect(batch->timer, nullptr, this, nullptr);
        batch->timer->deleteLater(); // we may be inside its timeout() right now
    }
    m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(), [job](Batch *b) { return b->job == job; }),
                  m_queue.end());
    if (job->watcher) {
        disconnect(job->watcher, nullptr, this, nullptr);
        job->watcher->deleteLater();
    }
    // Waits for a callback running right now on another thread; afterwards none can post to us.
    if (job->call.options.cancel)
        job->call.options.cancel->unregister(job->cancelId);

    // Forget the job before finishing the promise: continuations attached without a context run
    // right here and may call back into the provider.
    Call call = std::move(job->call);
    QList<Embedding> results = std::move(job->results);
    m_jobs.erase(job->id);
    if (error)
        call.fail(*error);
    else
        call.deliver(std::move(results));
}

MilvusError HttpEmbeddingEngine::kindError(ErrorKind kind, const QString &reason) const
{
    MilvusError e;
    e.kind = kind;
    e.operation = QStringLiteral("Embeddings");
    e.reason = reason;
    e.detail = QStringLiteral("model %1 at %2").arg(m_config.model, m_url);
    return e;
}

MilvusError HttpEmbeddingEngine::httpError(int status, const QString &reason) const
{
    MilvusError e = kindError(ErrorKind::Http, reason);
    e.httpStatus = status;
    return e;
}

} // namespace mx::detail
