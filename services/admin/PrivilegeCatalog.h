#pragma once

#include "AdminTypes.h"

#include <QStringList>

namespace mx {

// The privilege names a Milvus 2.3 server accepts in OperatePrivilege, by object type (the server's
// own table: pkg/util ObjectPrivileges), for the grant editor to offer. "*" as an object name means
// every object of the type. Plain functions; any thread.
namespace privileges {

QStringList objectTypes(); // "Collection", "Global", "User"
QStringList forObjectType(const QString &objectType);
// Read-only use of one collection as this app browses and searches it: describe and list
// collections (Global), load state, statistics, index detail, query and search (Collection).
QList<Grant> readOnlyOnCollection(const QString &role, const QString &collection);
// Whether `g` (a grant the server reported) covers privilege `privilege` on objectType/objectName.
bool covers(const Grant &g, const QString &objectType, const QString &objectName, const QString &privilege);

} // namespace privileges

} // namespace mx
