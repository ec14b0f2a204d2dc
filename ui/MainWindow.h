#pragma once

#include "Session.h"

#include <QMainWindow>

class QLabel;
class QTableView;
class QSortFilterProxyModel;
class QLineEdit;
class QTabWidget;
class QMenu;
class QVBoxLayout;

namespace mx {

class CollectionActions;
class CollectionListModel;
class CollectionPage;
class ConnectionProfiles;
class NavigatorModel;
class NavigatorPanel;
class LoadTestPanel;
class SearchWorkbench;
class SecretStore;
class WelcomePanel;

// The main window: the navigator on the left, tabs on the right (the current database's collections,
// then one tab per opened collection), connection state and server version in the status bar. Never
// waits on the network: everything arrives through the session and the models' signals.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Session *session, ConnectionProfiles *profiles, SecretStore *secrets,
               QWidget *parent = nullptr);

    CollectionListModel *collectionModel() const { return m_model; }
    NavigatorModel *navigatorModel() const { return m_navigator; }
    QTabWidget *tabs() const { return m_tabs; }
    CollectionPage *openCollection(const QString &database, const QString &collection);
    // Opens (or shows) the search workbench, on the given collection when one is named.
    SearchWorkbench *openSearch(const QString &database = {}, const QString &collection = {});
    LoadTestPanel *openLoadTest();
    CollectionActions *actions() const { return m_actions; }
    WelcomePanel *welcomePanel() const { return m_welcome; }
    // Starts a local server; when its packages are missing, first offers to install them
    // (LocalServerSetupDialog, not blocking) and starts it once they are there.
    void startLocalServer(const LocalServer::Options &options);

public slots:
    void showConnections();
    void refreshAll();

signals:
    // Emitted after each completed refresh of the collection list (or its failure).
    void collectionsShown();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onSessionStateChanged();
    void showError(const QString &message);
    void showDatabase(const QString &database);
    void closeTab(int index);
    void closeCollectionTab(const QString &database, const QString &collection);
    void refreshCollection(const QString &database, const QString &collection);
    void setUpWelcome(QVBoxLayout *collectionsLayout, QMenu *helpMenu);
    void updateWelcome();

    Session *m_session;
    CollectionActions *m_actions;
    ConnectionProfiles *m_profiles;
    SecretStore *m_secrets;
    NavigatorModel *m_navigator;
    NavigatorPanel *m_navigatorPanel;
    CollectionListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTabWidget *m_tabs;
    QWidget *m_collectionsTab;
    QTableView *m_table;
    QLineEdit *m_filter;
    QLabel *m_stateLabel;
    QLabel *m_versionLabel;
    QLabel *m_countLabel;
    QLabel *m_banner;
    SearchWorkbench *m_search = nullptr;
    LoadTestPanel *m_loadTest = nullptr;
    WelcomePanel *m_welcome = nullptr;
    QString m_database = QStringLiteral("default");
};

} // namespace mx
