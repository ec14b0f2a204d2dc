#include "CollectionLayout.h"

#include "MilvusError.h"

namespace mx {

QJsonObject CollectionLayout::defaultSearchParams(const QString &indexType, const QString &metricType)
{
    // langchain-milvus's default_search_params table, keyed by index type.
    static const QMap<QString, QJsonObject> table = {
        {QStringLiteral("FLAT"), {}},
        {QStringLiteral("IVF_FLAT"), {{QStringLiteral("nprobe"), 10}}},
        {QStringLiteral("IVF_SQ8"), {{QStringLiteral("nprobe"), 10}}},
        {QStringLiteral("IVF_PQ"), {{QStringLiteral("nprobe"), 10}}},
        {QStringLiteral("HNSW"), {{QStringLiteral("ef"), 10}}},
        {QStringLiteral("RHNSW_FLAT"), {{QStringLiteral("ef"), 10}}},
        {QStringLiteral("RHNSW_SQ"), {{QStringLiteral("ef"), 10}}},
        {QStringLiteral("RHNSW_PQ"), {{QStringLiteral("ef"), 10}}},
        {QStringLiteral("IVF_HNSW"), {{QStringLiteral("nprobe"), 10}, {QStringLiteral("ef"), 10}}},
        {QStringLiteral("ANNOY"), {{QStringLiteral("search_k"), 10}}},
        {QStringLiteral("SCANN"), {{QStringLiteral("search_k"), 10}}},
        {QStringLiteral("AUTOINDEX"), {}},
        {QStringLiteral("GPU_CAGRA"),
         {{QStringLiteral("itopk_size"), 128},
          {QStringLiteral("search_width"), 4},
          {QStringLiteral("min_iterations"), 0},
          {QStringLiteral("max_iterations"), 0},
          {QStringLiteral("team_size"), 0}}},
        {QStringLiteral("GPU_IVF_FLAT"), {{QStringLiteral("nprobe"), 10}}},
        {QStringLiteral("GPU_IVF_PQ"), {{QStringLiteral("nprobe"), 10}}},
        {QStringLiteral("GPU_BRUTE_FORCE"), {{QStringLiteral("nprobe"), 10}}},
        {QStringLiteral("SPARSE_INVERTED_INDEX"), {{QStringLiteral("drop_ratio_build"), 0.2}}},
        {QStringLiteral("SPARSE_WAND"), {{QStringLiteral("drop_ratio_build"), 0.2}}},
    };
    // langchain-milvus raises KeyError for an index type missing from its table; no params is the safe
    // reading (Milvus then uses the index's defaults).
    return {{QStringLiteral("metric_type"), metricType},
            {QStringLiteral("params"), table.value(indexType.toUpper())}};
}

CollectionLayout CollectionLayout::fromDescription(const CollectionDescription &description,
                                                   const IndexDescription &index,
                                                   const VectorStoreConfig &config)
{
    const QString op = QStringLiteral("VectorStore");
    CollectionLayout l;
    l.schema = description.schema;
    const FieldSchema *pk = l.schema.primaryField();
    if (!pk)
        throwError(ErrorKind::InvalidArgument, op,
                   QStringLiteral("collection '%1' has no primary key field").arg(config.collectionName));
    l.primaryField = pk->name;
    l.primaryType = pk->type;
    l.autoId = pk->autoId;

    const FieldSchema *text = l.schema.field(config.textField);
    if (!text || text->type != DataType::VarChar)
        throwError(ErrorKind::InvalidArgument, op,
                   QStringLiteral("collection '%1' has no VARCHAR text field '%2'")
                       .arg(config.collectionName, config.textField));
    l.textField = config.textField;

    const FieldSchema *vec = l.schema.field(config.vectorField);
    if (!vec || vec->type != DataType::FloatVector)
        throwError(ErrorKind::InvalidArgument, op,
                   QStringLiteral("collection '%1' has no float vector field '%2'")
                       .arg(config.collectionName, config.vectorField));
    l.vectorField = vec->name;
    l.dim = vec->dim();

    l.metricType = index.metricType().isEmpty() ? config.metricType : index.metricType();
    l.indexType = index.indexType().isEmpty() ? config.indexType : index.indexType();
    l.defaultSearch =
        config.searchParams.isEmpty() ? defaultSearchParams(l.indexType, l.metricType) : config.searchParams;
    l.dynamic = l.schema.enableDynamicField;
    for (const auto &f : l.schema.fields) {
        if (!f.isDynamic)
            l.fieldNames.append(f.name);
    }
    if (!config.enableDynamicField && !config.metadataField.isEmpty()) {
        const FieldSchema *meta = l.schema.field(config.metadataField);
        if (meta && meta->type == DataType::Json)
            l.metadataField = meta->name;
    }
    return l;
}

} // namespace mx
