#include "Mmr.h"

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

} // namespace mx
