#pragma once

#include "ActionDialog.h"

class QLabel;
class QLineEdit;

namespace mx {

class ValidationLabel;

// Asks before something is destroyed: one sentence saying what (with the database and row count when
// known), and the user must type the object's name exactly before the red button is enabled. The red
// button is never the default, so Enter cannot confirm; Esc cancels.
// Widgets: whatLabel, promptLabel, confirmNameEdit, mismatchLabel, okButton (the red one), cancelButton.
class ConfirmDestructiveDialog : public ActionDialog
{
    Q_OBJECT
public:
    ConfirmDestructiveDialog(const QString &title, const QString &what, const QString &nameToType,
                             QWidget *parent = nullptr);

    // The red button's text; the title by default ("Drop collection").
    void setActionText(const QString &text);
    QString nameToType() const { return m_nameToType; }
    bool nameMatches() const;

    // Runs the dialog modally; true when the user typed the name and pressed the red button.
    static bool confirm(QWidget *parent, const QString &title, const QString &what,
                        const QString &nameToType);

    // "Drop collection 'articles' in database 'default' with 12,000 rows? This cannot be undone."
    // rows < 0 leaves the count out (unknown), an empty database leaves the database out.
    static QString describe(const QString &verb, const QString &kind, const QString &name,
                            const QString &database = {}, qint64 rows = -1);

private:
    void revalidate();

    QString m_nameToType;
    QLabel *m_what = nullptr;
    QLineEdit *m_edit = nullptr;
    ValidationLabel *m_mismatch = nullptr;
};

} // namespace mx
