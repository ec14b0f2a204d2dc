#include "ServerCapabilities.h"

#include <QObject>
#include <QRegularExpression>

#include <tuple>

namespace mx {

ServerCapabilities ServerCapabilities::fromVersion(const QString &version)
{
    ServerCapabilities c;
    c.version = version.trimmed();
    static const QRegularExpression numbers(QStringLiteral("(\\d+)\\.(\\d+)(?:\\.(\\d+))?"));
    const QRegularExpressionMatch m = numbers.match(c.version);
    if (m.hasMatch()) {
        c.major = m.captured(1).toInt();
        c.minor = m.captured(2).toInt();
        c.patch = m.captured(3).toInt();
    }
    if (c.version.startsWith(QLatin1String("milvus_lite"), Qt::CaseInsensitive))
        c.flavor = Flavor::MilvusLite;
    else if (m.hasMatch() && c.major == 2)
        c.flavor = Flavor::Milvus; // "v2.3.5-lite" is the embedded full server, not Milvus Lite
    return c;
}

bool ServerCapabilities::atLeast(int maj, int min, int pat) const
{
    return std::tie(major, minor, patch) >= std::tie(maj, min, pat);
}

bool ServerCapabilities::has(Feature f) const
{
    if (flavor == Flavor::Unknown)
        return f != Feature::LoadWithoutIndex;
    const bool lite = flavor == Flavor::MilvusLite;
    switch (f) {
    case Feature::NullableAndDefault:
        return lite || atLeast(2, 5);
    case Feature::MultipleVectorFields:
    case Feature::SparseVectors:
    case Feature::HybridSearch:
        return lite || atLeast(2, 4);
    case Feature::BinaryVectors:
        return !lite;
    case Feature::Float16Vectors:
        return !lite && atLeast(2, 4);
    case Feature::Int8Vectors:
        return !lite && atLeast(2, 6);
    case Feature::TruncateCollection:
        return lite || atLeast(2, 6);
    case Feature::Databases:
    case Feature::PartitionKey:
        return lite || atLeast(2, 2, 9);
    case Feature::Rbac:
    case Feature::LoadPartitions:
    case Feature::BuildProgress:
    case Feature::Metrics:
    case Feature::Segments:
        return !lite;
    case Feature::LoadWithoutIndex:
        return lite;
    case Feature::SearchByPrimaryKeys:
        return !lite && atLeast(2, 6);
    }
    return true;
}

QString ServerCapabilities::lacks(Feature f) const
{
    if (has(f))
        return {};
    const QString who = displayName();
    switch (f) {
    case Feature::NullableAndDefault:
        return QObject::tr("%1 has no nullable fields or default values (Milvus 2.5 added them).").arg(who);
    case Feature::MultipleVectorFields:
        return QObject::tr("%1 allows one vector field per collection (Milvus 2.4 allows several).").arg(who);
    case Feature::SparseVectors:
        return QObject::tr("%1 has no sparse vectors (Milvus 2.4 added them).").arg(who);
    case Feature::HybridSearch:
        return QObject::tr("%1 has no hybrid search (Milvus 2.4 added it).").arg(who);
    case Feature::BinaryVectors:
        return QObject::tr("%1 has no binary vectors.").arg(who);
    case Feature::Float16Vectors:
        return QObject::tr("%1 has no float16 or bfloat16 vectors.").arg(who);
    case Feature::Int8Vectors:
        return QObject::tr("%1 has no int8 vectors (Milvus 2.6 added them).").arg(who);
    case Feature::TruncateCollection:
        return QObject::tr("%1 cannot truncate a collection (drop and re-create it instead).").arg(who);
    case Feature::Databases:
        return QObject::tr("%1 has one database only.").arg(who);
    case Feature::PartitionKey:
        return QObject::tr("%1 has no partition keys.").arg(who);
    case Feature::Rbac:
        return QObject::tr("%1 has no users, roles or privileges.").arg(who);
    case Feature::LoadWithoutIndex:
        return QObject::tr("%1 loads a collection only once its vector fields have an index.").arg(who);
    case Feature::LoadPartitions:
        return QObject::tr("%1 loads and releases whole collections only.").arg(who);
    case Feature::SearchByPrimaryKeys:
        return QObject::tr("%1 cannot search by primary key: the entity's vector is fetched and searched "
                           "with instead.")
            .arg(who);
    case Feature::BuildProgress:
        return QObject::tr("%1 does not report index build progress.").arg(who);
    case Feature::Metrics:
        return QObject::tr("%1 has no system metrics.").arg(who);
    case Feature::Segments:
        return QObject::tr("%1 has no segments to inspect and no manual compaction.").arg(who);
    }
    return {};
}

QString ServerCapabilities::displayName() const
{
    const QString v = QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(patch);
    switch (flavor) {
    case Flavor::MilvusLite:
        return QStringLiteral("Milvus Lite %1").arg(v);
    case Flavor::Milvus:
        return QStringLiteral("Milvus %1").arg(v);
    case Flavor::Unknown:
        break;
    }
    return version.isEmpty() ? QObject::tr("this server") : version;
}

bool ServerCapabilities::supportsType(DataType type) const
{
    return typeUnsupportedReason(type).isEmpty();
}

QString ServerCapabilities::typeUnsupportedReason(DataType type) const
{
    switch (type) {
    case DataType::SparseFloatVector:
        return lacks(Feature::SparseVectors);
    case DataType::BinaryVector:
        return lacks(Feature::BinaryVectors);
    case DataType::Float16Vector:
    case DataType::BFloat16Vector:
        return lacks(Feature::Float16Vectors);
    case DataType::Int8Vector:
        return lacks(Feature::Int8Vectors);
    default:
        return {};
    }
}

} // namespace mx
