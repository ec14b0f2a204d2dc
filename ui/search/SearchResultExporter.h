#pragma once

#include "SearchOutcome.h"

#include <QByteArray>
#include <QFuture>
#include <QJsonObject>
#include <QString>

namespace mx {

// Serialises search results. Pure functions on a copy of the outcome, so they can run on any thread.
class SearchResultExporter
{
public:
    enum class Format
    {
        Auto, // from the file name: .json is JSON, anything else CSV
        Csv,
        Json
    };

    // RFC 4180 CSV with a header row: query, rank, id, [distance, relevance,] then the output fields.
    static QByteArray toCsv(const SearchOutcome &outcome);
    // {"collection", "mode", "metric", "nq", "timing_ms": {...}, "results": [{"query", "rank", "id",
    // ["distance", "relevance",] "fields"}]}; query and rank are 1-based.
    static QJsonObject toJson(const SearchOutcome &outcome);
    // One hit as the JSON export writes it.
    static QJsonObject rowJson(const SearchOutcome &outcome, const SearchResultRow &row);
    // The same as indented JSON text with the keys in reading order (query, rank, id, scores, fields), for
    // the detail pane; QJsonObject would sort them alphabetically.
    static QString rowJsonText(const SearchOutcome &outcome, const SearchResultRow &row);

    // Writes the file on a pool thread; the future fails with MilvusException(InvalidArgument) when the
    // file cannot be written.
    static QFuture<void> write(const SearchOutcome &outcome, const QString &path,
                               Format format = Format::Auto);

    // A cell as text: strings verbatim, numbers as numbers, JSON and arrays as compact JSON.
    static QString cellText(const QVariant &value);
};

} // namespace mx
