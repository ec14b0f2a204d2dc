#pragma once

#include "ConnectionConfig.h"
#include "ConnectionWatch.h"
#include "Delivery.h"
#include "LocalServer.h"
#include "MilvusError.h"
#include "ServerCapabilities.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace mx {

class MilvusClient;

// The application's current connection: a local server (Milvus standalone or Milvus Lite, started on
// demand) or a remote one. Owns the MilvusClient that models and panels share. Lives on the GUI thread;
// every step is asynchronous and reports through signals; a local server being stopped is waited for
// (without blocking) before another one starts on its data directory.
class Session : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Disconnected,
        StartingServer,
        Connecting,
        Connected,
        Failed
    };
    Q_ENUM(State)

    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    void connectEmbedded(const LocalServer::Options &options = {});
    void connectTo(const ConnectionConfig &config);
    void disconnectFromServer();

    State state() const { return m_state; }
    QString stateText() const;
    std::shared_ptr<MilvusClient> client() const { return m_client; }
    QString serverVersion() const { return m_version; }
    // What the connected server is and supports (Unknown flavor while not connected).
    const ServerCapabilities &capabilities() const { return m_capabilities; }
    QString displayName() const { return m_displayName; }
    void setDisplayName(const QString &name)
    {
        m_displayName = name;
        emit stateChanged(m_state);
    }
    bool isEmbedded() const { return m_embedded != nullptr; }
    LocalServer *embeddedServer() const { return m_embedded; }
    // The local server's kind while one is in use.
    std::optional<LocalServer::Kind> embeddedKind() const
    {
        return m_embedded ? std::optional(m_embedded->kind()) : std::nullopt;
    }
    MilvusError lastError() const { return m_lastError; }
    // Connected, but the server stopped answering (killed, restarting, stalled); the channel keeps
    // reconnecting, and reconnected() follows when it answers again. stateText() says which.
    bool isConnectionLost() const { return m_state == State::Connected && m_watch.isLost(); }
    int reconnectCount() const { return m_watch.reconnects(); }
    // Probe intervals of the connection watch (tests shorten them).
    void setWatchTiming(const ConnectionWatch::Timing &timing);

signals:
    void stateChanged(mx::Session::State state);
    void progress(const QString &step); // local server start-up steps
    void connected();
    void failed(const mx::MilvusError &error);
    // The connected server stopped answering / answers again (stateText() changes with each).
    void connectionLost(const mx::MilvusError &error);
    void reconnected();

private:
    void setState(State s);
    void openClient(const ConnectionConfig &config);
    void fail(const MilvusError &e);
    void startEmbedded(const LocalServer::Options &options, quint64 gen);

    State m_state = State::Disconnected;
    LocalServer *m_embedded = nullptr;
    QPointer<LocalServer> m_retiring; // a local server still stopping
    std::shared_ptr<MilvusClient> m_client;
    QString m_version;
    ServerCapabilities m_capabilities;
    QString m_displayName;
    MilvusError m_lastError;
    quint64 m_generation = 0; // drops answers that belong to an earlier connect attempt
    ConnectionWatch m_watch;
    Delivery m_delivery{this};
    QString m_reconnectedAt; // time of the last reconnect, for stateText()
};

} // namespace mx
