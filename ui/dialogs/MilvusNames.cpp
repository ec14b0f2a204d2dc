#include "MilvusNames.h"

#include <QObject>

namespace mx {

namespace {
bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}
} // namespace

QString milvusNameProblem(const QString &name, const QString &what)
{
    if (name.isEmpty())
        return QObject::tr("Enter a %1 name.").arg(what);
    if (name.size() > kMaxMilvusNameLength)
        return QObject::tr("A %1 name has at most %2 characters (this one has %3).")
            .arg(what)
            .arg(kMaxMilvusNameLength)
            .arg(name.size());
    const QChar first = name.front();
    if (first != u'_' && !isAsciiLetter(first))
        return QObject::tr("A %1 name must start with a letter or an underscore.").arg(what);
    for (QChar c : name) {
        if (c != u'_' && !isAsciiLetter(c) && !(c >= u'0' && c <= u'9'))
            return QObject::tr(
                       "A %1 name may contain only letters, digits and underscores (%2 is not allowed).")
                .arg(what, c.isSpace() ? QObject::tr("a space") : QStringLiteral("'%1'").arg(c));
    }
    return {};
}

} // namespace mx
