#pragma once

#include "ServerCapabilities.h"

#include "MilvusTypes.h"

#include <QString>
#include <QStringList>
#include <QVariant>

namespace mx {

// One build parameter of an index type, with the range and default the editor offers.
struct IndexParamSpec
{
    enum class Kind
    {
        Int,
        Double,
        Bool,
        Choice,
        Text
    };
    QString key; // as Milvus spells it in the index params, e.g. "efConstruction"
    Kind kind = Kind::Int;
    double minimum = 0;
    double maximum = 0;
    QVariant defaultValue;
    QStringList choices; // Kind::Choice
    QString help;
};

// What Milvus accepts per field type: index types, metrics and build parameters. Data only, so that the
// dialog stays about widgets and the rules can be read (and tested) in one place.
class IndexCatalog
{
public:
    // Index types for a field, the recommended one first. Empty for a type that cannot be indexed.
    // The index types the server builds for the field (every type this app knows when caps is unknown).
    static QStringList indexTypes(const FieldSchema &field, const ServerCapabilities &caps = {});
    // Metrics for a vector field (empty for scalars); defaultMetric() is the one preselected.
    static QStringList metricTypes(DataType type);
    static QString defaultMetric(DataType type);
    static QList<IndexParamSpec> buildParams(const QString &indexType, const FieldSchema &field);
    // One sentence on what the index is good for.
    static QString summary(const QString &indexType);
    // Whether Milvus Lite builds this index type (it accepts others, then fails when loading).
    static bool builtByMilvusLite(const QString &indexType, DataType type);
};

} // namespace mx
