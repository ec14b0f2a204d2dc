#pragma once

#include "MilvusRequests.h"

#include <QList>
#include <QString>

namespace mx {

// One thing wrong with a schema. `field` is the index in CollectionSchema::fields, or -1 when the
// problem belongs to the schema as a whole (no primary key, no vector field, ...).
struct SchemaProblem
{
    int field = -1;
    QString message;
    bool operator==(const SchemaProblem &) const = default;
};

// Milvus's rules for a new collection, checked before sending so that the schema editor can say what
// is wrong while the user edits. Pure functions, no widgets: safe to call on every keystroke.
class SchemaValidator
{
public:
    static constexpr int kMinDim = 1;
    static constexpr int kMaxDim = 32768;
    static constexpr int kMaxVarCharLength = 65535;
    static constexpr int kMaxArrayCapacity = 4096;
    static constexpr int kMaxFields = 64;
    static constexpr int kMaxVectorFields = 4;
    static constexpr int kMaxPartitions = 1024;

    // Every problem of the request's schema (not of the collection name: see milvusNameProblem), in
    // field order; empty when Milvus should accept it.
    static QList<SchemaProblem> validate(const CreateCollectionRequest &request);

    // Reads the text typed as a default value for `field`: a bool, an integer in the type's range, a
    // number or a string within max_length. Returns an invalid QVariant for empty text; on a parse
    // failure also sets *error.
    static QVariant parseDefaultValue(const QString &text, const FieldSchema &field, QString *error);

    // Whether the type has a given property at all, so the editor can disable what does not apply.
    static bool needsDim(DataType type);
    static bool canBePrimaryKey(DataType type);
    static bool canBePartitionKey(DataType type);
    static bool canHaveDefault(DataType type);
    static bool canBeNullable(DataType type);
    static bool isValidArrayElement(DataType type);
};

} // namespace mx
