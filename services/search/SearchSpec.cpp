#include "SearchSpec.h"

#include <QJsonArray>

namespace mx {

namespace {
const QStringList kResultModeKeys{QStringLiteral("similarity"), QStringLiteral("score"),
                                  QStringLiteral("mmr"), QStringLiteral("metadata"), QStringLiteral("pks")};
const QStringList kInputModeKeys{QStringLiteral("text"), QStringLiteral("vector"), QStringLiteral("id"),
                                 QStringLiteral("file")};

QString elided(QString s, int max)
{
    s = s.simplified();
    return s.size() > max ? s.left(max - 1) + QStringLiteral("…") : s;
}
} // namespace

QString resultModeName(ResultMode mode)
{
    switch (mode) {
    case ResultMode::Similarity:
        return QStringLiteral("Similarity");
    case ResultMode::WithScore:
        return QStringLiteral("Similarity with score and relevance");
    case ResultMode::Mmr:
        return QStringLiteral("Max marginal relevance (MMR)");
    case ResultMode::Metadata:
        return QStringLiteral("Metadata query (filter only)");
    case ResultMode::PrimaryKeys:
        return QStringLiteral("Primary keys (filter only)");
    }
    return {};
}

QString queryInputModeName(QueryInputMode mode)
{
    switch (mode) {
    case QueryInputMode::Text:
        return QStringLiteral("Text");
    case QueryInputMode::Vector:
        return QStringLiteral("Vector");
    case QueryInputMode::EntityId:
        return QStringLiteral("Entity id");
    case QueryInputMode::File:
        return QStringLiteral("File");
    }
    return {};
}

bool needsQueryVectors(ResultMode mode)
{
    return mode == ResultMode::Similarity || mode == ResultMode::WithScore || mode == ResultMode::Mmr;
}

QJsonObject SearchSpec::toJson() const
{
    QJsonObject o{{QStringLiteral("database"), database},
                  {QStringLiteral("collection"), collection},
                  {QStringLiteral("vectorField"), vectorField},
                  {QStringLiteral("metric"), metric},
                  {QStringLiteral("outputFields"), QJsonArray::fromStringList(outputFields)},
                  {QStringLiteral("partitions"), QJsonArray::fromStringList(partitions)},
                  {QStringLiteral("topK"), topK},
                  {QStringLiteral("offset"), offset},
                  {QStringLiteral("searchParams"), searchParams},
                  {QStringLiteral("filter"), filter},
                  {QStringLiteral("input"), kInputModeKeys.at(int(inputMode))},
                  {QStringLiteral("queryText"), queryText},
                  {QStringLiteral("vectorJson"), vectorJson},
                  {QStringLiteral("entityId"), entityId},
                  {QStringLiteral("filePath"), filePath},
                  {QStringLiteral("mode"), kResultModeKeys.at(int(resultMode))},
                  {QStringLiteral("fetchK"), fetchK},
                  {QStringLiteral("lambdaMult"), lambdaMult}};
    if (consistency)
        o.insert(QStringLiteral("consistency"), int(*consistency));
    return o;
}

SearchSpec SearchSpec::fromJson(const QJsonObject &o)
{
    SearchSpec s;
    const auto strings = [&](const char *key) {
        QStringList out;
        for (const auto &v : o.value(QLatin1String(key)).toArray())
            out << v.toString();
        return out;
    };
    s.database = o.value(QLatin1String("database")).toString();
    s.collection = o.value(QLatin1String("collection")).toString();
    s.vectorField = o.value(QLatin1String("vectorField")).toString();
    s.metric = o.value(QLatin1String("metric")).toString();
    s.outputFields = strings("outputFields");
    s.partitions = strings("partitions");
    if (o.contains(QLatin1String("consistency")))
        s.consistency = ConsistencyLevel(o.value(QLatin1String("consistency")).toInt());
    s.topK = o.value(QLatin1String("topK")).toInt(s.topK);
    s.offset = qint64(o.value(QLatin1String("offset")).toDouble(0));
    s.searchParams = o.value(QLatin1String("searchParams")).toString();
    s.filter = o.value(QLatin1String("filter")).toString();
    s.inputMode = QueryInputMode(
        std::max<qsizetype>(0, kInputModeKeys.indexOf(o.value(QLatin1String("input")).toString())));
    s.queryText = o.value(QLatin1String("queryText")).toString();
    s.vectorJson = o.value(QLatin1String("vectorJson")).toString();
    s.entityId = o.value(QLatin1String("entityId")).toString();
    s.filePath = o.value(QLatin1String("filePath")).toString();
    const qsizetype mode = kResultModeKeys.indexOf(o.value(QLatin1String("mode")).toString());
    s.resultMode = mode < 0 ? ResultMode::WithScore : ResultMode(mode);
    s.fetchK = o.value(QLatin1String("fetchK")).toInt(s.fetchK);
    s.lambdaMult = o.value(QLatin1String("lambdaMult")).toDouble(s.lambdaMult);
    return s;
}

QString SearchSpec::summary() const
{
    QString input;
    if (needsQueryVectors(resultMode)) {
        switch (inputMode) {
        case QueryInputMode::Text:
            input = QStringLiteral("\"%1\"").arg(elided(queryText, 48));
            break;
        case QueryInputMode::Vector:
            input = QStringLiteral("vector %1").arg(elided(vectorJson, 32));
            break;
        case QueryInputMode::EntityId:
            input = QStringLiteral("like id %1").arg(elided(entityId, 24));
            break;
        case QueryInputMode::File:
            input = QStringLiteral("file %1").arg(filePath.section(QLatin1Char('/'), -1));
            break;
        }
    }
    QStringList parts;
    static const QStringList shortModes{QStringLiteral("sim"), QStringLiteral("score"), QStringLiteral("mmr"),
                                        QStringLiteral("meta"), QStringLiteral("pks")};
    parts << QStringLiteral("[%1 k=%2]").arg(shortModes.at(int(resultMode))).arg(topK);
    if (!input.isEmpty())
        parts << input;
    if (!filter.trimmed().isEmpty())
        parts << QStringLiteral("where %1").arg(elided(filter, 40));
    return parts.join(QLatin1Char(' '));
}

} // namespace mx
