#include "SearchHistoryStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QUrl>

namespace mx {

namespace {
const QString kSaved = QStringLiteral("search/saved");

// Stored as JSON text: QSettings would otherwise flatten nested maps differently per platform.
QJsonArray readArray(const QString &key)
{
    return QJsonDocument::fromJson(QSettings().value(key).toString().toUtf8()).array();
}

void writeArray(const QString &key, const QJsonArray &array)
{
    QSettings().setValue(key, QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)));
}
} // namespace

SearchHistoryStore::SearchHistoryStore(QObject *parent)
    : QObject(parent)
{}

QString SearchHistoryStore::historyKey(const QString &database, const QString &collection)
{
    // Percent-encoded so that names never form QSettings groups or keys of their own.
    const QString db = database.isEmpty() ? QStringLiteral("default") : database;
    return QStringLiteral("search/history/%1/%2")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(db)),
             QString::fromLatin1(QUrl::toPercentEncoding(collection)));
}

QList<SearchSpec> SearchHistoryStore::history(const QString &database, const QString &collection) const
{
    QList<SearchSpec> out;
    for (const auto &v : readArray(historyKey(database, collection)))
        out << SearchSpec::fromJson(v.toObject());
    return out;
}

void SearchHistoryStore::addToHistory(const SearchSpec &spec)
{
    QList<SearchSpec> list = history(spec.database, spec.collection);
    list.removeAll(spec);
    list.prepend(spec);
    QJsonArray array;
    for (qsizetype i = 0; i < list.size() && i < MaxHistory; ++i)
        array.append(list.at(i).toJson());
    writeArray(historyKey(spec.database, spec.collection), array);
    emit historyChanged(spec.database, spec.collection);
}

void SearchHistoryStore::clearHistory(const QString &database, const QString &collection)
{
    QSettings().remove(historyKey(database, collection));
    emit historyChanged(database, collection);
}

QList<QPair<QString, SearchSpec>> SearchHistoryStore::saved() const
{
    QList<QPair<QString, SearchSpec>> out;
    for (const auto &v : readArray(kSaved)) {
        const QJsonObject o = v.toObject();
        out.append({o.value(QLatin1String("name")).toString(),
                    SearchSpec::fromJson(o.value(QLatin1String("spec")).toObject())});
    }
    std::sort(out.begin(), out.end(),
              [](const auto &a, const auto &b) { return a.first.localeAwareCompare(b.first) < 0; });
    return out;
}

void SearchHistoryStore::save(const QString &name, const SearchSpec &spec)
{
    QJsonArray array;
    for (const auto &[n, s] : saved()) {
        if (n != name)
            array.append(QJsonObject{{QStringLiteral("name"), n}, {QStringLiteral("spec"), s.toJson()}});
    }
    array.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("spec"), spec.toJson()}});
    writeArray(kSaved, array);
    emit savedChanged();
}

void SearchHistoryStore::removeSaved(const QString &name)
{
    QJsonArray array;
    for (const auto &[n, s] : saved()) {
        if (n != name)
            array.append(QJsonObject{{QStringLiteral("name"), n}, {QStringLiteral("spec"), s.toJson()}});
    }
    writeArray(kSaved, array);
    emit savedChanged();
}

} // namespace mx
