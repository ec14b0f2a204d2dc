#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace mx {

// Asks for a password twice (and, when changing one, the current password), with the user name for a
// new user. The text lives only in the line edits (echo mode Password) until the caller reads it for
// the one call; it is never logged or stored. Widgets: userEdit, oldPasswordEdit, passwordEdit,
// confirmEdit, mismatchLabel, okButton.
class PasswordDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Mode
    {
        NewUser,       // user name + password twice
        ChangePassword // fixed user, current password + new password twice
    };
    PasswordDialog(Mode mode, const QString &user, const QString &note, QWidget *parent = nullptr);
    ~PasswordDialog() override; // clears the line edits

    QString user() const;
    QString oldPassword() const;
    QString password() const;

private:
    void revalidate();

    Mode m_mode;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_old = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_mismatch = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace mx
