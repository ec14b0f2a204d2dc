#pragma once

// The schema the import fuzz targets convert rows against: one field of every type the importer takes,
// with small limits so the fuzzer reaches the length checks.

#include "MilvusTypes.h"

namespace mx::fuzz {

inline FieldSchema field(const QString &name, DataType type, QMap<QString, QString> params = {},
                         DataType element = DataType::None)
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    f.elementType = element;
    f.typeParams = std::move(params);
    return f;
}

inline CollectionSchema importSchema()
{
    CollectionSchema s;
    s.enableDynamicField = true;
    FieldSchema id = field(QStringLiteral("id"), DataType::Int64);
    id.isPrimaryKey = true;
    const auto dim = [](const char *n) {
        return QMap<QString, QString>{{QStringLiteral("dim"), QString::fromLatin1(n)}};
    };
    const auto len = [](const char *n) {
        return QMap<QString, QString>{{QStringLiteral("max_length"), QString::fromLatin1(n)}};
    };
    QMap<QString, QString> arrayParams{{QStringLiteral("max_capacity"), QStringLiteral("4")},
                                       {QStringLiteral("max_length"), QStringLiteral("8")}};
    s.fields = {id,
                field(QStringLiteral("vec"), DataType::FloatVector, dim("4")),
                field(QStringLiteral("bin"), DataType::BinaryVector, dim("16")),
                field(QStringLiteral("sparse"), DataType::SparseFloatVector),
                field(QStringLiteral("title"), DataType::VarChar, len("16")),
                field(QStringLiteral("flag"), DataType::Bool),
                field(QStringLiteral("i8"), DataType::Int8),
                field(QStringLiteral("i16"), DataType::Int16),
                field(QStringLiteral("i32"), DataType::Int32),
                field(QStringLiteral("f"), DataType::Float),
                field(QStringLiteral("d"), DataType::Double),
                field(QStringLiteral("meta"), DataType::Json),
                field(QStringLiteral("tags"), DataType::Array, arrayParams, DataType::Int64),
                field(QStringLiteral("words"), DataType::Array, arrayParams, DataType::VarChar)};
    s.fields[5].nullable = true;
    return s;
}

} // namespace mx::fuzz
