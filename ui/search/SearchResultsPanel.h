#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace mx {

class SearchResultModel;
struct SearchOutcome;

// The results of a run: the hits table (sortable), the selected hit as pretty JSON, and a status line with
// the hit count and where the time went (embedding vs Milvus vs MMR re-ranking).
class SearchResultsPanel : public QWidget
{
    Q_OBJECT
public:
    SearchResultsPanel(SearchResultModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    void showOutcome(const SearchOutcome &outcome);
    void setStatus(const QString &text);
    QString statusText() const;

signals:
    void exportRequested();

private:
    void showSelectedHit();
    void fitColumns();

    SearchResultModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QLabel *m_status;
    QToolButton *m_export;
};

} // namespace mx
