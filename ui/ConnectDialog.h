#pragma once

#include "ConnectionConfig.h"

#include <QDialog>

class QLineEdit;
class QCheckBox;
class QSpinBox;
class QRadioButton;

namespace mx {

// Asks where to connect: the embedded Milvus Lite, or a server URI with database, credentials and TLS.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(QWidget *parent = nullptr);

    bool useEmbedded() const;
    ConnectionConfig config() const;
    void setConfig(const ConnectionConfig &config, bool embedded);

private:
    void updateEnabled();

    QRadioButton *m_embedded = nullptr;
    QRadioButton *m_remote = nullptr;
    QLineEdit *m_uri = nullptr;
    QLineEdit *m_db = nullptr;
    QLineEdit *m_token = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QCheckBox *m_tls = nullptr;
    QLineEdit *m_caFile = nullptr;
    QLineEdit *m_certFile = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLineEdit *m_serverName = nullptr;
    QSpinBox *m_timeout = nullptr;
    QWidget *m_remoteBox = nullptr;
};

} // namespace mx
