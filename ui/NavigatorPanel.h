#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace mx {

class NavigatorModel;

// The left-hand tree: a filter box over connection → databases → collections. Emits what the user
// picked; the window decides what to do with it.
class NavigatorPanel : public QWidget
{
    Q_OBJECT
public:
    explicit NavigatorPanel(NavigatorModel *model, QWidget *parent = nullptr);

    QTreeView *view() const { return m_view; }
    QString currentDatabase() const;
    QString currentCollection() const;
    void focusFilter();

signals:
    void databaseSelected(const QString &database);
    void collectionActivated(const QString &database, const QString &collection);
    void contextMenuRequested(const QString &database, const QString &collection, const QPoint &globalPos);

private:
    NavigatorModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTreeView *m_view;
};

} // namespace mx
