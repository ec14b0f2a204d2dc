#pragma once

#include "ActionDialog.h"

#include <QStringList>

class QLabel;
class QLineEdit;

namespace mx {

class ValidationLabel;

// Asks for one Milvus name (rename a collection, create a partition or a database): a message, the
// name field checked against Milvus's naming rules and against names that already exist, OK disabled
// until it is acceptable. The caller builds the request from name().
// Widgets: messageLabel, nameEdit, nameError, okButton, cancelButton.
class SimpleNameDialog : public ActionDialog
{
    Q_OBJECT
public:
    // `what` names the kind of object in messages ("collection", "partition", "database").
    SimpleNameDialog(const QString &title, const QString &message, const QString &what,
                     QWidget *parent = nullptr);

    static SimpleNameDialog *renameCollection(const QString &collection, const QStringList &existing,
                                              QWidget *parent = nullptr);
    static SimpleNameDialog *createPartition(const QString &collection, const QStringList &existing,
                                             QWidget *parent = nullptr);
    static SimpleNameDialog *createDatabase(const QStringList &existing, QWidget *parent = nullptr);

    QString name() const;
    void setName(const QString &name);
    // Names that would collide (compared exactly, as Milvus does).
    void setExistingNames(const QStringList &names);
    // For a rename: the current name, which is not a new name.
    void setCurrentName(const QString &name);
    void setActionText(const QString &text) { setOkText(text); }
    QString problem() const { return m_problem; }

private:
    void revalidate();

    QString m_what;
    QString m_currentName;
    QStringList m_existing;
    QString m_problem;
    QLabel *m_message = nullptr;
    QLineEdit *m_edit = nullptr;
    ValidationLabel *m_error = nullptr;
};

} // namespace mx
