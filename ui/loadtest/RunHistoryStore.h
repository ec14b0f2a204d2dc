#pragma once

#include "LoadTestReport.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace mx {

// Finished load-test reports kept as JSON files (the CLI's schema) in
// <AppDataLocation>/loadtest-runs/, newest first. Plain file I/O on the calling thread: reports are
// small (tens of kB) and written once per run. Errors come back as false with *error, never as an
// empty list that looks like "no runs".
class RunHistoryStore
{
public:
    struct Entry
    {
        QString file; // absolute path
        QString title;
        QDateTime modified;
    };

    explicit RunHistoryStore(QString directory = defaultDirectory());
    static QString defaultDirectory();
    QString directory() const { return m_directory; }

    // Returns the file written, or an empty string with *error set.
    QString save(const LoadTestReport &report, QString *error = nullptr) const;
    QList<Entry> list() const;
    bool load(const QString &file, LoadTestReport *out, QString *error = nullptr) const;
    static QString titleOf(const LoadTestReport &report);

private:
    QString m_directory;
};

} // namespace mx
