#include "LatencySummary.h"

#include "LatencyHistogram.h"

namespace mx {

LatencySummary LatencySummary::of(const LatencyHistogram &h)
{
    LatencySummary s;
    s.count = h.count();
    s.minNs = h.min();
    s.meanNs = h.mean();
    s.p50Ns = h.percentile(50);
    s.p90Ns = h.percentile(90);
    s.p99Ns = h.percentile(99);
    s.p999Ns = h.percentile(99.9);
    s.maxNs = h.max();
    return s;
}

LatencySummary LatencySummary::of(const LatencyHistogram::Sparse &h)
{
    LatencySummary s;
    s.count = h.count;
    s.minNs = h.count ? h.minNs : 0;
    s.meanNs = h.count ? double(h.sumNs) / double(h.count) : 0.0;
    s.p50Ns = h.percentile(50);
    s.p90Ns = h.percentile(90);
    s.p99Ns = h.percentile(99);
    s.p999Ns = h.percentile(99.9);
    s.maxNs = h.count ? h.maxNs : 0;
    return s;
}

QJsonObject LatencySummary::toJson() const
{
    return QJsonObject{
        {QStringLiteral("count"), double(count)},   {QStringLiteral("minNs"), double(minNs)},
        {QStringLiteral("meanNs"), meanNs},         {QStringLiteral("p50Ns"), double(p50Ns)},
        {QStringLiteral("p90Ns"), double(p90Ns)},   {QStringLiteral("p99Ns"), double(p99Ns)},
        {QStringLiteral("p999Ns"), double(p999Ns)}, {QStringLiteral("maxNs"), double(maxNs)},
    };
}

} // namespace mx
