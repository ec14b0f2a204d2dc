#pragma once

#include <QDialog>
#include <QFuture>

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace mx {

class VenvBootstrap;

// Offers to install the local servers (Milvus Lite, the Milvus standalone) into the per-user
// environment when they are missing: says what it will do and where, then runs VenvBootstrap with a
// progress bar and the current step, Cancel stops pip, and a failure shows its message with pip's
// output. Window-modal only while the user decides; never blocks the event loop. Emits installed()
// on success and declined() when closed without installing.
class LocalServerSetupDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LocalServerSetupDialog(QWidget *parent = nullptr);
    ~LocalServerSetupDialog() override;

    void reject() override; // cancels a running install (pip is killed, the half-made venv removed)

signals:
    void installed(const QString &venvDir);
    void declined();

private:
    void install();
    void showFailure(const QString &message, const QString &log);

    VenvBootstrap *m_boot;
    QLabel *m_intro;
    QLabel *m_step;
    QLabel *m_error;
    QProgressBar *m_bar;
    QPlainTextEdit *m_log;
    QDialogButtonBox *m_buttons;
    QPushButton *m_install;
    bool m_done = false;
};

} // namespace mx
