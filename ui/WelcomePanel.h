#pragma once

#include <QFrame>

#include <memory>

class QLabel;
class QPushButton;

namespace mx {

class CancelToken;
class SecretStore;
class Session;

// The empty state of the collection list: what to do first on a server without collections. Four
// steps, each a button with a mnemonic (create a collection, load the sample dataset, open the search
// workbench, run the tutorial preset) and a dismiss button whose choice is kept in QSettings. Not
// modal: it sits above the (empty) table. Loading the sample dataset runs loadSampleDataset() off the
// GUI thread with the search workbench's embedding provider; progress and errors show in the panel,
// and it can be cancelled.
class WelcomePanel : public QFrame
{
    Q_OBJECT
public:
    WelcomePanel(Session *session, SecretStore *secrets, QWidget *parent = nullptr);
    ~WelcomePanel() override;

    static bool isDismissed(); // QSettings "welcome/dismissed"
    static void setDismissed(bool dismissed);
    void setDatabase(const QString &database) { m_database = database; }
    QString sampleCollection() const;
    // What the "Load the sample dataset" button does (also --sample-dataset).
    void loadSample();

signals:
    void createCollectionRequested();
    void searchRequested(const QString &database, const QString &collection); // collection may be empty
    void tutorialRequested();
    void sampleLoaded(const QString &database, const QString &collection);
    void dismissed();

private:
    void setBusy(bool busy);
    void setStatus(const QString &text, bool error = false);

    Session *m_session;
    SecretStore *m_secrets;
    QString m_database = QStringLiteral("default");
    QString m_sample; // set once the sample dataset is loaded
    QLabel *m_title;
    QLabel *m_status;
    QPushButton *m_sampleButton;
    QPushButton *m_cancelButton;
    std::shared_ptr<CancelToken> m_cancel;
};

} // namespace mx
