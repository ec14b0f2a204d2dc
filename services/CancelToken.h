#pragma once

#include <QtGlobal>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace mx {

// A cancellation flag shared between whoever starts calls and whoever may stop them.
// Thread-safe. Callbacks registered before cancel() run once, on the thread that calls cancel(),
// under the token's lock (so they must not call back into the token); a callback registered after
// cancel() runs at once on the registering thread.
class CancelToken
{
public:
    using Callback = std::function<void()>;

    static std::shared_ptr<CancelToken> create() { return std::make_shared<CancelToken>(); }

    void cancel();
    bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }

    // Returns an id for unregister(); 0 when the token was already cancelled (callback already ran).
    quint64 registerCallback(Callback cb);
    void unregister(quint64 id);

private:
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    quint64 m_nextId = 1;
    std::map<quint64, Callback> m_callbacks;
};

// Registers a callback for the lifetime of the guard.
class CancelRegistration
{
public:
    CancelRegistration(const std::shared_ptr<CancelToken> &token, CancelToken::Callback cb);
    ~CancelRegistration();
    CancelRegistration(const CancelRegistration &) = delete;
    CancelRegistration &operator=(const CancelRegistration &) = delete;

private:
    std::shared_ptr<CancelToken> m_token;
    quint64 m_id = 0;
};

} // namespace mx
