#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace mx {

struct MeanEstimate
{
    int n = 0;
    double mean = 0;
    double stddev = 0; // sample standard deviation (n - 1)
    double low = 0;    // Student t confidence interval of the mean (cut at 0 for non-negative samples);
                       // equal to mean when n < 2
    double high = 0;
    QJsonObject toJson() const;
};

// A ratio of two means (the tutorial's sync/async speedup) with a confidence interval.
struct SpeedupEstimate
{
    double ratio = 0;
    double low = 0;
    double high = 0;
    double df = 0;            // Welch-Satterthwaite degrees of freedom
    bool hasInterval = false; // false with fewer than 2 samples on either side
    QString note;             // why there is no interval
    QJsonObject toJson() const;
};

// The statistics behind the tutorial table. Pure functions, thread-safe.
//
// Speedup interval: delta method on the log of the ratio of means with Welch's degrees of freedom.
// For means m1 (sync), m2 (async) of n1, n2 runs with sample variances v1, v2:
//   a = v1 / (n1 m1^2), b = v2 / (n2 m2^2)          (squared relative standard errors)
//   se = sqrt(a + b)                                 (standard error of ln m1 - ln m2)
//   df = (a + b)^2 / (a^2 / (n1 - 1) + b^2 / (n2 - 1))
//   CI = (m1 / m2) * exp(-/+ t_{(1+c)/2, df} * se)
// Working on the log scale keeps the interval positive and asymmetric as a ratio's should be.
class SpeedupStatistics
{
public:
    static MeanEstimate mean(const QList<double> &values, double confidence = 0.95);
    static SpeedupEstimate ratioOfMeans(const QList<double> &numerator, const QList<double> &denominator,
                                        double confidence = 0.95);
    static double studentTCdf(double t, double df);
    static double studentTQuantile(double p, double df); // p in (0, 1)
    static double regularizedIncompleteBeta(double a, double b, double x);
};

} // namespace mx
