#include "EntityExporter.h"

#include "DataTask.h"
#include "EntityCount.h"
#include "EntityRowWriter.h"
#include "MilvusClient.h"
#include "OutputSelection.h"
#include "PkCursor.h"

#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>
#include <QStorageInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <cerrno>
#include <limits>

namespace mx {

namespace {

// Why writing failed, in words: QSaveFile says "Unknown error" for a full disk, so ask the system
// (errno, kept from right after the failed call) and the file system (free space).
QString writeFailure(const QSaveFile &file, const QString &path, int savedErrno)
{
    QString why = file.errorString();
    if (savedErrno != 0 && (why.isEmpty() || why == QLatin1String("Unknown error")))
        why = qt_error_string(savedErrno);
    const QStorageInfo storage(QFileInfo(path).absolutePath());
    if (savedErrno == ENOSPC || savedErrno == EDQUOT || (storage.isValid() && storage.bytesAvailable() == 0))
        why = QStringLiteral("No space left on device (%1 bytes free on %2)")
                  .arg(storage.isValid() ? storage.bytesAvailable() : 0)
                  .arg(storage.isValid() ? storage.rootPath() : QFileInfo(path).absolutePath());
    return why;
}

ExportResult runExport(QPromise<ExportResult> &promise, const MilvusClient &client, ExportOptions o,
                       const std::shared_ptr<CancelToken> &token)
{
    const QString op = QStringLiteral("Export");
    CallOptions call = o.options;
    call.cancel = token;
    const CollectionDescription description = client.describeCollection({o.collection, call});
    const CollectionSchema &schema = description.schema;
    const OutputSelection selection = OutputSelection::resolve(schema, o.outputFields);
    const qint64 total = countEntities(client, o.collection, o.filter, call);

    ExportResult result;
    result.total = total;
    result.path = o.path;
    result.format = resolveFormat(o.format, o.path);
    // QFuture progress is an int; scale huge exports down instead of overflowing.
    const qint64 scale = total / std::numeric_limits<int>::max() + 1;
    promise.setProgressRange(0, int(total / scale));

    QSaveFile file(o.path);
    if (!file.open(QIODevice::WriteOnly))
        throwError(ErrorKind::InvalidArgument, op,
                   QStringLiteral("cannot write %1: %2").arg(o.path, file.errorString()));
    EntityRowWriter writer(result.format, selection.fields, selection.includesDynamic());
    const auto write = [&](const QByteArray &bytes) {
        errno = 0;
        if (file.write(bytes) != bytes.size()) {
            const int savedErrno = errno;
            throwError(ErrorKind::InvalidArgument, op,
                       QStringLiteral("writing %1 failed: %2; no file written")
                           .arg(o.path, writeFailure(file, o.path, savedErrno)));
        }
    };
    const QLocale locale = QLocale::c();
    const auto progressText = [&] {
        return QStringLiteral("after %1 of %2 rows; no file written")
            .arg(locale.toString(result.rows), locale.toString(total));
    };
    try {
        write(writer.header());
        PkCursor cursor(*schema.primaryField(), o.filter);
        for (;;) {
            throwIfCancelled(promise, *token, op, progressText());
            QueryResult page = client.query(
                cursor.nextRequest(o.collection, selection.queryFields(), std::max(1, o.batchSize), call));
            cursor.advance(page);
            if (cursor.atEnd())
                break;
            write(writer.encode(page));
            result.rows += page.rowCount();
            promise.setProgressValueAndText(
                int(std::min(result.rows, total) / scale),
                QStringLiteral("%1 of %2 rows").arg(locale.toString(result.rows), locale.toString(total)));
        }
        write(writer.footer());
        // Rows written or deleted while the export ran, or a server that pages wrongly: the file would
        // not be the result the count promised, so it is not kept.
        if (result.rows != total)
            throwError(ErrorKind::Inconsistent, op,
                       QStringLiteral("read %1 rows, but the filter matched %2 when the export started "
                                      "(was the collection written to meanwhile?); no file written")
                           .arg(locale.toString(result.rows), locale.toString(total)));
    } catch (const MilvusException &e) {
        file.cancelWriting();
        if (e.error().kind == ErrorKind::Cancelled)
            throwError(ErrorKind::Cancelled, op, QStringLiteral("cancelled %1").arg(progressText()));
        throw;
    }
    errno = 0;
    if (!file.commit()) {
        const int savedErrno = errno;
        throwError(ErrorKind::InvalidArgument, op,
                   QStringLiteral("cannot write %1: %2; no file written")
                       .arg(o.path, writeFailure(file, o.path, savedErrno)));
    }
    return result;
}

} // namespace

EntityExporter::EntityExporter(std::shared_ptr<MilvusClient> client, ExportOptions options)
    : m_client(std::move(client))
    , m_options(std::move(options))
    , m_token(CancelToken::create())
{}

EntityExporter::~EntityExporter()
{
    cancel();
    try {
        m_future.waitForFinished();
    } catch (...) {
        // The failure belongs to whoever holds the future; the destructor only waits for the thread.
    }
}

QFuture<ExportResult> EntityExporter::start()
{
    if (m_future.isValid())
        return m_future;
    m_future = QtConcurrent::run(dataThreadPool(), [client = m_client, options = m_options,
                                                    token = m_token](QPromise<ExportResult> &promise) {
        try {
            promise.addResult(runExport(promise, *client, options, token));
        } catch (...) {
            reportFailure(promise, std::current_exception());
        }
    });
    return m_future;
}

void EntityExporter::cancel()
{
    m_token->cancel();
}

} // namespace mx
