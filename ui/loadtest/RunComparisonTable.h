#pragma once

#include "LoadTestReport.h"

#include <QTableWidget>

namespace mx {

// Two runs side by side: for each phase (matched by position), seconds, ops/s, p50, p99 and errors of
// run A and run B and the ratio B/A. GUI thread only.
class RunComparisonTable : public QTableWidget
{
    Q_OBJECT
public:
    explicit RunComparisonTable(QWidget *parent = nullptr);
    void compare(const LoadTestReport &a, const LoadTestReport &b);
};

} // namespace mx
