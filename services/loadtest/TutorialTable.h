#pragma once

#include "LatencySummary.h"
#include "SpeedupStatistics.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace mx {

// One row of the tutorial's table: an operation at a count, seconds per run for the async (gather) and
// sync (loop) runs over all repeats, and the speedup sync/async with its 95% confidence interval.
struct TutorialRow
{
    QString op;
    qint64 count = 0;
    QList<double> asyncSeconds;
    QList<double> syncSeconds;
    MeanEstimate async;
    MeanEstimate sync;
    SpeedupEstimate speedup;
    // Service time (send to answer) of every operation of the row's runs (merged histograms): the one
    // per-operation figure comparable between the two modes.
    LatencySummary asyncLatency;
    LatencySummary syncLatency;
    LatencySummary asyncTimeToComplete; // async: time from the gather's start to each answer
    double asyncEmbeddingShare = 0;     // embedding time / (embedding + Milvus time)
    double syncEmbeddingShare = 0;
    qint64 errors = 0; // failed operations in the row's runs: a row with errors is suspect
    qint64 integrityDifferences = 0;
    qint64 firstOpStalls = 0; // phases whose first operation stalled: the row's figures are suspect
    qint64 unbalanced = 0;    // phases whose accounting does not add up
};

struct TutorialTable
{
    QList<TutorialRow> rows;
    QString method; // how the interval was computed, for the report's reader
    QJsonObject toJson() const;
};

} // namespace mx
