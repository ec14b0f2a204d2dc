#include "TutorialDocuments.h"

#include "MilvusError.h"

#include <QLocale>

namespace mx {

namespace {

quint64 splitmix64(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

TutorialDocuments::TutorialDocuments(quint64 seed)
    : m_seed(seed)
{}

double TutorialDocuments::uniform(qint64 i, quint64 stream) const
{
    const quint64 h = splitmix64(splitmix64(m_seed ^ (stream * 0x632be59bd9b4e019ULL)) ^ quint64(i));
    return double(h >> 11) / double(1ULL << 53);
}

QString TutorialDocuments::text(qint64 i) const
{
    // Python prints random.random() as the shortest round-trip repr, like FloatingPointShortest.
    return QStringLiteral("This is test document %1 with some random content: %2")
        .arg(i)
        .arg(QString::number(uniform(i, 1), 'g', QLocale::FloatingPointShortest));
}

double TutorialDocuments::score(qint64 i) const
{
    return uniform(i, 2);
}

QStringList TutorialDocuments::texts(qint64 first, qint64 n) const
{
    QStringList out;
    out.reserve(n);
    for (qint64 i = first; i < first + n; ++i)
        out.append(text(i));
    return out;
}

QList<FieldColumn> TutorialDocuments::columns(qint64 first, const QList<Embedding> &vectors,
                                              const StoreLayout &layout, const QStringList &texts) const
{
    const qint64 n = texts.size();
    if (vectors.size() != n)
        throwError(
            ErrorKind::InvalidArgument, QStringLiteral("Embed"),
            QStringLiteral("the embedder returned %1 vectors for %2 texts").arg(vectors.size()).arg(n));
    QList<float> flat;
    flat.reserve(n * layout.dim);
    QStringList ids;
    QList<double> scores;
    QStringList categories;
    for (qint64 r = 0; r < n; ++r) {
        if (vectors.at(r).size() != layout.dim)
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Embed"),
                       QStringLiteral("the embedder returned a vector of dimension %1, but field '%2' has "
                                      "dimension %3")
                           .arg(vectors.at(r).size())
                           .arg(layout.vectorField)
                           .arg(layout.dim));
        flat.append(vectors.at(r));
        ids.append(docId(first + r));
        scores.append(score(first + r));
        categories.append(category(first + r));
    }
    QList<FieldColumn> out{FieldColumn::varchars(layout.textField, texts),
                           FieldColumn::floatVectors(layout.vectorField, layout.dim, flat),
                           FieldColumn::varchars(layout.idField, ids),
                           FieldColumn::doubles(layout.scoreField, scores),
                           FieldColumn::varchars(layout.categoryField, categories)};
    if (!layout.autoId) {
        QList<qint64> keys;
        for (qint64 r = 0; r < n; ++r)
            keys.append(first + r); // document i's key is i
        out.prepend(FieldColumn::int64s(layout.pkField, keys));
    }
    return out;
}

} // namespace mx
