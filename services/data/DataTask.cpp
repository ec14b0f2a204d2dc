#include "DataTask.h"

namespace mx {

QThreadPool *dataThreadPool()
{
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setObjectName(QStringLiteral("mx-data"));
        pool.setMaxThreadCount(4);
        pool.setExpiryTimeout(30000);
        return true;
    }();
    Q_UNUSED(configured);
    return &pool;
}

} // namespace mx
