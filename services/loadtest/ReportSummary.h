#pragma once

#include "LoadTestReport.h"

#include <QString>

namespace mx {

// The human summary of a report: one table per run, errors, CPU, the integrity verdict (loud when it
// failed) and the tutorial table when the report has one. Plain text, 110 columns. Pure functions.
class ReportSummary
{
public:
    static QString text(const LoadTestReport &report);
    static QString tutorialTable(const TutorialTable &table);
    static QString phaseLine(const PhaseResult &phase);
    static QString phaseHeader();
    static QString duration(qint64 ns); // "850 µs", "12.3 ms", "1.20 s"
    static QString number(double v, int decimals = 0);
    // "1 gRPC channel (one connection)" or "3 gRPC channels (connections), operations per channel 34/33/33".
    static QString channels(const RunResult &run);
    // "sending thread 40 µs, gRPC threads 190 µs, embedder threads 0 µs, whole process 390 µs" per op.
    static QString cpuPerOperation(const PhaseResult &phase);
};

} // namespace mx
