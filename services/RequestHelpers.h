#pragma once

// Private to the client files in services/ (MilvusClient*.cpp, admin/AdminClient.cpp): the small helpers
// their request builders and answer converters share, and the names they use them by.

#include "MilvusError.h"

#include "milvus.pb.h"

#include <QMap>
#include <QString>

#include <string>

namespace mx::detail {

inline std::string ss(const QString &s)
{
    return s.toStdString();
}

inline QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

inline void requireName(const QString &name, const char *what, const char *op)
{
    if (name.trimmed().isEmpty())
        throwError(ErrorKind::InvalidArgument, QString::fromLatin1(op),
                   QStringLiteral("the %1 name is empty").arg(QLatin1String(what)));
}

// The converter of an RPC whose answer carries nothing but its status.
inline constexpr auto ignore = [](const auto &) {};
using StringMap = QMap<QString, QString>;

} // namespace mx::detail

namespace mx {
namespace pbm = ::milvus::proto::milvus;
namespace pbc = ::milvus::proto::common;
using detail::ignore;
using detail::qs;
using detail::requireName;
using detail::ss;
using detail::StringMap;
} // namespace mx
