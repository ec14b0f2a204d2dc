#include "LocalEmbeddingProvider.h"

#include "MilvusError.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <vector>

namespace mx {

namespace {

constexpr quint64 FnvOffsetBasis = 14695981039346656037ULL;
constexpr quint64 FnvPrime = 1099511628211ULL;

// FNV-1a over the UTF-8 encoding of the code points, without building a byte array per window.
quint64 fnv1aUtf8(const char32_t *cps, int n)
{
    quint64 h = FnvOffsetBasis;
    auto feed = [&h](unsigned char b) {
        h ^= b;
        h *= FnvPrime; // unsigned overflow wraps: exactly the mod 2^64 the algorithm asks for
    };
    for (int i = 0; i < n; ++i) {
        char32_t c = cps[i];
        if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
            c = 0xFFFD; // toUcs4 already does this; kept so the function stands on its own
        if (c < 0x80) {
            feed(static_cast<unsigned char>(c));
        } else if (c < 0x800) {
            feed(static_cast<unsigned char>(0xC0 | (c >> 6)));
            feed(static_cast<unsigned char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            feed(static_cast<unsigned char>(0xE0 | (c >> 12)));
            feed(static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F)));
            feed(static_cast<unsigned char>(0x80 | (c & 0x3F)));
        } else {
            feed(static_cast<unsigned char>(0xF0 | (c >> 18)));
            feed(static_cast<unsigned char>(0x80 | ((c >> 12) & 0x3F)));
            feed(static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F)));
            feed(static_cast<unsigned char>(0x80 | (c & 0x3F)));
        }
    }
    return h;
}

MilvusError cancelledError()
{
    MilvusError e;
    e.kind = ErrorKind::Cancelled;
    e.operation = QStringLiteral("Embeddings");
    e.reason = QStringLiteral("cancelled");
    return e;
}

bool isCancelled(const CallOptions &options)
{
    return options.cancel && options.cancel->isCancelled();
}

} // namespace

LocalEmbeddingProvider::LocalEmbeddingProvider(int dimension)
    : m_dimension(dimension)
{
    if (dimension < 1)
        throwError(
            ErrorKind::InvalidArgument, QStringLiteral("Embeddings"),
            QStringLiteral("the local embedding dimension must be at least 1 (got %1)").arg(dimension));
    m_pool.setObjectName(QStringLiteral("mx-local-embeddings"));
}

LocalEmbeddingProvider::~LocalEmbeddingProvider()
{
    m_pool.waitForDone();
}

Embedding LocalEmbeddingProvider::embed(const QString &text, int dimension)
{
    Q_ASSERT(dimension >= 1);
    const QString s = QLatin1Char(' ') + text.toLower() + QLatin1Char(' ');
    const QList<uint> ucs4 = s.toUcs4();
    std::vector<char32_t> cps(ucs4.cbegin(), ucs4.cend());
    const int len = int(cps.size());
    const auto dim = static_cast<quint64>(dimension);

    std::vector<double> v(size_t(dimension), 0.0);
    for (int n : {3, 4}) {
        for (int i = 0; i + n <= len; ++i) {
            const quint64 h = fnv1aUtf8(cps.data() + i, n);
            v[size_t(h % dim)] += (h >> 63) == 0 ? 1.0 : -1.0;
        }
    }

    double sumSquares = 0.0;
    for (double x : v) // index order: the parity test depends on the exact rounding of this sum
        sumSquares += x * x;
    const double norm = std::sqrt(sumSquares);

    Embedding out(dimension, 0.0f);
    if (norm == 0.0) {
        out[0] = 1.0f;
        return out;
    }
    for (int i = 0; i < dimension; ++i)
        out[i] = static_cast<float>(v[size_t(i)] / norm);
    return out;
}

QString LocalEmbeddingProvider::name() const
{
    return QStringLiteral("Local lexical (hashed n-grams)");
}

QFuture<QList<Embedding>> LocalEmbeddingProvider::embedDocumentsAsync(const QStringList &texts,
                                                                      const CallOptions &options)
{
    return QtConcurrent::run(&m_pool,
                             [dim = m_dimension, texts, options](QPromise<QList<Embedding>> &promise) {
                                 QList<Embedding> out;
                                 out.reserve(texts.size());
                                 for (const QString &text : texts) {
                                     if (promise.isCanceled())
                                         return;
                                     if (isCancelled(options)) {
                                         promise.setException(MilvusException(cancelledError()));
                                         return;
                                     }
                                     out.append(embed(text, dim));
                                 }
                                 // An empty list still needs this check: a cancelled call must not look like
                                 // "no data".
                                 if (isCancelled(options)) {
                                     promise.setException(MilvusException(cancelledError()));
                                     return;
                                 }
                                 promise.addResult(std::move(out));
                             });
}

QFuture<Embedding> LocalEmbeddingProvider::embedQueryAsync(const QString &text, const CallOptions &options)
{
    return QtConcurrent::run(&m_pool, [dim = m_dimension, text, options](QPromise<Embedding> &promise) {
        if (promise.isCanceled())
            return;
        if (isCancelled(options)) {
            promise.setException(MilvusException(cancelledError()));
            return;
        }
        promise.addResult(embed(text, dim));
    });
}

QList<Embedding> LocalEmbeddingProvider::embedDocuments(const QStringList &texts, const CallOptions &options)
{
    QList<Embedding> out;
    out.reserve(texts.size());
    for (const QString &text : texts) {
        if (isCancelled(options))
            throw MilvusException(cancelledError());
        out.append(embed(text, m_dimension));
    }
    if (isCancelled(options))
        throw MilvusException(cancelledError());
    return out;
}

Embedding LocalEmbeddingProvider::embedQuery(const QString &text, const CallOptions &options)
{
    if (isCancelled(options))
        throw MilvusException(cancelledError());
    return embed(text, m_dimension);
}

} // namespace mx
