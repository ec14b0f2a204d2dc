#pragma once

#include "ConnectionConfig.h"
#include "MilvusError.h"
#include "MilvusLiteServer.h"

#include <QObject>

#include <memory>

namespace mx {

class MilvusClient;

// The application's current connection: either the embedded Milvus Lite (started on demand) or a
// remote server. Owns the MilvusClient that models and panels share. Lives on the GUI thread; every
// step is asynchronous and reports through signals.
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

    void connectEmbedded(const MilvusLiteServer::Options &options = {});
    void connectTo(const ConnectionConfig &config);
    void disconnectFromServer();

    State state() const { return m_state; }
    QString stateText() const;
    std::shared_ptr<MilvusClient> client() const { return m_client; }
    QString serverVersion() const { return m_version; }
    QString displayName() const { return m_displayName; }
    void setDisplayName(const QString &name)
    {
        m_displayName = name;
        emit stateChanged(m_state);
    }
    bool isEmbedded() const { return m_embedded != nullptr; }
    MilvusLiteServer *embeddedServer() const { return m_embedded; }
    MilvusError lastError() const { return m_lastError; }

signals:
    void stateChanged(mx::Session::State state);
    void connected();
    void failed(const mx::MilvusError &error);

private:
    void setState(State s);
    void openClient(const ConnectionConfig &config);
    void fail(const MilvusError &e);

    State m_state = State::Disconnected;
    MilvusLiteServer *m_embedded = nullptr;
    std::shared_ptr<MilvusClient> m_client;
    QString m_version;
    QString m_displayName;
    MilvusError m_lastError;
    quint64 m_generation = 0; // drops answers that belong to an earlier connect attempt
};

} // namespace mx
