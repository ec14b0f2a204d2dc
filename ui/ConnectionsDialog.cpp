#include "ConnectionsDialog.h"

#include "MilvusClient.h"
#include "SecretStore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
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

QLineEdit *lineEdit(const QString &objectName, QWidget *parent)
{
    auto *e = new QLineEdit(parent);
    e->setObjectName(objectName);
    return e;
}
} // namespace

ConnectionsDialog::ConnectionsDialog(ConnectionProfiles *profiles, SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("connectionsDialog"));
    setWindowTitle(tr("Connections"));
    resize(820, 520);
    auto *layout = new QVBoxLayout(this);
    auto *splitter = new QSplitter(this);
    layout->addWidget(splitter, 1);

    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_list = new QListWidget(left);
    m_list->setObjectName(QStringLiteral("profileList"));
    leftLayout->addWidget(m_list);
    auto *addButton = new QPushButton(tr("New connection"), left);
    addButton->setObjectName(QStringLiteral("newProfileButton"));
    leftLayout->addWidget(addButton);
    splitter->addWidget(left);

    m_form = new QWidget(splitter);
    auto *form = new QFormLayout(m_form);
    m_name = lineEdit(QStringLiteral("profileName"), m_form);
    m_uri = lineEdit(QStringLiteral("profileUri"), m_form);
    m_uri->setPlaceholderText(QStringLiteral("http://host:19530, https://…zillizcloud.com"));
    m_db = lineEdit(QStringLiteral("profileDb"), m_form);
    m_db->setPlaceholderText(QStringLiteral("default"));
    m_token = lineEdit(QStringLiteral("profileToken"), m_form);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("API key or user:password (kept in the keychain)"));
    m_user = lineEdit(QStringLiteral("profileUser"), m_form);
    m_password = lineEdit(QStringLiteral("profilePassword"), m_form);
    m_password->setEchoMode(QLineEdit::Password);
    m_tls = new QCheckBox(tr("TLS (implied by https://)"), m_form);
    m_tls->setObjectName(QStringLiteral("profileTls"));
    m_caFile = lineEdit(QStringLiteral("profileCaFile"), m_form);
    m_caFile->setPlaceholderText(tr("system roots"));
    m_certFile = lineEdit(QStringLiteral("profileCertFile"), m_form);
    m_keyFile = lineEdit(QStringLiteral("profileKeyFile"), m_form);
    m_serverName = lineEdit(QStringLiteral("profileServerName"), m_form);
    m_timeout = new QSpinBox(m_form);
    m_timeout->setObjectName(QStringLiteral("profileTimeout"));
    m_timeout->setRange(1, 3600);
    m_timeout->setValue(30);
    m_timeout->setSuffix(tr(" s"));
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("URI"), m_uri);
    form->addRow(tr("Database"), m_db);
    form->addRow(tr("Token"), m_token);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password"), m_password);
    form->addRow(QString(), m_tls);
    form->addRow(tr("CA certificate"), withBrowse(m_caFile, m_form, tr("Choose the CA certificate")));
    form->addRow(tr("Client certificate"),
                 withBrowse(m_certFile, m_form, tr("Choose the client certificate")));
    form->addRow(tr("Client key"), withBrowse(m_keyFile, m_form, tr("Choose the client key")));
    form->addRow(tr("Server name override"), m_serverName);
    form->addRow(tr("Call timeout"), m_timeout);
    m_atLaunch = new QCheckBox(tr("Start this local server when Milvus Explorer opens"), m_form);
    m_atLaunch->setObjectName(QStringLiteral("localAtLaunch"));
    form->addRow(QString(), m_atLaunch);
    connect(m_atLaunch, &QCheckBox::toggled, this, [this](bool on) {
        const auto p = m_profiles->find(currentId());
        if (on && p && p->embedded)
            ConnectionProfiles::setLocalServerAtLaunch(p->localKind);
    });
    m_keychainNote = new QLabel(m_form);
    m_keychainNote->setObjectName(QStringLiteral("keychainNote"));
    m_keychainNote->setWordWrap(true);
    m_keychainNote->setStyleSheet(QStringLiteral("color: #8d6e00"));
    form->addRow(m_keychainNote);
    m_status = new QLabel(m_form);
    m_status->setObjectName(QStringLiteral("profileStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_status);
    splitter->addWidget(m_form);
    splitter->setStretchFactor(1, 1);

    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("Save"), QDialogButtonBox::ApplyRole);
    m_save->setObjectName(QStringLiteral("saveProfileButton"));
    m_remove = buttons->addButton(tr("Remove"), QDialogButtonBox::DestructiveRole);
    m_remove->setObjectName(QStringLiteral("removeProfileButton"));
    m_test = buttons->addButton(tr("Test"), QDialogButtonBox::ActionRole);
    m_test->setObjectName(QStringLiteral("testProfileButton"));
    m_connect = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setObjectName(QStringLiteral("connectProfileButton"));
    m_connect->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_save, &QPushButton::clicked, this, &ConnectionsDialog::saveCurrent);
    connect(m_remove, &QPushButton::clicked, this, &ConnectionsDialog::removeCurrent);
    connect(m_test, &QPushButton::clicked, this, &ConnectionsDialog::testCurrent);
    connect(m_connect, &QPushButton::clicked, this, &ConnectionsDialog::connectCurrent);
    connect(addButton, &QPushButton::clicked, this, [this] {
        m_list->setCurrentRow(-1);
        m_list->clearSelection();
        showProfile(QString());
        m_name->setText(tr("New connection"));
        m_uri->setText(QStringLiteral("http://127.0.0.1:19530"));
        m_name->setFocus();
        m_name->selectAll();
    });
    connect(m_list, &QListWidget::currentRowChanged, this, [this] { showProfile(currentId()); });
    connect(m_uri, &QLineEdit::textChanged, this, &ConnectionsDialog::updateForm);
    connect(m_tls, &QCheckBox::toggled, this, &ConnectionsDialog::updateForm);
    connect(m_secrets, &SecretStore::sessionOnlyChanged, this, &ConnectionsDialog::updateForm);

    reloadList(m_profiles->lastUsedId());
}

QString ConnectionsDialog::currentId() const
{
    const auto *item = m_list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

QString ConnectionsDialog::localDescription(LocalServer::Kind kind)
{
    return kind == LocalServer::Kind::Standalone
               ? tr("Starts the real Milvus standalone server (2.3) on this computer: it behaves like the "
                    "servers you deploy. Local only, with a generated root password.")
               : tr("Starts Milvus Lite on this computer: a light Python re-implementation of Milvus that "
                    "serves one request at a time, with newer features (nullable fields, sparse vectors).");
}

void ConnectionsDialog::reloadList(const QString &selectId)
{
    m_list->clear();
    int select = 0;
    for (const auto &p : m_profiles->profiles()) {
        auto *item = new QListWidgetItem(p.name, m_list);
        item->setData(Qt::UserRole, p.id);
        item->setToolTip(p.embedded ? localDescription(p.localKind) : p.config.uri);
        if (p.id == selectId)
            select = m_list->count() - 1;
    }
    m_list->setCurrentRow(select);
}

void ConnectionsDialog::selectProfile(const QString &id)
{
    reloadList(id);
}

void ConnectionsDialog::showProfile(const QString &id)
{
    const auto profile = id.isEmpty() ? std::optional<ConnectionProfile>{} : m_profiles->find(id);
    const ConnectionProfile p = profile.value_or(ConnectionProfile{});
    m_name->setText(p.name);
    m_uri->setText(p.config.uri);
    m_db->setText(p.config.dbName);
    m_token->clear();
    m_password->clear();
    m_token->setPlaceholderText(p.hasToken ? tr("(stored in the keychain)") : tr("API key or user:password"));
    m_password->setPlaceholderText(p.hasPassword ? tr("(stored in the keychain)") : QString());
    m_user->setText(p.config.user);
    m_tls->setChecked(p.config.tls.enabled);
    m_caFile->setText(p.config.tls.caFile);
    m_certFile->setText(p.config.tls.clientCertFile);
    m_keyFile->setText(p.config.tls.clientKeyFile);
    m_serverName->setText(p.config.tls.serverNameOverride);
    m_timeout->setValue(
        int(std::chrono::duration_cast<std::chrono::seconds>(p.config.defaultTimeout).count()));
    m_status->clear();
    m_form->setProperty("embedded", p.embedded);
    {
        const QSignalBlocker block(m_atLaunch);
        m_atLaunch->setChecked(p.embedded && ConnectionProfiles::localServerAtLaunch() == p.localKind);
    }
    m_atLaunch->setVisible(p.embedded);
    if (p.embedded)
        m_status->setText(localDescription(p.localKind));
    updateForm();
}

void ConnectionsDialog::updateForm()
{
    const bool embedded = m_form->property("embedded").toBool();
    for (QWidget *w : m_form->findChildren<QWidget *>())
        if (w != m_status && w != m_keychainNote && w != m_name && w != m_atLaunch)
            w->setEnabled(!embedded);
    m_name->setEnabled(!embedded);
    const bool tls = m_tls->isChecked() || m_uri->text().trimmed().startsWith(QLatin1String("https"));
    if (!embedded) {
        for (QLineEdit *e : {m_caFile, m_certFile, m_keyFile, m_serverName})
            e->setEnabled(tls);
    }
    m_remove->setEnabled(!embedded && !currentId().isEmpty());
    m_save->setEnabled(!embedded);
    m_test->setEnabled(true);
    QString uriError;
    const bool uriOk = embedded || parseMilvusUri(m_uri->text(), &uriError).has_value();
    m_connect->setEnabled(uriOk);
    if (!uriOk)
        m_status->setText(
            QStringLiteral("<span style='color:#c62828'>%1</span>").arg(uriError.toHtmlEscaped()));
    m_keychainNote->setText(
        m_secrets->sessionOnly()
            ? tr("No keychain service is available (%1): tokens and passwords are kept for "
                 "this session only and never written to disk.")
                  .arg(m_secrets->keychainProblem())
            : QString());
    m_keychainNote->setVisible(m_secrets->sessionOnly());
}

ConnectionProfile ConnectionsDialog::formProfile() const
{
    ConnectionProfile p = m_profiles->find(currentId()).value_or(ConnectionProfile{});
    p.name = m_name->text().trimmed();
    if (p.embedded)
        return p;
    p.config.uri = m_uri->text().trimmed();
    p.config.dbName = m_db->text().trimmed();
    p.config.token = m_token->text();
    p.config.user = m_user->text().trimmed();
    p.config.password = m_password->text();
    p.config.tls.enabled = m_tls->isChecked();
    p.config.tls.caFile = m_caFile->text().trimmed();
    p.config.tls.clientCertFile = m_certFile->text().trimmed();
    p.config.tls.clientKeyFile = m_keyFile->text().trimmed();
    p.config.tls.serverNameOverride = m_serverName->text().trimmed();
    p.config.defaultTimeout = std::chrono::seconds(m_timeout->value());
    return p;
}

void ConnectionsDialog::saveCurrent()
{
    ConnectionProfile p = formProfile();
    if (p.embedded)
        return;
    if (p.name.isEmpty())
        p.name = p.config.uri;
    const ConnectionProfile saved = m_profiles->save(p, m_secrets);
    reloadList(saved.id);
    m_status->setText(tr("Saved."));
}

void ConnectionsDialog::removeCurrent()
{
    const QString id = currentId();
    if (m_profiles->remove(id, m_secrets))
        reloadList(QLatin1String(ConnectionProfiles::kLocalId));
}

void ConnectionsDialog::testCurrent()
{
    ConnectionProfile p = formProfile();
    if (p.embedded) {
        m_status->setText(
            tr("%1 is started on this computer when you connect.").arg(LocalServer::kindName(p.localKind)));
        return;
    }
    const quint64 gen = ++m_testGeneration;
    const auto run = [this, gen](ConnectionConfig cfg) {
        try {
            m_testClient = std::make_shared<MilvusClient>(cfg);
        } catch (const MilvusException &e) {
            m_status->setText(QStringLiteral("<span style='color:#c62828'>%1</span>")
                                  .arg(e.error().message().toHtmlEscaped()));
            return;
        }
        m_status->setText(tr("Testing…"));
        ServerRequest req;
        req.options.timeout = std::chrono::milliseconds(10000);
        m_testClient->getVersionAsync(req)
            .then(this,
                  [this, gen](const QString &version) {
                      if (gen == m_testGeneration)
                          m_status->setText(
                              QStringLiteral("<span style='color:#2e7d32'>%1</span>")
                                  .arg(tr("Connected: server %1").arg(version).toHtmlEscaped()));
                  })
            .onFailed(this, [this, gen](const MilvusException &e) {
                if (gen == m_testGeneration)
                    m_status->setText(QStringLiteral("<span style='color:#c62828'>%1</span>")
                                          .arg(e.error().message().toHtmlEscaped()));
            });
    };
    ConnectionProfiles::withSecrets(p, m_secrets).then(this, run);
}

void ConnectionsDialog::connectCurrent()
{
    const ConnectionProfile p = formProfile();
    m_profiles->setLastUsedId(p.id);
    ConnectionProfiles::withSecrets(p, m_secrets).then(this, [this, p](const ConnectionConfig &full) {
        m_chosen = p;
        m_chosen.config = full;
        accept();
    });
}

} // namespace mx
