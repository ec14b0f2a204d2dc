#include "Session.h"

#include "MilvusClient.h"

#include <QFutureWatcher>

namespace mx {

Session::Session(QObject *parent)
    : QObject(parent)
{}

Session::~Session()
{
    m_client.reset();
    if (m_embedded)
        m_embedded->stop();
}

QString Session::stateText() const
{
    switch (m_state) {
    case State::Disconnected:
        return tr("Disconnected");
    case State::StartingServer:
        return tr("Starting embedded Milvus Lite…");
    case State::Connecting:
        return tr("Connecting to %1…").arg(m_displayName);
    case State::Connected:
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
    m_lastError = e;
    setState(State::Failed);
    emit failed(e);
}

void Session::disconnectFromServer()
{
    ++m_generation;
    m_client.reset();
    m_version.clear();
    if (m_embedded) {
        m_embedded->stop();
        m_embedded->deleteLater();
        m_embedded = nullptr;
    }
    setState(State::Disconnected);
}

void Session::connectEmbedded(const MilvusLiteServer::Options &options)
{
    disconnectFromServer();
    const quint64 gen = m_generation;
    m_embedded = new MilvusLiteServer(this);
    m_displayName = tr("Local (Milvus Lite)");
    connect(m_embedded, &MilvusLiteServer::unexpectedExit, this, [this](const QString &msg) {
        fail(MilvusError{ErrorKind::Transport, tr("Milvus Lite"), 0, 0, 0, 0, msg, {}});
    });
    setState(State::StartingServer);
    m_embedded->start(options)
        .then(this,
              [this, gen](const QString &uri) {
                  if (gen != m_generation)
                      return;
                  ConnectionConfig cfg;
                  cfg.uri = uri;
                  openClient(cfg);
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
    m_client->getVersionAsync(req)
        .then(this,
              [this, gen](const QString &version) {
                  if (gen != m_generation)
                      return;
                  m_version = version;
                  setState(State::Connected);
                  emit connected();
              })
        .onFailed(this, [this, gen](const MilvusException &e) {
            if (gen != m_generation)
                return;
            m_client.reset();
            fail(e.error());
        });
}

} // namespace mx
