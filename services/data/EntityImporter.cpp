#include "EntityImporter.h"

#include "CsvReader.h"
#include "DataTask.h"
#include "JsonRowReader.h"
#include "MilvusClient.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

namespace mx {

namespace {

const QString kOp = QStringLiteral("Import");

// One pass over the input file: reads records and hands them to the converter.
class RowSource
{
public:
    enum class Step
    {
        End,
        Added,
        Rejected
    };

    RowSource(QString path, DataFileFormat format)
        : m_path(std::move(path))
        , m_format(format)
    {}

    // (Re)opens the file at its start; for CSV binds the header, throwing when it cannot work.
    void open(RecordConverter &converter)
    {
        m_csv.reset();
        m_json.reset();
        m_file.close();
        m_file.setFileName(m_path);
        if (!m_file.open(QIODevice::ReadOnly))
            throwError(ErrorKind::InvalidArgument, kOp,
                       QStringLiteral("cannot read %1: %2").arg(m_path, m_file.errorString()));
        m_row = 0;
        if (m_format == DataFileFormat::Json) {
            m_json.emplace(&m_file);
            return;
        }
        m_csv.emplace(&m_file);
        CsvRecord header;
        if (!m_csv->next(header))
            throwError(ErrorKind::InvalidArgument, kOp,
                       m_csv->errorString().isEmpty()
                           ? QStringLiteral("%1 is empty (a CSV file needs a header row)").arg(m_path)
                           : m_csv->errorString());
        const QStringList problems = converter.setCsvHeader(header.fields);
        if (!problems.isEmpty()) {
            MilvusError e;
            e.kind = ErrorKind::InvalidArgument;
            e.operation = kOp;
            e.reason = problems.join(QStringLiteral("; ")) + QStringLiteral("; nothing was inserted");
            throw MilvusException(e);
        }
    }

    Step next(RecordConverter &converter, RowError *error)
    {
        if (m_csv) {
            if (!m_csv->next(m_record)) {
                failIfBroken(m_csv->errorString());
                return Step::End;
            }
            ++m_row;
            return converter.addCsv(m_row, m_record, error) ? Step::Added : Step::Rejected;
        }
        if (!m_json->next(m_object)) {
            failIfBroken(m_json->errorString());
            return Step::End;
        }
        ++m_row;
        return converter.addJson(m_row, m_object, error) ? Step::Added : Step::Rejected;
    }

    qint64 row() const { return m_row; }
    double fraction() const
    {
        const qint64 size = m_file.size();
        const qint64 done = m_csv ? m_csv->bytesConsumed() : m_json ? m_json->bytesConsumed() : 0;
        return size > 0 ? std::min(1.0, double(done) / double(size)) : 1.0;
    }

private:
    void failIfBroken(const QString &error) const
    {
        if (!error.isEmpty())
            throwError(ErrorKind::InvalidArgument, kOp,
                       QStringLiteral("%1 is malformed: %2").arg(QFileInfo(m_path).fileName(), error));
    }

    QString m_path;
    DataFileFormat m_format;
    QFile m_file;
    std::optional<CsvReader> m_csv;
    std::optional<JsonRowReader> m_json;
    CsvRecord m_record;
    QJsonObject m_object;
    qint64 m_row = 0;
};

ImportResult runImport(QPromise<ImportResult> &promise, const MilvusClient &client, const ImportOptions &o,
                       const std::shared_ptr<CancelToken> &token)
{
    CallOptions call = o.options;
    call.cancel = token;
    const int batchSize = std::max(1, o.batchSize);
    const QLocale locale = QLocale::c();
    const CollectionSchema schema = client.describeCollection({o.collection, call}).schema;
    RecordConverter converter(schema, o.columnMapping);
    RowSource source(o.path, resolveFormat(o.format, o.path));
    source.open(converter);
    promise.setProgressRange(0, 1000);

    ImportResult result;
    RowError error;
    const bool checkFirst = !o.continuePastErrors;
    qint64 goodRows = -1;
    if (checkFirst) {
        // Pass 1: every row through the same checks, nothing kept beyond one batch.
        QList<RowError> errors;
        qint64 bad = 0;
        goodRows = 0;
        for (RowSource::Step step; (step = source.next(converter, &error)) != RowSource::Step::End;) {
            if (step == RowSource::Step::Rejected) {
                if (errors.size() < std::max(1, o.maxReportedErrors))
                    errors.append(error);
                ++bad;
            } else {
                ++goodRows;
            }
            if (converter.rowCount() >= batchSize)
                converter.clear();
            if (source.row() % 1024 == 0) {
                throwIfCancelled(promise, *token, kOp,
                                 QStringLiteral("while checking row %1; nothing was inserted")
                                     .arg(locale.toString(source.row())));
                promise.setProgressValueAndText(
                    int(500 * source.fraction()),
                    QStringLiteral("Checked %1 rows").arg(locale.toString(source.row())));
            }
        }
        converter.clear();
        if (bad > 0) {
            MilvusError e;
            e.kind = ErrorKind::InvalidArgument;
            e.operation = kOp;
            e.reason = errors.first().message;
            if (bad > 1)
                e.reason += QStringLiteral(" (and %1 more invalid rows)").arg(locale.toString(bad - 1));
            e.reason += QStringLiteral("; nothing was inserted");
            QStringList lines;
            for (const auto &r : errors)
                lines.append(r.message);
            e.detail = lines.join(QLatin1Char('\n'));
            throw MilvusException(e);
        }
        source.open(converter);
    }

    const int base = checkFirst ? 500 : 0;
    const auto insertBatch = [&] {
        if (converter.rowCount() == 0)
            return;
        const qsizetype rows = converter.rowCount();
        InsertRequest request{o.collection, o.partition, converter.takeColumns(), call};
        try {
            const MutationResult m = o.upsert ? client.upsert(request) : client.insert(request);
            result.inserted += o.upsert ? (m.upsertCount > 0 ? m.upsertCount : rows)
                                        : (m.insertCount > 0 ? m.insertCount : rows);
        } catch (const MilvusException &e) {
            MilvusError err = e.error();
            if (err.kind == ErrorKind::Cancelled)
                throw;
            // Whether the failed batch went in is unknown (the server may have applied it and then
            // gone): say what is known, and how to retry without adding those rows twice.
            err.reason += QStringLiteral(" (in the batch ending at row %1; %2 rows were inserted before it, "
                                         "the %3 rows of this batch may or may not have been)")
                              .arg(source.row())
                              .arg(locale.toString(result.inserted), locale.toString(rows));
            if (!o.upsert)
                err.reason += QStringLiteral("; retry as an upsert to add the rest without duplicating them");
            throw MilvusException(err);
        }
    };
    try {
        for (RowSource::Step step; (step = source.next(converter, &error)) != RowSource::Step::End;) {
            ++result.rowsRead;
            if (step == RowSource::Step::Rejected) {
                if (checkFirst) // the file changed between the two passes
                    throwError(ErrorKind::InvalidArgument, kOp,
                               error.message + QStringLiteral(" (the file changed while importing)"));
                ++result.skipped;
                if (result.errors.size() < o.maxReportedErrors)
                    result.errors.append(error);
            }
            if (converter.rowCount() >= batchSize)
                insertBatch();
            if (source.row() % 256 == 0 || converter.rowCount() == 0) {
                throwIfCancelled(promise, *token, kOp, QString());
                const double done =
                    goodRows > 0 ? double(result.inserted) / double(goodRows) : source.fraction();
                promise.setProgressValueAndText(
                    base + int((1000 - base) * std::min(1.0, done)),
                    goodRows >= 0
                        ? QStringLiteral("Inserted %1 of %2 rows")
                              .arg(locale.toString(result.inserted), locale.toString(goodRows))
                        : QStringLiteral("Inserted %1 rows, skipped %2")
                              .arg(locale.toString(result.inserted), locale.toString(result.skipped)));
            }
        }
        insertBatch();
    } catch (const MilvusException &e) {
        if (e.error().kind != ErrorKind::Cancelled)
            throw;
        throwError(ErrorKind::Cancelled, kOp,
                   QStringLiteral("cancelled after %1 rows were inserted (they stay in the collection)")
                       .arg(locale.toString(result.inserted)));
    }
    result.ignoredColumns = converter.ignoredColumns();
    promise.setProgressValue(1000);
    return result;
}

} // namespace

EntityImporter::EntityImporter(std::shared_ptr<MilvusClient> client, ImportOptions options)
    : m_client(std::move(client))
    , m_options(std::move(options))
    , m_token(CancelToken::create())
{}

EntityImporter::~EntityImporter()
{
    cancel();
    try {
        m_future.waitForFinished();
    } catch (...) {
        // The failure belongs to whoever holds the future; the destructor only waits for the thread.
    }
}

QFuture<ImportResult> EntityImporter::start()
{
    if (m_future.isValid())
        return m_future;
    m_future = QtConcurrent::run(dataThreadPool(), [client = m_client, options = m_options,
                                                    token = m_token](QPromise<ImportResult> &promise) {
        try {
            promise.addResult(runImport(promise, *client, options, token));
        } catch (...) {
            reportFailure(promise, std::current_exception());
        }
    });
    return m_future;
}

void EntityImporter::cancel()
{
    m_token->cancel();
}

} // namespace mx
