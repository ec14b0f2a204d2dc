#include "StoreCodec.h"

#include "ExprLiteral.h"
#include "MilvusError.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSet>

#include <cmath>

namespace mx::detail {

namespace {

constexpr int kMaxVarChar = 65535; // langchain-milvus's max_length for text, pk and string metadata

[[noreturn]] void invalid(const QString &op, const QString &reason)
{
    throwError(ErrorKind::InvalidArgument, op, reason);
}

// QJsonValue / QJsonObject / QJsonArray arrive from JSON readers; look at what they hold.
QVariant plain(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::QJsonValue:
        return v.toJsonValue().toVariant();
    case QMetaType::QJsonObject:
        return v.toJsonObject().toVariantMap();
    case QMetaType::QJsonArray:
        return v.toJsonArray().toVariantList();
    default:
        return v;
    }
}

bool isIntegral(const QVariant &v)
{
    switch (v.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::SChar:
    case QMetaType::UChar:
        return true;
    default:
        return false;
    }
}

bool isFloating(const QVariant &v)
{
    return v.typeId() == QMetaType::Double || v.typeId() == QMetaType::Float;
}

bool isMap(const QVariant &v)
{
    return v.typeId() == QMetaType::QVariantMap || v.typeId() == QMetaType::QVariantHash;
}

bool isList(const QVariant &v)
{
    return v.typeId() == QMetaType::QVariantList || v.typeId() == QMetaType::QStringList;
}

// pymilvus's infer_dtype_bydata for the value types a metadata dict holds.
std::optional<DataType> inferType(const QVariant &raw)
{
    const QVariant v = plain(raw);
    if (v.typeId() == QMetaType::Bool)
        return DataType::Bool;
    if (isIntegral(v))
        return DataType::Int64;
    if (isFloating(v))
        return DataType::Double;
    if (v.typeId() == QMetaType::QString)
        return DataType::VarChar;
    if (isMap(v))
        return DataType::Json;
    return std::nullopt;
}

QByteArray compactJson(const QVariant &v)
{
    // QJsonDocument writes only objects and arrays: wrap a scalar in an array and strip the brackets.
    const QJsonValue j = QJsonValue::fromVariant(plain(v));
    if (j.isObject())
        return QJsonDocument(j.toObject()).toJson(QJsonDocument::Compact);
    if (j.isArray())
        return QJsonDocument(j.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{j}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

struct CellError
{
    QString expected;
};

bool toBool(const QVariant &v)
{
    if (v.typeId() != QMetaType::Bool)
        throw CellError{QStringLiteral("a boolean")};
    return v.toBool();
}

qint64 toInt(const QVariant &v)
{
    if (isIntegral(v))
        return v.toLongLong();
    if (isFloating(v)) {
        const double d = v.toDouble();
        if (std::isfinite(d) && std::trunc(d) == d && std::abs(d) < 9.2e18)
            return qint64(d);
    }
    throw CellError{QStringLiteral("an integer")};
}

double toDouble(const QVariant &v)
{
    if (isIntegral(v) || isFloating(v))
        return v.toDouble();
    throw CellError{QStringLiteral("a number")};
}

QString toText(const QVariant &v)
{
    if (v.typeId() != QMetaType::QString)
        throw CellError{QStringLiteral("a string")};
    return v.toString();
}

// One column of a metadata-backed scalar field from the rows' values.
FieldColumn scalarColumn(const QString &op, const FieldSchema &field, const QList<QVariantMap> &metadatas,
                         qsizetype begin, qsizetype end)
{
    FieldColumn c;
    c.name = field.name;
    c.type = field.type;
    c.elementType = field.elementType;
    QList<bool> bools;
    QList<qint32> ints;
    QList<qint64> longs;
    QList<float> floats;
    QList<double> doubles;
    QStringList strings;
    QList<QByteArray> jsons;
    QList<QVariantList> arrays;
    for (qsizetype r = begin; r < end; ++r) {
        const QVariantMap meta = r < metadatas.size() ? metadatas.at(r) : QVariantMap{};
        const auto it = meta.constFind(field.name);
        if (it == meta.cend())
            invalid(op, QStringLiteral("the metadata of row %1 has no key '%2', a field of the collection "
                                       "(every metadata needs the keys of the first one)")
                            .arg(r)
                            .arg(field.name));
        const QVariant v = plain(it.value());
        try {
            switch (field.type) {
            case DataType::Bool:
                bools.append(toBool(v));
                break;
            case DataType::Int8:
            case DataType::Int16:
            case DataType::Int32:
                ints.append(qint32(toInt(v)));
                break;
            case DataType::Int64:
                longs.append(toInt(v));
                break;
            case DataType::Float:
                floats.append(float(toDouble(v)));
                break;
            case DataType::Double:
                doubles.append(toDouble(v));
                break;
            case DataType::VarChar:
            case DataType::String:
                strings.append(toText(v));
                break;
            case DataType::Json:
                jsons.append(compactJson(v));
                break;
            case DataType::Array:
                if (!isList(v))
                    throw CellError{QStringLiteral("a list")};
                arrays.append(v.toList());
                break;
            default:
                invalid(op, QStringLiteral(
                                "field '%1' has type %2, which the vector store cannot fill from metadata")
                                .arg(field.name, dataTypeName(field.type)));
            }
        } catch (const CellError &e) {
            invalid(op, QStringLiteral("metadata '%1' of row %2 must be %3 (field type %4), got %5")
                            .arg(field.name)
                            .arg(r)
                            .arg(e.expected, dataTypeName(field.type), compactJson(v)));
        }
    }
    switch (field.type) {
    case DataType::Bool:
        c.data = bools;
        break;
    case DataType::Int8:
    case DataType::Int16:
    case DataType::Int32:
        c.data = ints;
        break;
    case DataType::Int64:
        c.data = longs;
        break;
    case DataType::Float:
        c.data = floats;
        break;
    case DataType::Double:
        c.data = doubles;
        break;
    case DataType::Json:
        c.data = jsons;
        break;
    case DataType::Array:
        c.data = arrays;
        break;
    default:
        c.data = strings;
        break;
    }
    return c;
}

QString idLiteral(const QVariant &raw)
{
    const QVariant id = plain(raw);
    if (isIntegral(id))
        return QString::number(id.toLongLong());
    return exprStringLiteral(id.toString());
}

} // namespace

CreateCollectionRequest createCollectionRequest(const VectorStoreConfig &config, bool autoId, int dim,
                                                const QVariantMap &firstMetadata)
{
    const QString op = QStringLiteral("VectorStore create collection");
    CreateCollectionRequest r;
    r.collection = config.collectionName;
    r.consistency = config.consistencyLevel;
    r.properties = config.collectionProperties;
    if (config.numShards)
        r.shards = *config.numShards;
    if (config.numPartitions)
        r.numPartitions = *config.numPartitions;
    r.schema.name = config.collectionName;
    r.schema.description = config.collectionDescription;
    r.schema.autoId = autoId;
    r.schema.enableDynamicField = config.enableDynamicField;

    // Field order is langchain-milvus's: text, primary key, vector, metadata.
    FieldSchema text;
    text.name = config.textField;
    text.type = DataType::VarChar;
    text.typeParams.insert(QStringLiteral("max_length"), QString::number(kMaxVarChar));
    FieldSchema pk;
    pk.name = config.primaryField;
    pk.isPrimaryKey = true;
    pk.autoId = autoId;
    if (autoId) {
        pk.type = DataType::Int64;
    } else {
        pk.type = DataType::VarChar;
        pk.typeParams.insert(QStringLiteral("max_length"), QString::number(kMaxVarChar));
    }
    if (dim <= 0)
        invalid(op, QStringLiteral("cannot create a vector field from empty vectors"));
    FieldSchema vec;
    vec.name = config.vectorField;
    vec.type = DataType::FloatVector;
    vec.typeParams.insert(QStringLiteral("dim"), QString::number(dim));
    r.schema.fields = {text, pk, vec};

    if (config.enableDynamicField) {
        if (!config.partitionKeyField.isEmpty()) {
            FieldSchema part;
            part.name = config.partitionKeyField;
            part.type = DataType::VarChar;
            part.isPartitionKey = true;
            part.typeParams.insert(QStringLiteral("max_length"), QString::number(kMaxVarChar));
            r.schema.fields.append(part);
        }
        return r;
    }
    if (!config.metadataField.isEmpty()) {
        FieldSchema meta;
        meta.name = config.metadataField;
        meta.type = DataType::Json;
        r.schema.fields.append(meta);
        return r;
    }
    const QStringList reserved{config.primaryField, config.textField, config.vectorField};
    for (auto it = firstMetadata.cbegin(); it != firstMetadata.cend(); ++it) {
        if (reserved.contains(it.key()))
            invalid(op, QStringLiteral("metadata key %1 is reserved").arg(it.key()));
        if (config.metadataSchema.contains(it.key())) {
            FieldSchema f = config.metadataSchema.value(it.key());
            f.name = it.key();
            r.schema.fields.append(f);
            continue;
        }
        const auto type = inferType(it.value());
        if (!type)
            invalid(op,
                    QStringLiteral("unrecognized datatype for metadata key %1 (%2): give it a metadataSchema "
                                   "entry, or use the dynamic field")
                        .arg(it.key(), QString::fromUtf8(compactJson(it.value()))));
        FieldSchema f;
        f.name = it.key();
        f.type = *type;
        if (*type == DataType::VarChar)
            f.typeParams.insert(QStringLiteral("max_length"), QString::number(kMaxVarChar));
        r.schema.fields.append(f);
    }
    return r;
}

CreateIndexRequest createIndexRequest(const VectorStoreConfig &config)
{
    CreateIndexRequest r;
    r.collection = config.collectionName;
    r.fieldName = config.vectorField;
    r.indexName = config.vectorField;
    r.indexType = config.indexType;
    r.metricType = config.metricType;
    r.params = config.indexParams;
    return r;
}

void checkMetadataCount(const QString &op, const QStringList &texts, const QList<QVariantMap> &metadatas)
{
    if (!metadatas.isEmpty() && metadatas.size() != texts.size())
        invalid(op,
                QStringLiteral("%1 texts but %2 metadata entries").arg(texts.size()).arg(metadatas.size()));
}

void checkRows(const QString &op, const QStringList &texts, const QList<Embedding> &vectors,
               const QList<QVariantMap> &metadatas, int dim)
{
    if (vectors.size() != texts.size())
        invalid(op, QStringLiteral("%1 texts but %2 embeddings").arg(texts.size()).arg(vectors.size()));
    checkMetadataCount(op, texts, metadatas);
    const int want = dim > 0 ? dim : (vectors.isEmpty() ? 0 : int(vectors.first().size()));
    if (!vectors.isEmpty() && want <= 0)
        invalid(op, QStringLiteral("embeddings must not be empty"));
    for (qsizetype i = 0; i < vectors.size(); ++i) {
        if (vectors.at(i).size() != want)
            invalid(op,
                    QStringLiteral("vector dimension mismatch: embedding %1 has dimension %2, expected %3")
                        .arg(i)
                        .arg(vectors.at(i).size())
                        .arg(want));
    }
}

void checkIds(const QString &op, const CollectionLayout &layout, const QVariantList &ids, qsizetype rows)
{
    if (ids.isEmpty())
        invalid(op, QStringLiteral(
                        "ids are required: primary key '%1' of collection '%2' is not generated by Milvus")
                        .arg(layout.primaryField, layout.schema.name));
    QSet<QString> seen;
    for (const auto &raw : ids) {
        const QVariant id = plain(raw);
        if (layout.primaryType == DataType::Int64) {
            bool numeric = false;
            if (id.typeId() == QMetaType::QString) // a Document's id is text
                id.toString().toLongLong(&numeric);
            if (!isIntegral(id) && !numeric)
                invalid(op, QStringLiteral("primary key field '%1' is INT64: id %2 is not an integer")
                                .arg(layout.primaryField, QString::fromUtf8(compactJson(id))));
        } else {
            if (id.typeId() != QMetaType::QString)
                invalid(op, QStringLiteral("all ids should be strings (field '%1' is VARCHAR), got %2")
                                .arg(layout.primaryField, QString::fromUtf8(compactJson(id))));
            if (id.toString().toUtf8().size() > kMaxVarChar)
                invalid(op, QStringLiteral("each id should be a string less than 65535 bytes"));
        }
        seen.insert(id.toString());
    }
    if (seen.size() != rows)
        invalid(op, QStringLiteral("different lengths of texts (%1) and unique ids (%2) are provided")
                        .arg(rows)
                        .arg(seen.size()));
}

void checkQueryVector(const QString &op, const CollectionLayout &layout, const Embedding &vector)
{
    if (vector.isEmpty())
        invalid(op, QStringLiteral("the query vector is empty"));
    if (vector.size() != layout.dim)
        invalid(op,
                QStringLiteral("vector dimension mismatch: got a vector of dimension %1, but field '%2' of "
                               "collection '%3' has dimension %4")
                    .arg(vector.size())
                    .arg(layout.vectorField, layout.schema.name)
                    .arg(layout.dim));
}

void checkQueryText(const QString &op, const QString &query)
{
    if (query.trimmed().isEmpty())
        invalid(op, QStringLiteral("the query text is empty"));
}

InsertRequest insertRequest(const CollectionLayout &layout, const QString &collection,
                            const QStringList &texts, const QList<Embedding> &vectors,
                            const QList<QVariantMap> &metadatas, const QVariantList &ids, qsizetype begin,
                            qsizetype end, bool withIds)
{
    const QString op = QStringLiteral("VectorStore insert");
    InsertRequest r;
    r.collection = collection;
    const qsizetype n = end - begin;
    if (withIds) {
        if (layout.primaryType == DataType::Int64) {
            QList<qint64> keys;
            keys.reserve(n);
            for (qsizetype i = begin; i < end; ++i)
                keys.append(plain(ids.at(i)).toLongLong());
            r.columns.append(FieldColumn::int64s(layout.primaryField, keys));
        } else {
            QStringList keys;
            keys.reserve(n);
            for (qsizetype i = begin; i < end; ++i)
                keys.append(plain(ids.at(i)).toString());
            r.columns.append(FieldColumn::varchars(layout.primaryField, keys));
        }
    }
    r.columns.append(FieldColumn::varchars(layout.textField, texts.mid(begin, n)));
    QList<float> flat;
    flat.reserve(n * layout.dim);
    for (qsizetype i = begin; i < end; ++i)
        flat.append(vectors.at(i));
    r.columns.append(FieldColumn::floatVectors(layout.vectorField, layout.dim, flat));

    if (!layout.metadataField.isEmpty()) {
        QList<QJsonObject> objects;
        for (qsizetype i = begin; i < end; ++i)
            objects.append(QJsonObject::fromVariantMap(metadatas.value(i)));
        r.columns.append(FieldColumn::json(layout.metadataField, objects));
        return r;
    }

    const QStringList reserved{layout.primaryField, layout.textField, layout.vectorField};
    QSet<QString> columnKeys;
    for (const auto &f : layout.schema.fields) {
        if (f.isDynamic || reserved.contains(f.name))
            continue;
        columnKeys.insert(f.name);
        r.columns.append(scalarColumn(op, f, metadatas, begin, end));
    }
    if (!layout.dynamic)
        return r; // keys without a field are dropped, as langchain-milvus does
    QList<QJsonObject> dynamic;
    dynamic.reserve(n);
    for (qsizetype i = begin; i < end; ++i) {
        QJsonObject extra;
        const QVariantMap meta = metadatas.value(i);
        for (auto it = meta.cbegin(); it != meta.cend(); ++it) {
            if (reserved.contains(it.key()))
                invalid(op, QStringLiteral("metadata key %1 is reserved").arg(it.key()));
            if (!columnKeys.contains(it.key()))
                extra.insert(it.key(), QJsonValue::fromVariant(plain(it.value())));
        }
        dynamic.append(extra);
    }
    r.columns.append(FieldColumn::json(QStringLiteral("$meta"), dynamic, true));
    return r;
}

SearchRequest searchRequest(const CollectionLayout &layout, const QString &collection,
                            const Embedding &vector, int k, const QString &expr, const QJsonObject &param)
{
    const QJsonObject p = param.isEmpty() ? layout.defaultSearch : param;
    SearchRequest r;
    r.collection = collection;
    r.annsField = layout.vectorField;
    r.vectors.dim = int(vector.size());
    r.vectors.values = vector;
    r.topK = k;
    r.metricType = p.value(QStringLiteral("metric_type")).toString(layout.metricType);
    r.searchParams = p.value(QStringLiteral("params")).toObject();
    r.filter = expr;
    if (layout.dynamic) {
        r.outputFields = {QStringLiteral("*")};
    } else {
        // langchain-milvus also asks for the vector and then drops it; leaving it out saves the transfer.
        for (const auto &f : layout.fieldNames) {
            if (f != layout.vectorField)
                r.outputFields.append(f);
        }
    }
    return r;
}

QList<ScoredDocument> documentsFromHits(const CollectionLayout &layout, const SearchResults &results)
{
    QList<ScoredDocument> out;
    if (results.queries.isEmpty())
        return out;
    for (const auto &hit : results.queries.first()) {
        QVariantMap data = hit.fields;
        data.remove(layout.vectorField);
        if (!data.contains(layout.primaryField))
            data.insert(layout.primaryField, hit.id);
        ScoredDocument d;
        d.document.pageContent = data.take(layout.textField).toString();
        d.document.metadata =
            layout.metadataField.isEmpty() ? data : data.value(layout.metadataField).toMap();
        d.document.id = hit.id.toString();
        d.score = double(hit.score);
        out.append(std::move(d));
    }
    return out;
}

QList<Document> withoutScores(const QList<ScoredDocument> &scored)
{
    QList<Document> out;
    out.reserve(scored.size());
    for (const auto &s : scored)
        out.append(s.document);
    return out;
}

QString idFilter(const QString &primaryField, const QVariantList &ids)
{
    QStringList literals;
    literals.reserve(ids.size());
    for (const auto &id : ids)
        literals.append(idLiteral(id));
    return QStringLiteral("%1 in [%2]").arg(primaryField, literals.join(QStringLiteral(", ")));
}

QVariantList idsOf(const IdList &ids)
{
    QVariantList out;
    out.reserve(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i)
        out.append(ids.at(i));
    return out;
}

QVariantList idsOf(const SearchResults &results)
{
    QVariantList out;
    if (results.queries.isEmpty())
        return out;
    out.reserve(results.queries.first().size());
    for (const auto &hit : results.queries.first())
        out.append(hit.id);
    return out;
}

QStringList metadataOutputFields(const CollectionLayout &layout, const QStringList &fields)
{
    QStringList out = fields.isEmpty() ? layout.fieldNames : fields;
    if (!out.contains(layout.textField))
        out.append(layout.textField);
    return out;
}

namespace {
// pymilvus's extract_dynamic_field_from_result: the keys of the dynamic field a query asked for by name
// (output fields that are no column); empty means all of them (none named, or the dynamic field itself).
QSet<QString> requestedDynamicKeys(const QueryResult &rows)
{
    QSet<QString> columns;
    QString dynamicColumn;
    for (const auto &c : rows.columns) {
        columns.insert(c.name);
        if (c.isDynamic)
            dynamicColumn = c.name;
    }
    QSet<QString> keys;
    for (const auto &name : rows.outputFields) {
        if (name == dynamicColumn)
            return {};
        if (!columns.contains(name))
            keys.insert(name);
    }
    return keys;
}
} // namespace

QList<Document> documentsFromRows(const CollectionLayout &layout, const QueryResult &rows)
{
    // Milvus Lite sends only the requested keys of the dynamic field, the full server all of them; pymilvus
    // drops the others, so langchain-milvus's metadata holds just what was asked for.
    const QSet<QString> dynamicKeys = requestedDynamicKeys(rows);
    QSet<QString> columns;
    for (const auto &c : rows.columns) {
        if (!c.isDynamic)
            columns.insert(c.name);
    }
    QList<Document> out;
    out.reserve(rows.rowCount());
    for (qsizetype i = 0; i < rows.rowCount(); ++i) {
        Document d;
        d.metadata = rows.row(i);
        if (!dynamicKeys.isEmpty()) {
            for (auto it = d.metadata.begin(); it != d.metadata.end();) {
                if (columns.contains(it.key()) || dynamicKeys.contains(it.key()))
                    ++it;
                else
                    it = d.metadata.erase(it);
            }
        }
        d.pageContent = d.metadata.value(layout.textField).toString();
        d.id = d.metadata.value(layout.primaryField).toString();
        out.append(std::move(d));
    }
    return out;
}

QVariantList primaryKeysFromRows(const CollectionLayout &layout, const QueryResult &rows)
{
    QVariantList out;
    const FieldColumn *pk = rows.column(layout.primaryField);
    if (!pk)
        return out;
    out.reserve(pk->rowCount());
    for (qsizetype r = 0; r < pk->rowCount(); ++r)
        out.append(pk->value(r));
    return out;
}

QStringList textsOf(const QList<Document> &documents)
{
    QStringList out;
    out.reserve(documents.size());
    for (const auto &d : documents)
        out.append(d.pageContent);
    return out;
}

QList<QVariantMap> metadatasOf(const QList<Document> &documents)
{
    QList<QVariantMap> out;
    out.reserve(documents.size());
    for (const auto &d : documents)
        out.append(d.metadata);
    return out;
}

QVariantList documentIds(const QList<Document> &documents)
{
    QVariantList out;
    for (const auto &d : documents) {
        if (d.id.isEmpty())
            return {};
        out.append(d.id);
    }
    return out;
}

} // namespace mx::detail
