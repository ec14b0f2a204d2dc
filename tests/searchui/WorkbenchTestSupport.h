#pragma once

// Helpers for the workbench's widget tests and screenshots: the search service's test collections
// (SearchTestData.h), and driving a SearchWorkbench through its widgets (by objectName) until a run ends.

#include "MilvusClient.h"
#include "SearchTestData.h"
#include "SearchWorkbench.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QString>

namespace mx::test {

// Waits until the workbench shows `collection` with its schema and index metric loaded.
bool waitUntilReady(SearchWorkbench *workbench, const QString &collection, int timeoutMs = 30000);

// Presses Ctrl+Enter in the focused query editor (or clicks Run) and waits for the run to end. Returns true
// when it finished with results; *error gets the inline error otherwise.
bool runSearch(SearchWorkbench *workbench, QString *error = nullptr, int timeoutMs = 60000);

// Widget access by objectName; QFAIL-style nullptr checks are the caller's.
template<typename T>
T *child(QWidget *parent, const char *name)
{
    return parent->findChild<T *>(QLatin1String(name));
}

void setMode(SearchWorkbench *workbench, ResultMode mode);
void setInput(SearchWorkbench *workbench, QueryInputMode mode, const QString &value);
void setText(QLineEdit *edit, const QString &text);
void setSpin(QWidget *workbench, const char *name, double value);
// Picks the combo entry whose data (or else text) equals `value`.
bool pick(QComboBox *combo, const QVariant &value);

QString vectorJson(const QList<float> &v);
// Ids of the rows of one query (0-based), in rank order.
QVariantList resultIds(SearchWorkbench *workbench, int query = 0);

} // namespace mx::test
