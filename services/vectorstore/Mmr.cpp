#include "Mmr.h"

#include "ExprLiteral.h"
#include "MilvusError.h"

#include <QHash>
#include <QSet>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <limits>

namespace mx {

namespace {
double norm(const QList<float> &v)
{
    double s = 0;
    for (float x : v)
        s += double(x) * double(x);
    return std::sqrt(s);
}

QThreadPool *mmrPool()
{
    // A pool of its own: MMR on a large fetch_k must not queue behind, or starve, the global pool.
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setObjectName(QStringLiteral("mx-mmr"));
        return true;
    }();
    Q_UNUSED(configured);
    return &pool;
}

double dot(const QList<float> &a, const QList<float> &b)
{
    double s = 0;
    const qsizetype n = std::min(a.size(), b.size());
    for (qsizetype i = 0; i < n; ++i)
        s += double(a.at(i)) * double(b.at(i));
    return s;
}
} // namespace

QList<QList<double>> cosineSimilarity(const QList<QList<float>> &x, const QList<QList<float>> &y)
{
    QList<QList<double>> out;
    if (x.isEmpty() || y.isEmpty())
        return out;
    QList<double> yNorms;
    yNorms.reserve(y.size());
    for (const auto &row : y)
        yNorms.append(norm(row));
    out.reserve(x.size());
    for (const auto &xr : x) {
        const double xn = norm(xr);
        QList<double> sims;
        sims.reserve(y.size());
        for (qsizetype j = 0; j < y.size(); ++j) {
            // NumPy divides by the outer product of the norms and then zeroes NaN and inf.
            const double s = dot(xr, y.at(j)) / (xn * yNorms.at(j));
            sims.append(std::isfinite(s) ? s : 0.0);
        }
        out.append(std::move(sims));
    }
    return out;
}

QList<int> maximalMarginalRelevance(const QList<float> &query, const QList<QList<float>> &candidates,
                                    double lambdaMult, int k)
{
    const int want = int(std::min<qsizetype>(k, candidates.size()));
    if (want <= 0)
        return {};
    const QList<double> toQuery = cosineSimilarity({query}, candidates).first();
    int mostSimilar = 0;
    for (int i = 1; i < toQuery.size(); ++i) {
        if (toQuery.at(i) > toQuery.at(mostSimilar)) // argmax keeps the first maximum
            mostSimilar = i;
    }
    QList<int> picked{mostSimilar};
    QList<QList<float>> selected{candidates.at(mostSimilar)};
    while (picked.size() < want) {
        double best = -std::numeric_limits<double>::infinity();
        int toAdd = -1;
        const QList<QList<double>> toSelected = cosineSimilarity(candidates, selected);
        for (int i = 0; i < toQuery.size(); ++i) {
            if (picked.contains(i))
                continue;
            double redundancy = -std::numeric_limits<double>::infinity();
            for (double s : toSelected.at(i))
                redundancy = std::max(redundancy, s);
            const double score = lambdaMult * toQuery.at(i) - (1 - lambdaMult) * redundancy;
            if (score > best) {
                best = score;
                toAdd = i;
            }
        }
        // Python appends -1 here and its caller stops at it; stopping now gives the same documents.
        if (toAdd < 0)
            break;
        picked.append(toAdd);
        selected.append(candidates.at(toAdd));
    }
    return picked;
}

QFuture<QList<QList<int>>> maximalMarginalRelevanceAsync(const QList<QList<float>> &queries,
                                                         const QList<QList<QList<float>>> &candidates,
                                                         double lambdaMult, int k,
                                                         std::shared_ptr<CancelToken> cancel,
                                                         const QString &operation)
{
    return QtConcurrent::run(mmrPool(), [=] {
        if (queries.size() != candidates.size())
            throwError(ErrorKind::InvalidArgument, operation,
                       QStringLiteral("MMR got %1 queries but candidates for %2")
                           .arg(queries.size())
                           .arg(candidates.size()));
        QList<QList<int>> out;
        out.reserve(queries.size());
        for (qsizetype q = 0; q < queries.size(); ++q) {
            if (cancel && cancel->isCancelled())
                throwError(ErrorKind::Cancelled, operation,
                           QStringLiteral("cancelled during MMR re-ranking"));
            out.append(maximalMarginalRelevance(queries.at(q), candidates.at(q), lambdaMult, k));
        }
        return out;
    });
}

QueryRequest storedVectorsQuery(const QString &collection, const QString &primaryField,
                                const QString &vectorField, const QVariantList &ids)
{
    // Each key once: with several queries the same entity may be a hit of more than one.
    QVariantList keys;
    QSet<QString> seen;
    for (const QVariant &id : ids) {
        const QString key = id.toString();
        if (!seen.contains(key)) {
            seen.insert(key);
            keys.append(id);
        }
    }
    QueryRequest q;
    q.collection = collection;
    q.filter = exprInList(primaryField, keys);
    q.outputFields = {primaryField, vectorField};
    return q;
}

QList<QList<float>> storedVectorsInOrder(const QueryResult &rows, const QString &primaryField,
                                         const QString &vectorField, const QVariantList &ids,
                                         const QString &operation)
{
    const FieldColumn *pk = rows.column(primaryField);
    const FieldColumn *vec = rows.column(vectorField);
    const auto *vectors = vec ? std::get_if<FloatVectors>(&vec->data) : nullptr;
    if (!pk || !vectors)
        throwError(ErrorKind::Milvus, operation,
                   QStringLiteral("the query for the hits' vectors returned no '%1' / '%2' columns")
                       .arg(primaryField, vectorField));
    QHash<QString, qsizetype> rowOf;
    for (qsizetype r = 0; r < pk->rowCount(); ++r)
        rowOf.insert(pk->value(r).toString(), r);
    QList<QList<float>> out;
    out.reserve(ids.size());
    for (const auto &id : ids) {
        const auto it = rowOf.constFind(id.toString());
        if (it == rowOf.cend())
            throwError(ErrorKind::Milvus, operation,
                       QStringLiteral("entity %1 was found by the search but not by the query for its vector "
                                      "(deleted in between?)")
                           .arg(id.toString()));
        out.append(vectors->row(it.value()));
    }
    return out;
}

} // namespace mx
