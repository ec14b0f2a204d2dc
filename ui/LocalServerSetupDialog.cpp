#include "LocalServerSetupDialog.h"

#include "LocalServer.h"
#include "MilvusError.h"
#include "VenvBootstrap.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace mx {

LocalServerSetupDialog::LocalServerSetupDialog(QWidget *parent)
    : QDialog(parent)
    , m_boot(new VenvBootstrap(this))
{
    setObjectName(QStringLiteral("localServerSetupDialog"));
    setWindowTitle(tr("Install the local servers"));
    auto *layout = new QVBoxLayout(this);
    m_intro = new QLabel(
        tr("<p>Milvus Explorer starts a Milvus server on this computer for you, but the local servers are "
           "not installed yet.</p>"
           "<p><b>Install</b> creates a Python environment in <tt>%1</tt> and downloads the pinned "
           "packages of Milvus Lite and the Milvus standalone (about 120 MB) from the Python package "
           "index with pip. Nothing is installed system-wide and no administrator password is needed.</p>"
           "<p>Or close this and connect to a Milvus server you already have (File → Connect…).</p>")
            .arg(LocalServer::userVenvDir().toHtmlEscaped()),
        this);
    m_intro->setWordWrap(true);
    m_intro->setTextFormat(Qt::RichText);
    layout->addWidget(m_intro);
    m_step = new QLabel(this);
    m_step->setObjectName(QStringLiteral("setupStep"));
    m_step->setWordWrap(true);
    m_step->hide();
    layout->addWidget(m_step);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("setupProgress"));
    m_bar->setRange(0, 100);
    m_bar->hide();
    layout->addWidget(m_bar);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("setupError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #b3261e; }"));
    m_error->hide();
    layout->addWidget(m_error);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("setupLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setMinimumHeight(160);
    m_log->hide();
    layout->addWidget(m_log, 1);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_install = m_buttons->addButton(tr("Install"), QDialogButtonBox::AcceptRole);
    m_install->setObjectName(QStringLiteral("installButton"));
    m_install->setDefault(true);
    layout->addWidget(m_buttons);
    connect(m_install, &QPushButton::clicked, this, &LocalServerSetupDialog::install);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &LocalServerSetupDialog::reject);
    connect(m_boot, &VenvBootstrap::progress, this, [this](const QString &step, int pct) {
        m_step->setText(step);
        m_bar->setValue(pct);
    });
    connect(m_boot, &VenvBootstrap::output, m_log, &QPlainTextEdit::appendPlainText);
    resize(560, 300);
}

LocalServerSetupDialog::~LocalServerSetupDialog() = default;

void LocalServerSetupDialog::install()
{
    m_install->setEnabled(false);
    m_error->hide();
    m_log->clear();
    m_step->setText(tr("Starting…"));
    m_step->show();
    m_bar->setValue(0);
    m_bar->show();
    m_boot->start({})
        .then(this,
              [this](const QString &venv) {
                  m_done = true;
                  emit installed(venv);
                  accept();
              })
        .onFailed(this, [this](const MilvusException &e) {
            if (e.error().kind == ErrorKind::Cancelled)
                return; // reject() already closed the dialog
            showFailure(e.error().message(), e.error().detail);
        });
}

void LocalServerSetupDialog::showFailure(const QString &message, const QString &log)
{
    m_bar->hide();
    m_step->hide();
    m_error->setText(message);
    m_error->show();
    m_log->setPlainText(log);
    m_log->show();
    m_install->setText(tr("Try again"));
    m_install->setEnabled(true);
}

void LocalServerSetupDialog::reject()
{
    if (m_boot->isRunning())
        m_boot->cancel(); // kills pip; the half-made venv is removed in the background
    if (!m_done) {
        m_done = true;
        emit declined();
    }
    QDialog::reject();
}

} // namespace mx
