#pragma once

#include "ColumnBuilder.h"
#include "CsvReader.h"

#include <QJsonObject>
#include <QMap>
#include <QSet>

#include <memory>

namespace mx {

// One rejected input row: `row` is the 1-based data row (the CSV header is not counted; for JSON the
// n-th object), `field` the field at fault (empty for a row-level problem), `message` the whole sentence.
struct RowError
{
    qint64 row = 0;
    QString field;
    QString message; // "row 1234, field 'age': 'abc' is not an INT64"
};

// Turns input records (CSV cells under a header, or JSON objects) into insert columns for a collection,
// all-or-nothing per row: a row with any bad value adds nothing. Source columns map to fields by name
// unless `mapping` says otherwise (source -> field; an empty target ignores the column). Keys that match
// no field go to the dynamic field when the collection has one ("$meta" itself holds a JSON object of
// dynamic keys) and are ignored otherwise; an auto_id primary key in the input is ignored (the server
// assigns keys). Not thread-safe.
class RecordConverter
{
public:
    // Throws MilvusException(InvalidArgument) for unsupported field types or a mapping to an unknown field.
    RecordConverter(const CollectionSchema &schema, QMap<QString, QString> mapping = {});
    ~RecordConverter();

    // CSV only: binds header columns to fields; returns problems that make every row fail (e.g. no
    // column for a required field) so the caller can stop before reading any row.
    QStringList setCsvHeader(const QStringList &header);

    bool addCsv(qint64 row, const CsvRecord &record, RowError *error);
    bool addJson(qint64 row, const QJsonObject &object, RowError *error);

    qsizetype rowCount() const { return m_rows; }
    void clear();
    QList<FieldColumn> takeColumns(); // and clear()
    // Input columns or keys that were not imported, sorted (for the import report).
    QStringList ignoredColumns() const;

private:
    enum class Target
    {
        Ignore,
        Field,
        Dynamic,     // a dynamic key, named by the source column
        DynamicMeta, // "$meta": a JSON object of dynamic keys
    };
    struct Binding
    {
        Target target = Target::Ignore;
        int builder = -1;
        QString key; // the dynamic key (the mapped name)
    };
    Binding bind(const QString &source);
    bool finishRow(qint64 row, const QList<bool> &seen, const QJsonObject &dynamic, RowError *error);
    void rollback();

    CollectionSchema m_schema;
    QMap<QString, QString> m_mapping;
    std::vector<std::unique_ptr<ColumnBuilder>> m_builders;
    QHash<QString, int> m_builderOf; // field name -> builder
    bool m_dynamic = false;
    QList<QByteArray> m_dynamicRows;
    QList<Binding> m_csvBindings;
    QHash<QString, Binding> m_jsonBindings; // cache per key
    QSet<QString> m_ignored;
    qsizetype m_rows = 0;
};

} // namespace mx
