// The load-test report reader and merge: a report file (one JSON object) or two of them (a JSON array of
// two objects, as `milvus-loadtest merge a.json b.json` reads them) -> ReportJson::fromJson ->
// ReportMerger::merge -> the summary text and the JSON written back, which must read again.

#include "ReportJson.h"
#include "ReportMerger.h"
#include "ReportSummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mx;
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    QList<QJsonObject> objects;
    if (doc.isObject())
        objects = {doc.object(), doc.object()};
    else if (doc.isArray() && doc.array().size() == 2 && doc.array().at(0).isObject() &&
             doc.array().at(1).isObject())
        objects = {doc.array().at(0).toObject(), doc.array().at(1).toObject()};
    else
        return 0;
    LoadTestReport a;
    LoadTestReport b;
    QString error;
    if (!ReportJson::fromJson(objects.at(0), &a, &error)) {
        if (error.isEmpty())
            __builtin_trap(); // a refusal must say why
        return 0;
    }
    (void)ReportSummary::text(a);
    if (!ReportJson::fromJson(objects.at(1), &b, &error))
        return 0;
    const LoadTestReport merged = ReportMerger::merge(a, b);
    (void)ReportSummary::text(merged);
    LoadTestReport again;
    if (!ReportJson::fromJson(ReportJson::toJson(merged), &again, &error)) {
        fprintf(stderr, "a merged report does not read back: %s\n", qPrintable(error));
        __builtin_trap();
    }
    return 0;
}
