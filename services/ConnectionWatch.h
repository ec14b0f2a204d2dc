#pragma once

#include "MilvusError.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>

namespace mx {

class MilvusClient;

// Notices that a connected server stopped answering (killed, restarted, stalled, network gone) and that
// it answers again, by asking for its version on a timer with a short deadline. The gRPC channel
// reconnects by itself (MilvusClient's channel keeps its reconnect backoff at 2 s at most); this class
// only makes the loss and the return visible. Lives on the thread that created it (the GUI thread);
// probes are async and never block it; one probe is in flight at most, and answers of a client that
// was replaced are dropped.
class ConnectionWatch : public QObject
{
    Q_OBJECT
public:
    struct Timing
    {
        std::chrono::milliseconds interval{3000};     // between probes while the server answers
        std::chrono::milliseconds lostInterval{1000}; // between probes while it does not
        std::chrono::milliseconds probeTimeout{3000}; // a probe slower than this counts as lost
    };

    explicit ConnectionWatch(QObject *parent = nullptr);
    ConnectionWatch(Timing timing, QObject *parent = nullptr);
    ~ConnectionWatch() override;

    // Starts watching this client (null: stops). The client is assumed reachable at first.
    void setClient(std::shared_ptr<MilvusClient> client);
    void setTiming(const Timing &timing) { m_timing = timing; } // from the next probe on
    bool isLost() const { return m_lost; }
    MilvusError lastError() const { return m_lastError; }
    int reconnects() const { return m_reconnects; }
    // Probes now instead of waiting for the timer (e.g. after a call failed with a transport error).
    void probeNow();

signals:
    void lost(const mx::MilvusError &error);
    void restored(const QString &version); // the server answers again (the same one or a restarted one)

private:
    void probe();
    void schedule();

    Timing m_timing;
    std::shared_ptr<MilvusClient> m_client;
    QTimer m_timer;
    bool m_lost = false;
    bool m_inFlight = false;
    int m_reconnects = 0;
    quint64 m_generation = 0;
    MilvusError m_lastError;
};

} // namespace mx
