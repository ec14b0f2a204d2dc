#pragma once

#include "LoadTestReport.h"

#include <QString>

namespace mx {

// Writes a load-test report as CSV (one row per phase, the results table's columns plus exact counts)
// or as JSON (the CLI's schema, docs/loadtest-report.md). Pure; false with *error on I/O failure.
class ReportExporter
{
public:
    static QString csv(const LoadTestReport &report);
    static bool writeCsv(const LoadTestReport &report, const QString &file, QString *error = nullptr);
    static bool writeJson(const LoadTestReport &report, const QString &file, QString *error = nullptr);
};

} // namespace mx
