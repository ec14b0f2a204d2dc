#include "TestSupport.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

namespace mx::test {

LocalServer::Kind testServerKind()
{
    return LocalServer::kindFromKey(qEnvironmentVariable("MX_TEST_SERVER")).value_or(LocalServer::Kind::Lite);
}

bool isStandalone()
{
    return testServerKind() == LocalServer::Kind::Standalone;
}

TestServer::TestServer()
    : TestServer(testServerKind())
{}

TestServer::TestServer(LocalServer::Kind kind)
    : m_kind(kind)
    , m_server(std::make_unique<LocalServer>())
{}

TestServer::~TestServer()
{
    stop();
}

bool TestServer::start(QString *error)
{
    LocalServer::Options options;
    options.kind = m_kind;
    options.dataDir = m_dir.path();
    options.port = m_port; // keep the same port across restarts
    options.binaryDir = QStringLiteral(MX_TEST_STANDALONE_BIN_DIR);
    options.tls = m_tls;
    // A restart after a kill waits until the dead server's etcd sessions expire (30 s by default):
    // tests that kill and restart (tests/faults) would spend most of their time there.
    if (m_kind == LocalServer::Kind::Standalone)
        options.extraConfig.insert(QStringLiteral("common.session.ttl"), 10);
    auto future = m_server->start(options);
    if (!waitForFuture(future, 240000)) {
        if (error)
            *error = QStringLiteral("%1 did not start within 240 s").arg(LocalServer::kindName(m_kind));
        return false;
    }
    try {
        future.result();
    } catch (const MilvusException &e) {
        if (error)
            *error = e.error().message();
        return false;
    }
    m_port = m_server->port();
    return true;
}

void TestServer::stop()
{
    m_server->stop();
    m_server->waitForStopped(20000);
}

ConnectionConfig TestServer::config(std::chrono::milliseconds timeout) const
{
    ConnectionConfig cfg = m_server->connectionConfig();
    cfg.uri = uri();
    cfg.defaultTimeout = timeout;
    return cfg;
}

QString TestServer::token() const
{
    const ConnectionConfig cfg = m_server->connectionConfig();
    return cfg.user.isEmpty() ? QString() : cfg.user + QLatin1Char(':') + cfg.password;
}

std::unique_ptr<MilvusClient> TestServer::client(std::chrono::milliseconds timeout) const
{
    return std::make_unique<MilvusClient>(config(timeout));
}

QString uniqueName(const QString &prefix)
{
    static QAtomicInteger<int> counter;
    return QStringLiteral("%1_%2_%3")
        .arg(prefix)
        .arg(QCoreApplication::applicationPid())
        .arg(counter.fetchAndAddRelaxed(1));
}

CollectionSchema richSchema(int dim)
{
    CollectionSchema s;
    s.enableDynamicField = true;
    FieldSchema id;
    id.name = QStringLiteral("id");
    id.type = DataType::Int64;
    id.isPrimaryKey = true;
    FieldSchema vec;
    vec.name = QStringLiteral("vec");
    vec.type = DataType::FloatVector;
    vec.typeParams.insert(QStringLiteral("dim"), QString::number(dim));
    FieldSchema title;
    title.name = QStringLiteral("title");
    title.type = DataType::VarChar;
    title.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("256"));
    FieldSchema score;
    score.name = QStringLiteral("score");
    score.type = DataType::Double;
    FieldSchema meta;
    meta.name = QStringLiteral("meta");
    meta.type = DataType::Json;
    FieldSchema tags;
    tags.name = QStringLiteral("tags");
    tags.type = DataType::Array;
    tags.elementType = DataType::Int64;
    tags.typeParams.insert(QStringLiteral("max_capacity"), QStringLiteral("16"));
    s.fields = {id, vec, title, score, meta, tags};
    return s;
}

QList<FieldColumn> richRows(int dim, qint64 firstId, int n, bool withDynamic)
{
    QList<qint64> ids;
    QList<float> flat;
    QStringList titles;
    QList<double> scores;
    QList<QJsonObject> metas;
    QList<QVariantList> tags;
    QList<QJsonObject> dynamic;
    for (int r = 0; r < n; ++r) {
        const qint64 id = firstId + r;
        ids.append(id);
        flat.append(vectorFor(id, dim));
        titles.append(QStringLiteral("document %1").arg(id));
        scores.append(double(id % 100) / 10.0);
        metas.append(QJsonObject{{QStringLiteral("category"), QStringLiteral("cat_%1").arg(id % 5)},
                                 {QStringLiteral("rank"), int(id % 7)}});
        tags.append(QVariantList{id % 3, id % 11});
        dynamic.append(
            QJsonObject{{QStringLiteral("source"), id % 2 ? QStringLiteral("odd") : QStringLiteral("even")}});
    }
    FieldColumn tagColumn;
    tagColumn.name = QStringLiteral("tags");
    tagColumn.type = DataType::Array;
    tagColumn.elementType = DataType::Int64;
    tagColumn.data = tags;
    QList<FieldColumn> cols{FieldColumn::int64s(QStringLiteral("id"), ids),
                            FieldColumn::floatVectors(QStringLiteral("vec"), dim, flat),
                            FieldColumn::varchars(QStringLiteral("title"), titles),
                            FieldColumn::doubles(QStringLiteral("score"), scores),
                            FieldColumn::json(QStringLiteral("meta"), metas),
                            tagColumn};
    if (withDynamic)
        cols.append(FieldColumn::json(QStringLiteral("$meta"), dynamic, true));
    return cols;
}

QString createLoadedCollection(MilvusClient &client, const QString &prefix, int dim, int n)
{
    const QString name = uniqueName(prefix);
    CreateCollectionRequest create;
    create.collection = name;
    create.schema = richSchema(dim);
    client.createCollection(create);
    constexpr int kBatch = 2000;
    for (int first = 0; first < n; first += kBatch)
        client.insert(InsertRequest{name, {}, richRows(dim, first, std::min(kBatch, n - first)), {}});
    indexAndLoad(client, name);
    return name;
}

void loadAndWait(MilvusClient &client, const QString &collection, int timeoutMs)
{
    client.loadCollection(LoadCollectionRequest{collection});
    QElapsedTimer clock;
    clock.start();
    while (client.getLoadState(LoadStateRequest{collection}) != LoadState::Loaded) {
        if (clock.elapsed() > timeoutMs)
            throwError(ErrorKind::Timeout, QStringLiteral("test"),
                       QStringLiteral("%1 not loaded after %2 ms").arg(collection).arg(timeoutMs));
        QTest::qWait(100);
    }
}

void indexAndLoad(MilvusClient &client, const QString &collection, const QString &field,
                  const QString &metric)
{
    CreateIndexRequest index;
    index.collection = collection;
    index.fieldName = field;
    index.indexType = QStringLiteral("FLAT");
    index.metricType = metric;
    client.createIndex(index);
    loadAndWait(client, collection);
}

QStringList awkwardKeys()
{
    return {QStringLiteral("plain"),
            QStringLiteral("with \"double\" quotes"),
            QStringLiteral("single'quote"),
            QStringLiteral("back\\slash"),
            QStringLiteral("trailing backslash\\"),
            QStringLiteral("\\\""),
            QStringLiteral("new\nline"),
            QStringLiteral("carriage\rreturn"),
            QStringLiteral("tab\there"),
            QStringLiteral("bell\x07 and unit separator\x1f"),
            QStringLiteral("delete\x7f"),
            QStringLiteral("\" or key != \""),
            QStringLiteral("café"),
            QStringLiteral("日本語"),
            QStringLiteral("emoji 😀"),
            QStringLiteral("last plane \U0010FFFD"),
            QString(QChar(0xE000)) + QStringLiteral(" private use")};
}

QString createKeyedCollection(MilvusClient &client, const QString &prefix, const QStringList &keys)
{
    const QString name = uniqueName(prefix);
    FieldSchema key;
    key.name = QStringLiteral("key");
    key.type = DataType::VarChar;
    key.isPrimaryKey = true;
    key.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("64"));
    FieldSchema vec;
    vec.name = QStringLiteral("vec");
    vec.type = DataType::FloatVector;
    vec.typeParams.insert(QStringLiteral("dim"), QStringLiteral("2"));
    CreateCollectionRequest create;
    create.collection = name;
    create.schema.fields = {key, vec};
    create.consistency = ConsistencyLevel::Strong;
    client.createCollection(create);
    QList<float> flat;
    for (qsizetype i = 0; i < keys.size(); ++i)
        flat << float(i) << 1.0f;
    client.insert(InsertRequest{name,
                                {},
                                {FieldColumn::varchars(QStringLiteral("key"), keys),
                                 FieldColumn::floatVectors(QStringLiteral("vec"), 2, flat)},
                                {}});
    indexAndLoad(client, name);
    return name;
}

} // namespace mx::test
