#pragma once

#include "ClientPool.h"
#include "EmbeddingProvider.h"
#include "MilvusClient.h"

#include <QString>

#include <memory>

namespace mx {

// Field names of the collection under load. The defaults are the langchain-milvus store the tutorial
// uses: auto-id INT64 "pk", VARCHAR "text", FLOAT_VECTOR "vector", metadata "id", "score", "category".
struct StoreLayout
{
    QString pkField = QStringLiteral("pk");
    QString textField = QStringLiteral("text");
    QString vectorField = QStringLiteral("vector");
    QString idField = QStringLiteral("id");
    QString scoreField = QStringLiteral("score");
    QString categoryField = QStringLiteral("category");
    int dim = 0;
    bool pkIsInt = true;
    // Auto-ID primary key (the langchain store). Off for stores that runs upsert into: Milvus 2.3
    // refuses an upsert that names the key of an auto-ID row, so those stores take document i's
    // position as its key.
    bool autoId = true;
    bool langchainShape = true; // every field above exists with the expected type (writes need it)
};

// What operations work on: a client, an embedder and a collection. Shared, so operations and the
// engine can outlive each other's pieces in any order.
struct OperationTarget
{
    std::shared_ptr<MilvusClient> client; // setup and checks; the load too when `channels` is unset
    std::shared_ptr<ClientPool> channels; // the load's channels (round-robin); channel 0 is `client`
    std::shared_ptr<EmbeddingProvider> embedder;
    QString collection;
    StoreLayout layout;

    // The client the next load operation goes through.
    MilvusClient &loadClient() const { return channels ? channels->next() : *client; }
};

} // namespace mx
