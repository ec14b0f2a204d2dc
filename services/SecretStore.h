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

signals:
    void sessionOnlyChanged(bool sessionOnly, const QString &why);

private:
    void fallBack(const QString &why);

    QString m_service;
    bool m_sessionOnly = false;
    QString m_problem;
    QHash<QString, QString> m_session;
};

} // namespace mx
