#pragma once

#include "CallOptions.h"
#include "MilvusTypes.h"

#include <QFuture>

#include <memory>
#include <optional>

namespace mx {

class MilvusClient;

struct GenerateOptions
{
    QString collection;
    QString partition;
    qint64 rows = 1000;
    int batchSize = 1000;
    bool dynamicFields = true;      // add a few dynamic keys when the collection has a dynamic field
    std::optional<qint64> firstKey; // INT64: the first key; VARCHAR: the first key's number. Default: the
                                    // clock in ms, so that two runs do not write the same keys
    quint64 seed = 1;               // same seed, same rows
    int nullPercent = 10;           // share of NULL cells in nullable scalar fields
    CallOptions options;            // database and per-call timeout
};

struct GenerateResult
{
    qint64 inserted = 0;
    qint64 firstKey = 0; // the key (number) the rows started at; meaningless with auto_id
};

// Inserts N rows of plausible random data into a collection of ANY supported schema: every scalar
// type, JSON, arrays (within max_capacity), float and sparse vectors, VARCHAR within max_length,
// NULLs in nullable fields, no primary key with auto_id, optional dynamic keys. Every value goes
// through ColumnBuilder, the importer's checks, so generated data is always insertable. Runs on
// dataThreadPool(); progress range 0..rows, value rows inserted.
class SampleDataGenerator
{
public:
    SampleDataGenerator(std::shared_ptr<MilvusClient> client, GenerateOptions options);
    ~SampleDataGenerator(); // cancels a running generation and waits for it to stop

    // Starts once (later calls return the same future). Finishes with the result, or MilvusException:
    // InvalidArgument for a schema with field types it cannot fill, the server's error, or Cancelled
    // with the rows inserted so far.
    QFuture<GenerateResult> start();
    // Thread-safe; aborts the Insert in flight.
    void cancel();

    // Pure and thread-safe: `count` rows starting at row `firstRow` (keys firstKey + row).
    static QList<FieldColumn> makeRows(const CollectionSchema &schema, qint64 firstRow, int count,
                                       const GenerateOptions &options, qint64 firstKey);

private:
    std::shared_ptr<MilvusClient> m_client;
    GenerateOptions m_options;
    std::shared_ptr<CancelToken> m_token;
    QFuture<GenerateResult> m_future;
};

} // namespace mx
