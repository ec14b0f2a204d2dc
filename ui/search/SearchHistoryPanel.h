#pragma once

#include "SearchSpec.h"

#include <QWidget>

class QListWidget;
class QTabWidget;
class QToolButton;

namespace mx {

class SearchHistoryStore;

// Recent searches of the current collection and the saved searches of every collection. A click on an
// entry emits specActivated so the workbench restores its inputs.
class SearchHistoryPanel : public QWidget
{
    Q_OBJECT
public:
    SearchHistoryPanel(SearchHistoryStore *store, QWidget *parent = nullptr);

    void setCollection(const QString &database, const QString &collection);

signals:
    void specActivated(const mx::SearchSpec &spec);
    void saveRequested();

private:
    void refreshHistory();
    void refreshSaved();
    void removeSelectedSaved();

    SearchHistoryStore *m_store;
    QString m_database;
    QString m_collection;
    QList<SearchSpec> m_history;
    QList<SearchSpec> m_saved;
    QTabWidget *m_tabs;
    QListWidget *m_historyList;
    QListWidget *m_savedList;
    QToolButton *m_clearHistory;
    QToolButton *m_remove;
};

} // namespace mx
