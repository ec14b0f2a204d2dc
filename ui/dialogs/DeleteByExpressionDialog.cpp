#include "DeleteByExpressionDialog.h"

#include "ConfirmDestructiveDialog.h"
#include "ValidationLabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>

namespace mx {

namespace {
QString count(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}
} // namespace

DeleteByExpressionDialog::DeleteByExpressionDialog(const QString &collection, QWidget *parent)
    : ActionDialog(Style::Destructive, parent)
    , m_collection(collection)
{
    setObjectName(QStringLiteral("deleteByExpressionDialog"));
    setWindowTitle(tr("Delete entities from '%1'").arg(collection));
    setOkText(tr("Delete…"));
    setBusyText(tr("Deleting…"));

    auto *label = new QLabel(
        tr("Delete the entities of '%1' that match the &filter expression:").arg(collection), content());
    label->setWordWrap(true);
    contentLayout()->addWidget(label);
    auto *row = new QHBoxLayout;
    m_expression = new QLineEdit(content());
    m_expression->setObjectName(QStringLiteral("expressionEdit"));
    m_expression->setPlaceholderText(tr("e.g. id in [1, 2, 3] or category == \"obsolete\""));
    m_expression->setClearButtonEnabled(true);
    label->setBuddy(m_expression);
    row->addWidget(m_expression, 1);
    m_previewButton = new QPushButton(tr("&Preview"), content());
    m_previewButton->setObjectName(QStringLiteral("previewButton"));
    m_previewButton->setAutoDefault(false);
    m_previewButton->setToolTip(tr("Count the entities this expression matches (Enter)"));
    row->addWidget(m_previewButton);
    contentLayout()->addLayout(row);
    m_fieldsHint = new QLabel(content());
    m_fieldsHint->setObjectName(QStringLiteral("fieldsHint"));
    m_fieldsHint->setWordWrap(true);
    m_fieldsHint->setEnabled(false); // secondary text
    m_fieldsHint->setVisible(false);
    contentLayout()->addWidget(m_fieldsHint);
    m_previewError = new ValidationLabel(QStringLiteral("previewError"), content());
    contentLayout()->addWidget(m_previewError);
    m_previewResult = new QLabel(content());
    m_previewResult->setObjectName(QStringLiteral("previewResult"));
    m_previewResult->setWordWrap(true);
    contentLayout()->addWidget(m_previewResult);
    contentLayout()->addStretch(1);

    connect(m_expression, &QLineEdit::textChanged, this, &DeleteByExpressionDialog::revalidate);
    // Enter previews: with the destructive button never the default, it is the safe thing for Enter to do.
    connect(m_expression, &QLineEdit::returnPressed, this, [this] {
        if (!hasCurrentPreview())
            requestPreview();
    });
    connect(m_previewButton, &QPushButton::clicked, this, &DeleteByExpressionDialog::requestPreview);
    setTabOrder(m_expression, m_previewButton);
    setTabOrder(m_previewButton, cancelButton());
    setTabOrder(cancelButton(), okButton());
    revalidate();
    m_expression->setFocus();
    fitToContents(600);
}

void DeleteByExpressionDialog::setDatabaseName(const QString &database)
{
    m_database = database;
}

void DeleteByExpressionDialog::setFieldNames(const QStringList &names)
{
    m_fieldsHint->setText(tr("Fields: %1").arg(names.join(QStringLiteral(", "))));
    m_fieldsHint->setVisible(!names.isEmpty());
}

void DeleteByExpressionDialog::setExpression(const QString &expression)
{
    m_expression->setText(expression);
}

QString DeleteByExpressionDialog::expression() const
{
    return m_expression->text().trimmed();
}

bool DeleteByExpressionDialog::hasCurrentPreview() const
{
    return m_previewCount >= 0 && m_previewedExpression == expression();
}

DeleteRequest DeleteByExpressionDialog::request() const
{
    DeleteRequest r;
    r.collection = m_collection;
    r.filter = expression();
    r.options.dbName = m_database;
    return r;
}

void DeleteByExpressionDialog::requestPreview()
{
    const QString expr = expression();
    if (expr.isEmpty() || isBusy())
        return;
    m_pendingExpression = expr;
    m_pending = true;
    m_previewError->setMessage(QString());
    revalidate();
    emit previewRequested(expr);
}

void DeleteByExpressionDialog::setPreviewCount(qint64 n)
{
    if (!m_pending)
        return;
    m_pending = false;
    m_previewedExpression = m_pendingExpression;
    m_previewCount = qMax<qint64>(0, n);
    m_previewError->setMessage(QString());
    revalidate();
}

void DeleteByExpressionDialog::setPreviewError(const QString &message)
{
    if (!m_pending)
        return;
    m_pending = false;
    m_previewCount = -1;
    m_previewedExpression.clear();
    // The server's parser message points at a column; it only makes sense next to the same text.
    m_previewError->setMessage(m_pendingExpression == expression()
                                   ? message
                                   : tr("The previous expression was refused: %1").arg(message));
    revalidate();
}

void DeleteByExpressionDialog::revalidate()
{
    const QString expr = expression();
    m_previewButton->setEnabled(!expr.isEmpty() && !(m_pending && m_pendingExpression == expr));
    QString result;
    QFont font = m_previewResult->font();
    font.setBold(false);
    if (m_pending && m_pendingExpression == expr) {
        result = tr("Counting the matching entities…");
    } else if (hasCurrentPreview()) {
        result = m_previewCount == 0   ? tr("No entity matches this expression; there is nothing to delete.")
                 : m_previewCount == 1 ? tr("This will delete 1 entity.")
                                       : tr("This will delete %1 entities.").arg(count(m_previewCount));
        font.setBold(m_previewCount > 0);
    } else if (m_previewCount >= 0) {
        result = tr("The expression changed since the preview. Preview it again to enable Delete.");
    } else if (m_previewError->message().isEmpty()) {
        result =
            tr("Preview the expression to see how many entities it matches; Delete is enabled after that.");
    }
    m_previewResult->setFont(font);
    m_previewResult->setText(result);
    setInputValid(hasCurrentPreview() && m_previewCount > 0);
}

void DeleteByExpressionDialog::okClicked()
{
    if (!hasCurrentPreview() || m_previewCount <= 0 || m_confirm)
        return;
    QString what =
        tr("Delete %1 matching `%2` from collection '%3'")
            .arg(m_previewCount == 1 ? tr("1 entity") : tr("%1 entities").arg(count(m_previewCount)),
                 expression(), m_collection);
    if (!m_database.isEmpty())
        what += tr(" in database '%1'").arg(m_database);
    what += tr("? This cannot be undone.");
    m_confirm =
        new ConfirmDestructiveDialog(tr("Delete entities"), what, QString::number(m_previewCount), this);
    m_confirm->setObjectName(QStringLiteral("confirmDeleteDialog"));
    m_confirm->setActionText(m_previewCount == 1 ? tr("Delete 1 entity")
                                                 : tr("Delete %1 entities").arg(count(m_previewCount)));
    m_confirm->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_confirm, &QDialog::accepted, this, &DeleteByExpressionDialog::submit);
    m_confirm->open();
}

} // namespace mx
