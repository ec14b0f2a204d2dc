#pragma once

#include <QString>

namespace mx {

// Files the data services read and write.
// - Csv: RFC 4180, UTF-8, a header row of field names. Vectors, arrays, sparse vectors and JSON fields
//   are JSON text in their cell; an empty unquoted cell is NULL, an empty string is written as "".
//   The dynamic field is one "$meta" column holding a JSON object.
// - Json: export writes one JSON array of row objects, one object per line (valid JSON that is also
//   easy to stream and diff); dynamic keys are top-level keys, as in a Milvus insert. Import accepts
//   that, or JSON Lines (one object per line), detected from the first character.
enum class DataFileFormat
{
    Auto, // import: from the file name (.csv, else JSON); export: same
    Csv,
    Json
};

inline DataFileFormat resolveFormat(DataFileFormat format, const QString &path)
{
    if (format != DataFileFormat::Auto)
        return format;
    return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? DataFileFormat::Csv
                                                                     : DataFileFormat::Json;
}

} // namespace mx
