#include "ReportExporter.h"

#include "ReportJson.h"

#include <QJsonDocument>
#include <QSaveFile>

namespace mx {

namespace {

QString quoted(QString s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n')))
        return QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return s;
}

bool writeFile(const QString &file, const QByteArray &data, QString *error)
{
    QSaveFile f(file);
    if (f.open(QIODevice::WriteOnly) && f.write(data) == data.size() && f.commit())
        return true;
    if (error)
        *error = QStringLiteral("cannot write %1: %2").arg(file, f.errorString());
    return false;
}

} // namespace

QString ReportExporter::csv(const LoadTestReport &report)
{
    QStringList lines{QStringLiteral(
        "run,phase,op,mode,concurrency,issued,completed,failed,cancelled,seconds,ops_per_s,rows_per_s,"
        "p50_ms,p90_ms,p99_ms,p999_ms,max_ms,integrity_ok,integrity_expected,integrity_actual")};
    auto ms = [](qint64 ns) { return QString::number(double(ns) / 1e6, 'f', 3); };
    for (const RunResult &run : report.runs) {
        for (const PhaseResult &p : run.phases) {
            const bool checked = run.integrity.checked;
            lines << QStringList{quoted(run.label),
                                 quoted(p.label),
                                 opKindName(p.op),
                                 loadModeName(p.mode),
                                 QString::number(p.concurrency),
                                 QString::number(p.issued),
                                 QString::number(p.completed),
                                 QString::number(p.failed),
                                 QString::number(p.cancelled),
                                 QString::number(p.seconds(), 'f', 6),
                                 QString::number(p.throughput(), 'f', 2),
                                 QString::number(p.rowsPerSecond(), 'f', 2),
                                 ms(p.latency.percentile(50)),
                                 ms(p.latency.percentile(90)),
                                 ms(p.latency.percentile(99)),
                                 ms(p.latency.percentile(99.9)),
                                 ms(p.latency.max()),
                                 checked ? (run.integrity.ok() ? QStringLiteral("yes") : QStringLiteral("NO"))
                                         : QStringLiteral("n/a"),
                                 checked ? QString::number(run.integrity.expected) : QString(),
                                 checked ? QString::number(run.integrity.actual) : QString()}
                         .join(QLatin1Char(','));
        }
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

bool ReportExporter::writeCsv(const LoadTestReport &report, const QString &file, QString *error)
{
    return writeFile(file, csv(report).toUtf8(), error);
}

bool ReportExporter::writeJson(const LoadTestReport &report, const QString &file, QString *error)
{
    return writeFile(file, QJsonDocument(ReportJson::toJson(report)).toJson(), error);
}

} // namespace mx
