#include "ExprLiteral.h"

#include <QStringList>

namespace mx {

QString exprStringLiteral(const QString &text)
{
    QString out;
    out.reserve(text.size() + 2);
    out.append(QLatin1Char('"'));
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '\\':
            out.append(QLatin1String("\\\\"));
            break;
        case '"':
            out.append(QLatin1String("\\\""));
            break;
        case '\n':
            out.append(QLatin1String("\\n"));
            break;
        case '\r':
            out.append(QLatin1String("\\r"));
            break;
        case '\t':
            out.append(QLatin1String("\\t"));
            break;
        default:
            // Every other control character goes in raw: Milvus Lite rejects \u, \x and octal escapes.
            out.append(c);
        }
    }
    out.append(QLatin1Char('"'));
    return out;
}

QString exprLiteral(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString:
        return exprStringLiteral(value.toString());
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::Short:
    case QMetaType::Char:
    case QMetaType::SChar:
        return QString::number(value.toLongLong());
    case QMetaType::ULongLong:
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return QString::number(value.toULongLong());
    default:
        return value.toString();
    }
}

QString exprInList(const QString &field, const QVariantList &keys)
{
    QStringList items;
    items.reserve(keys.size());
    for (const QVariant &k : keys)
        items.append(exprLiteral(k));
    return QStringLiteral("%1 in [%2]").arg(field, items.join(QStringLiteral(", ")));
}

} // namespace mx
