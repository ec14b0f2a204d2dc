#include "SchemaValidator.h"

#include "MilvusNames.h"

#include <QHash>
#include <QObject>

#include <cmath>
#include <limits>

namespace mx {

namespace {

// The row number as well as the name: with duplicate names the name alone does not say which row.
QString fieldLabel(const FieldSchema &f, int index)
{
    return f.name.isEmpty() ? QObject::tr("Field %1").arg(index + 1)
                            : QObject::tr("Field %1 '%2'").arg(index + 1).arg(f.name);
}

// Checks a numeric type parameter kept as typed text; returns the problem or an empty string.
QString rangeProblem(const FieldSchema &f, const QString &key, int min, int max)
{
    const QString text = f.typeParams.value(key).trimmed();
    if (text.isEmpty())
        return QObject::tr("%1 is required (%2..%3).").arg(key).arg(min).arg(max);
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min || v > max)
        return QObject::tr("%1 must be between %2 and %3 (is %4).").arg(key).arg(min).arg(max).arg(text);
    return {};
}

} // namespace

bool SchemaValidator::needsDim(DataType type)
{
    return isVectorType(type) && type != DataType::SparseFloatVector;
}

bool SchemaValidator::canBePrimaryKey(DataType type)
{
    return type == DataType::Int64 || type == DataType::VarChar;
}

bool SchemaValidator::canBePartitionKey(DataType type)
{
    return type == DataType::Int64 || type == DataType::VarChar;
}

bool SchemaValidator::canHaveDefault(DataType type)
{
    switch (type) {
    case DataType::Bool:
    case DataType::Int8:
    case DataType::Int16:
    case DataType::Int32:
    case DataType::Int64:
    case DataType::Float:
    case DataType::Double:
    case DataType::VarChar:
        return true;
    default:
        return false;
    }
}

bool SchemaValidator::canBeNullable(DataType type)
{
    return type != DataType::None && !isVectorType(type);
}

bool SchemaValidator::isValidArrayElement(DataType type)
{
    return canHaveDefault(type); // the scalar types, exactly the ones an array may hold
}

QVariant SchemaValidator::parseDefaultValue(const QString &rawText, const FieldSchema &field, QString *error)
{
    const QString text = field.type == DataType::VarChar ? rawText : rawText.trimmed();
    if (text.isEmpty())
        return {};
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return QVariant();
    };
    switch (field.type) {
    case DataType::Bool:
        if (text.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return true;
        if (text.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            return false;
        return fail(QObject::tr("the default of a Bool is true or false."));
    case DataType::Int8:
    case DataType::Int16:
    case DataType::Int32:
    case DataType::Int64: {
        bool ok = false;
        const qint64 v = text.toLongLong(&ok);
        const int bits = field.type == DataType::Int8    ? 8
                         : field.type == DataType::Int16 ? 16
                         : field.type == DataType::Int32 ? 32
                                                         : 64;
        const qint64 max = bits == 64 ? std::numeric_limits<qint64>::max() : (qint64(1) << (bits - 1)) - 1;
        const qint64 min = bits == 64 ? std::numeric_limits<qint64>::min() : -(qint64(1) << (bits - 1));
        if (!ok || v < min || v > max)
            return fail(QObject::tr("the default must be an integer between %1 and %2.").arg(min).arg(max));
        return bits == 64 ? QVariant(v) : QVariant(int(v));
    }
    case DataType::Float:
    case DataType::Double: {
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return fail(QObject::tr("the default must be a number (e.g. 0.5)."));
        if (field.type == DataType::Float) {
            if (std::abs(v) > double(std::numeric_limits<float>::max()))
                return fail(QObject::tr("the default is out of range for a Float."));
            return QVariant(float(v));
        }
        return QVariant(v);
    }
    case DataType::VarChar: {
        bool ok = false;
        const int maxLength = field.typeParams.value(QStringLiteral("max_length")).toInt(&ok);
        // Milvus counts max_length in bytes of UTF-8.
        if (ok && text.toUtf8().size() > maxLength)
            return fail(QObject::tr("the default is longer than max_length (%1 bytes).").arg(maxLength));
        return text;
    }
    default:
        return fail(QObject::tr("a %1 field cannot have a default value.").arg(dataTypeName(field.type)));
    }
}

QList<SchemaProblem> SchemaValidator::validate(const CreateCollectionRequest &request)
{
    QList<SchemaProblem> out;
    const QList<FieldSchema> &fields = request.schema.fields;
    const auto add = [&out](int field, const QString &message) { out.append({field, message}); };

    QHash<QString, int> firstIndexOfName;
    QList<int> primaryKeys;
    QList<int> partitionKeys;
    int vectorFields = 0;
    for (int i = 0; i < fields.size(); ++i) {
        const FieldSchema &f = fields.at(i);
        const QString label = fieldLabel(f, i);
        const QString nameProblem = milvusNameProblem(f.name, QObject::tr("field"));
        if (!nameProblem.isEmpty())
            add(i, QObject::tr("Field %1: %2").arg(i + 1).arg(nameProblem));
        else if (firstIndexOfName.contains(f.name))
            add(i, QObject::tr("Field name '%1' is used more than once (fields %2 and %3).")
                       .arg(f.name)
                       .arg(firstIndexOfName.value(f.name) + 1)
                       .arg(i + 1));
        else
            firstIndexOfName.insert(f.name, i);

        if (f.type == DataType::None) {
            add(i, QObject::tr("%1: choose a type.").arg(label));
            continue;
        }
        if (isVectorType(f.type))
            ++vectorFields;
        if (f.isPrimaryKey)
            primaryKeys.append(i);
        if (f.isPartitionKey)
            partitionKeys.append(i);

        if (needsDim(f.type)) {
            const QString p = rangeProblem(f, QStringLiteral("dim"), kMinDim, kMaxDim);
            if (!p.isEmpty())
                add(i, QStringLiteral("%1: %2").arg(label, p));
        }
        if (f.type == DataType::VarChar) {
            const QString p = rangeProblem(f, QStringLiteral("max_length"), 1, kMaxVarCharLength);
            if (!p.isEmpty())
                add(i, QStringLiteral("%1: %2").arg(label, p));
        }
        if (f.type == DataType::Array) {
            if (!isValidArrayElement(f.elementType)) {
                add(i, QObject::tr("%1: choose the element type of the array.").arg(label));
            } else if (f.elementType == DataType::VarChar) {
                const QString p = rangeProblem(f, QStringLiteral("max_length"), 1, kMaxVarCharLength);
                if (!p.isEmpty())
                    add(i, QObject::tr("%1: VarChar elements: %2").arg(label, p));
            }
            const QString p = rangeProblem(f, QStringLiteral("max_capacity"), 1, kMaxArrayCapacity);
            if (!p.isEmpty())
                add(i, QStringLiteral("%1: %2").arg(label, p));
        }
        if (f.autoId && !f.isPrimaryKey)
            add(i, QObject::tr("%1: auto_id applies only to the primary key.").arg(label));
        if (f.nullable && !canBeNullable(f.type))
            add(i, QObject::tr("%1: a %2 field cannot be nullable.").arg(label, dataTypeName(f.type)));
        if (f.defaultValue.isValid() && !canHaveDefault(f.type))
            add(i,
                QObject::tr("%1: a %2 field cannot have a default value.").arg(label, dataTypeName(f.type)));
        if (f.isPrimaryKey) {
            if (!canBePrimaryKey(f.type))
                add(i, QObject::tr("%1: the primary key must be Int64 or VarChar, not %2.")
                           .arg(label, dataTypeName(f.type)));
            if (f.nullable)
                add(i, QObject::tr("%1: the primary key cannot be nullable.").arg(label));
            if (f.defaultValue.isValid())
                add(i, QObject::tr("%1: the primary key cannot have a default value.").arg(label));
        }
        if (f.isPartitionKey) {
            if (f.isPrimaryKey)
                add(i, QObject::tr("%1: the partition key cannot be the primary key.").arg(label));
            else if (!canBePartitionKey(f.type))
                add(i, QObject::tr("%1: the partition key must be Int64 or VarChar, not %2.")
                           .arg(label, dataTypeName(f.type)));
            if (f.nullable)
                add(i, QObject::tr("%1: the partition key cannot be nullable.").arg(label));
        }
    }

    const auto names = [&fields](const QList<int> &indexes) {
        QStringList out;
        for (int i : indexes)
            out.append(fields.at(i).name.isEmpty() ? QObject::tr("field %1").arg(i + 1) : fields.at(i).name);
        return out.join(QStringLiteral(", "));
    };
    if (primaryKeys.isEmpty())
        add(-1, QObject::tr("Mark one field as the primary key (Int64 or VarChar)."));
    else if (primaryKeys.size() > 1)
        add(-1, QObject::tr("Only one field can be the primary key (now: %1).").arg(names(primaryKeys)));
    if (partitionKeys.size() > 1)
        add(-1,
            QObject::tr("At most one field can be the partition key (now: %1).").arg(names(partitionKeys)));
    if (!partitionKeys.isEmpty() && (request.numPartitions < 1 || request.numPartitions > kMaxPartitions))
        add(-1, QObject::tr("The number of partitions must be between 1 and %1.").arg(kMaxPartitions));
    if (vectorFields == 0)
        add(-1, QObject::tr("Add a vector field (FloatVector or SparseFloatVector): Milvus requires at least "
                            "one."));
    else if (vectorFields > kMaxVectorFields)
        add(-1, QObject::tr("Milvus allows at most %1 vector fields in a collection (this schema has %2).")
                    .arg(kMaxVectorFields)
                    .arg(vectorFields));
    if (fields.size() > kMaxFields)
        add(-1, QObject::tr("Milvus allows at most %1 fields in a collection (this schema has %2).")
                    .arg(kMaxFields)
                    .arg(fields.size()));
    return out;
}

} // namespace mx
