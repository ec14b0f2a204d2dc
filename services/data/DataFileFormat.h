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
// In both, a BINARY_VECTOR of dim bits is the JSON array of its dim / 8 packed bytes, each 0-255
// (dimension 8 * i + k is bit 7 - k of byte i; the form Milvus bulk import and pymilvus's packbits use):
// dim 16 with dims 4-7 and 8, 10 set is [15,160]. FLOAT16 / BFLOAT16 / INT8 vectors are exported as
// their float values; import refuses them.
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
