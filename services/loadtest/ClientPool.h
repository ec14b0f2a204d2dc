#pragma once

#include "CallOptions.h"
#include "MilvusClient.h"

#include <QList>

#include <atomic>
#include <memory>
#include <vector>

namespace mx {

// The channels a load-test run spreads its operations over: N MilvusClient instances made from one
// ConnectionConfig, each its own gRPC channel and TCP connection (GrpcChannel gives every channel a
// local subchannel pool, so identical channels do not share a connection). Channel 0 is the engine's
// own client (setup, checks, cleanup); next() hands out the channels round-robin and counts what each
// was given. Thread-safe: next() and the counters may be used from any thread at once.
class ClientPool
{
public:
    // Makes channels - 1 clients beside `primary` (at least one channel in all). Throws what the
    // MilvusClient constructor throws. Does not connect: connectAll() does, outside the clock.
    ClientPool(std::shared_ptr<MilvusClient> primary, int channels);

    int size() const { return int(m_clients.size()); }
    const std::shared_ptr<MilvusClient> &at(int i) const { return m_clients.at(size_t(i)); }
    // The next channel, round-robin. The reference stays valid while the pool lives.
    MilvusClient &next();
    // Operations next() handed to each channel since the last resetCounts().
    QList<qint64> operationsPerChannel() const;
    void resetCounts();
    // One GetVersion on every channel but the primary, so each opens its connection before a timed
    // phase. Blocking; honours the options' deadline and cancel token; throws the first failure.
    void connectAll(const CallOptions &options) const;
    void cancelAll() const;

private:
    std::vector<std::shared_ptr<MilvusClient>> m_clients;
    std::unique_ptr<std::atomic<qint64>[]> m_counts;
    std::atomic<quint64> m_next{0};
};

} // namespace mx
