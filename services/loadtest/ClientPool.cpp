#include "ClientPool.h"

namespace mx {

ClientPool::ClientPool(std::shared_ptr<MilvusClient> primary, int channels)
{
    const ConnectionConfig config = primary->config();
    m_clients.push_back(std::move(primary));
    for (int i = 1; i < channels; ++i)
        m_clients.push_back(std::make_shared<MilvusClient>(config));
    m_counts = std::make_unique<std::atomic<qint64>[]>(m_clients.size());
    resetCounts();
}

MilvusClient &ClientPool::next()
{
    const size_t i = size_t(m_next.fetch_add(1, std::memory_order_relaxed) % m_clients.size());
    m_counts[i].fetch_add(1, std::memory_order_relaxed);
    return *m_clients[i];
}

QList<qint64> ClientPool::operationsPerChannel() const
{
    QList<qint64> out;
    for (size_t i = 0; i < m_clients.size(); ++i)
        out.append(m_counts[i].load(std::memory_order_relaxed));
    return out;
}

void ClientPool::resetCounts()
{
    for (size_t i = 0; i < m_clients.size(); ++i)
        m_counts[i].store(0, std::memory_order_relaxed);
    m_next.store(0, std::memory_order_relaxed);
}

void ClientPool::connectAll(const CallOptions &options) const
{
    for (size_t i = 1; i < m_clients.size(); ++i)
        m_clients[i]->getVersion(ServerRequest{options});
}

void ClientPool::cancelAll() const
{
    for (const auto &c : m_clients)
        c->cancelAll();
}

} // namespace mx
