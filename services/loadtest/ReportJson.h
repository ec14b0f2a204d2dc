#pragma once

#include "LoadTestReport.h"

#include <QJsonObject>

namespace mx {

// The JSON form of a LoadTestReport (schema "milvus-loadtest-report/2"; /1 is still read; described in
// docs/loadtest-report.md). Writing adds derived figures (throughput, percentiles) for readers;
// reading ignores them and keeps only the exact data (counts, histograms), from which they are derived
// again. Pure functions, thread-safe.
class ReportJson
{
public:
    static QJsonObject toJson(const LoadTestReport &report);
    // False (with *error) when the object is not a report of this schema or is inconsistent.
    static bool fromJson(const QJsonObject &json, LoadTestReport *out, QString *error);

    static QJsonObject phaseToJson(const PhaseResult &phase);
    // `version`: the report schema's version (1 or 2), which decides what `latency` must hold.
    static bool phaseFromJson(const QJsonObject &json, PhaseResult *out, QString *error, int version = 2);
    static QJsonObject intervalToJson(const IntervalMetrics &interval);
    static bool intervalFromJson(const QJsonObject &json, IntervalMetrics *out, QString *error);
    static QJsonObject errorsToJson(const ErrorStats &errors);
    static ErrorStats errorsFromJson(const QJsonObject &json);
    static QJsonObject integrityToJson(const IntegrityResult &integrity);
    static IntegrityResult integrityFromJson(const QJsonObject &json);
};

} // namespace mx
