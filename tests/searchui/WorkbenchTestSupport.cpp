#include "WorkbenchTestSupport.h"

#include "QueryInputPanel.h"
#include "SearchOptionsPanel.h"
#include "SearchResultModel.h"
#include "SearchTargetPanel.h"
#include "TestSupport.h"

#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>

namespace mx::test {

bool waitUntilReady(SearchWorkbench *workbench, const QString &collection, int timeoutMs)
{
    auto *target = workbench->findChild<SearchTargetPanel *>();
    return QTest::qWaitFor(
        [&] {
            return target->collection() == collection && target->hasSchema() && !target->isLoading() &&
                   !target->indexMetric().isEmpty();
        },
        timeoutMs);
}

bool runSearch(SearchWorkbench *workbench, QString *error, int timeoutMs)
{
    QSignalSpy finished(workbench, &SearchWorkbench::searchFinished);
    QSignalSpy failed(workbench, &SearchWorkbench::searchFailed);
    // Ctrl+Enter where the user types: the current query editor when it is enabled, else the filter.
    static const char *const editors[] = {"queryTextEdit", "vectorEdit", "entityIdEdit", "queryFileEdit"};
    auto *tabs = child<QTabWidget>(workbench, "queryTabs");
    QWidget *target =
        child<QWidget>(workbench, tabs->isEnabled() ? editors[tabs->currentIndex()] : "filterEdit");
    if (target && target->isVisible()) {
        target->setFocus();
        QTest::keyClick(target, Qt::Key_Return, Qt::ControlModifier);
    } else {
        workbench->run();
    }
    const bool ended = QTest::qWaitFor([&] { return finished.size() + failed.size() > 0; }, timeoutMs);
    if (error)
        *error = ended ? workbench->errorText() : QStringLiteral("the search did not end in time");
    return ended && finished.size() == 1 && failed.isEmpty();
}

void setMode(SearchWorkbench *workbench, ResultMode mode)
{
    workbench->findChild<SearchOptionsPanel *>()->setResultMode(mode);
}

void setInput(SearchWorkbench *workbench, QueryInputMode mode, const QString &value)
{
    auto *tabs = child<QTabWidget>(workbench, "queryTabs");
    tabs->setCurrentIndex(int(mode));
    switch (mode) {
    case QueryInputMode::Text:
    case QueryInputMode::Vector: {
        auto *edit =
            child<QPlainTextEdit>(workbench, mode == QueryInputMode::Text ? "queryTextEdit" : "vectorEdit");
        edit->clear();
        edit->setFocus();
        QTest::keyClicks(edit, value);
        return;
    }
    case QueryInputMode::EntityId:
        setText(child<QLineEdit>(workbench, "entityIdEdit"), value);
        return;
    case QueryInputMode::File:
        setText(child<QLineEdit>(workbench, "queryFileEdit"), value);
        return;
    }
}

void setText(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    edit->del();
    QTest::keyClicks(edit, text);
}

void setSpin(QWidget *workbench, const char *name, double value)
{
    if (auto *spin = child<QSpinBox>(workbench, name))
        spin->setValue(int(value));
    else if (auto *dspin = child<QDoubleSpinBox>(workbench, name))
        dspin->setValue(value);
}

bool pick(QComboBox *combo, const QVariant &value)
{
    int i = combo->findData(value);
    if (i < 0)
        i = combo->findText(value.toString());
    if (i < 0)
        return false;
    combo->setCurrentIndex(i);
    return true;
}

QString vectorJson(const QList<float> &v)
{
    QStringList parts;
    for (float x : v)
        parts << QString::number(double(x), 'g', 9);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QVariantList resultIds(SearchWorkbench *workbench, int query)
{
    QVariantList ids;
    for (const auto &row : workbench->resultModel()->outcome().rows) {
        if (row.query == query)
            ids << row.id;
    }
    return ids;
}

} // namespace mx::test
