#pragma once

#include "ConnectionConfig.h"
#include "MilvusError.h"
#include "MilvusRequests.h"
#include "MilvusTypes.h"

#include <QFuture>

#include <memory>

namespace mx {

namespace detail {
struct ClientState;
struct ClientAccess; // RpcCall.h: lets further call groups (services/admin) share this connection
} // namespace detail

// One connection to a Milvus server (one gRPC channel). Every RPC has two forms with the same
// semantics: `xAsync()` returns a QFuture that finishes on the client's completion thread (attach
// continuations with .then(context, ...) to land on a QObject's thread), and `x()` blocks the calling
// thread on the synchronous stub (never call it on the GUI thread). Both honour the request's deadline
// and cancel token; cancelling the QFuture cancels the RPC. Failures are MilvusException (typed
// MilvusError): thrown by the blocking form, set on the future by the async form; never an empty result.
// Thread-safe: calls may be issued from any thread, concurrently.
class MilvusClient
{
public:
    // Throws MilvusException(InvalidArgument) for a malformed URI or unreadable TLS files. Does not
    // contact the server: use connect() or getVersion() to find out whether it answers.
    explicit MilvusClient(ConnectionConfig config);
    ~MilvusClient(); // cancels calls still in flight and waits (bounded) for them to end
    MilvusClient(const MilvusClient &) = delete;
    MilvusClient &operator=(const MilvusClient &) = delete;

    const ConnectionConfig &config() const;
    QString target() const;
    int inFlight() const; // async calls not finished yet
    void cancelAll();     // cancels every async call in flight

    // Server
    QFuture<ServerInfo> connectAsync(const ServerRequest &r = {}) const;
    ServerInfo connect(const ServerRequest &r = {}) const;
    QFuture<QString> getVersionAsync(const ServerRequest &r = {}) const;
    QString getVersion(const ServerRequest &r = {}) const;
    QFuture<HealthStatus> checkHealthAsync(const ServerRequest &r = {}) const;
    HealthStatus checkHealth(const ServerRequest &r = {}) const;

    // Databases
    QFuture<QStringList> listDatabasesAsync(const ServerRequest &r = {}) const;
    QStringList listDatabases(const ServerRequest &r = {}) const;
    QFuture<void> createDatabaseAsync(const DatabaseRequest &r) const;
    void createDatabase(const DatabaseRequest &r) const;
    QFuture<void> dropDatabaseAsync(const DatabaseRequest &r) const;
    void dropDatabase(const DatabaseRequest &r) const;

    // Collections
    QFuture<QStringList> listCollectionsAsync(const ServerRequest &r = {}) const;
    QStringList listCollections(const ServerRequest &r = {}) const;
    QFuture<CollectionDescription> describeCollectionAsync(const CollectionRequest &r) const;
    CollectionDescription describeCollection(const CollectionRequest &r) const;
    QFuture<bool> hasCollectionAsync(const CollectionRequest &r) const;
    bool hasCollection(const CollectionRequest &r) const;
    QFuture<void> createCollectionAsync(const CreateCollectionRequest &r) const;
    void createCollection(const CreateCollectionRequest &r) const;
    QFuture<void> dropCollectionAsync(const CollectionRequest &r) const;
    void dropCollection(const CollectionRequest &r) const;
    QFuture<void> renameCollectionAsync(const RenameCollectionRequest &r) const;
    void renameCollection(const RenameCollectionRequest &r) const;
    QFuture<void> truncateCollectionAsync(const CollectionRequest &r) const;
    void truncateCollection(const CollectionRequest &r) const;
    QFuture<QMap<QString, QString>> getCollectionStatisticsAsync(const CollectionRequest &r) const;
    QMap<QString, QString> getCollectionStatistics(const CollectionRequest &r) const;
    QFuture<void> loadCollectionAsync(const LoadCollectionRequest &r) const;
    void loadCollection(const LoadCollectionRequest &r) const;
    QFuture<void> releaseCollectionAsync(const CollectionRequest &r) const;
    void releaseCollection(const CollectionRequest &r) const;
    QFuture<LoadState> getLoadStateAsync(const LoadStateRequest &r) const;
    LoadState getLoadState(const LoadStateRequest &r) const;
    QFuture<int> getLoadingProgressAsync(const LoadStateRequest &r) const;
    int getLoadingProgress(const LoadStateRequest &r) const;
    QFuture<QStringList> listAliasesAsync(const CollectionRequest &r) const;
    QStringList listAliases(const CollectionRequest &r) const;

    // Indexes
    QFuture<void> createIndexAsync(const CreateIndexRequest &r) const;
    void createIndex(const CreateIndexRequest &r) const;
    QFuture<QList<IndexDescription>> describeIndexAsync(const IndexRequest &r) const;
    QList<IndexDescription> describeIndex(const IndexRequest &r) const;
    QFuture<void> dropIndexAsync(const IndexRequest &r) const;
    void dropIndex(const IndexRequest &r) const;

    // Partitions
    QFuture<QList<PartitionInfo>> listPartitionsAsync(const CollectionRequest &r) const;
    QList<PartitionInfo> listPartitions(const CollectionRequest &r) const;
    QFuture<void> createPartitionAsync(const PartitionRequest &r) const;
    void createPartition(const PartitionRequest &r) const;
    QFuture<void> dropPartitionAsync(const PartitionRequest &r) const;
    void dropPartition(const PartitionRequest &r) const;
    QFuture<bool> hasPartitionAsync(const PartitionRequest &r) const;
    bool hasPartition(const PartitionRequest &r) const;
    QFuture<QMap<QString, QString>> getPartitionStatisticsAsync(const PartitionRequest &r) const;
    QMap<QString, QString> getPartitionStatistics(const PartitionRequest &r) const;

    // Data
    QFuture<MutationResult> insertAsync(const InsertRequest &r) const;
    MutationResult insert(const InsertRequest &r) const;
    QFuture<MutationResult> upsertAsync(const InsertRequest &r) const;
    MutationResult upsert(const InsertRequest &r) const;
    QFuture<MutationResult> deleteEntitiesAsync(const DeleteRequest &r) const;
    MutationResult deleteEntities(const DeleteRequest &r) const;
    QFuture<QueryResult> queryAsync(const QueryRequest &r) const;
    QueryResult query(const QueryRequest &r) const;
    QFuture<SearchResults> searchAsync(const SearchRequest &r) const;
    SearchResults search(const SearchRequest &r) const;
    // Seals the collections' growing segments and waits until the server has persisted them (as
    // pymilvus's flush does: Flush, then GetFlushState until flushed), within the request's deadline.
    QFuture<void> flushAsync(const FlushRequest &r) const;
    void flush(const FlushRequest &r) const;

    // Users
    QFuture<void> updateCredentialAsync(const UpdateCredentialRequest &r) const;
    void updateCredential(const UpdateCredentialRequest &r) const;

    // Helpers on top of the RPCs.
    static qint64 rowCountFromStatistics(const QMap<QString, QString> &stats);

private:
    friend struct detail::ClientAccess;
    // Shared with work that outlives a call's own completion (e.g. waiting for a flush to finish).
    std::shared_ptr<detail::ClientState> d;
};

} // namespace mx
