#include "ConnectionProfiles.h"

#include "SecretStore.h"

#include <QSettings>
#include <QUuid>

namespace mx {

namespace {
ConnectionProfile localProfile(LocalServer::Kind kind)
{
    ConnectionProfile p;
    p.id = ConnectionProfiles::localId(kind);
    p.name = QObject::tr("Local (%1)").arg(LocalServer::kindName(kind));
    p.embedded = true;
    p.localKind = kind;
    p.config.uri = QString();
    return p;
}
} // namespace

ConnectionProfiles::ConnectionProfiles(QObject *parent)
    : QObject(parent)
{
    load();
}

void ConnectionProfiles::load()
{
    m_profiles = {localProfile(LocalServer::Kind::Standalone), localProfile(LocalServer::Kind::Lite)};
    QSettings s;
    const int n = s.beginReadArray(QStringLiteral("connections"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ConnectionProfile p;
        p.id = s.value(QStringLiteral("id")).toString();
        if (p.id.isEmpty() || p.id == QLatin1String(kLocalId) || p.id == QLatin1String(kLocalStandaloneId))
            continue;
        p.name = s.value(QStringLiteral("name")).toString();
        p.config.uri = s.value(QStringLiteral("uri")).toString();
        p.config.dbName = s.value(QStringLiteral("db")).toString();
        p.config.user = s.value(QStringLiteral("user")).toString();
        p.hasToken = s.value(QStringLiteral("hasToken")).toBool();
        p.hasPassword = s.value(QStringLiteral("hasPassword")).toBool();
        p.config.tls.enabled = s.value(QStringLiteral("tls")).toBool();
        p.config.tls.caFile = s.value(QStringLiteral("caFile")).toString();
        p.config.tls.clientCertFile = s.value(QStringLiteral("certFile")).toString();
        p.config.tls.clientKeyFile = s.value(QStringLiteral("keyFile")).toString();
        p.config.tls.serverNameOverride = s.value(QStringLiteral("serverName")).toString();
        p.config.defaultTimeout = std::chrono::seconds(s.value(QStringLiteral("timeoutSec"), 30).toInt());
        m_profiles.append(p);
    }
    s.endArray();
}

void ConnectionProfiles::store() const
{
    QSettings s;
    s.remove(QStringLiteral("connections"));
    s.beginWriteArray(QStringLiteral("connections"));
    int i = 0;
    for (const auto &p : m_profiles) {
        if (p.embedded)
            continue;
        s.setArrayIndex(i++);
        s.setValue(QStringLiteral("id"), p.id);
        s.setValue(QStringLiteral("name"), p.name);
        s.setValue(QStringLiteral("uri"), p.config.uri);
        s.setValue(QStringLiteral("db"), p.config.dbName);
        s.setValue(QStringLiteral("user"), p.config.user);
        s.setValue(QStringLiteral("hasToken"), p.hasToken);
        s.setValue(QStringLiteral("hasPassword"), p.hasPassword);
        s.setValue(QStringLiteral("tls"), p.config.tls.enabled);
        s.setValue(QStringLiteral("caFile"), p.config.tls.caFile);
        s.setValue(QStringLiteral("certFile"), p.config.tls.clientCertFile);
        s.setValue(QStringLiteral("keyFile"), p.config.tls.clientKeyFile);
        s.setValue(QStringLiteral("serverName"), p.config.tls.serverNameOverride);
        s.setValue(QStringLiteral("timeoutSec"),
                   qint64(std::chrono::duration_cast<std::chrono::seconds>(p.config.defaultTimeout).count()));
    }
    s.endArray();
}

std::optional<ConnectionProfile> ConnectionProfiles::find(const QString &id) const
{
    for (const auto &p : m_profiles)
        if (p.id == id)
            return p;
    return std::nullopt;
}

ConnectionProfile ConnectionProfiles::save(ConnectionProfile profile, SecretStore *secrets)
{
    if (profile.id.isEmpty())
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (!profile.config.token.isEmpty()) {
        secrets->write(profile.secretKey("token"), profile.config.token);
        profile.hasToken = true;
    }
    if (!profile.config.password.isEmpty()) {
        secrets->write(profile.secretKey("password"), profile.config.password);
        profile.hasPassword = true;
    }
    profile.config.token.clear();
    profile.config.password.clear();
    bool replaced = false;
    for (auto &p : m_profiles) {
        if (p.id == profile.id) {
            p = profile;
            replaced = true;
        }
    }
    if (!replaced)
        m_profiles.append(profile);
    store();
    emit changed();
    return profile;
}

bool ConnectionProfiles::remove(const QString &id, SecretStore *secrets)
{
    if (id == QLatin1String(kLocalId) || id == QLatin1String(kLocalStandaloneId))
        return false;
    const auto before = m_profiles.size();
    m_profiles.removeIf([&](const ConnectionProfile &p) { return p.id == id; });
    if (m_profiles.size() == before)
        return false;
    ConnectionProfile gone;
    gone.id = id;
    secrets->remove(gone.secretKey("token"));
    secrets->remove(gone.secretKey("password"));
    store();
    emit changed();
    return true;
}

QFuture<ConnectionConfig> ConnectionProfiles::withSecrets(const ConnectionProfile &profile,
                                                          SecretStore *secrets)
{
    const bool needToken = !profile.embedded && profile.hasToken && profile.config.token.isEmpty();
    const bool needPassword = !profile.embedded && profile.hasPassword && profile.config.password.isEmpty();
    QFuture<QString> token = needToken ? secrets->read(profile.secretKey("token"))
                                       : QtFuture::makeReadyFuture(profile.config.token);
    QFuture<QString> password = needPassword ? secrets->read(profile.secretKey("password"))
                                             : QtFuture::makeReadyFuture(profile.config.password);
    QList<QFuture<QString>> reads{token, password};
    return QtFuture::whenAll(reads.begin(), reads.end())
        .then([config = profile.config](const QList<QFuture<QString>> &both) {
            ConnectionConfig full = config;
            full.token = both.at(0).result();
            full.password = both.at(1).result();
            return full;
        });
}

QString ConnectionProfiles::localId(LocalServer::Kind kind)
{
    return QLatin1String(kind == LocalServer::Kind::Lite ? kLocalId : kLocalStandaloneId);
}

QString ConnectionProfiles::lastUsedId() const
{
    return QSettings().value(QStringLiteral("lastConnection"), localId(localServerAtLaunch())).toString();
}

LocalServer::Kind ConnectionProfiles::localServerAtLaunch()
{
    const QString key = QSettings().value(QStringLiteral("localServerAtLaunch")).toString();
    return LocalServer::kindFromKey(key).value_or(LocalServer::Kind::Standalone);
}

void ConnectionProfiles::setLocalServerAtLaunch(LocalServer::Kind kind)
{
    QSettings().setValue(QStringLiteral("localServerAtLaunch"), LocalServer::kindKey(kind));
}

void ConnectionProfiles::setLastUsedId(const QString &id)
{
    QSettings().setValue(QStringLiteral("lastConnection"), id);
}

} // namespace mx
