#pragma once

#include "ConnectionConfig.h"
#include "LocalServer.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QString>
#include <optional>

namespace mx {

class SecretStore;

// A named connection. Secrets are not stored here: only whether one exists; the SecretStore holds them
// under secretKey("token") / secretKey("password").
struct ConnectionProfile
{
    QString id; // stable, generated
    QString name;
    bool embedded =
        false; // a built-in local server profile ("Local (Milvus standalone)", "Local (Milvus Lite)")
    LocalServer::Kind localKind = LocalServer::Kind::Lite; // which local server, when embedded
    ConnectionConfig config;                               // token and password left empty when saved
    bool hasToken = false;
    bool hasPassword = false;

    QString secretKey(const char *what) const { return QStringLiteral("%1/%2").arg(id, QLatin1String(what)); }
};

// The saved connection profiles, in QSettings (without secrets). The two local servers' profiles are
// always there and cannot be removed. GUI thread only.
class ConnectionProfiles : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kLocalId = "local"; // Milvus Lite (the id predates the standalone)
    static constexpr const char *kLocalStandaloneId = "local-standalone";
    static QString localId(LocalServer::Kind kind);

    explicit ConnectionProfiles(QObject *parent = nullptr);

    QList<ConnectionProfile> profiles() const { return m_profiles; }
    std::optional<ConnectionProfile> find(const QString &id) const;
    // Adds or replaces by id (a new id is made when empty); returns the stored profile. Secrets in
    // profile.config are written to `secrets` and stripped before saving.
    ConnectionProfile save(ConnectionProfile profile, SecretStore *secrets);
    bool remove(const QString &id, SecretStore *secrets);
    // The profile's config with its stored token and password filled in (those already set are kept).
    // Asynchronous, never fails: a secret the store does not have stays empty.
    static QFuture<ConnectionConfig> withSecrets(const ConnectionProfile &profile, SecretStore *secrets);

    QString lastUsedId() const;
    void setLastUsedId(const QString &id);
    // Which local server starts at launch when the last connection was a local one (default: the
    // standalone, which behaves like the servers users deploy).
    static LocalServer::Kind localServerAtLaunch();
    static void setLocalServerAtLaunch(LocalServer::Kind kind);

signals:
    void changed();

private:
    void load();
    void store() const;

    QList<ConnectionProfile> m_profiles;
};

} // namespace mx
