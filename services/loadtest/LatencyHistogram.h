#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <utility>

namespace mx {

// A latency histogram with 3 significant digits over 1 µs .. 1 hour, bucketed like HdrHistogram: the
// range is split into powers of two, each split into 1,024 linear sub-buckets, so any recorded value is
// known to within 1/1024 of itself. Values are nanoseconds; values outside the range are clamped to it
// and counted (clampedLow/clampedHigh) so a report can say so. Merging two histograms is exact: the
// result is the histogram of all values recorded into either. Counts live in an implicitly shared
// QList, so copies are cheap until one side records.
// Not thread-safe: one writer, or external locking (MetricsRecorder holds a mutex).
class LatencyHistogram
{
public:
    static constexpr qint64 kLowestNs = 1000;                   // 1 µs
    static constexpr qint64 kHighestNs = 3600LL * 1000000000LL; // 1 hour
    static constexpr int kSignificantDigits = 3;

    // The compact form: only non-empty buckets, as (lowest value of the bucket in ns, count). Used for
    // per-interval histograms and JSON; converting back and forth loses nothing.
    struct Sparse
    {
        qint64 count = 0;
        qint64 minNs = 0;
        qint64 maxNs = 0;
        qint64 sumNs = 0;
        qint64 clampedLow = 0;
        qint64 clampedHigh = 0;
        QList<std::pair<qint64, qint64>> buckets; // ascending by value
        bool operator==(const Sparse &) const = default;

        // withLayout: include the layout constants (unit, range, digits); per-interval histograms leave
        // them out because the report states them once.
        QJsonObject toJson(bool withLayout = true) const;
        // Returns false (with *error) for a malformed object or a bucket value this layout cannot hold.
        // Layout keys are optional; when present they must match this layout.
        static bool fromJson(const QJsonObject &json, Sparse *out, QString *error);

        // What the dense histogram answers, from the buckets alone: a report holds a Sparse per interval
        // and reading or merging one must not build a dense array (bucketSlots() counts, ~270 KB) for
        // each (fuzz_loadtest_report ran at ~130 inputs/s on that). Same results as
        // fromSparse(s).percentile(p) and fromSparse(a).merge(fromSparse(b)) + toSparse().
        qint64 percentile(double p) const;
        static Sparse merged(const Sparse &a, const Sparse &b);
    };

    void record(qint64 valueNs, qint64 count = 1);
    void merge(const LatencyHistogram &other);
    void reset();

    qint64 count() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }
    qint64 min() const { return m_count ? m_minNs : 0; }
    qint64 max() const { return m_count ? m_maxNs : 0; }
    qint64 sum() const { return m_sumNs; }
    double mean() const { return m_count ? double(m_sumNs) / double(m_count) : 0.0; }
    qint64 clampedLow() const { return m_clampedLow; }
    qint64 clampedHigh() const { return m_clampedHigh; }
    // Nearest-rank percentile (p in [0, 100]): the upper end of the bucket holding the value of rank
    // ceil(p/100 * count), limited to [min, max]; 0 when empty.
    qint64 percentile(double p) const;

    Sparse toSparse() const;
    static LatencyHistogram fromSparse(const Sparse &sparse);
    QJsonObject toJson() const { return toSparse().toJson(); }
    static bool fromJson(const QJsonObject &json, LatencyHistogram *out, QString *error);

    bool operator==(const LatencyHistogram &other) const;

    // Bucket arithmetic, public for tests and for readers of the JSON format.
    static int indexOf(qint64 valueNs);
    static qint64 lowestEquivalent(qint64 valueNs);
    static qint64 highestEquivalent(qint64 valueNs);
    static int bucketSlots();

private:
    static qint64 valueAtIndex(int index);

    QList<qint64> m_counts; // empty until the first record, then bucketSlots() long
    qint64 m_count = 0;
    qint64 m_minNs = 0;
    qint64 m_maxNs = 0;
    qint64 m_sumNs = 0;
    qint64 m_clampedLow = 0;
    qint64 m_clampedHigh = 0;
    int m_lowestIndex = -1; // bounds of the non-empty slots, so scans skip the empty tails
    int m_highestIndex = -1;
};

} // namespace mx
