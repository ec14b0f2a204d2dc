// Runs a JSON list of vector-store operations against Milvus with mx::VectorStore, in the blocking or the
// async form, and prints one JSON result per operation. tests/vectorstore/parity.py feeds it the same
// operations it runs through langchain-milvus and compares the answers.
//
//   vectorstore_driver --uri http://127.0.0.1:PORT --fixture vectors.json --ops ops.json --form async
//   --prefix cx_a_
//
// ops.json: {"stores": {"A": {langchain-milvus constructor kwargs}}, "ops": [{"op": "add_texts", "store":
// "A", ..}]} stdout:   {"results": [{"ok": true, "value": ..} | {"ok": false, "error": {"kind",
// "milvus_code", "message"}}]}

#include "FixtureEmbeddings.h"
#include "VectorStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

#include <cstdio>

namespace mx {
namespace {

// parity.py sends integral floats as {"$float": x}: Qt's JSON reader would make 0.0 an integer, and the first
// metadata's value types decide the collection's schema.
QVariant plainValue(const QJsonValue &v)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.size() == 1 && o.contains(QStringLiteral("$float")))
            return o.value(QStringLiteral("$float")).toDouble();
        QVariantMap m;
        for (auto it = o.begin(); it != o.end(); ++it)
            m.insert(it.key(), plainValue(it.value()));
        return m;
    }
    if (v.isArray()) {
        QVariantList l;
        for (const auto &x : v.toArray())
            l.append(plainValue(x));
        return l;
    }
    return v.toVariant();
}

QVariantMap metadataFrom(const QJsonValue &v)
{
    return plainValue(v).toMap();
}

QList<QVariantMap> metadatasFrom(const QJsonValue &v)
{
    QList<QVariantMap> out;
    for (const auto &m : v.toArray())
        out.append(metadataFrom(m));
    return out;
}

QJsonObject documentJson(const Document &d)
{
    return {{QStringLiteral("page_content"), d.pageContent},
            {QStringLiteral("metadata"), QJsonObject::fromVariantMap(d.metadata)},
            {QStringLiteral("id"), d.id}};
}

QJsonArray documentsJson(const QList<Document> &docs)
{
    QJsonArray out;
    for (const auto &d : docs)
        out.append(documentJson(d));
    return out;
}

QJsonArray scoredJson(const QList<ScoredDocument> &docs)
{
    QJsonArray out;
    for (const auto &d : docs) {
        QJsonObject o = documentJson(d.document);
        o.insert(QStringLiteral("score"), d.score);
        out.append(o);
    }
    return out;
}

VectorStoreConfig configFrom(const QJsonObject &kw, const QString &collection)
{
    VectorStoreConfig c;
    c.collectionName = collection;
    c.autoId = kw.value(QStringLiteral("auto_id")).toBool(false);
    c.dropOld = kw.value(QStringLiteral("drop_old")).toBool(true);
    c.enableDynamicField = kw.value(QStringLiteral("enable_dynamic_field")).toBool(false);
    c.metadataField = kw.value(QStringLiteral("metadata_field")).toString();
    c.partitionKeyField = kw.value(QStringLiteral("partition_key_field")).toString();
    c.primaryField = kw.value(QStringLiteral("primary_field")).toString(c.primaryField);
    c.textField = kw.value(QStringLiteral("text_field")).toString(c.textField);
    c.vectorField = kw.value(QStringLiteral("vector_field")).toString(c.vectorField);
    const QJsonObject index = kw.value(QStringLiteral("index_params")).toObject();
    if (!index.isEmpty()) {
        c.indexType = index.value(QStringLiteral("index_type")).toString(c.indexType);
        c.metricType = index.value(QStringLiteral("metric_type")).toString(c.metricType);
        c.indexParams = index.value(QStringLiteral("params")).toObject();
    }
    c.searchParams = kw.value(QStringLiteral("search_params")).toObject();
    if (kw.contains(QStringLiteral("consistency_level"))) {
        const QString level = kw.value(QStringLiteral("consistency_level")).toString();
        bool known = false;
        for (auto l : {ConsistencyLevel::Strong, ConsistencyLevel::Session, ConsistencyLevel::Bounded,
                       ConsistencyLevel::Eventually}) {
            if (level.compare(consistencyLevelName(l), Qt::CaseInsensitive) == 0) {
                c.consistencyLevel = l;
                known = true;
            }
        }
        if (!known)
            throwError(ErrorKind::InvalidArgument, QStringLiteral("driver"),
                       QStringLiteral("unknown consistency_level %1").arg(level));
    }
    return c;
}

QJsonObject errorJson(const MilvusError &e)
{
    return {{QStringLiteral("ok"), false},
            {QStringLiteral("error"), QJsonObject{{QStringLiteral("kind"), errorKindName(e.kind)},
                                                  {QStringLiteral("milvus_code"), e.milvusCode},
                                                  {QStringLiteral("message"), e.message()}}}};
}

class Driver
{
public:
    Driver(std::shared_ptr<MilvusClient> client, std::shared_ptr<test::FixtureEmbeddings> embeddings,
           QJsonObject stores, QString prefix, bool async)
        : m_client(std::move(client))
        , m_embeddings(std::move(embeddings))
        , m_stores(std::move(stores))
        , m_prefix(std::move(prefix))
        , m_async(async)
    {}

    QJsonObject run(const QJsonObject &op, const QJsonArray &earlier)
    {
        try {
            return {{QStringLiteral("ok"), true}, {QStringLiteral("value"), value(op, earlier)}};
        } catch (...) {
            return errorJson(errorFromException(std::current_exception()));
        }
    }

private:
    // One call in the form under test; the async form is waited for here, in the driver, not in the store.
    template<typename T>
    T call(const std::function<T()> &blocking, const std::function<QFuture<T>()> &async)
    {
        if (!m_async)
            return blocking();
        QFuture<T> f = async();
        if constexpr (std::is_void_v<T>)
            f.waitForFinished();
        else
            return f.result();
    }

    VectorStoreConfig config(const QString &name) const
    {
        return configFrom(m_stores.value(name).toObject(), m_prefix + name);
    }

    // Opened at first use, as the Python side constructs its Milvus object.
    VectorStore store(const QString &name)
    {
        if (!m_open.contains(name)) {
            VectorStore s(m_client, m_embeddings, config(name));
            call<void>([&] { s.open(); }, [&] { return s.openAsync(); });
            m_open.insert(name, s);
        }
        return m_open.value(name);
    }

    QVariantList ids(const QJsonObject &op, const QJsonArray &earlier) const
    {
        if (op.contains(QStringLiteral("ids_from"))) {
            const QJsonObject from = op.value(QStringLiteral("ids_from")).toObject();
            const QJsonArray all = earlier.at(from.value(QStringLiteral("step")).toInt())
                                       .toObject()
                                       .value(QStringLiteral("value"))
                                       .toArray();
            const QJsonArray range = from.value(QStringLiteral("slice")).toArray();
            QVariantList out;
            for (int i = range.at(0).toInt(); i < range.at(1).toInt() && i < all.size(); ++i)
                out.append(all.at(i).toVariant());
            return out;
        }
        return op.value(QStringLiteral("ids")).toArray().toVariantList();
    }

    Embedding vectorOf(const QJsonObject &op)
    {
        return m_embeddings->embedQuery(op.value(QStringLiteral("embedding_of")).toString());
    }

    QList<Document> documents(const QJsonObject &op) const
    {
        QList<Document> out;
        for (const auto &v : op.value(QStringLiteral("documents")).toArray()) {
            const QJsonObject d = v.toObject();
            out.append(Document{d.value(QStringLiteral("page_content")).toString(),
                                metadataFrom(d.value(QStringLiteral("metadata"))),
                                d.value(QStringLiteral("id")).toString()});
        }
        return out;
    }

    SearchOptions searchOptions(const QJsonObject &op) const
    {
        SearchOptions o;
        o.k = op.value(QStringLiteral("k")).toInt(4);
        o.expr = op.value(QStringLiteral("expr")).toString();
        return o;
    }

    MmrOptions mmrOptions(const QJsonObject &op) const
    {
        MmrOptions o;
        o.k = op.value(QStringLiteral("k")).toInt(4);
        o.fetchK = op.value(QStringLiteral("fetch_k")).toInt(20);
        o.lambdaMult = op.value(QStringLiteral("lambda_mult")).toDouble(0.5);
        o.expr = op.value(QStringLiteral("expr")).toString();
        return o;
    }

    QJsonValue value(const QJsonObject &op, const QJsonArray &earlier)
    {
        const QString name = op.value(QStringLiteral("op")).toString();
        const QString storeName = op.value(QStringLiteral("store")).toString();
        const QStringList texts = op.value(QStringLiteral("texts")).toVariant().toStringList();
        const QList<QVariantMap> metadatas = metadatasFrom(op.value(QStringLiteral("metadatas")));
        const QString query = op.value(QStringLiteral("query")).toString();
        const QString expr = op.value(QStringLiteral("expr")).toString();
        AddOptions add;
        add.ids = ids(op, earlier);

        if (name == QLatin1String("from_texts")) {
            call<VectorStore>(
                [&] {
                    return m_open[storeName] = VectorStore::fromTexts(m_client, m_embeddings, texts,
                                                                      metadatas, add.ids, config(storeName));
                },
                [&] {
                    return VectorStore::fromTextsAsync(m_client, m_embeddings, texts, metadatas, add.ids,
                                                       config(storeName))
                        .then([this, storeName](const VectorStore &s) { return m_open[storeName] = s; });
                });
            return QJsonValue::Null;
        }
        const VectorStore s = store(storeName);
        if (name == QLatin1String("add_texts"))
            return QJsonArray::fromVariantList(
                call<QVariantList>([&] { return s.addTexts(texts, metadatas, add); },
                                   [&] { return s.addTextsAsync(texts, metadatas, add); }));
        if (name == QLatin1String("add_documents")) {
            const QList<Document> docs = documents(op);
            return QJsonArray::fromVariantList(call<QVariantList>(
                [&] { return s.addDocuments(docs, add); }, [&] { return s.addDocumentsAsync(docs, add); }));
        }
        if (name == QLatin1String("add_embeddings")) {
            QList<Embedding> vectors;
            for (const auto &t : texts)
                vectors.append(m_embeddings->embedQuery(t));
            return QJsonArray::fromVariantList(
                call<QVariantList>([&] { return s.addEmbeddings(texts, vectors, metadatas, add); },
                                   [&] { return s.addEmbeddingsAsync(texts, vectors, metadatas, add); }));
        }
        if (name == QLatin1String("similarity_search"))
            return documentsJson(
                call<QList<Document>>([&] { return s.similaritySearch(query, searchOptions(op)); },
                                      [&] { return s.similaritySearchAsync(query, searchOptions(op)); }));
        if (name == QLatin1String("similarity_search_by_vector")) {
            const Embedding v = vectorOf(op);
            return documentsJson(
                call<QList<Document>>([&] { return s.similaritySearchByVector(v, searchOptions(op)); },
                                      [&] { return s.similaritySearchByVectorAsync(v, searchOptions(op)); }));
        }
        if (name == QLatin1String("similarity_search_with_score"))
            return scoredJson(call<QList<ScoredDocument>>(
                [&] { return s.similaritySearchWithScore(query, searchOptions(op)); },
                [&] { return s.similaritySearchWithScoreAsync(query, searchOptions(op)); }));
        if (name == QLatin1String("similarity_search_with_score_by_vector")) {
            const Embedding v = vectorOf(op);
            return scoredJson(call<QList<ScoredDocument>>(
                [&] { return s.similaritySearchWithScoreByVector(v, searchOptions(op)); },
                [&] { return s.similaritySearchWithScoreByVectorAsync(v, searchOptions(op)); }));
        }
        if (name == QLatin1String("max_marginal_relevance_search"))
            return documentsJson(call<QList<Document>>(
                [&] { return s.maxMarginalRelevanceSearch(query, mmrOptions(op)); },
                [&] { return s.maxMarginalRelevanceSearchAsync(query, mmrOptions(op)); }));
        if (name == QLatin1String("max_marginal_relevance_search_by_vector")) {
            const Embedding v = vectorOf(op);
            return documentsJson(call<QList<Document>>(
                [&] { return s.maxMarginalRelevanceSearchByVector(v, mmrOptions(op)); },
                [&] { return s.maxMarginalRelevanceSearchByVectorAsync(v, mmrOptions(op)); }));
        }
        if (name == QLatin1String("delete")) {
            const qint64 n = call<qint64>([&] { return s.deleteDocuments(add.ids, expr); },
                                          [&] { return s.deleteDocumentsAsync(add.ids, expr); });
            return QJsonObject{{QStringLiteral("delete_count"), n}};
        }
        if (name == QLatin1String("upsert")) {
            const QList<Document> docs = documents(op);
            return QJsonArray::fromVariantList(call<QVariantList>([&] { return s.upsert(docs, add); },
                                                                  [&] { return s.upsertAsync(docs, add); }));
        }
        if (name == QLatin1String("search_by_metadata")) {
            const QStringList fields = op.value(QStringLiteral("fields")).toVariant().toStringList();
            const qint64 limit = op.value(QStringLiteral("limit")).toInteger(10);
            return documentsJson(
                call<QList<Document>>([&] { return s.searchByMetadata(expr, fields, limit); },
                                      [&] { return s.searchByMetadataAsync(expr, fields, limit); }));
        }
        if (name == QLatin1String("get_pks")) {
            const auto pks = call<std::optional<QVariantList>>([&] { return s.getPks(expr); },
                                                               [&] { return s.getPksAsync(expr); });
            return pks ? QJsonValue(QJsonArray::fromVariantList(*pks)) : QJsonValue(QJsonValue::Null);
        }
        throwError(ErrorKind::InvalidArgument, QStringLiteral("driver"),
                   QStringLiteral("unknown op %1").arg(name));
    }

    std::shared_ptr<MilvusClient> m_client;
    std::shared_ptr<test::FixtureEmbeddings> m_embeddings;
    QJsonObject m_stores;
    QString m_prefix;
    bool m_async;
    QMap<QString, VectorStore> m_open;
};

} // namespace
} // namespace mx

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("uri"), QStringLiteral("Milvus URI"), QStringLiteral("uri")});
    parser.addOption(
        {QStringLiteral("fixture"), QStringLiteral("embedding fixture JSON"), QStringLiteral("path")});
    parser.addOption({QStringLiteral("ops"), QStringLiteral("operations JSON"), QStringLiteral("path")});
    parser.addOption({QStringLiteral("form"), QStringLiteral("blocking or async"), QStringLiteral("form")});
    parser.addOption(
        {QStringLiteral("prefix"), QStringLiteral("collection name prefix"), QStringLiteral("prefix")});
    parser.process(app);

    QFile opsFile(parser.value(QStringLiteral("ops")));
    if (!opsFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(opsFile.fileName()));
        return 2;
    }
    const QJsonObject spec = QJsonDocument::fromJson(opsFile.readAll()).object();
    try {
        mx::ConnectionConfig cfg;
        cfg.uri = parser.value(QStringLiteral("uri"));
        cfg.token = qEnvironmentVariable("MX_PARITY_TOKEN"); // "user:password" for a server with auth
        cfg.defaultTimeout = std::chrono::seconds(60);
        mx::Driver driver(std::make_shared<mx::MilvusClient>(cfg),
                          mx::test::FixtureEmbeddings::fromFile(parser.value(QStringLiteral("fixture"))),
                          spec.value(QStringLiteral("stores")).toObject(),
                          parser.value(QStringLiteral("prefix")),
                          parser.value(QStringLiteral("form")) == QLatin1String("async"));
        QJsonArray results;
        for (const auto &op : spec.value(QStringLiteral("ops")).toArray())
            results.append(driver.run(op.toObject(), results));
        std::fputs(QJsonDocument(QJsonObject{{QStringLiteral("results"), results}}).toJson().constData(),
                   stdout);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "driver: %s\n", e.what());
        return 1;
    }
    return 0;
}
