#pragma once

#include "MilvusError.h"

#include <QFuture>
#include <QMetaObject>
#include <QMutex>
#include <QObject>

#include <memory>

namespace mx {

// Hands a service future's outcome to a GUI object that may be destroyed while the call is still
// running. `.then(object, ...)` (Qt 6.4) reads its QPointer on the pool thread that finishes the future,
// racing the object's destruction on the GUI thread; here the pool thread posts under a mutex that
// the owner's destructor takes to close the gate, so nothing is posted to a dead object, and what was
// posted before is dropped with it (QObject removes its posted events). Own one per object; call
// close() first thing in its destructor. Outcomes arrive as queued calls on the object's thread.
class Delivery
{
public:
    explicit Delivery(QObject *receiver)
        : m_gate(std::make_shared<Gate>())
    {
        m_gate->receiver = receiver;
    }
    ~Delivery() { close(); }
    Delivery(const Delivery &) = delete;
    Delivery &operator=(const Delivery &) = delete;

    void close()
    {
        QMutexLocker lock(&m_gate->mutex);
        m_gate->receiver = nullptr;
    }

    // onValue(const T &) or onValue() for void; onError(const MilvusError &).
    template<typename T, typename OnValue, typename OnError>
    void deliver(QFuture<T> future, OnValue onValue, OnError onError) const
    {
        auto gate = m_gate;
        if constexpr (std::is_void_v<T>) {
            future.then([gate, onValue] { gate->post(onValue); })
                .onFailed([gate, onError](const MilvusException &e) {
                    gate->post([onError, error = e.error()] { onError(error); });
                });
        } else {
            future.then([gate, onValue](const T &value) { gate->post([onValue, value] { onValue(value); }); })
                .onFailed([gate, onError](const MilvusException &e) {
                    gate->post([onError, error = e.error()] { onError(error); });
                });
        }
    }

private:
    struct Gate
    {
        QMutex mutex;
        QObject *receiver = nullptr;
        template<typename Fn>
        void post(Fn fn)
        {
            QMutexLocker lock(&mutex);
            if (receiver)
                QMetaObject::invokeMethod(receiver, std::move(fn), Qt::QueuedConnection);
        }
    };
    std::shared_ptr<Gate> m_gate;
};

} // namespace mx
