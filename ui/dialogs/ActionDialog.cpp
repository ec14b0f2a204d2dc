#include "ActionDialog.h"

#include "ValidationLabel.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace mx {

ActionDialog::ActionDialog(Style style, QWidget *parent)
    : QDialog(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_content = new QWidget(this);
    m_content->setObjectName(QStringLiteral("content"));
    m_contentLayout = new QVBoxLayout(m_content);
    m_contentLayout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_content, 1);

    m_serverError = new ValidationLabel(QStringLiteral("serverError"), this);
    layout->addWidget(m_serverError);
    m_busyLabel = new QLabel(tr("Waiting for the server…"), this);
    m_busyLabel->setObjectName(QStringLiteral("busyLabel"));
    m_busyLabel->setVisible(false);
    layout->addWidget(m_busyLabel);

    m_buttons = new QDialogButtonBox(this);
    m_buttons->setObjectName(QStringLiteral("buttonBox"));
    if (style == Style::Destructive) {
        // DestructiveRole rather than AcceptRole: QDialogButtonBox makes the first accept button the
        // default on show, and a default destructive button would fire on Enter in the text field.
        m_ok = m_buttons->addButton(tr("Delete"), QDialogButtonBox::DestructiveRole);
        // Box metrics in the base rule, colours per state: a padding only when enabled would size the
        // button while disabled and cut its text once enabled.
        m_ok->setStyleSheet(QStringLiteral(
            "QPushButton { border-radius: 3px; padding: 4px 14px; border: 1px solid palette(mid);"
            " background-color: palette(button); color: palette(mid); }"
            "QPushButton:enabled { background-color: #c62828; color: white; border-color: #8e0000; }"
            "QPushButton:enabled:hover { background-color: #b71c1c; }"
            "QPushButton:enabled:focus { border: 2px solid #ff8a80; padding: 3px 13px; }"));
    } else {
        m_ok = m_buttons->addButton(QDialogButtonBox::Ok);
    }
    m_ok->setObjectName(QStringLiteral("okButton"));
    m_cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    if (style == Style::Destructive) {
        // No default button at all: Enter in the confirmation field neither destroys nor cancels.
        m_ok->setAutoDefault(false);
        m_cancel->setAutoDefault(false);
    } else {
        m_ok->setDefault(true);
    }
    layout->addWidget(m_buttons);

    connect(m_ok, &QPushButton::clicked, this, [this] {
        if (m_inputValid && !m_busy)
            okClicked();
    });
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    updateOk();
}

void ActionDialog::showServerError(const QString &message)
{
    endBusy();
    m_serverError->setMessage(message);
    if (m_focusBeforeBusy)
        m_focusBeforeBusy->setFocus();
}

QString ActionDialog::serverError() const
{
    return m_serverError->message();
}

void ActionDialog::done(int result)
{
    endBusy();
    QDialog::done(result);
}

void ActionDialog::endBusy()
{
    m_busy = false;
    m_busyLabel->setVisible(false);
    m_content->setEnabled(true);
    updateOk();
}

void ActionDialog::setInputValid(bool valid)
{
    m_inputValid = valid;
    updateOk();
}

void ActionDialog::setOkText(const QString &text)
{
    m_ok->setText(text);
}

void ActionDialog::setBusyText(const QString &text)
{
    m_busyLabel->setText(text);
}

void ActionDialog::okClicked()
{
    submit();
}

void ActionDialog::submit()
{
    if (!m_inputValid || m_busy)
        return;
    m_serverError->setMessage(QString());
    if (!m_deferred) {
        emit submitRequested();
        accept();
        return;
    }
    m_busy = true;
    m_focusBeforeBusy = focusWidget();
    m_busyLabel->setVisible(true);
    m_content->setEnabled(false);
    updateOk();
    emit submitRequested();
}

void ActionDialog::fitToContents(int width)
{
    layout()->activate();
    // sizeHint() is computed at the hint's own width; wrapped labels need the height at this width.
    int h = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width) : sizeHint().height();
    h = qMax(h, minimumSizeHint().height());
    if (isVisible())
        resize(qMax(width, this->width()), qMax(h, height()));
    else
        resize(width, h);
}

void ActionDialog::updateOk()
{
    m_ok->setEnabled(m_inputValid && !m_busy);
}

} // namespace mx
