#pragma once

#include "MilvusTypes.h"

#include <QStringList>

namespace mx {

// Which fields a browser page or an export asks for. Requested names are schema fields, "$meta" (every
// dynamic key) or single dynamic keys; an empty request means everything. The primary key always
// comes first, then schema fields in schema order. Pure value type.
struct OutputSelection
{
    QStringList fields;      // schema fields to read, primary key first
    QStringList dynamicKeys; // single dynamic keys asked for by name (unused when allDynamic)
    bool allDynamic = false; // every dynamic key ("$meta")

    bool includesDynamic() const { return allDynamic || !dynamicKeys.isEmpty(); }
    // Output fields for the Query request.
    QStringList queryFields() const;

    // Throws MilvusException(InvalidArgument) for a name that is no field of a collection without a
    // dynamic field, and for a schema without a primary key.
    static OutputSelection resolve(const CollectionSchema &schema, const QStringList &requested);
};

} // namespace mx
