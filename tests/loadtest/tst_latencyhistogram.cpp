// The latency histogram: percentiles within 3 significant digits of the exact nearest-rank percentiles
// of known data, exact merging, lossless JSON, clamping at the ends of the range.

#include "LatencyHistogram.h"
#include "LatencySummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

namespace mx {

namespace {

// The exact nearest-rank percentile of sorted data: the value of rank ceil(p/100 * n).
qint64 exactPercentile(const std::vector<qint64> &sorted, double p)
{
    const auto n = qint64(sorted.size());
    qint64 rank = qint64(std::ceil(p / 100.0 * double(n) - 1e-9));
    rank = std::clamp<qint64>(rank, 1, n);
    return sorted[size_t(rank - 1)];
}

std::vector<qint64> dataset(const QString &kind, int n)
{
    std::mt19937_64 rng(12345);
    std::vector<qint64> v;
    v.reserve(n);
    for (int i = 0; i < n; ++i) {
        if (kind == QLatin1String("uniform-ms")) {
            v.push_back(std::uniform_int_distribution<qint64>(1'000'000, 100'000'000)(rng));
        } else if (kind == QLatin1String("lognormal")) {
            v.push_back(qint64(std::lognormal_distribution<double>(std::log(2e6), 1.0)(rng)) + 1000);
        } else if (kind == QLatin1String("bimodal")) {
            v.push_back(i % 10 == 0 ? 900'000'000 + qint64(i) : 300'000 + qint64(i % 1000));
        } else if (kind == QLatin1String("wide")) {
            // every power of ten from 1 µs to 1000 s
            v.push_back(qint64(std::pow(10.0, 3.0 + 9.0 * double(i) / double(n))));
        } else {
            v.push_back(5'000'000);
        }
    }
    return v;
}

} // namespace

class TestLatencyHistogram : public QObject
{
    Q_OBJECT

private slots:
    void percentilesMatchExactData_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("n");
        QTest::newRow("uniform 1-100 ms") << QStringLiteral("uniform-ms") << 100000;
        QTest::newRow("lognormal") << QStringLiteral("lognormal") << 50000;
        QTest::newRow("bimodal with a 0.9 s tail") << QStringLiteral("bimodal") << 20000;
        QTest::newRow("1 µs to 1000 s") << QStringLiteral("wide") << 10000;
        QTest::newRow("constant") << QStringLiteral("constant") << 1000;
        QTest::newRow("one value") << QStringLiteral("constant") << 1;
        QTest::newRow("odd count") << QStringLiteral("lognormal") << 7;
    }

    void percentilesMatchExactData()
    {
        QFETCH(QString, kind);
        QFETCH(int, n);
        std::vector<qint64> data = dataset(kind, n);
        LatencyHistogram h;
        for (qint64 v : data)
            h.record(v);
        std::sort(data.begin(), data.end());
        QCOMPARE(h.count(), qint64(n));
        QCOMPARE(h.min(), data.front());
        QCOMPARE(h.max(), data.back());
        double sum = 0;
        for (qint64 v : data)
            sum += double(v);
        QVERIFY(std::abs(h.mean() - sum / n) <= 1e-9 * sum / n);
        for (double p : {0.0, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
            const qint64 exact = exactPercentile(data, p);
            const qint64 got = h.percentile(p);
            // 3 significant digits: the bucket holding the exact value is at most 1/1024 of it wide,
            // and the histogram reports its upper end.
            const double relative = std::abs(double(got - exact)) / double(exact);
            QVERIFY2(relative <= 1.0 / 1024.0 && got >= exact,
                     qPrintable(QStringLiteral("p%1: exact %2, histogram %3 (relative error %4)")
                                    .arg(p)
                                    .arg(exact)
                                    .arg(got)
                                    .arg(relative)));
        }
    }

    void bucketBoundariesKeepThreeDigits()
    {
        // Every bucket's width relative to its lowest value is at most 1/1024 (above 2048 ns).
        for (qint64 v : {qint64(1000), qint64(2047), qint64(2048), qint64(4095), qint64(1'000'000),
                         qint64(123'456'789), qint64(999'999'999'999), LatencyHistogram::kHighestNs}) {
            const qint64 lo = LatencyHistogram::lowestEquivalent(v);
            const qint64 hi = LatencyHistogram::highestEquivalent(v);
            QVERIFY(lo <= v && v <= hi);
            QVERIFY2(double(hi - lo + 1) / double(lo) <= 1.0 / 1024.0 + 1e-12 || hi == lo,
                     qPrintable(QStringLiteral("value %1 in [%2, %3]").arg(v).arg(lo).arg(hi)));
            QCOMPARE(LatencyHistogram::indexOf(lo), LatencyHistogram::indexOf(hi));
            if (hi < LatencyHistogram::kHighestNs)
                QCOMPARE(LatencyHistogram::indexOf(hi + 1), LatencyHistogram::indexOf(lo) + 1);
        }
    }

    void mergeIsExact()
    {
        const std::vector<qint64> a = dataset(QStringLiteral("lognormal"), 30000);
        const std::vector<qint64> b = dataset(QStringLiteral("bimodal"), 20000);
        LatencyHistogram ha;
        LatencyHistogram hb;
        LatencyHistogram all;
        for (qint64 v : a) {
            ha.record(v);
            all.record(v);
        }
        for (qint64 v : b) {
            hb.record(v);
            all.record(v);
        }
        LatencyHistogram merged = ha;
        merged.merge(hb);
        QVERIFY(merged == all);
        QCOMPARE(merged.toSparse(), all.toSparse());
        for (double p : {50.0, 90.0, 99.0, 99.9})
            QCOMPARE(merged.percentile(p), all.percentile(p));
        // The merge does not touch its source, and merging into an empty histogram copies.
        QCOMPARE(hb.count(), qint64(b.size()));
        LatencyHistogram empty;
        empty.merge(ha);
        QVERIFY(empty == ha);
        // The merged percentile is not the average of the parts' percentiles.
        QVERIFY(merged.percentile(99) != (ha.percentile(99) + hb.percentile(99)) / 2);
    }

    void jsonRoundTripIsLossless()
    {
        LatencyHistogram h;
        for (qint64 v : dataset(QStringLiteral("wide"), 5000))
            h.record(v);
        h.record(10);                          // below the range: clamped and counted
        h.record(10LL * 3600 * 1'000'000'000); // above
        const QByteArray text = QJsonDocument(h.toJson()).toJson(QJsonDocument::Compact);
        LatencyHistogram back;
        QString error;
        QVERIFY2(LatencyHistogram::fromJson(QJsonDocument::fromJson(text).object(), &back, &error),
                 qPrintable(error));
        QVERIFY(back == h);
        QCOMPARE(back.clampedLow(), qint64(1));
        QCOMPARE(back.clampedHigh(), qint64(1));
        QCOMPARE(back.max(), LatencyHistogram::kHighestNs);
        QCOMPARE(back.min(), LatencyHistogram::kLowestNs);
        QCOMPARE(back.percentile(99.9), h.percentile(99.9));

        // A damaged document is refused, not half-read.
        QJsonObject bad = h.toJson();
        bad.insert(QStringLiteral("count"), 3);
        QVERIFY(!LatencyHistogram::fromJson(bad, &back, &error));
        QVERIFY(error.contains(QLatin1String("add up")));
        QJsonObject badBucket = h.toJson();
        badBucket.insert(QStringLiteral("buckets"), QJsonArray{QJsonArray{1'000'001, 1}});
        QVERIFY(!LatencyHistogram::fromJson(badBucket, &back, &error));
    }

    // Numbers no count can be (fuzz_loadtest_report found 1.58e124 converted to an integer: undefined
    // behaviour), and counts whose sums or merges would overflow, are refused.
    void absurdNumbersAreRefused_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("count 1.58e124") << QStringLiteral("count") << QJsonValue(1.58023e124);
        QTest::newRow("count -1") << QStringLiteral("count") << QJsonValue(-1);
        QTest::newRow("sumNs 2^63 as text")
            << QStringLiteral("sumNs") << QJsonValue(QStringLiteral("9223372036854775807"));
        QTest::newRow("maxNs -1e300") << QStringLiteral("maxNs") << QJsonValue(-1e300);
    }

    void absurdNumbersAreRefused()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        LatencyHistogram h;
        h.record(5000);
        QJsonObject json = h.toJson();
        json.insert(key, value);
        LatencyHistogram back;
        QString error;
        QVERIFY(!LatencyHistogram::fromJson(json, &back, &error));
        QVERIFY2(error.contains(key), qPrintable(error));
        // Buckets that add up past any count.
        json = h.toJson();
        const qint64 big = qint64(1) << 61;
        json.insert(QStringLiteral("count"), QString::number(big));
        json.insert(QStringLiteral("buckets"), QJsonArray{QJsonArray{1000, QString::number(big)},
                                                          QJsonArray{2000, QString::number(big)}});
        QVERIFY(!LatencyHistogram::fromJson(json, &back, &error));
        QVERIFY2(error.contains(QLatin1String("add up")), qPrintable(error));
    }

    // The sparse form answers what the dense one does (a report's intervals are read and merged
    // without dense histograms since fuzz_loadtest_report showed ~130 inputs/s on that): percentiles,
    // summaries and merges, including the empty and one-sided cases and a min > max from a file.
    void sparseAnswersAsDense()
    {
        const QStringList kinds{QStringLiteral("uniform-ms"), QStringLiteral("lognormal"),
                                QStringLiteral("bimodal"), QStringLiteral("wide"), QStringLiteral("one")};
        QList<LatencyHistogram> hs{LatencyHistogram()};
        for (const QString &kind : kinds) {
            LatencyHistogram h;
            for (qint64 v : dataset(kind, 5000))
                h.record(v);
            h.record(10, 3); // clamped low
            hs.append(h);
        }
        for (const LatencyHistogram &a : hs) {
            const LatencyHistogram::Sparse sa = a.toSparse();
            for (double p : {0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 100.0})
                QCOMPARE(sa.percentile(p), a.percentile(p));
            QCOMPARE(LatencySummary::of(sa), LatencySummary::of(a));
            for (const LatencyHistogram &b : hs) {
                LatencyHistogram dense = a;
                dense.merge(b);
                QCOMPARE(LatencyHistogram::Sparse::merged(sa, b.toSparse()), dense.toSparse());
            }
        }
        LatencyHistogram::Sparse odd = hs.at(1).toSparse();
        std::swap(odd.minNs, odd.maxNs); // a hostile file: min above max
        QCOMPARE(odd.percentile(50), LatencyHistogram::fromSparse(odd).percentile(50));
        // An empty side keeps nothing of the other's bookkeeping, as the dense merge.
        LatencyHistogram::Sparse emptyWithJunk;
        emptyWithJunk.clampedLow = 7;
        QCOMPARE(LatencyHistogram::Sparse::merged(emptyWithJunk, emptyWithJunk), LatencyHistogram::Sparse{});
    }

    void emptyHistogram()
    {
        LatencyHistogram h;
        QCOMPARE(h.percentile(99), qint64(0));
        QCOMPARE(h.max(), qint64(0));
        const LatencySummary s = LatencySummary::of(h);
        QCOMPARE(s.count, qint64(0));
        LatencyHistogram back;
        QString error;
        QVERIFY(LatencyHistogram::fromJson(h.toJson(), &back, &error));
        QVERIFY(back == h);
        QVERIFY(back.isEmpty());
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
