#include "IndexCatalog.h"

#include <QHash>
#include <QObject>

namespace mx {

namespace {

bool isDenseFloat(DataType t)
{
    return t == DataType::FloatVector || t == DataType::Float16Vector || t == DataType::BFloat16Vector;
}

bool isInteger(DataType t)
{
    return t == DataType::Int8 || t == DataType::Int16 || t == DataType::Int32 || t == DataType::Int64;
}

IndexParamSpec intParam(const QString &key, int min, int max, int def, const QString &help)
{
    return {key, IndexParamSpec::Kind::Int, double(min), double(max), def, {}, help};
}

IndexParamSpec nlist()
{
    return intParam(QStringLiteral("nlist"), 1, 65536, 1024,
                    QObject::tr("Number of clusters; more clusters, finer search, slower build"));
}

// PQ splits a vector into m sub-vectors, so m must divide the dimension; the default is the largest
// divisor up to 32, which keeps codes small for the usual embedding sizes.
int defaultPqM(int dim)
{
    for (int m = qMin(32, qMax(dim, 1)); m > 1; --m)
        if (dim % m == 0)
            return m;
    return 1;
}

} // namespace

QStringList IndexCatalog::indexTypes(const FieldSchema &field, const ServerCapabilities &caps)
{
    const DataType t = field.type;
    // Milvus before 2.4 has no INVERTED or BITMAP: one scalar index per kind of value ("Trie" for
    // strings, spelled as 2.3 wants it; STL_SORT for numbers), none for BOOL, JSON and arrays.
    const bool before24 =
        caps.flavor == ServerCapabilities::Flavor::Milvus && caps.major == 2 && caps.minor < 4;
    if (before24 && !isVectorType(t)) {
        if (t == DataType::VarChar)
            return {QStringLiteral("Trie")};
        if (isInteger(t) || t == DataType::Float || t == DataType::Double)
            return {QStringLiteral("STL_SORT")};
        return {};
    }

    if (isDenseFloat(t))
        return {QStringLiteral("AUTOINDEX"), QStringLiteral("FLAT"),    QStringLiteral("HNSW"),
                QStringLiteral("IVF_FLAT"),  QStringLiteral("IVF_SQ8"), QStringLiteral("IVF_PQ"),
                QStringLiteral("DISKANN"),   QStringLiteral("SCANN")};
    if (t == DataType::SparseFloatVector)
        return {QStringLiteral("SPARSE_INVERTED_INDEX"), QStringLiteral("SPARSE_WAND")};
    if (t == DataType::BinaryVector)
        return {QStringLiteral("AUTOINDEX"), QStringLiteral("BIN_FLAT"), QStringLiteral("BIN_IVF_FLAT")};
    if (t == DataType::Int8Vector)
        return {QStringLiteral("AUTOINDEX"), QStringLiteral("HNSW")};
    if (t == DataType::Bool)
        return {QStringLiteral("INVERTED"), QStringLiteral("BITMAP"), QStringLiteral("AUTOINDEX")};
    if (isInteger(t))
        return {QStringLiteral("INVERTED"), QStringLiteral("STL_SORT"), QStringLiteral("BITMAP"),
                QStringLiteral("AUTOINDEX")};
    if (t == DataType::Float || t == DataType::Double)
        return {QStringLiteral("INVERTED"), QStringLiteral("STL_SORT"), QStringLiteral("AUTOINDEX")};
    if (t == DataType::VarChar)
        return {QStringLiteral("INVERTED"), QStringLiteral("TRIE"), QStringLiteral("BITMAP"),
                QStringLiteral("AUTOINDEX")};
    if (t == DataType::Array) {
        // BITMAP indexes exact values, which floating-point elements do not have.
        if (field.elementType == DataType::Float || field.elementType == DataType::Double)
            return {QStringLiteral("INVERTED"), QStringLiteral("AUTOINDEX")};
        return {QStringLiteral("INVERTED"), QStringLiteral("BITMAP"), QStringLiteral("AUTOINDEX")};
    }
    if (t == DataType::Json)
        return {QStringLiteral("INVERTED")}; // one path of the document, cast to one type
    return {};
}

QStringList IndexCatalog::metricTypes(DataType type)
{
    if (isDenseFloat(type) || type == DataType::Int8Vector)
        return {QStringLiteral("L2"), QStringLiteral("IP"), QStringLiteral("COSINE")};
    if (type == DataType::SparseFloatVector)
        return {QStringLiteral("IP")};
    if (type == DataType::BinaryVector)
        return {QStringLiteral("HAMMING"), QStringLiteral("JACCARD")};
    return {};
}

QString IndexCatalog::defaultMetric(DataType type)
{
    // COSINE is what Milvus picks for float vectors when none is given, and what embeddings expect.
    if (isDenseFloat(type) || type == DataType::Int8Vector)
        return QStringLiteral("COSINE");
    return metricTypes(type).value(0);
}

QList<IndexParamSpec> IndexCatalog::buildParams(const QString &indexType, const FieldSchema &field)
{
    if (indexType == QLatin1String("HNSW"))
        return {intParam(QStringLiteral("M"), 4, 64, 16,
                         QObject::tr("Links per node; more links, better recall, more memory")),
                intParam(
                    QStringLiteral("efConstruction"), 8, 512, 200,
                    QObject::tr("Candidates considered while building; higher is slower and more accurate"))};
    if (indexType == QLatin1String("IVF_FLAT") || indexType == QLatin1String("IVF_SQ8") ||
        indexType == QLatin1String("BIN_IVF_FLAT"))
        return {nlist()};
    if (indexType == QLatin1String("IVF_PQ")) {
        const int dim = qMax(1, field.dim());
        return {nlist(),
                intParam(QStringLiteral("m"), 1, dim, defaultPqM(dim),
                         QObject::tr("Sub-vectors per vector; must divide the dimension (%1)").arg(dim)),
                intParam(QStringLiteral("nbits"), 1, 16, 8, QObject::tr("Bits per sub-vector code"))};
    }
    if (indexType == QLatin1String("SCANN"))
        return {nlist(),
                {QStringLiteral("with_raw_data"),
                 IndexParamSpec::Kind::Bool,
                 0,
                 0,
                 true,
                 {},
                 QObject::tr("Keep the raw vectors to refine results (more memory, better recall)")}};
    if (indexType == QLatin1String("SPARSE_INVERTED_INDEX") || indexType == QLatin1String("SPARSE_WAND"))
        return {{QStringLiteral("drop_ratio_build"),
                 IndexParamSpec::Kind::Double,
                 0,
                 0.99,
                 0.0,
                 {},
                 QObject::tr("Share of the smallest values dropped while building")}};
    if (field.type == DataType::Json && indexType == QLatin1String("INVERTED"))
        return {
            {QStringLiteral("json_path"),
             IndexParamSpec::Kind::Text,
             0,
             0,
             QStringLiteral("%1[\"key\"]").arg(field.name),
             {},
             QObject::tr("The path inside the document to index, e.g. %1[\"category\"]").arg(field.name)},
            {QStringLiteral("json_cast_type"),
             IndexParamSpec::Kind::Choice,
             0,
             0,
             QStringLiteral("VARCHAR"),
             {QStringLiteral("VARCHAR"), QStringLiteral("DOUBLE"), QStringLiteral("BOOL"),
              QStringLiteral("ARRAY_VARCHAR"), QStringLiteral("ARRAY_DOUBLE"), QStringLiteral("ARRAY_BOOL")},
             QObject::tr("The type the values at the path are indexed as")}};
    return {};
}

QString IndexCatalog::summary(const QString &indexType)
{
    static const QHash<QString, QString> texts = {
        {QStringLiteral("AUTOINDEX"), QObject::tr("The server picks the index and its parameters.")},
        {QStringLiteral("FLAT"),
         QObject::tr("Exact search over every vector: perfect recall, slow on large data.")},
        {QStringLiteral("HNSW"), QObject::tr("Graph index: fast and accurate, uses the most memory.")},
        {QStringLiteral("IVF_FLAT"), QObject::tr("Clusters the vectors and searches the nearest clusters.")},
        {QStringLiteral("IVF_SQ8"), QObject::tr("IVF with 8-bit scalar quantization: about 4× less memory.")},
        {QStringLiteral("IVF_PQ"), QObject::tr("IVF with product quantization: smallest, least accurate.")},
        {QStringLiteral("DISKANN"), QObject::tr("Graph index on disk for data larger than memory.")},
        {QStringLiteral("SCANN"), QObject::tr("Clusters plus SIMD-friendly quantization.")},
        {QStringLiteral("SPARSE_INVERTED_INDEX"), QObject::tr("Posting lists per dimension; exact.")},
        {QStringLiteral("SPARSE_WAND"), QObject::tr("Posting lists with WAND pruning: faster, approximate.")},
        {QStringLiteral("BIN_FLAT"), QObject::tr("Exact search over binary vectors.")},
        {QStringLiteral("BIN_IVF_FLAT"), QObject::tr("Clustered search over binary vectors.")},
        {QStringLiteral("INVERTED"), QObject::tr("Inverted index: general-purpose filtering index.")},
        {QStringLiteral("STL_SORT"), QObject::tr("Sorted values: fast ranges and equality on numbers.")},
        {QStringLiteral("TRIE"), QObject::tr("Prefix tree: equality and prefix matches on strings.")},
        {QStringLiteral("BITMAP"), QObject::tr("A bitmap per value: best for few distinct values.")},
    };
    return texts.value(indexType);
}

bool IndexCatalog::builtByMilvusLite(const QString &indexType, DataType type)
{
    if (type == DataType::SparseFloatVector)
        return indexType == QLatin1String("SPARSE_INVERTED_INDEX");
    if (isVectorType(type))
        return indexType == QLatin1String("AUTOINDEX") || indexType == QLatin1String("FLAT") ||
               indexType == QLatin1String("HNSW") || indexType == QLatin1String("IVF_FLAT") ||
               indexType == QLatin1String("IVF_SQ8");
    return indexType == QLatin1String("INVERTED") && type != DataType::Json && type != DataType::Array;
}

} // namespace mx
