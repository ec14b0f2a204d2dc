#include "RecordConverter.h"

#include "CellCodec.h"
#include "MilvusError.h"

#include <QJsonDocument>

namespace mx {

namespace {
const QString kMeta = QStringLiteral("$meta");

QString rowMessage(qint64 row, const QString &field, const QString &why)
{
    return field.isEmpty() ? QStringLiteral("row %1: %2").arg(row).arg(why)
                           : QStringLiteral("row %1, field '%2': %3").arg(row).arg(field, why);
}
} // namespace

RecordConverter::RecordConverter(const CollectionSchema &schema, QMap<QString, QString> mapping)
    : m_schema(schema)
    , m_mapping(std::move(mapping))
{
    m_dynamic = schema.enableDynamicField;
    for (const auto &f : schema.fields) {
        if (f.isDynamic) {
            m_dynamic = true; // some servers list the dynamic field itself in the schema
            continue;
        }
        if (f.isPrimaryKey && f.autoId)
            continue;
        m_builderOf.insert(f.name, int(m_builders.size()));
        m_builders.push_back(std::make_unique<ColumnBuilder>(f));
    }
    for (auto it = m_mapping.cbegin(); it != m_mapping.cend(); ++it) {
        const QString &target = it.value();
        if (target.isEmpty() || target == kMeta || schema.field(target) || m_dynamic)
            continue;
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Import"),
                   QStringLiteral("column '%1' is mapped to '%2', which is not a field of the collection")
                       .arg(it.key(), target));
    }
}

RecordConverter::~RecordConverter() = default;

RecordConverter::Binding RecordConverter::bind(const QString &source)
{
    const QString target = m_mapping.value(source, source);
    Binding b;
    b.key = target;
    if (target.isEmpty()) {
        b.target = Target::Ignore;
    } else if (const auto it = m_builderOf.constFind(target); it != m_builderOf.cend()) {
        b.target = Target::Field;
        b.builder = it.value();
    } else if (m_schema.field(target) && !m_schema.field(target)->isDynamic) {
        b.target = Target::Ignore; // the auto_id primary key: the server assigns it
    } else if (target == kMeta) {
        b.target = m_dynamic ? Target::DynamicMeta : Target::Ignore;
    } else {
        b.target = m_dynamic ? Target::Dynamic : Target::Ignore;
    }
    if (b.target == Target::Ignore)
        m_ignored.insert(source);
    return b;
}

QStringList RecordConverter::setCsvHeader(const QStringList &header)
{
    QStringList problems;
    m_csvBindings.clear();
    QHash<int, QString> boundBy;
    for (const auto &name : header) {
        const Binding b = bind(name);
        if (b.target == Target::Field) {
            if (boundBy.contains(b.builder))
                problems.append(
                    QStringLiteral("columns '%1' and '%2' both map to field '%3'")
                        .arg(boundBy.value(b.builder), name, m_builders.at(b.builder)->field().name));
            boundBy.insert(b.builder, name);
        }
        m_csvBindings.append(b);
    }
    for (size_t i = 0; i < m_builders.size(); ++i) {
        const FieldSchema &f = m_builders.at(i)->field();
        if (!boundBy.contains(int(i)) && !f.nullable && !f.defaultValue.isValid())
            problems.append(QStringLiteral("no column for field '%1' (%2), which needs a value")
                                .arg(f.name, milvusTypeName(f.type)));
    }
    return problems;
}

void RecordConverter::rollback()
{
    for (auto &b : m_builders)
        if (b->rowCount() > m_rows)
            b->truncate(m_rows);
}

bool RecordConverter::finishRow(qint64 row, const QList<bool> &seen, const QJsonObject &dynamic,
                                RowError *error)
{
    for (size_t i = 0; i < m_builders.size(); ++i) {
        if (seen.at(qsizetype(i)))
            continue;
        QString why;
        if (!m_builders.at(i)->appendMissing(&why)) {
            const QString field = m_builders.at(i)->field().name;
            *error = RowError{row, field, rowMessage(row, field, why)};
            rollback();
            return false;
        }
    }
    if (m_dynamic)
        m_dynamicRows.append(QJsonDocument(dynamic).toJson(QJsonDocument::Compact));
    ++m_rows;
    return true;
}

bool RecordConverter::addCsv(qint64 row, const CsvRecord &record, RowError *error)
{
    if (record.fields.size() != m_csvBindings.size()) {
        *error = RowError{row,
                          {},
                          rowMessage(row, {},
                                     QStringLiteral("has %1 cells, the header has %2")
                                         .arg(record.fields.size())
                                         .arg(m_csvBindings.size()))};
        return false;
    }
    QList<bool> seen(qsizetype(m_builders.size()), false);
    QJsonObject dynamic;
    for (qsizetype i = 0; i < record.fields.size(); ++i) {
        const Binding &b = m_csvBindings.at(i);
        const QString &cell = record.fields.at(i);
        QString why;
        QString field;
        switch (b.target) {
        case Target::Ignore:
            continue;
        case Target::Field:
            if (m_builders.at(b.builder)->appendText(cell, record.quoted.at(i), &why)) {
                seen[b.builder] = true;
                continue;
            }
            field = m_builders.at(b.builder)->field().name;
            break;
        case Target::Dynamic: {
            // A cell is JSON when it reads as JSON (12, true, [1,2]); anything else is a string.
            QJsonValue value;
            if (record.quoted.at(i) || !parseJsonValue(cell.toUtf8(), &value))
                value = cell;
            if (!(cell.isEmpty() && !record.quoted.at(i)))
                dynamic.insert(b.key, value);
            continue;
        }
        case Target::DynamicMeta: {
            if (cell.isEmpty() && !record.quoted.at(i))
                continue;
            QJsonValue value;
            if (parseJsonValue(cell.toUtf8(), &value) && value.isObject()) {
                const QJsonObject object = value.toObject();
                for (auto it = object.begin(); it != object.end(); ++it)
                    if (!dynamic.contains(it.key()))
                        dynamic.insert(it.key(), it.value());
                continue;
            }
            field = kMeta;
            why = QStringLiteral("'%1' is not a JSON object").arg(cell.left(40));
            break;
        }
        }
        *error = RowError{row, field, rowMessage(row, field, why)};
        rollback();
        return false;
    }
    return finishRow(row, seen, dynamic, error);
}

bool RecordConverter::addJson(qint64 row, const QJsonObject &object, RowError *error)
{
    QList<bool> seen(qsizetype(m_builders.size()), false);
    QJsonObject dynamic;
    QJsonObject meta;
    for (auto it = object.begin(); it != object.end(); ++it) {
        auto found = m_jsonBindings.constFind(it.key());
        if (found == m_jsonBindings.cend())
            found = m_jsonBindings.insert(it.key(), bind(it.key()));
        const Binding &b = found.value();
        QString why;
        QString field;
        switch (b.target) {
        case Target::Ignore:
            continue;
        case Target::Field:
            field = m_builders.at(b.builder)->field().name;
            if (seen.at(b.builder)) {
                why = QStringLiteral("given twice (two keys map to this field)");
                break;
            }
            if (m_builders.at(b.builder)->appendJson(it.value(), &why)) {
                seen[b.builder] = true;
                continue;
            }
            break;
        case Target::Dynamic:
            dynamic.insert(b.key, it.value());
            continue;
        case Target::DynamicMeta:
            if (it.value().isObject()) {
                meta = it.value().toObject();
                continue;
            }
            if (it.value().isNull())
                continue;
            field = kMeta;
            why = QStringLiteral("%1 is not a JSON object")
                      .arg(QString::fromUtf8(compactJson(it.value())).left(40));
            break;
        }
        *error = RowError{row, field, rowMessage(row, field, why)};
        rollback();
        return false;
    }
    // Top-level dynamic keys win over the same key inside "$meta".
    for (auto it = meta.begin(); it != meta.end(); ++it)
        if (!dynamic.contains(it.key()))
            dynamic.insert(it.key(), it.value());
    return finishRow(row, seen, dynamic, error);
}

void RecordConverter::clear()
{
    for (auto &b : m_builders)
        b->truncate(0);
    m_dynamicRows.clear();
    m_rows = 0;
}

QList<FieldColumn> RecordConverter::takeColumns()
{
    QList<FieldColumn> out;
    for (auto &b : m_builders)
        out.append(b->take());
    if (m_dynamic) {
        FieldColumn meta;
        meta.name = kMeta;
        meta.type = DataType::Json;
        meta.isDynamic = true;
        meta.data = std::move(m_dynamicRows);
        out.append(std::move(meta));
    }
    clear();
    return out;
}

QStringList RecordConverter::ignoredColumns() const
{
    QStringList out(m_ignored.cbegin(), m_ignored.cend());
    out.sort();
    return out;
}

} // namespace mx
