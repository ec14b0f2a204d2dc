#pragma once

#include "Session.h"

#include <QMainWindow>

class QLabel;
class QTableView;
class QSortFilterProxyModel;
class QLineEdit;

namespace mx {

class CollectionListModel;

// The first window: connection state, server version, and the collections of the current database with
// row count and load state. Never waits on the network: everything arrives through the session and
// the model's signals.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Session *session, QWidget *parent = nullptr);

    CollectionListModel *collectionModel() const { return m_model; }

signals:
    // Emitted after each completed refresh of the collection list (or its failure).
    void collectionsShown();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void showConnectDialog();
    void onSessionStateChanged();
    void showError(const QString &message);

    Session *m_session;
    CollectionListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter;
    QLabel *m_stateLabel;
    QLabel *m_versionLabel;
    QLabel *m_countLabel;
    QLabel *m_banner;
};

} // namespace mx
