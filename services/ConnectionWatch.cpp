#include "ConnectionWatch.h"

#include "MilvusClient.h"

namespace mx {

ConnectionWatch::ConnectionWatch(QObject *parent)
    : ConnectionWatch(Timing{}, parent)
{}

ConnectionWatch::ConnectionWatch(Timing timing, QObject *parent)
    : QObject(parent)
    , m_timing(timing)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionWatch::probe);
}

ConnectionWatch::~ConnectionWatch() = default;

void ConnectionWatch::setClient(std::shared_ptr<MilvusClient> client)
{
    ++m_generation;
    m_client = std::move(client);
    m_lost = false;
    m_inFlight = false;
    m_lastError = {};
    m_timer.stop();
    schedule();
}

void ConnectionWatch::probeNow()
{
    if (m_client && !m_inFlight) {
        m_timer.stop();
        probe();
    }
}

void ConnectionWatch::schedule()
{
    if (m_client && !m_inFlight)
        m_timer.start(m_lost ? m_timing.lostInterval : m_timing.interval);
}

void ConnectionWatch::probe()
{
    if (!m_client || m_inFlight)
        return;
    m_inFlight = true;
    const quint64 gen = m_generation;
    ServerRequest req;
    req.options.timeout = m_timing.probeTimeout;
    m_client->getVersionAsync(req)
        .then(this,
              [this, gen](const QString &version) {
                  if (gen != m_generation)
                      return;
                  m_inFlight = false;
                  if (m_lost) {
                      m_lost = false;
                      ++m_reconnects;
                      emit restored(version);
                  }
                  schedule();
              })
        .onFailed(this,
                  [this, gen](const MilvusException &e) {
                      if (gen != m_generation)
                          return;
                      m_inFlight = false;
                      m_lastError = e.error();
                      if (!m_lost) {
                          m_lost = true;
                          emit lost(m_lastError);
                      }
                      schedule();
                  })
        .onCanceled(this, [this, gen] {
            // Someone cancelled every call in flight (MilvusClient::cancelAll): no verdict, ask again.
            if (gen != m_generation)
                return;
            m_inFlight = false;
            schedule();
        });
}

} // namespace mx
