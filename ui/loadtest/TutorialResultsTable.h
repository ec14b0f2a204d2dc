#pragma once

#include "TutorialTable.h"

#include <QTableWidget>

namespace mx {

// The tutorial's table: op, count, async and sync seconds per run (mean with 95% CI) and the sync/async
// speedup with its 95% CI. GUI thread only.
class TutorialResultsTable : public QTableWidget
{
    Q_OBJECT
public:
    explicit TutorialResultsTable(QWidget *parent = nullptr);
    void setTable(const TutorialTable &table);
};

} // namespace mx
