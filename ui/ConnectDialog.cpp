#include "ConnectDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace mx {

namespace {
QWidget *withBrowse(QLineEdit *edit, QWidget *parent, const QString &title)
{
    auto *row = new QWidget(parent);
    auto *h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->addWidget(edit);
    auto *browse = new QToolButton(row);
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(title);
    QObject::connect(browse, &QToolButton::clicked, row, [edit, row, title] {
        const QString f = QFileDialog::getOpenFileName(
            row, title, edit->text(), QObject::tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (!f.isEmpty())
            edit->setText(f);
    });
    h->addWidget(browse);
    return row;
}
} // namespace

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to Milvus"));
    setObjectName(QStringLiteral("connectDialog"));
    auto *layout = new QVBoxLayout(this);

    m_embedded = new QRadioButton(tr("Local (Milvus Lite, embedded)"), this);
    m_embedded->setObjectName(QStringLiteral("embeddedRadio"));
    m_remote = new QRadioButton(tr("Milvus server or Zilliz Cloud"), this);
    m_remote->setObjectName(QStringLiteral("remoteRadio"));
    layout->addWidget(m_embedded);
    layout->addWidget(m_remote);

    m_remoteBox = new QGroupBox(tr("Server"), this);
    auto *form = new QFormLayout(m_remoteBox);
    m_uri = new QLineEdit(QStringLiteral("http://127.0.0.1:19530"), m_remoteBox);
    m_uri->setObjectName(QStringLiteral("uriEdit"));
    m_uri->setPlaceholderText(QStringLiteral("http://host:19530 or https://…"));
    m_db = new QLineEdit(m_remoteBox);
    m_db->setPlaceholderText(QStringLiteral("default"));
    m_token = new QLineEdit(m_remoteBox);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("API key or user:password"));
    m_user = new QLineEdit(m_remoteBox);
    m_password = new QLineEdit(m_remoteBox);
    m_password->setEchoMode(QLineEdit::Password);
    m_tls = new QCheckBox(tr("Use TLS (implied by https://)"), m_remoteBox);
    m_caFile = new QLineEdit(m_remoteBox);
    m_caFile->setPlaceholderText(tr("system roots"));
    m_certFile = new QLineEdit(m_remoteBox);
    m_keyFile = new QLineEdit(m_remoteBox);
    m_serverName = new QLineEdit(m_remoteBox);
    m_timeout = new QSpinBox(m_remoteBox);
    m_timeout->setRange(1, 3600);
    m_timeout->setValue(30);
    m_timeout->setSuffix(tr(" s"));
    form->addRow(tr("URI"), m_uri);
    form->addRow(tr("Database"), m_db);
    form->addRow(tr("Token"), m_token);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password"), m_password);
    form->addRow(QString(), m_tls);
    form->addRow(tr("CA certificate"), withBrowse(m_caFile, m_remoteBox, tr("Choose the CA certificate")));
    form->addRow(tr("Client certificate"),
                 withBrowse(m_certFile, m_remoteBox, tr("Choose the client certificate")));
    form->addRow(tr("Client key"), withBrowse(m_keyFile, m_remoteBox, tr("Choose the client key")));
    form->addRow(tr("Server name override"), m_serverName);
    form->addRow(tr("Call timeout"), m_timeout);
    layout->addWidget(m_remoteBox);

    auto *error = new QLabel(this);
    error->setObjectName(QStringLiteral("uriError"));
    error->setStyleSheet(QStringLiteral("color: #c62828"));
    error->setWordWrap(true);
    layout->addWidget(error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    const auto revalidate = [this, error, buttons] {
        updateEnabled();
        QString why;
        const bool ok = useEmbedded() || parseMilvusUri(m_uri->text(), &why).has_value();
        error->setText(ok ? QString() : why);
        buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    };
    connect(m_embedded, &QRadioButton::toggled, this, revalidate);
    connect(m_uri, &QLineEdit::textChanged, this, revalidate);
    connect(m_tls, &QCheckBox::toggled, this, revalidate);
    m_embedded->setChecked(true);
    revalidate();
}

void ConnectDialog::updateEnabled()
{
    m_remoteBox->setEnabled(!useEmbedded());
    const bool tls = m_tls->isChecked() || m_uri->text().trimmed().startsWith(QLatin1String("https"));
    for (QWidget *w : {static_cast<QWidget *>(m_caFile), static_cast<QWidget *>(m_certFile),
                       static_cast<QWidget *>(m_keyFile), static_cast<QWidget *>(m_serverName)})
        w->setEnabled(tls);
}

bool ConnectDialog::useEmbedded() const
{
    return m_embedded->isChecked();
}

ConnectionConfig ConnectDialog::config() const
{
    ConnectionConfig c;
    c.uri = m_uri->text().trimmed();
    c.dbName = m_db->text().trimmed();
    c.token = m_token->text();
    c.user = m_user->text().trimmed();
    c.password = m_password->text();
    c.tls.enabled = m_tls->isChecked();
    c.tls.caFile = m_caFile->text().trimmed();
    c.tls.clientCertFile = m_certFile->text().trimmed();
    c.tls.clientKeyFile = m_keyFile->text().trimmed();
    c.tls.serverNameOverride = m_serverName->text().trimmed();
    c.defaultTimeout = std::chrono::seconds(m_timeout->value());
    return c;
}

void ConnectDialog::setConfig(const ConnectionConfig &c, bool embedded)
{
    (embedded ? m_embedded : m_remote)->setChecked(true);
    m_uri->setText(c.uri);
    m_db->setText(c.dbName);
    m_token->setText(c.token);
    m_user->setText(c.user);
    m_password->setText(c.password);
    m_tls->setChecked(c.tls.enabled);
    m_caFile->setText(c.tls.caFile);
    m_certFile->setText(c.tls.clientCertFile);
    m_keyFile->setText(c.tls.clientKeyFile);
    m_serverName->setText(c.tls.serverNameOverride);
    m_timeout->setValue(int(std::chrono::duration_cast<std::chrono::seconds>(c.defaultTimeout).count()));
    updateEnabled();
}

} // namespace mx
