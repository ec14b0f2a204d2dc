#include "LatencyHistogram.h"

#include <QJsonArray>

#include <algorithm>
#include <bit>
#include <cmath>

namespace mx {

namespace {

// 3 significant digits need 2 * 10^3 distinguishable values per power of two: 2,048 sub-buckets, of
// which the upper half is new in each bucket after the first.
constexpr int kSubBucketHalfCountMagnitude = 10;
constexpr qint64 kSubBucketHalfCount = qint64(1) << kSubBucketHalfCountMagnitude;
constexpr qint64 kSubBucketMask = (kSubBucketHalfCount << 1) - 1;

constexpr int bucketIndexOf(qint64 v)
{
    return (64 - std::countl_zero(quint64(v | kSubBucketMask))) - (kSubBucketHalfCountMagnitude + 1);
}

constexpr int countsIndexOf(qint64 v)
{
    const int bucket = bucketIndexOf(v);
    const qint64 sub = v >> bucket;
    return int(((qint64(bucket) + 1) << kSubBucketHalfCountMagnitude) + (sub - kSubBucketHalfCount));
}

constexpr int kSlots = countsIndexOf(LatencyHistogram::kHighestNs) + 1;

// JSON numbers are doubles: integers above 2^53 travel as decimal strings so nothing is rounded.
QJsonValue bigInt(qint64 v)
{
    constexpr qint64 kExact = qint64(1) << 53;
    if (v > -kExact && v < kExact)
        return QJsonValue(double(v));
    return QJsonValue(QString::number(v));
}

bool readBigInt(const QJsonValue &v, qint64 *out)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        // Outside [-2^63, 2^63) the conversion is undefined (found by fuzz_loadtest_report).
        if (d != std::floor(d) || !(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
            return false;
        *out = qint64(d);
        return true;
    }
    if (v.isString()) {
        bool ok = false;
        *out = v.toString().toLongLong(&ok);
        return ok;
    }
    return false;
}

// Nearest rank over ascending (bucket start, count) pairs, the one implementation behind the dense and
// the sparse percentile: the upper end of the bucket holding rank ceil(p/100 * count), within [min, max].
template<class ForEachBucket>
qint64 nearestRank(qint64 count, qint64 minNs, qint64 maxNs, double p, ForEachBucket &&forEachBucket)
{
    if (count == 0)
        return 0;
    p = std::clamp(p, 0.0, 100.0);
    // The small epsilon keeps 99% of 1000 at rank 990 despite 0.99 * 1000 = 990.0000000000001.
    qint64 rank = qint64(std::ceil(p / 100.0 * double(count) - 1e-9));
    rank = std::clamp<qint64>(rank, 1, count);
    qint64 seen = 0;
    qint64 result = maxNs;
    forEachBucket([&](qint64 bucketStart, qint64 c) {
        seen += c;
        if (seen < rank)
            return true;
        // min/max come from a file too: no std::clamp, whose min <= max precondition a file can break.
        result = std::min(std::max(LatencyHistogram::highestEquivalent(bucketStart), minNs), maxNs);
        return false;
    });
    return result;
}

} // namespace

int LatencyHistogram::indexOf(qint64 valueNs)
{
    return countsIndexOf(std::clamp(valueNs, kLowestNs, kHighestNs));
}

qint64 LatencyHistogram::valueAtIndex(int index)
{
    int bucket = (index >> kSubBucketHalfCountMagnitude) - 1;
    qint64 sub = (index & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
    if (bucket < 0) {
        sub -= kSubBucketHalfCount;
        bucket = 0;
    }
    return sub << bucket;
}

qint64 LatencyHistogram::lowestEquivalent(qint64 valueNs)
{
    return valueAtIndex(indexOf(valueNs));
}

qint64 LatencyHistogram::highestEquivalent(qint64 valueNs)
{
    const qint64 low = lowestEquivalent(valueNs);
    return low + (qint64(1) << bucketIndexOf(low)) - 1;
}

int LatencyHistogram::bucketSlots()
{
    return kSlots;
}

void LatencyHistogram::record(qint64 valueNs, qint64 count)
{
    if (count <= 0)
        return;
    if (valueNs < kLowestNs) {
        m_clampedLow += count;
        valueNs = kLowestNs;
    } else if (valueNs > kHighestNs) {
        m_clampedHigh += count;
        valueNs = kHighestNs;
    }
    if (m_counts.isEmpty())
        m_counts.resize(kSlots, 0);
    const int index = countsIndexOf(valueNs);
    m_counts[index] += count;
    if (m_count == 0) {
        m_minNs = m_maxNs = valueNs;
        m_lowestIndex = m_highestIndex = index;
    } else {
        m_minNs = std::min(m_minNs, valueNs);
        m_maxNs = std::max(m_maxNs, valueNs);
        m_lowestIndex = std::min(m_lowestIndex, index);
        m_highestIndex = std::max(m_highestIndex, index);
    }
    m_count += count;
    m_sumNs += valueNs * count;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (other.m_count == 0)
        return;
    if (m_count == 0) {
        *this = other;
        return;
    }
    for (int i = other.m_lowestIndex; i <= other.m_highestIndex; ++i)
        if (const qint64 c = other.m_counts.at(i))
            m_counts[i] += c;
    m_minNs = std::min(m_minNs, other.m_minNs);
    m_maxNs = std::max(m_maxNs, other.m_maxNs);
    m_lowestIndex = std::min(m_lowestIndex, other.m_lowestIndex);
    m_highestIndex = std::max(m_highestIndex, other.m_highestIndex);
    m_count += other.m_count;
    m_sumNs += other.m_sumNs;
    m_clampedLow += other.m_clampedLow;
    m_clampedHigh += other.m_clampedHigh;
}

void LatencyHistogram::reset()
{
    *this = LatencyHistogram();
}

qint64 LatencyHistogram::percentile(double p) const
{
    return nearestRank(m_count, m_minNs, m_maxNs, p, [this](auto &&visit) {
        for (int i = m_lowestIndex; i <= m_highestIndex; ++i)
            if (const qint64 c = m_counts.at(i); c && !visit(valueAtIndex(i), c))
                return;
    });
}

qint64 LatencyHistogram::Sparse::percentile(double p) const
{
    return nearestRank(count, minNs, maxNs, p, [this](auto &&visit) {
        for (const auto &[value, c] : buckets)
            if (!visit(value, c))
                return;
    });
}

LatencyHistogram::Sparse LatencyHistogram::Sparse::merged(const Sparse &a, const Sparse &b)
{
    // As the dense merge: an empty side adds nothing (and an empty histogram keeps no min, max or
    // clamped counts); equal bucket starts add up, the rest interleave in ascending order.
    if (b.count == 0)
        return a.count == 0 ? Sparse{} : a;
    if (a.count == 0)
        return b;
    Sparse m;
    m.count = a.count + b.count;
    m.minNs = std::min(a.minNs, b.minNs);
    m.maxNs = std::max(a.maxNs, b.maxNs);
    m.sumNs = a.sumNs + b.sumNs;
    m.clampedLow = a.clampedLow + b.clampedLow;
    m.clampedHigh = a.clampedHigh + b.clampedHigh;
    m.buckets.reserve(a.buckets.size() + b.buckets.size());
    auto i = a.buckets.cbegin();
    auto j = b.buckets.cbegin();
    while (i != a.buckets.cend() || j != b.buckets.cend()) {
        if (j == b.buckets.cend() || (i != a.buckets.cend() && i->first < j->first))
            m.buckets.append(*i++);
        else if (i == a.buckets.cend() || j->first < i->first)
            m.buckets.append(*j++);
        else
            m.buckets.append({i->first, (i++)->second + (j++)->second});
    }
    return m;
}

LatencyHistogram::Sparse LatencyHistogram::toSparse() const
{
    Sparse s;
    s.count = m_count;
    s.minNs = min();
    s.maxNs = max();
    s.sumNs = m_sumNs;
    s.clampedLow = m_clampedLow;
    s.clampedHigh = m_clampedHigh;
    for (int i = m_lowestIndex; m_count && i <= m_highestIndex; ++i)
        if (const qint64 c = m_counts.at(i))
            s.buckets.append({valueAtIndex(i), c});
    return s;
}

LatencyHistogram LatencyHistogram::fromSparse(const Sparse &sparse)
{
    LatencyHistogram h;
    if (sparse.count == 0)
        return h;
    h.m_counts.resize(kSlots, 0);
    for (const auto &[value, c] : sparse.buckets) {
        const int index = indexOf(value);
        h.m_counts[index] += c;
        h.m_lowestIndex = h.m_lowestIndex < 0 ? index : std::min(h.m_lowestIndex, index);
        h.m_highestIndex = std::max(h.m_highestIndex, index);
    }
    h.m_count = sparse.count;
    h.m_minNs = sparse.minNs;
    h.m_maxNs = sparse.maxNs;
    h.m_sumNs = sparse.sumNs;
    h.m_clampedLow = sparse.clampedLow;
    h.m_clampedHigh = sparse.clampedHigh;
    return h;
}

bool LatencyHistogram::fromJson(const QJsonObject &json, LatencyHistogram *out, QString *error)
{
    Sparse s;
    if (!Sparse::fromJson(json, &s, error))
        return false;
    *out = fromSparse(s);
    return true;
}

bool LatencyHistogram::operator==(const LatencyHistogram &other) const
{
    return toSparse() == other.toSparse();
}

QJsonObject LatencyHistogram::Sparse::toJson(bool withLayout) const
{
    QJsonArray b;
    for (const auto &[value, c] : buckets)
        b.append(QJsonArray{bigInt(value), bigInt(c)});
    QJsonObject o{
        {QStringLiteral("count"), bigInt(count)},
        {QStringLiteral("minNs"), bigInt(minNs)},
        {QStringLiteral("maxNs"), bigInt(maxNs)},
        {QStringLiteral("sumNs"), bigInt(sumNs)},
        {QStringLiteral("clampedLow"), bigInt(clampedLow)},
        {QStringLiteral("clampedHigh"), bigInt(clampedHigh)},
        {QStringLiteral("buckets"), b},
    };
    if (withLayout) {
        o.insert(QStringLiteral("unit"), QStringLiteral("ns"));
        o.insert(QStringLiteral("lowestTrackableNs"), bigInt(kLowestNs));
        o.insert(QStringLiteral("highestTrackableNs"), bigInt(kHighestNs));
        o.insert(QStringLiteral("significantDigits"), kSignificantDigits);
    }
    return o;
}

bool LatencyHistogram::Sparse::fromJson(const QJsonObject &json, Sparse *out, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = QStringLiteral("histogram: %1").arg(why);
        return false;
    };
    if (json.contains(QStringLiteral("unit")) &&
        json.value(QStringLiteral("unit")).toString() != QLatin1String("ns"))
        return fail(QStringLiteral("unit must be \"ns\""));
    if (json.contains(QStringLiteral("significantDigits")) &&
        json.value(QStringLiteral("significantDigits")).toInt() != kSignificantDigits)
        return fail(QStringLiteral("only 3 significant digits are supported"));
    for (const char *key : {"lowestTrackableNs", "highestTrackableNs"}) {
        qint64 v = 0;
        if (json.contains(QLatin1String(key)) && (!readBigInt(json.value(QLatin1String(key)), &v) ||
                                                  v != (key[0] == 'l' ? kLowestNs : kHighestNs)))
            return fail(QStringLiteral("'%1' does not match this layout").arg(QLatin1String(key)));
    }
    Sparse s;
    const std::pair<const char *, qint64 *> fields[] = {
        {"count", &s.count}, {"minNs", &s.minNs},           {"maxNs", &s.maxNs},
        {"sumNs", &s.sumNs}, {"clampedLow", &s.clampedLow}, {"clampedHigh", &s.clampedHigh},
    };
    // Counts and sums stay below 2^62, so adding up buckets and merging two reports cannot overflow.
    constexpr qint64 kMaxCount = qint64(1) << 62;
    for (const auto &[key, target] : fields)
        if (!readBigInt(json.value(QLatin1String(key)), target) || *target < 0 || *target >= kMaxCount)
            return fail(
                QStringLiteral("'%1' is missing or not an integer in [0, 2^62)").arg(QLatin1String(key)));
    qint64 total = 0;
    qint64 previous = -1;
    for (const QJsonValue &entry : json.value(QStringLiteral("buckets")).toArray()) {
        const QJsonArray pair = entry.toArray();
        qint64 value = 0;
        qint64 c = 0;
        if (pair.size() != 2 || !readBigInt(pair.at(0), &value) || !readBigInt(pair.at(1), &c) || c <= 0 ||
            c > s.count - total)
            return fail(
                QStringLiteral("a bucket is not [valueNs, positive count], or the bucket counts add up to "
                               "more than count"));
        if (value < kLowestNs || value > kHighestNs || lowestEquivalent(value) != value || value <= previous)
            return fail(
                QStringLiteral("bucket value %1 is not the start of a bucket of this layout, or out of "
                               "order")
                    .arg(value));
        previous = value;
        total += c;
        s.buckets.append({value, c});
    }
    if (total != s.count)
        return fail(QStringLiteral("bucket counts add up to %1, but count is %2").arg(total).arg(s.count));
    *out = s;
    return true;
}

} // namespace mx
