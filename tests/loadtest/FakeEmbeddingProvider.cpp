#include "FakeEmbeddingProvider.h"

#include "MilvusError.h"

#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <thread>

namespace mx::test {

FakeEmbeddingProvider::FakeEmbeddingProvider(int dim, int delayMs)
    : m_dim(dim)
    , m_delayMs(delayMs)
{}

Embedding FakeEmbeddingProvider::vectorFor(const QString &text, int dim)
{
    quint64 h = qHash(text, 7);
    Embedding v(dim);
    double norm = 0;
    for (float &x : v) {
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
        x = float(double(h >> 40) / double(1ULL << 24) * 2.0 - 1.0);
        norm += double(x) * double(x);
    }
    for (float &x : v)
        x = float(double(x) / std::sqrt(norm));
    return v;
}

void FakeEmbeddingProvider::maybeWaitAndFail(const CallOptions &options)
{
    ++m_calls;
    if (m_delayMs > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(m_delayMs));
    if (options.cancel && options.cancel->isCancelled())
        throwError(ErrorKind::Cancelled, QStringLiteral("Embed"), QStringLiteral("cancelled"));
    if (m_fail)
        throwError(ErrorKind::Http, QStringLiteral("Embed"),
                   QStringLiteral("the fake embedder was told to fail"));
}

QList<Embedding> FakeEmbeddingProvider::embedDocuments(const QStringList &texts, const CallOptions &options)
{
    maybeWaitAndFail(options);
    QList<Embedding> out;
    for (const QString &t : texts)
        out.append(vectorFor(t, m_dim));
    return out;
}

Embedding FakeEmbeddingProvider::embedQuery(const QString &text, const CallOptions &options)
{
    maybeWaitAndFail(options);
    return vectorFor(text, m_dim);
}

QFuture<QList<Embedding>> FakeEmbeddingProvider::embedDocumentsAsync(const QStringList &texts,
                                                                     const CallOptions &options)
{
    if (m_delayMs <= 0) {
        try {
            return QtFuture::makeReadyFuture(embedDocuments(texts, options));
        } catch (...) {
            return QtFuture::makeExceptionalFuture<QList<Embedding>>(std::current_exception());
        }
    }
    return QtConcurrent::run([this, texts, options] { return embedDocuments(texts, options); });
}

QFuture<Embedding> FakeEmbeddingProvider::embedQueryAsync(const QString &text, const CallOptions &options)
{
    if (m_delayMs <= 0) {
        try {
            return QtFuture::makeReadyFuture(embedQuery(text, options));
        } catch (...) {
            return QtFuture::makeExceptionalFuture<Embedding>(std::current_exception());
        }
    }
    return QtConcurrent::run([this, text, options] { return embedQuery(text, options); });
}

} // namespace mx::test
