#include "FixtureEmbeddings.h"

#include "MilvusError.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtConcurrent/QtConcurrentRun>

namespace mx::test {

namespace {
void checkCancel(const CallOptions &o)
{
    if (o.cancel && o.cancel->isCancelled())
        throwError(ErrorKind::Cancelled, QStringLiteral("Embed"), QStringLiteral("cancelled by the caller"));
}
} // namespace

FixtureEmbeddings::FixtureEmbeddings(int dim)
    : m_dim(dim)
    , m_derive(true)
{}

FixtureEmbeddings::FixtureEmbeddings(int dim, QHash<QString, Embedding> table)
    : m_dim(dim)
    , m_table(std::move(table))
    , m_derive(false)
{}

std::shared_ptr<FixtureEmbeddings> FixtureEmbeddings::fromFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Embed"),
                   QStringLiteral("cannot read the embedding fixture %1: %2").arg(path, f.errorString()));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    const int dim = root.value(QStringLiteral("dim")).toInt();
    QHash<QString, Embedding> table;
    const QJsonObject vectors = root.value(QStringLiteral("vectors")).toObject();
    for (auto it = vectors.begin(); it != vectors.end(); ++it) {
        Embedding v;
        for (const auto &x : it.value().toArray())
            v.append(float(x.toDouble()));
        table.insert(it.key(), v);
    }
    if (dim <= 0 || table.isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Embed"),
                   QStringLiteral("the embedding fixture %1 has no dim or no vectors").arg(path));
    return std::make_shared<FixtureEmbeddings>(dim, std::move(table));
}

Embedding FixtureEmbeddings::derive(const QString &text, int dim)
{
    Embedding v;
    QByteArray bytes;
    // Enough hash bytes for any dimension: SHA-256 of the text, then of the text with a counter.
    for (int round = 0; bytes.size() < dim; ++round) {
        const QByteArray input = round == 0 ? text.toUtf8() : text.toUtf8() + '#' + QByteArray::number(round);
        bytes += QCryptographicHash::hash(input, QCryptographicHash::Sha256);
    }
    for (int i = 0; i < dim; ++i)
        v.append(float(int(quint8(bytes.at(i))) - 128) / 128.0f);
    return v;
}

Embedding FixtureEmbeddings::lookup(const QString &text) const
{
    if (m_derive)
        return derive(text, m_dim);
    const auto it = m_table.constFind(text);
    if (it == m_table.cend())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Embed"),
                   QStringLiteral("text not in the embedding fixture: \"%1\"").arg(text));
    return it.value();
}

QList<Embedding> FixtureEmbeddings::embedDocuments(const QStringList &texts, const CallOptions &options)
{
    checkCancel(options);
    QList<Embedding> out;
    out.reserve(texts.size());
    for (const auto &t : texts)
        out.append(lookup(t));
    m_calls += int(texts.size());
    return out;
}

Embedding FixtureEmbeddings::embedQuery(const QString &text, const CallOptions &options)
{
    checkCancel(options);
    ++m_calls;
    return lookup(text);
}

QFuture<QList<Embedding>> FixtureEmbeddings::embedDocumentsAsync(const QStringList &texts,
                                                                 const CallOptions &options)
{
    return QtConcurrent::run([this, texts, options] { return embedDocuments(texts, options); });
}

QFuture<Embedding> FixtureEmbeddings::embedQueryAsync(const QString &text, const CallOptions &options)
{
    return QtConcurrent::run([this, text, options] { return embedQuery(text, options); });
}

} // namespace mx::test
