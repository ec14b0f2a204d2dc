#include "FakeOperation.h"

#include "CpuClock.h"
#include "MilvusError.h"

namespace mx::test {

FakeOperation::FakeOperation(Settings settings)
    : m_settings(settings)
    , m_scheduler([this] { schedulerLoop(); })
{}

FakeOperation::~FakeOperation()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_scheduler.join();
    for (auto &[due, p] : m_pending)
        finish(p, true);
}

OpResult FakeOperation::result() const
{
    OpResult r;
    r.rows = m_settings.rowsPerOp;
    r.milvusNs = m_settings.latencyNs;
    r.opName = QStringLiteral("fake");
    return r;
}

void FakeOperation::finish(Pending &p, bool cancelled)
{
    // Counted out before the promise finishes: finishing runs the caller's continuation, which may
    // start the next operation at once.
    m_inFlight.fetch_sub(1);
    if (cancelled) {
        p.promise->setException(MilvusException(MilvusError{
            ErrorKind::Cancelled, QStringLiteral("Fake"), 0, 0, 0, 0, QStringLiteral("cancelled"), {}}));
    } else if (p.fail) {
        p.promise->setException(MilvusException(MilvusError{
            ErrorKind::Milvus, QStringLiteral("Fake"), 0, 65535, 0, 0, QStringLiteral("told to fail"), {}}));
    } else {
        p.promise->addResult(result());
    }
    p.promise->finish();
}

void FakeOperation::stallIfDue(qint64 index)
{
    if (index == m_settings.stallAtIndex && !m_stalled.exchange(true))
        std::this_thread::sleep_for(std::chrono::nanoseconds(m_settings.stallNs));
}

OpResult FakeOperation::run(qint64 index, const CallOptions &options)
{
    ++m_started;
    stallIfDue(index);
    if (m_settings.latencyNs > 0)
        std::this_thread::sleep_for(std::chrono::nanoseconds(m_settings.latencyNs));
    if (options.cancel && options.cancel->isCancelled())
        throwError(ErrorKind::Cancelled, QStringLiteral("Fake"), QStringLiteral("cancelled"));
    if (m_settings.failEvery > 0 && (index + 1) % m_settings.failEvery == 0)
        throw MilvusException(MilvusError{
            ErrorKind::Milvus, QStringLiteral("Fake"), 0, 65535, 0, 0, QStringLiteral("told to fail"), {}});
    return result();
}

QFuture<OpResult> FakeOperation::start(qint64 index, const CallOptions &options)
{
    ++m_started;
    stallIfDue(index);
    const qint64 now = m_inFlight.fetch_add(1) + 1;
    qint64 prev = m_maxInFlight.load();
    while (now > prev && !m_maxInFlight.compare_exchange_weak(prev, now)) {
    }
    Pending p;
    p.promise = std::make_shared<QPromise<OpResult>>();
    p.cancel = options.cancel;
    p.fail = m_settings.failEvery > 0 && (index + 1) % m_settings.failEvery == 0;
    QFuture<OpResult> f = p.promise->future();
    p.promise->start();
    if (m_settings.latencyNs <= 0) {
        finish(p, false);
        return f;
    }
    {
        std::lock_guard lock(m_mutex);
        m_pending.emplace(CpuClock::steadyNowNs() + m_settings.latencyNs, std::move(p));
    }
    m_wake.notify_all();
    return f;
}

void FakeOperation::schedulerLoop()
{
    std::unique_lock lock(m_mutex);
    while (!m_quit) {
        const qint64 now = CpuClock::steadyNowNs();
        std::vector<std::pair<Pending, bool>> due;
        for (auto it = m_pending.begin(); it != m_pending.end();) {
            const bool cancelled = it->second.cancel && it->second.cancel->isCancelled();
            if (it->first <= now || cancelled) {
                due.emplace_back(std::move(it->second), cancelled);
                it = m_pending.erase(it);
            } else {
                ++it;
            }
        }
        if (!due.empty()) {
            lock.unlock();
            for (auto &[p, cancelled] : due)
                finish(p, cancelled);
            lock.lock();
            continue;
        }
        // Wake for the next due time, and every 2 ms to notice cancelled tokens.
        qint64 next = now + 2'000'000;
        if (!m_pending.empty())
            next = std::min(next, m_pending.begin()->first);
        m_wake.wait_until(lock, std::chrono::steady_clock::time_point(std::chrono::nanoseconds(next)));
    }
}

} // namespace mx::test
