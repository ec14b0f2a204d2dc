#include "IoPool.h"

#include <QThread>
#include <QThreadPool>

namespace mx {

QThreadPool *ioPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool; // leaked on purpose: outlives every static that may still queue work
        p->setMaxThreadCount(std::max(4, QThread::idealThreadCount() * 2));
        p->setObjectName(QStringLiteral("mx-io"));
        return p;
    }();
    return pool;
}

} // namespace mx
