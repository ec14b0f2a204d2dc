#pragma once

#include <QString>

namespace mx {

// Milvus accepts the same shape for collection, field, partition, database, alias and index names:
// ASCII letters, digits and underscores, starting with a letter or an underscore, at most 255
// characters. Checking it here lets a dialog say so while the user types instead of after a round trip.
inline constexpr int kMaxMilvusNameLength = 255;

// Returns an empty string when `name` is acceptable, else one sentence naming the problem; `what` is
// the kind of name ("collection", "field", ...) used in that sentence.
QString milvusNameProblem(const QString &name, const QString &what);

} // namespace mx
