#include "ConfirmDestructiveDialog.h"

#include "ValidationLabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStyle>

namespace mx {

ConfirmDestructiveDialog::ConfirmDestructiveDialog(const QString &title, const QString &what,
                                                   const QString &nameToType, QWidget *parent)
    : ActionDialog(Style::Destructive, parent)
    , m_nameToType(nameToType)
{
    setObjectName(QStringLiteral("confirmDestructiveDialog"));
    setWindowTitle(title);
    setOkText(title);
    setBusyText(tr("Waiting for the server…"));

    auto *top = new QHBoxLayout;
    auto *icon = new QLabel(content());
    const int size = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(size, size));
    icon->setAlignment(Qt::AlignTop);
    top->addWidget(icon, 0, Qt::AlignTop);
    m_what = new QLabel(what, content());
    m_what->setObjectName(QStringLiteral("whatLabel"));
    m_what->setTextFormat(Qt::PlainText);
    m_what->setWordWrap(true);
    m_what->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_what->font();
    bold.setBold(true);
    m_what->setFont(bold);
    top->addWidget(m_what, 1);
    contentLayout()->addLayout(top);

    auto *prompt = new QLabel(content());
    prompt->setObjectName(QStringLiteral("promptLabel"));
    prompt->setTextFormat(Qt::RichText);
    prompt->setText(tr("Type <b>%1</b> to confirm:").arg(nameToType.toHtmlEscaped()));
    contentLayout()->addWidget(prompt);
    m_edit = new QLineEdit(content());
    m_edit->setObjectName(QStringLiteral("confirmNameEdit"));
    m_edit->setPlaceholderText(nameToType);
    m_edit->setAccessibleName(tr("Type %1 to confirm").arg(nameToType));
    prompt->setBuddy(m_edit);
    contentLayout()->addWidget(m_edit);
    m_mismatch = new ValidationLabel(QStringLiteral("mismatchLabel"), content());
    contentLayout()->addWidget(m_mismatch);
    contentLayout()->addStretch(1);

    connect(m_edit, &QLineEdit::textChanged, this, &ConfirmDestructiveDialog::revalidate);
    setTabOrder(m_edit, cancelButton());
    setTabOrder(cancelButton(), okButton());
    revalidate();
    m_edit->setFocus();
    fitToContents(qMax(480, sizeHint().width()));
}

void ConfirmDestructiveDialog::setActionText(const QString &text)
{
    setOkText(text);
}

bool ConfirmDestructiveDialog::nameMatches() const
{
    return !m_nameToType.isEmpty() && m_edit->text() == m_nameToType;
}

void ConfirmDestructiveDialog::revalidate()
{
    const QString typed = m_edit->text();
    // Nothing to say while the user is still typing the right thing.
    m_mismatch->setMessage(typed.isEmpty() || m_nameToType.startsWith(typed)
                               ? QString()
                               : tr("This does not match '%1' (letter case counts).").arg(m_nameToType));
    setInputValid(nameMatches());
}

bool ConfirmDestructiveDialog::confirm(QWidget *parent, const QString &title, const QString &what,
                                       const QString &nameToType)
{
    ConfirmDestructiveDialog dialog(title, what, nameToType, parent);
    return dialog.exec() == QDialog::Accepted;
}

QString ConfirmDestructiveDialog::describe(const QString &verb, const QString &kind, const QString &name,
                                           const QString &database, qint64 rows)
{
    QString s = QStringLiteral("%1 %2 '%3'").arg(verb, kind, name);
    if (!database.isEmpty())
        s += tr(" in database '%1'").arg(database);
    if (rows >= 0)
        s +=
            rows == 1 ? tr(" with 1 row") : tr(" with %1 rows").arg(QLocale(QLocale::English).toString(rows));
    return s + tr("? This cannot be undone.");
}

} // namespace mx
