#include "RunHistoryStore.h"

#include "TutorialPreset.h"

#include "ReportJson.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace mx {

RunHistoryStore::RunHistoryStore(QString directory)
    : m_directory(std::move(directory))
{}

QString RunHistoryStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/loadtest-runs");
}

QString RunHistoryStore::titleOf(const LoadTestReport &report)
{
    QString what = TutorialPreset::isPreset(report.preset) ? QStringLiteral("%1 preset").arg(report.preset)
                   : report.runs.isEmpty()                 ? QStringLiteral("no runs")
                                                           : report.runs.first().label;
    if (report.runs.size() > 1 && report.preset.isEmpty())
        what += QStringLiteral(" (+%1 runs)").arg(report.runs.size() - 1);
    if (report.stopped)
        what += QStringLiteral(" [stopped]");
    return QStringLiteral("%1  %2").arg(report.createdAt, what);
}

QString RunHistoryStore::save(const LoadTestReport &report, QString *error) const
{
    if (!QDir().mkpath(m_directory)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(m_directory);
        return {};
    }
    QString stamp = report.createdAt;
    stamp.replace(QLatin1Char(':'), QLatin1Char('-'));
    QString base =
        QStringLiteral("%1/run-%2").arg(m_directory, stamp.isEmpty() ? QStringLiteral("unknown") : stamp);
    QString file = base + QStringLiteral(".json");
    for (int i = 2; QFile::exists(file); ++i)
        file = QStringLiteral("%1-%2.json").arg(base).arg(i);
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(ReportJson::toJson(report)).toJson()) < 0 ||
        !f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(file, f.errorString());
        return {};
    }
    return file;
}

QList<RunHistoryStore::Entry> RunHistoryStore::list() const
{
    QList<Entry> entries;
    const QFileInfoList files =
        QDir(m_directory)
            .entryInfoList({QStringLiteral("run-*.json")}, QDir::Files, QDir::Name | QDir::Reversed);
    for (const QFileInfo &fi : files) {
        QFile f(fi.absoluteFilePath());
        QString title = fi.completeBaseName();
        if (f.open(QIODevice::ReadOnly)) {
            LoadTestReport r;
            if (ReportJson::fromJson(QJsonDocument::fromJson(f.readAll()).object(), &r, nullptr))
                title = titleOf(r);
            else
                title += QStringLiteral(" (unreadable)");
        }
        entries.append({fi.absoluteFilePath(), title, fi.lastModified()});
    }
    return entries;
}

bool RunHistoryStore::load(const QString &file, LoadTestReport *out, QString *error) const
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(file, f.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
    if (doc.isNull()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(file, parseError.errorString());
        return false;
    }
    return ReportJson::fromJson(doc.object(), out, error);
}

} // namespace mx
