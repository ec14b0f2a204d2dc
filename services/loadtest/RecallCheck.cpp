#include "RecallCheck.h"

#include "MilvusError.h"
#include "ScratchStore.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace mx {

QString RecallResult::describe() const
{
    if (!measured)
        return QStringLiteral("recall not measured: %1").arg(error);
    return QStringLiteral("recall@%1 %2 (min %3) over %4 queries against exact %5 search of %6 rows")
        .arg(k)
        .arg(recall, 0, 'f', 3)
        .arg(minRecall, 0, 'f', 3)
        .arg(queries)
        .arg(metric)
        .arg(rows);
}

QJsonObject RecallResult::toJson() const
{
    return QJsonObject{{QStringLiteral("measured"), measured},       {QStringLiteral("k"), k},
                       {QStringLiteral("queries"), double(queries)}, {QStringLiteral("rows"), double(rows)},
                       {QStringLiteral("recall"), recall},           {QStringLiteral("minRecall"), minRecall},
                       {QStringLiteral("metric"), metric},           {QStringLiteral("error"), error},
                       {QStringLiteral("summary"), describe()}};
}

RecallResult RecallResult::fromJson(const QJsonObject &j)
{
    RecallResult r;
    r.measured = j.value(QStringLiteral("measured")).toBool();
    r.k = j.value(QStringLiteral("k")).toInt();
    r.queries = qint64(j.value(QStringLiteral("queries")).toDouble());
    r.rows = qint64(j.value(QStringLiteral("rows")).toDouble());
    r.recall = j.value(QStringLiteral("recall")).toDouble();
    r.minRecall = j.value(QStringLiteral("minRecall")).toDouble();
    r.metric = j.value(QStringLiteral("metric")).toString();
    r.error = j.value(QStringLiteral("error")).toString();
    return r;
}

double RecallCheck::distance(const Embedding &a, const Embedding &b, const QString &metric)
{
    const qsizetype n = std::min(a.size(), b.size());
    double dot = 0, na = 0, nb = 0, l2 = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const double x = a[i], y = b[i];
        dot += x * y;
        na += x * x;
        nb += y * y;
        l2 += (x - y) * (x - y);
    }
    if (metric.compare(QLatin1String("IP"), Qt::CaseInsensitive) == 0)
        return -dot;
    if (metric.compare(QLatin1String("COSINE"), Qt::CaseInsensitive) == 0)
        return -(dot / std::sqrt(std::max(na * nb, 1e-30)));
    return l2;
}

QList<qint64> RecallCheck::exactTopK(const QList<QPair<qint64, Embedding>> &rows, const Embedding &query,
                                     int k, const QString &metric)
{
    std::vector<std::pair<double, qint64>> scored;
    scored.reserve(size_t(rows.size()));
    for (const auto &[key, v] : rows)
        scored.emplace_back(distance(query, v, metric), key);
    const size_t top = std::min(scored.size(), size_t(std::max(k, 0)));
    std::partial_sort(scored.begin(), scored.begin() + qsizetype(top), scored.end());
    QList<qint64> out;
    for (size_t i = 0; i < top; ++i)
        out.append(scored[i].second);
    return out;
}

RecallResult RecallCheck::measure(MilvusClient &client, const OperationTarget &target, int k,
                                  const QJsonObject &searchParams, const QList<Embedding> &queries,
                                  const CallOptions &options)
{
    RecallResult r;
    r.k = k;
    try {
        r.metric = QStringLiteral("L2");
        const QList<IndexDescription> indexes =
            client.describeIndex(IndexRequest{target.collection, target.layout.vectorField, {}, options});
        if (!indexes.isEmpty() && !indexes.first().metricType().isEmpty())
            r.metric = indexes.first().metricType();
        const auto rows =
            ScratchStore::vectors(client, target.collection, target.layout, kMaxRows + 1, options);
        if (rows.size() > kMaxRows) {
            r.error =
                QStringLiteral("more than %1 rows: too many for a brute-force search here").arg(kMaxRows);
            return r;
        }
        QHash<qint64, qsizetype> position;
        for (qsizetype i = 0; i < rows.size(); ++i)
            position.insert(rows[i].first, i);
        r.rows = rows.size();
        double sum = 0;
        r.minRecall = 1;
        for (const Embedding &q : queries) {
            const QList<qint64> exact = exactTopK(rows, q, k, r.metric);
            if (exact.isEmpty())
                continue;
            const double kth = distance(q, rows[position.value(exact.last())].second, r.metric);
            SearchRequest s;
            s.collection = target.collection;
            s.annsField = target.layout.vectorField;
            s.vectors = FloatVectors{int(q.size()), q};
            s.topK = k;
            s.searchParams = searchParams;
            s.consistency = ConsistencyLevel::Strong;
            s.options = options;
            const SearchResults found = client.search(s);
            qint64 good = 0;
            if (!found.queries.isEmpty()) {
                for (const SearchHit &h : found.queries.first()) {
                    const qint64 key = h.id.toLongLong();
                    if (!position.contains(key))
                        continue;
                    const double d = distance(q, rows[position.value(key)].second, r.metric);
                    // Relative tolerance for float rounding: ties with the k-th exact hit are hits.
                    good += d <= kth + 1e-5 * std::max(1.0, std::abs(kth)) ? 1 : 0;
                }
            }
            const double one = double(std::min<qint64>(good, exact.size())) / double(exact.size());
            sum += one;
            r.minRecall = std::min(r.minRecall, one);
            ++r.queries;
        }
        if (r.queries == 0) {
            r.error = QStringLiteral("the collection is empty");
            return r;
        }
        r.recall = sum / double(r.queries);
        r.measured = true;
    } catch (...) {
        r.error = errorFromException(std::current_exception()).message();
    }
    return r;
}

} // namespace mx
