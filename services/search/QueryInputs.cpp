#include "QueryInputs.h"

#include "ExprLiteral.h"
#include "MilvusError.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace mx {

namespace {
const QString kOperation = QStringLiteral("Query input");

[[noreturn]] void invalid(const QString &reason)
{
    throwError(ErrorKind::InvalidArgument, kOperation, reason);
}

// Throws with `where` naming the place (e.g. "line 3") when the array is not a non-empty list of numbers.
Embedding numbers(const QJsonArray &array, const QString &where)
{
    if (array.isEmpty())
        invalid(QStringLiteral("%1 is an empty vector").arg(where));
    Embedding v;
    v.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array.at(i).isDouble())
            invalid(QStringLiteral("%1: component %2 is not a number").arg(where).arg(i));
        v.append(float(array.at(i).toDouble()));
    }
    return v;
}

QJsonValue parseJson(const QByteArray &text, const QString &where)
{
    QJsonParseError error;
    // Wrapped so that a top-level string or number parses too.
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        invalid(QStringLiteral("%1 is not valid JSON (%2 at character %3)")
                    .arg(where, error.errorString())
                    .arg(std::max(0, error.offset - 1)));
    return doc.array().at(0);
}
} // namespace

QList<Embedding> parseQueryVectors(const QString &json)
{
    const QByteArray text = json.trimmed().toUtf8();
    if (text.isEmpty())
        invalid(QStringLiteral("enter a query vector as a JSON array, e.g. [0.1, 0.2, …]"));
    const QJsonValue value = parseJson(text, QStringLiteral("the query vector"));
    if (!value.isArray())
        invalid(QStringLiteral("the query vector must be a JSON array of numbers (or an array of arrays)"));
    const QJsonArray array = value.toArray();
    QList<Embedding> out;
    if (!array.isEmpty() && array.first().isArray()) {
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (!array.at(i).isArray())
                invalid(QStringLiteral("query %1 is not an array of numbers").arg(i + 1));
            out.append(numbers(array.at(i).toArray(), QStringLiteral("query %1").arg(i + 1)));
        }
    } else {
        out.append(numbers(array, QStringLiteral("the query vector")));
    }
    for (qsizetype i = 1; i < out.size(); ++i) {
        if (out.at(i).size() != out.first().size())
            invalid(QStringLiteral("query %1 has %2 components but query 1 has %3")
                        .arg(i + 1)
                        .arg(out.at(i).size())
                        .arg(out.first().size()));
    }
    return out;
}

QList<QueryLine> parseQueryLines(const QByteArray &content)
{
    QList<QueryLine> out;
    const QList<QByteArray> lines = content.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QByteArray line = lines.at(n).trimmed();
        if (line.isEmpty())
            continue;
        const QString where = QStringLiteral("line %1").arg(n + 1);
        QueryLine q;
        const char first = line.at(0);
        if (first != '[' && first != '{' && first != '"') {
            q.text = QString::fromUtf8(line);
            out.append(q);
            continue;
        }
        const QJsonValue value = parseJson(line, where);
        if (value.isString()) {
            q.text = value.toString();
        } else if (value.isArray()) {
            q.vector = numbers(value.toArray(), where);
        } else {
            const QJsonObject o = value.toObject();
            if (o.value(QLatin1String("text")).isString())
                q.text = o.value(QLatin1String("text")).toString();
            else if (o.value(QLatin1String("vector")).isArray())
                q.vector = numbers(o.value(QLatin1String("vector")).toArray(), where);
            else
                invalid(
                    QStringLiteral("%1: an object needs a \"text\" string or a \"vector\" array").arg(where));
        }
        if (q.isText() && q.text.trimmed().isEmpty())
            invalid(QStringLiteral("%1 is an empty text").arg(where));
        out.append(q);
    }
    if (out.isEmpty())
        invalid(QStringLiteral("the queries file has no queries (one JSON text or vector per line)"));
    return out;
}

QList<QueryLine> readQueryFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        invalid(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return parseQueryLines(file.readAll());
}

QString primaryKeyFilter(const QString &field, bool integerKey, const QString &typedKey)
{
    QString key = typedKey.trimmed();
    if (key.isEmpty())
        invalid(QStringLiteral("enter the primary key of an existing entity"));
    if (integerKey) {
        bool ok = false;
        const qint64 value = key.toLongLong(&ok);
        if (!ok)
            invalid(
                QStringLiteral("\"%1\" is not an integer, but the primary key %2 is INT64").arg(key, field));
        return exprInList(field, {value});
    }
    if (key.size() >= 2 && ((key.startsWith(QLatin1Char('"')) && key.endsWith(QLatin1Char('"'))) ||
                            (key.startsWith(QLatin1Char('\'')) && key.endsWith(QLatin1Char('\'')))))
        key = key.mid(1, key.size() - 2);
    return exprInList(field, {key});
}

} // namespace mx
