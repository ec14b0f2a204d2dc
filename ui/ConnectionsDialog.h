#pragma once

#include "ConnectionProfiles.h"

#include <QDialog>

#include <functional>
#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace mx {

class MilvusClient;
class SecretStore;

// Add, edit, test, remove and pick named connections. Secrets are read from and written to the
// SecretStore (OS keychain); the dialog says when they can only be kept for this session.
class ConnectionsDialog : public QDialog
{
    Q_OBJECT
public:
    ConnectionsDialog(ConnectionProfiles *profiles, SecretStore *secrets, QWidget *parent = nullptr);

    void selectProfile(const QString &id);
    // The profile to connect to, with its secrets filled in (valid after accept()).
    ConnectionProfile chosenProfile() const { return m_chosen; }

private:
    static QString localDescription(LocalServer::Kind kind);
    void reloadList(const QString &selectId);
    void showProfile(const QString &id);
    ConnectionProfile formProfile() const;
    void saveCurrent();
    void removeCurrent();
    void testCurrent();
    void connectCurrent();
    void updateForm();
    QString currentId() const;

    ConnectionProfiles *m_profiles;
    SecretStore *m_secrets;
    ConnectionProfile m_chosen;
    std::shared_ptr<MilvusClient> m_testClient;
    quint64 m_testGeneration = 0;

    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_uri;
    QLineEdit *m_db;
    QLineEdit *m_token;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_tls;
    QLineEdit *m_caFile;
    QLineEdit *m_certFile;
    QLineEdit *m_keyFile;
    QLineEdit *m_serverName;
    QSpinBox *m_timeout;
    QWidget *m_form;
    QLabel *m_status;
    QLabel *m_keychainNote;
    QCheckBox *m_atLaunch;
    QPushButton *m_save;
    QPushButton *m_remove;
    QPushButton *m_test;
    QPushButton *m_connect;
};

} // namespace mx
