#pragma once

#include "SearchSpec.h"

#include <QList>
#include <QObject>
#include <QPair>

namespace mx {

// Recent searches per collection (newest first, at most MaxHistory, a repeat moves to the top) and named
// saved searches, persisted in QSettings under "search/". GUI thread; reads and writes are small and
// synchronous (QSettings caches them).
class SearchHistoryStore : public QObject
{
    Q_OBJECT
public:
    static constexpr int MaxHistory = 50;

    explicit SearchHistoryStore(QObject *parent = nullptr);

    QList<SearchSpec> history(const QString &database, const QString &collection) const;
    void addToHistory(const SearchSpec &spec);
    void clearHistory(const QString &database, const QString &collection);

    // Saved searches by name (sorted by name); saving under an existing name replaces it.
    QList<QPair<QString, SearchSpec>> saved() const;
    void save(const QString &name, const SearchSpec &spec);
    void removeSaved(const QString &name);

signals:
    void historyChanged(const QString &database, const QString &collection);
    void savedChanged();

private:
    static QString historyKey(const QString &database, const QString &collection);
};

} // namespace mx
