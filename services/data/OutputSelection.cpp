#include "OutputSelection.h"

#include "MilvusError.h"

namespace mx {

namespace {
const QString kMeta = QStringLiteral("$meta");
}

QStringList OutputSelection::queryFields() const
{
    QStringList out = fields;
    if (allDynamic)
        out.append(kMeta);
    else
        out.append(dynamicKeys);
    return out;
}

OutputSelection OutputSelection::resolve(const CollectionSchema &schema, const QStringList &requested)
{
    const FieldSchema *pk = schema.primaryField();
    if (!pk)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Query"),
                   QStringLiteral("collection '%1' has no primary key field").arg(schema.name));
    bool dynamicEnabled = schema.enableDynamicField;
    for (const auto &f : schema.fields)
        dynamicEnabled = dynamicEnabled || f.isDynamic;

    OutputSelection s;
    s.fields.append(pk->name);
    const bool all = requested.isEmpty() || requested.contains(QStringLiteral("*"));
    for (const auto &f : schema.fields)
        if (!f.isPrimaryKey && !f.isDynamic && (all || requested.contains(f.name)))
            s.fields.append(f.name);
    s.allDynamic = dynamicEnabled && (all || requested.contains(kMeta));
    if (all)
        return s;
    for (const auto &name : requested) {
        if (name == kMeta || schema.field(name))
            continue;
        if (!dynamicEnabled)
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Query"),
                       QStringLiteral("collection '%1' has no field '%2'").arg(schema.name, name));
        if (!s.allDynamic && !s.dynamicKeys.contains(name))
            s.dynamicKeys.append(name);
    }
    return s;
}

} // namespace mx
