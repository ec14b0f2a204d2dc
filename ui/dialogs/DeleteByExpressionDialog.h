#pragma once

#include "ActionDialog.h"
#include "MilvusRequests.h"

#include <QPointer>

class QLabel;
class QLineEdit;
class QPushButton;

namespace mx {

class ConfirmDestructiveDialog;
class ValidationLabel;

// Deletes the entities of a collection that match a filter expression. Nothing can be deleted blind:
// Preview emits previewRequested(expression), the caller counts the matches (a count(*) query) and
// answers with setPreviewCount() or setPreviewError(), and Delete is enabled only while that count
// belongs to the expression as it is now (editing it disables Delete again). Delete then opens a
// ConfirmDestructiveDialog in which the user types the number of entities: the count, rather than the
// collection name, because the risk here is an expression that matches more than meant, and typing the
// number makes the user read it. Builds a DeleteRequest; the caller runs it (see ActionDialog).
// Widgets: expressionEdit, previewButton, previewResult, previewError, fieldsHint, okButton (Delete),
// and while it is open the child confirmDeleteDialog.
class DeleteByExpressionDialog : public ActionDialog
{
    Q_OBJECT
public:
    explicit DeleteByExpressionDialog(const QString &collection, QWidget *parent = nullptr);

    void setDatabaseName(const QString &database);
    // Shown under the box as a reminder of what an expression can refer to.
    void setFieldNames(const QStringList &names);
    void setExpression(const QString &expression);
    QString expression() const;

    // True when the last successful preview was of the expression as it is now.
    bool hasCurrentPreview() const;
    qint64 previewCount() const { return m_previewCount; }
    DeleteRequest request() const;
    // The typing confirmation while it is open, else null.
    ConfirmDestructiveDialog *confirmationDialog() const { return m_confirm; }

public slots:
    // Answers the last previewRequested(); an answer for an expression edited since is kept but not
    // trusted (Delete stays disabled until the new text is previewed).
    void setPreviewCount(qint64 count);
    void setPreviewError(const QString &message);
    void requestPreview();

signals:
    void previewRequested(const QString &expression);

protected:
    void okClicked() override;

private:
    void revalidate();

    QString m_collection;
    QString m_database;
    QLineEdit *m_expression = nullptr;
    QPushButton *m_previewButton = nullptr;
    QLabel *m_previewResult = nullptr;
    ValidationLabel *m_previewError = nullptr;
    QLabel *m_fieldsHint = nullptr;
    QString m_pendingExpression; // sent for preview, no answer yet
    bool m_pending = false;
    QString m_previewedExpression; // the expression m_previewCount belongs to
    qint64 m_previewCount = -1;    // -1: no successful preview
    QPointer<ConfirmDestructiveDialog> m_confirm;
};

} // namespace mx
