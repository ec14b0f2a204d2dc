#include "Session.h"

#include "MilvusClient.h"

#include <QDateTime>
#include <QFutureWatcher>

namespace mx {

Session::Session(QObject *parent)
    : QObject(parent)
{
    connect(&m_watch, &ConnectionWatch::lost, this, [this](const MilvusError &e) {
        m_lastError = e;
        emit connectionLost(e);
    });
    connect(&m_watch, &ConnectionWatch::restored, this, [this](const QString &version) {
        m_version = version;
        m_capabilities = ServerCapabilities::fromVersion(version);
        m_reconnectedAt = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
        emit reconnected();
    });
}

void Session::setWatchTiming(const ConnectionWatch::Timing &timing)
{
    m_watch.setTiming(timing);
}

Session::~Session()
{
    m_delivery.close();
    m_client.reset();
    // LocalServer's destructor stops the server with a bounded wait: teardown is the one place that may.
    delete m_embedded;
}

QString Session::stateText() const
{
    switch (m_state) {
    case State::Disconnected:
        return tr("Disconnected");
    case State::StartingServer:
        return tr("Starting the local %1…")
            .arg(m_embedded ? LocalServer::kindName(m_embedded->kind()) : tr("server"));
    case State::Connecting:
        return tr("Connecting to %1…").arg(m_displayName);
    case State::Connected:
        if (m_watch.isLost())
            return tr("Connection to %1 lost (%2); reconnecting…")
                .arg(m_displayName, m_watch.lastError().message());
        if (!m_reconnectedAt.isEmpty())
            return tr("Connected to %1 (reconnected at %2)").arg(m_displayName, m_reconnectedAt);
        return tr("Connected to %1").arg(m_displayName);
    case State::Failed:
        return tr("Connection failed");
    }
    return {};
}

void Session::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    emit stateChanged(s);
}

void Session::fail(const MilvusError &e)
{
    m_watch.setClient(nullptr);
    m_lastError = e;
    setState(State::Failed);
    emit failed(e);
}

void Session::disconnectFromServer()
{
    ++m_generation;
    m_watch.setClient(nullptr);
    m_reconnectedAt.clear();
    m_client.reset();
    m_version.clear();
    m_capabilities = {};
    if (m_embedded) {
        LocalServer *old = m_embedded;
        m_embedded = nullptr;
        old->disconnect(this);
        old->stop();
        if (old->state() == LocalServer::State::Stopping) {
            m_retiring = old;
            connect(old, &LocalServer::stateChanged, old, [old](LocalServer::State s) {
                if (s != LocalServer::State::Stopping)
                    old->deleteLater();
            });
        } else {
            old->deleteLater();
        }
    }
    setState(State::Disconnected);
}

void Session::connectEmbedded(const LocalServer::Options &options)
{
    disconnectFromServer();
    const quint64 gen = m_generation;
    m_displayName = tr("Local (%1)").arg(LocalServer::kindName(options.kind));
    setState(State::StartingServer);
    if (m_retiring) {
        // Its data directory and ports are still held: start once it has gone.
        emit progress(tr("Waiting for the previous local server to stop…"));
        connect(m_retiring, &QObject::destroyed, this, [this, options, gen] {
            if (gen == m_generation)
                startEmbedded(options, gen);
        });
        return;
    }
    startEmbedded(options, gen);
}

void Session::startEmbedded(const LocalServer::Options &options, quint64 gen)
{
    m_embedded = new LocalServer(this);
    connect(m_embedded, &LocalServer::unexpectedExit, this, [this](const QString &msg) {
        fail(MilvusError{
            ErrorKind::Transport, LocalServer::kindName(m_embedded->kind()), 0, 0, 0, 0, msg, {}});
    });
    connect(m_embedded, &LocalServer::progress, this, &Session::progress);
    emit stateChanged(m_state); // the text names the kind now
    m_embedded->start(options)
        .then(this,
              [this, gen](const LocalServer::Endpoint &endpoint) {
                  if (gen == m_generation)
                      openClient(endpoint.config);
              })
        .onFailed(this, [this, gen](const MilvusException &e) {
            if (gen == m_generation)
                fail(e.error());
        });
}

void Session::connectTo(const ConnectionConfig &config)
{
    disconnectFromServer();
    m_displayName = config.uri;
    if (!config.dbName.isEmpty())
        m_displayName += QLatin1Char('/') + config.dbName;
    openClient(config);
}

void Session::openClient(const ConnectionConfig &config)
{
    const quint64 gen = m_generation;
    try {
        m_client = std::make_shared<MilvusClient>(config);
    } catch (const MilvusException &e) {
        fail(e.error());
        return;
    }
    setState(State::Connecting);
    ServerRequest req;
    req.options.timeout = std::chrono::milliseconds(10000);
    // Delivered from the event loop even when the answer is already there (Qt 6.4 runs a continuation
    // attached to a finished future at once): connected() is never emitted inside connectTo().
    m_delivery.deliver(
        m_client->getVersionAsync(req),
        [this, gen](const QString &version) {
            if (gen != m_generation)
                return;
            m_version = version;
            m_capabilities = ServerCapabilities::fromVersion(version);
            m_watch.setClient(m_client);
            setState(State::Connected);
            emit connected();
        },
        [this, gen](const MilvusError &e) {
            if (gen != m_generation)
                return;
            m_client.reset();
            fail(e);
        });
}

} // namespace mx
