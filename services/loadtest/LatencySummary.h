#pragma once

#include "LatencyHistogram.h"

#include <QJsonObject>
#include <QtGlobal>

namespace mx {

// The percentiles a report and a live chart show, derived from a LatencyHistogram. Values in ns.
// Derived data only: merging reports merges histograms and derives these again, never averages them.
struct LatencySummary
{
    qint64 count = 0;
    qint64 minNs = 0;
    double meanNs = 0;
    qint64 p50Ns = 0;
    qint64 p90Ns = 0;
    qint64 p99Ns = 0;
    qint64 p999Ns = 0;
    qint64 maxNs = 0;

    static LatencySummary of(const LatencyHistogram &h);
    // The same figures from the compact form, without a dense histogram (an interval's summary).
    static LatencySummary of(const LatencyHistogram::Sparse &s);
    QJsonObject toJson() const;
    bool operator==(const LatencySummary &) const = default;
};

} // namespace mx
