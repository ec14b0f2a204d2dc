#pragma once

#include "CallOptions.h"
#include "DataFileFormat.h"

#include <QFuture>
#include <QStringList>

#include <memory>

namespace mx {

class MilvusClient;

struct ExportOptions
{
    QString collection;
    QString filter;           // empty: every row
    QStringList outputFields; // empty: every field and the dynamic keys (see OutputSelection)
    QString path;
    DataFileFormat format = DataFileFormat::Auto; // Auto: .csv is CSV, anything else JSON
    int batchSize = 1000;                         // rows per Query page
    CallOptions options;                          // database and per-call timeout
};

struct ExportResult
{
    qint64 rows = 0;  // rows written
    qint64 total = 0; // count(*) of the filter when the export started
    QString path;
    DataFileFormat format = DataFileFormat::Csv;
};

// Writes EVERY row matching a filter (not one page) to a CSV or JSON file, paging by primary-key
// cursor (PkCursor) and streaming each page to disk, so memory stays at one page. Runs on
// dataThreadPool(); never blocks the caller. Progress: the future's range is 0..count(*) and its
// value the rows written (text "12,000 of 50,000 rows"). The file appears only when the export
// completes (QSaveFile) with as many rows as count(*) gave at its start: a failed or cancelled export,
// or one that read another number of rows (ErrorKind::Inconsistent), leaves no partial file behind.
// JSON cells (and the dynamic field's keys) are written byte for byte as the server sent them.
class EntityExporter
{
public:
    EntityExporter(std::shared_ptr<MilvusClient> client, ExportOptions options);
    ~EntityExporter(); // cancels a running export and waits for it to stop

    // Starts once (later calls return the same future). The future finishes with the result, or with
    // MilvusException: Cancelled after cancel() ("cancelled after 3,000 of 10,000 rows; no file
    // written"), the server's error (e.g. a malformed filter), or a file error.
    QFuture<ExportResult> start();
    // Thread-safe; aborts the Query in flight and stops before the next page.
    void cancel();

private:
    std::shared_ptr<MilvusClient> m_client;
    ExportOptions m_options;
    std::shared_ptr<CancelToken> m_token;
    QFuture<ExportResult> m_future;
};

} // namespace mx
