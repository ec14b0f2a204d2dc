#include "CancelToken.h"

namespace mx {

void CancelToken::cancel()
{
    // Callbacks run under the lock so that unregister() (called when a call ends and its context
    // is about to be destroyed) waits for a callback that is touching that context right now.
    std::lock_guard lock(m_mutex);
    if (m_cancelled.exchange(true, std::memory_order_acq_rel))
        return;
    for (auto &[id, cb] : m_callbacks)
        cb();
    m_callbacks.clear();
}

quint64 CancelToken::registerCallback(Callback cb)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_cancelled.load(std::memory_order_acquire)) {
            const quint64 id = m_nextId++;
            m_callbacks.emplace(id, std::move(cb));
            return id;
        }
    }
    cb();
    return 0;
}

void CancelToken::unregister(quint64 id)
{
    if (id == 0)
        return;
    std::lock_guard lock(m_mutex);
    m_callbacks.erase(id);
}

CancelRegistration::CancelRegistration(const std::shared_ptr<CancelToken> &token, CancelToken::Callback cb)
    : m_token(token)
{
    if (m_token)
        m_id = m_token->registerCallback(std::move(cb));
}

CancelRegistration::~CancelRegistration()
{
    if (m_token)
        m_token->unregister(m_id);
}

} // namespace mx
