#include "PrivilegeCatalog.h"

namespace mx::privileges {

QStringList objectTypes()
{
    return {QStringLiteral("Collection"), QStringLiteral("Global"), QStringLiteral("User")};
}

QStringList forObjectType(const QString &objectType)
{
    if (objectType == QLatin1String("Collection"))
        return {QStringLiteral("Load"),          QStringLiteral("Release"),
                QStringLiteral("Compaction"),    QStringLiteral("Insert"),
                QStringLiteral("Delete"),        QStringLiteral("Upsert"),
                QStringLiteral("GetStatistics"), QStringLiteral("CreateIndex"),
                QStringLiteral("IndexDetail"),   QStringLiteral("DropIndex"),
                QStringLiteral("Search"),        QStringLiteral("Flush"),
                QStringLiteral("Query"),         QStringLiteral("LoadBalance"),
                QStringLiteral("Import"),        QStringLiteral("GetLoadingProgress"),
                QStringLiteral("GetLoadState")};
    if (objectType == QLatin1String("Global"))
        return {QStringLiteral("All"),
                QStringLiteral("CreateCollection"),
                QStringLiteral("DropCollection"),
                QStringLiteral("DescribeCollection"),
                QStringLiteral("ShowCollections"),
                QStringLiteral("RenameCollection"),
                QStringLiteral("CreateOwnership"),
                QStringLiteral("DropOwnership"),
                QStringLiteral("SelectOwnership"),
                QStringLiteral("ManageOwnership"),
                QStringLiteral("CreateResourceGroup"),
                QStringLiteral("DropResourceGroup"),
                QStringLiteral("DescribeResourceGroup"),
                QStringLiteral("ListResourceGroups"),
                QStringLiteral("TransferReplica"),
                QStringLiteral("TransferNode"),
                QStringLiteral("FlushAll"),
                QStringLiteral("CreateDatabase"),
                QStringLiteral("DropDatabase"),
                QStringLiteral("ListDatabases")};
    if (objectType == QLatin1String("User"))
        return {QStringLiteral("UpdateUser"), QStringLiteral("SelectUser")};
    return {};
}

QList<Grant> readOnlyOnCollection(const QString &role, const QString &collection)
{
    QList<Grant> out;
    for (const char *p : {"DescribeCollection", "ShowCollections"})
        out.append({role, QStringLiteral("Global"), QStringLiteral("*"), QString::fromLatin1(p), {}, {}});
    // 2.3 checks Load for GetLoadState and GetLoadingProgress (the app reads the load state of what it
    // browses), so read-only use includes Load; later servers check GetLoadState / GetLoadingProgress.
    for (const char *p :
         {"Load", "GetLoadState", "GetLoadingProgress", "GetStatistics", "IndexDetail", "Query", "Search"})
        out.append({role, QStringLiteral("Collection"), collection, QString::fromLatin1(p), {}, {}});
    return out;
}

bool covers(const Grant &g, const QString &objectType, const QString &objectName, const QString &privilege)
{
    if (g.objectType != objectType)
        return false;
    if (g.objectName != QLatin1String("*") && g.objectName != objectName)
        return false;
    return g.privilege == privilege || g.privilege == QLatin1String("*") ||
           g.privilege == QLatin1String("All");
}

} // namespace mx::privileges
