#include "PasswordDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mx {

namespace {
QLineEdit *secretEdit(const char *name, QWidget *parent)
{
    auto *e = new QLineEdit(parent);
    e->setObjectName(QString::fromLatin1(name));
    e->setEchoMode(QLineEdit::Password);
    e->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    return e;
}
} // namespace

PasswordDialog::PasswordDialog(Mode mode, const QString &user, const QString &note, QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
{
    setWindowTitle(mode == Mode::NewUser ? tr("Create user") : tr("Change password of '%1'").arg(user));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_user = new QLineEdit(user, this);
    m_user->setObjectName(QStringLiteral("userEdit"));
    m_user->setReadOnly(mode == Mode::ChangePassword);
    form->addRow(tr("User:"), m_user);
    if (mode == Mode::ChangePassword) {
        m_old = secretEdit("oldPasswordEdit", this);
        form->addRow(tr("Current password:"), m_old);
    }
    m_password = secretEdit("passwordEdit", this);
    m_confirm = secretEdit("confirmEdit", this);
    form->addRow(mode == Mode::NewUser ? tr("Password:") : tr("New password:"), m_password);
    form->addRow(tr("Type it again:"), m_confirm);
    layout->addLayout(form);
    if (!note.isEmpty()) {
        auto *n = new QLabel(note, this);
        n->setWordWrap(true);
        layout->addWidget(n);
    }
    m_mismatch = new QLabel(this);
    m_mismatch->setObjectName(QStringLiteral("mismatchLabel"));
    m_mismatch->setStyleSheet(QStringLiteral("color: #b00020"));
    layout->addWidget(m_mismatch);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setObjectName(QStringLiteral("okButton"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *e : {m_user, m_old, m_password, m_confirm})
        if (e)
            connect(e, &QLineEdit::textChanged, this, &PasswordDialog::revalidate);
    revalidate();
}

PasswordDialog::~PasswordDialog()
{
    for (QLineEdit *e : {m_old, m_password, m_confirm})
        if (e)
            e->clear();
}

QString PasswordDialog::user() const
{
    return m_user->text().trimmed();
}

QString PasswordDialog::oldPassword() const
{
    return m_old ? m_old->text() : QString();
}

QString PasswordDialog::password() const
{
    return m_password->text();
}

void PasswordDialog::revalidate()
{
    QString problem;
    if (user().isEmpty())
        problem = tr("Enter a user name.");
    else if (m_old && m_old->text().isEmpty())
        problem = tr("Enter the current password.");
    else if (m_password->text().size() < 6)
        problem = tr("The password needs at least 6 characters (the server's minimum).");
    else if (m_password->text() != m_confirm->text())
        problem = tr("The two passwords differ.");
    m_mismatch->setText(problem);
    m_ok->setEnabled(problem.isEmpty());
}

} // namespace mx
