#pragma once

#include "CallOptions.h"
#include "DataFileFormat.h"
#include "RecordConverter.h"

#include <QFuture>
#include <QMap>

#include <memory>

namespace mx {

class MilvusClient;

struct ImportOptions
{
    QString path;
    DataFileFormat format = DataFileFormat::Auto; // Auto: .csv is CSV, anything else JSON / JSON Lines
    QString collection;
    QString partition;
    QMap<QString, QString> columnMapping; // source column -> field; unlisted columns map by name
    int batchSize = 1000;                 // rows per Insert
    // false (default): validate the whole file first and insert nothing if any row is bad.
    // true: insert the good rows and report the bad ones in ImportResult::errors.
    bool continuePastErrors = false;
    int maxReportedErrors = 1000; // row errors kept (all are counted)
    // true: Upsert instead of Insert, so rows whose primary keys are already there are replaced, not
    // added again. The way to retry an import that failed part-way (server gone, timeout): the rows of
    // the batches that went in, and of the batch whose outcome is unknown, are not duplicated. Needs a
    // primary key the file provides (not auto_id).
    bool upsert = false;
    CallOptions options; // database and per-call timeout
};

struct ImportResult
{
    qint64 rowsRead = 0;
    qint64 inserted = 0;
    qint64 skipped = 0;         // bad rows left out (continuePastErrors only)
    QList<RowError> errors;     // the first maxReportedErrors of them
    QStringList ignoredColumns; // input columns that map to nothing
};

// Inserts a CSV or JSON file into a collection, in batches, checking every value against the schema
// before anything is sent (see ColumnBuilder / RecordConverter). By default the whole file is checked
// first, so a bad row anywhere (even the last of a million) inserts nothing; the error names the row and
// field. Files are stream-parsed twice in that mode rather than held in memory. Runs on
// dataThreadPool(); never blocks the caller.
// Progress: range 0..1000 (per mille of the work: checking the file, then inserting), text
// "Inserted 3,000 of 20,000 rows".
class EntityImporter
{
public:
    EntityImporter(std::shared_ptr<MilvusClient> client, ImportOptions options);
    ~EntityImporter(); // cancels a running import and waits for it to stop

    // Starts once (later calls return the same future). Finishes with the result, or MilvusException:
    // InvalidArgument naming the first bad row and field (detail lists the others; nothing inserted),
    // the server's error ("... 4,000 rows were inserted before it ...", with how to retry without
    // duplicates), or Cancelled with the rows inserted
    // so far (batches already sent stay in the collection).
    QFuture<ImportResult> start();
    // Thread-safe; aborts the Insert in flight and stops before the next row.
    void cancel();

private:
    std::shared_ptr<MilvusClient> m_client;
    ImportOptions m_options;
    std::shared_ptr<CancelToken> m_token;
    QFuture<ImportResult> m_future;
};

} // namespace mx
