#include "SpeedupStatistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mx {

namespace {

// Continued fraction for the incomplete beta function (modified Lentz), as in Numerical Recipes 6.4.
double betaContinuedFraction(double a, double b, double x)
{
    constexpr int kMaxIterations = 500;
    constexpr double kEpsilon = 1e-15;
    constexpr double kTiny = 1e-300;
    const double qab = a + b;
    const double qap = a + 1.0;
    const double qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 - qab * x / qap;
    if (std::fabs(d) < kTiny)
        d = kTiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= kMaxIterations; ++m) {
        const int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < kTiny)
            d = kTiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < kTiny)
            c = kTiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < kTiny)
            d = kTiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < kTiny)
            c = kTiny;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (std::fabs(del - 1.0) < kEpsilon)
            break;
    }
    return h;
}

double sampleVariance(const QList<double> &v, double mean)
{
    if (v.size() < 2)
        return 0;
    double ss = 0;
    for (double x : v)
        ss += (x - mean) * (x - mean);
    return ss / double(v.size() - 1);
}

double average(const QList<double> &v)
{
    double s = 0;
    for (double x : v)
        s += x;
    return v.isEmpty() ? 0 : s / double(v.size());
}

} // namespace

double SpeedupStatistics::regularizedIncompleteBeta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    const double front =
        std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * betaContinuedFraction(a, b, x) / a;
    return 1.0 - front * betaContinuedFraction(b, a, 1.0 - x) / b;
}

double SpeedupStatistics::studentTCdf(double t, double df)
{
    const double tail = 0.5 * regularizedIncompleteBeta(df / 2.0, 0.5, df / (df + t * t));
    return t >= 0 ? 1.0 - tail : tail;
}

double SpeedupStatistics::studentTQuantile(double p, double df)
{
    if (!(p > 0 && p < 1) || !(df > 0))
        return std::numeric_limits<double>::quiet_NaN();
    if (p == 0.5)
        return 0;
    if (p < 0.5)
        return -studentTQuantile(1.0 - p, df);
    // Bisection: the CDF is monotone, and 200 halvings of [0, 1e7] are far below double precision.
    double lo = 0;
    double hi = 1e7;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        (studentTCdf(mid, df) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

MeanEstimate SpeedupStatistics::mean(const QList<double> &values, double confidence)
{
    MeanEstimate e;
    e.n = int(values.size());
    e.mean = average(values);
    e.stddev = std::sqrt(sampleVariance(values, e.mean));
    e.low = e.high = e.mean;
    if (e.n >= 2) {
        const double half =
            studentTQuantile(0.5 + confidence / 2.0, e.n - 1) * e.stddev / std::sqrt(double(e.n));
        e.low = e.mean - half;
        e.high = e.mean + half;
        // Durations cannot be negative: with few repeats the t interval can reach below zero, so cut it
        // at the parameter space's edge (this keeps its coverage) instead of printing "-0.13 s".
        if (std::all_of(values.cbegin(), values.cend(), [](double v) { return v >= 0; }))
            e.low = std::max(0.0, e.low);
    }
    return e;
}

SpeedupEstimate SpeedupStatistics::ratioOfMeans(const QList<double> &numerator,
                                                const QList<double> &denominator, double confidence)
{
    SpeedupEstimate e;
    const double m1 = average(numerator);
    const double m2 = average(denominator);
    if (numerator.isEmpty() || denominator.isEmpty() || m2 <= 0 || m1 <= 0) {
        e.note = QStringLiteral("no timings");
        return e;
    }
    e.ratio = m1 / m2;
    e.low = e.high = e.ratio;
    const qsizetype n1 = numerator.size();
    const qsizetype n2 = denominator.size();
    if (n1 < 2 || n2 < 2) {
        e.note = QStringLiteral("needs at least 2 repeats for an interval");
        return e;
    }
    const double a = sampleVariance(numerator, m1) / (double(n1) * m1 * m1);
    const double b = sampleVariance(denominator, m2) / (double(n2) * m2 * m2);
    const double se = std::sqrt(a + b);
    e.hasInterval = true;
    if (se == 0) {
        e.df = double(n1 + n2 - 2);
        return e;
    }
    e.df = (a + b) * (a + b) / (a * a / double(n1 - 1) + b * b / double(n2 - 1));
    const double t = studentTQuantile(0.5 + confidence / 2.0, e.df);
    e.low = e.ratio * std::exp(-t * se);
    e.high = e.ratio * std::exp(t * se);
    return e;
}

QJsonObject MeanEstimate::toJson() const
{
    return QJsonObject{{QStringLiteral("n"), n},
                       {QStringLiteral("mean"), mean},
                       {QStringLiteral("stddev"), stddev},
                       {QStringLiteral("ci95Low"), low},
                       {QStringLiteral("ci95High"), high}};
}

QJsonObject SpeedupEstimate::toJson() const
{
    QJsonObject o{{QStringLiteral("ratio"), ratio}, {QStringLiteral("hasInterval"), hasInterval}};
    if (hasInterval) {
        o.insert(QStringLiteral("ci95Low"), low);
        o.insert(QStringLiteral("ci95High"), high);
        o.insert(QStringLiteral("df"), df);
    }
    if (!note.isEmpty())
        o.insert(QStringLiteral("note"), note);
    return o;
}

} // namespace mx
