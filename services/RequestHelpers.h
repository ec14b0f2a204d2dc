#pragma once

// Private to the client files in services/ (MilvusClient*.cpp, admin/AdminClient.cpp): the small helpers
// their request builders and answer converters share.

#include "MilvusError.h"

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
