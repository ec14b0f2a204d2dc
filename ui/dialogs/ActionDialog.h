#pragma once

#include <QDialog>
#include <QPointer>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace mx {

class ValidationLabel;

// Base of the dialogs that build one server request. It owns the OK / Cancel buttons, keeps OK
// disabled while the input is invalid, and lets the caller keep the dialog open while the request
// runs, so that a refusal can be shown next to the user's input instead of losing it:
//
//   dialog->setDeferredAccept(true);
//   connect(dialog, &CreateCollectionDialog::submitRequested, this, [this, dialog] {
//       m_client->createCollectionAsync(dialog->request())
//           .then(dialog, [dialog] { dialog->accept(); })
//           .onFailed(dialog, [dialog](const MilvusException &e) {
//               dialog->showServerError(e.error().message()); });
//   });
//   dialog->open();
//
// Without setDeferredAccept(true), OK emits submitRequested() and accepts at once (exec() style).
// Dialogs never call the server themselves.
class ActionDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Style
    {
        Normal,     // OK is the default button: Enter accepts when the input is valid
        Destructive // OK is red and never the default: Enter cannot destroy anything
    };

    explicit ActionDialog(Style style = Style::Normal, QWidget *parent = nullptr);

    void setDeferredAccept(bool deferred) { m_deferred = deferred; }
    bool deferredAccept() const { return m_deferred; }

    // True between submitRequested() and accept() / showServerError() in deferred mode: the form is
    // read-only so that what the user sees is what was sent.
    bool isBusy() const { return m_busy; }

    // Ends the busy state and shows the server's refusal under the form; the input stays as it was so
    // the user can correct it and try again.
    void showServerError(const QString &message);
    QString serverError() const;

    QPushButton *okButton() const { return m_ok; }
    QPushButton *cancelButton() const { return m_cancel; }
    bool isInputValid() const { return m_inputValid; }

    void done(int result) override;

signals:
    // OK was pressed with valid input. In deferred mode the caller now runs the request.
    void submitRequested();

protected:
    // The form goes here; it is disabled as a whole while busy.
    QVBoxLayout *contentLayout() const { return m_contentLayout; }
    QWidget *content() const { return m_content; }
    void setInputValid(bool valid);
    void setOkText(const QString &text);
    void setBusyText(const QString &text);
    // Called when OK is clicked with valid input; the default submits at once. A dialog that needs one
    // more confirmation first overrides it and calls submit() itself.
    virtual void okClicked();
    void submit();
    // Resizes to `width` and to the height the content needs at that width (word-wrapped labels
    // included); while visible it only grows, so a size the user chose is kept.
    void fitToContents(int width);

private:
    void updateOk();
    void endBusy();

    QWidget *m_content = nullptr;
    QVBoxLayout *m_contentLayout = nullptr;
    ValidationLabel *m_serverError = nullptr;
    QLabel *m_busyLabel = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_ok = nullptr;
    QPushButton *m_cancel = nullptr;
    QPointer<QWidget> m_focusBeforeBusy; // given back when the server refuses
    bool m_deferred = false;
    bool m_busy = false;
    bool m_inputValid = false;
};

} // namespace mx
