#include "SearchResultExporter.h"

#include "MilvusError.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

namespace mx {

namespace {
QByteArray csvField(const QString &text)
{
    QByteArray s = text.toUtf8();
    if (s.contains(',') || s.contains('"') || s.contains('\n') || s.contains('\r')) {
        s.replace('"', "\"\"");
        s = '"' + s + '"';
    }
    return s;
}

QString number(double v)
{
    return QString::number(v, 'g', 9);
}
} // namespace

QString SearchResultExporter::cellText(const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return {};
    switch (value.typeId()) {
    case QMetaType::QVariantMap:
    case QMetaType::QVariantList:
    case QMetaType::QStringList:
    case QMetaType::QJsonValue:
    case QMetaType::QJsonObject:
    case QMetaType::QJsonArray: {
        const QJsonValue json = QJsonValue::fromVariant(value);
        if (json.isObject())
            return QString::fromUtf8(QJsonDocument(json.toObject()).toJson(QJsonDocument::Compact));
        if (json.isArray())
            return QString::fromUtf8(QJsonDocument(json.toArray()).toJson(QJsonDocument::Compact));
        return json.isString() ? json.toString() : json.toVariant().toString();
    }
    case QMetaType::Double:
    case QMetaType::Float:
        return number(value.toDouble());
    default:
        return value.toString();
    }
}

QByteArray SearchResultExporter::toCsv(const SearchOutcome &outcome)
{
    QStringList header{QStringLiteral("query"), QStringLiteral("rank"), outcome.primaryField};
    if (outcome.hasScores())
        header << QStringLiteral("distance") << QStringLiteral("relevance");
    header << outcome.fieldColumns;
    QByteArray out;
    const auto line = [&out](const QStringList &cells) {
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i)
                out += ',';
            out += csvField(cells.at(i));
        }
        out += "\r\n";
    };
    line(header);
    for (const auto &row : outcome.rows) {
        QStringList cells{QString::number(row.query + 1), QString::number(row.rank), cellText(row.id)};
        if (outcome.hasScores()) {
            cells << (row.distance ? number(*row.distance) : QString())
                  << (row.relevance ? number(*row.relevance) : QString());
        }
        for (const QString &f : outcome.fieldColumns)
            cells << cellText(row.fields.value(f));
        line(cells);
    }
    return out;
}

QJsonObject SearchResultExporter::rowJson(const SearchOutcome &outcome, const SearchResultRow &row)
{
    QJsonObject o{{QStringLiteral("query"), row.query + 1},
                  {QStringLiteral("rank"), row.rank},
                  {QStringLiteral("id"), QJsonValue::fromVariant(row.id)}};
    if (outcome.hasScores()) {
        o.insert(QStringLiteral("distance"), row.distance ? QJsonValue(*row.distance) : QJsonValue());
        o.insert(QStringLiteral("relevance"), row.relevance ? QJsonValue(*row.relevance) : QJsonValue());
    }
    o.insert(QStringLiteral("fields"), QJsonObject::fromVariantMap(row.fields));
    return o;
}

QString SearchResultExporter::rowJsonText(const SearchOutcome &outcome, const SearchResultRow &row)
{
    const QJsonObject json = rowJson(outcome, row);
    QStringList order{QStringLiteral("query"), QStringLiteral("rank"), QStringLiteral("id")};
    if (outcome.hasScores())
        order << QStringLiteral("distance") << QStringLiteral("relevance");
    order << QStringLiteral("fields");
    QStringList members;
    for (const QString &key : order) {
        // Each value through QJsonDocument (wrapped in an array so scalars work too), re-indented one level.
        QString value =
            QString::fromUtf8(QJsonDocument(QJsonArray{json.value(key)}).toJson(QJsonDocument::Indented));
        value = value.trimmed().mid(1).chopped(1).trimmed(); // strip the wrapping [ ]
        value.replace(QStringLiteral("\n    "), QStringLiteral("\n"));
        value.replace(QLatin1Char('\n'), QStringLiteral("\n    "));
        members << QStringLiteral("    \"%1\": %2").arg(key, value);
    }
    return QStringLiteral("{\n%1\n}").arg(members.join(QStringLiteral(",\n")));
}

QJsonObject SearchResultExporter::toJson(const SearchOutcome &outcome)
{
    QJsonArray results;
    for (const auto &row : outcome.rows)
        results.append(rowJson(outcome, row));
    QJsonObject timing{{QStringLiteral("milvus"), outcome.milvusMs},
                       {QStringLiteral("total"), outcome.totalMs}};
    if (outcome.embeddingMs)
        timing.insert(QStringLiteral("embedding"), *outcome.embeddingMs);
    if (outcome.rerankMs)
        timing.insert(QStringLiteral("rerank"), *outcome.rerankMs);
    return QJsonObject{{QStringLiteral("database"), outcome.spec.database},
                       {QStringLiteral("collection"), outcome.spec.collection},
                       {QStringLiteral("mode"), resultModeName(outcome.spec.resultMode)},
                       {QStringLiteral("metric"), outcome.metric},
                       {QStringLiteral("primary_field"), outcome.primaryField},
                       {QStringLiteral("nq"), outcome.nq},
                       {QStringLiteral("timing_ms"), timing},
                       {QStringLiteral("results"), results}};
}

QFuture<void> SearchResultExporter::write(const SearchOutcome &outcome, const QString &path, Format format)
{
    if (format == Format::Auto)
        format = path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ? Format::Json : Format::Csv;
    return QtConcurrent::run([outcome, path, format] {
        const QByteArray data = format == Format::Json
                                    ? QJsonDocument(toJson(outcome)).toJson(QJsonDocument::Indented)
                                    : toCsv(outcome);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit())
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Export"),
                       QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    });
}

} // namespace mx
