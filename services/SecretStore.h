#pragma once

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QString>

namespace mx {

// Keeps connection secrets (tokens, passwords) in the OS keychain through QtKeychain (Secret Service,
// KWallet, macOS Keychain, Windows Credential Store). Never writes a secret to a settings file or a
// log. When no keychain service is reachable, secrets are kept for this session only and
// sessionOnly() says so. Lives on the GUI thread; every call is asynchronous.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    explicit SecretStore(const QString &service = QStringLiteral("milvus-explorer"),
                         QObject *parent = nullptr);

    // Completes with the secret, or an empty string when none is stored. Never fails: a keychain
    // error falls back to the session store.
    QFuture<QString> read(const QString &key);
    QFuture<void> write(const QString &key, const QString &secret);
    QFuture<void> remove(const QString &key);

    bool sessionOnly() const { return m_sessionOnly; }
    QString keychainProblem() const { return m_problem; }

    // For tests and headless runs: skip the OS keychain altogether.
    void forceSessionOnly(const QString &why);

    // Keychain writes and removals not answered yet (a profile saved just before quitting).
    int pending() const { return m_pending; }
    // At exit: runs the event loop until every pending write and removal is answered, at most `limit`.
    // Returns whether none is left. Teardown is the one place that may wait.
    bool finishPending(int limitMs = 3000);

signals:
    void sessionOnlyChanged(bool sessionOnly, const QString &why);
    void pendingDone(); // the last pending write or removal was answered

private:
    void fallBack(const QString &why);

    QString m_service;
    bool m_sessionOnly = false;
    QString m_problem;
    QHash<QString, QString> m_session;
    int m_pending = 0;
};

} // namespace mx
