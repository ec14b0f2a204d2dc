#include "SampleDataset.h"

#include "IoPool.h"
#include "MilvusClient.h"
#include "MilvusError.h"
#include "OperationTarget.h"
#include "ScratchStore.h"
#include "TutorialDocuments.h"

#include <QtConcurrent>

namespace mx {

namespace {
FieldSchema field(const QString &name, DataType type, QMap<QString, QString> params = {})
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    f.typeParams = std::move(params);
    return f;
}
} // namespace

QFuture<SampleDatasetResult> loadSampleDataset(std::shared_ptr<MilvusClient> client,
                                               std::shared_ptr<EmbeddingProvider> embeddings,
                                               SampleDatasetRequest request)
{
    return QtConcurrent::run(ioPool(), [client, embeddings, request] {
        const QString op = QStringLiteral("Load the sample dataset");
        if (!client || !embeddings)
            throwError(ErrorKind::InvalidArgument, op, QStringLiteral("not connected"));
        if (request.documents <= 0)
            throwError(ErrorKind::InvalidArgument, op, QStringLiteral("no documents asked for"));
        CollectionRequest has{request.collection};
        has.options = request.options;
        if (client->hasCollection(has))
            throwError(ErrorKind::InvalidArgument, op,
                       QStringLiteral("a collection named '%1' exists already").arg(request.collection));

        const TutorialDocuments docs(request.seed);
        const QStringList texts = docs.texts(0, request.documents);
        const QList<Embedding> vectors = embeddings->embedDocuments(texts, request.options);
        if (vectors.size() != texts.size() || vectors.isEmpty())
            throwError(ErrorKind::Inconsistent, op,
                       QStringLiteral("the embedding provider returned %1 vectors for %2 texts")
                           .arg(vectors.size())
                           .arg(texts.size()));
        StoreLayout layout;
        layout.dim = int(vectors.first().size());
        layout.autoId = true;
        const QMap<QString, QString> varchar{{QStringLiteral("max_length"), QStringLiteral("65535")}};
        FieldSchema pk = field(layout.pkField, DataType::Int64);
        pk.isPrimaryKey = true;
        pk.autoId = true;
        CollectionSchema schema;
        schema.autoId = true;
        schema.description = QStringLiteral("Sample dataset: the langchain-milvus tutorial's documents");
        schema.fields = {pk,
                         field(layout.textField, DataType::VarChar, varchar),
                         field(layout.vectorField, DataType::FloatVector,
                               {{QStringLiteral("dim"), QString::number(layout.dim)}}),
                         field(layout.idField, DataType::VarChar, varchar),
                         field(layout.scoreField, DataType::Double),
                         field(layout.categoryField, DataType::VarChar, varchar)};
        CreateCollectionRequest create;
        create.collection = request.collection;
        create.schema = schema;
        create.consistency = ConsistencyLevel::Session;
        create.options = request.options;
        client->createCollection(create);
        CreateIndexRequest index;
        index.collection = request.collection;
        index.fieldName = layout.vectorField;
        index.indexType = QStringLiteral("AUTOINDEX");
        index.metricType = QStringLiteral("L2");
        index.options = request.options;
        client->createIndex(index);

        InsertRequest insert;
        insert.collection = request.collection;
        insert.columns = docs.columns(0, vectors, layout, texts);
        insert.options = request.options;
        client->insert(insert);
        LoadCollectionRequest load;
        load.collection = request.collection;
        load.options = request.options;
        client->loadCollection(load);
        CallOptions wait = request.options;
        if (wait.timeout.count() <= 0)
            wait.timeout = std::chrono::minutes(2);
        ScratchStore::waitUntilReady(*client, request.collection, layout.vectorField, true, wait);
        return SampleDatasetResult{request.collection, request.documents, layout.dim};
    });
}

} // namespace mx
