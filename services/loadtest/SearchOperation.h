#pragma once

#include "LoadOperation.h"
#include "OperationTarget.h"

namespace mx {

// The tutorial's similarity_search: query text "test document {i % 50}" -> embedding -> search (top k,
// optional filter). With pre-computed vectors the embedding step is skipped: operation i searches
// vectors[i % size], so only Milvus is measured.
class SearchOperation : public LoadOperation
{
public:
    struct Settings
    {
        int k = 3;
        QString filter;
        QStringList outputFields;
        QJsonObject searchParams;                    // e.g. {"ef":64}; empty: the server's defaults
        std::optional<ConsistencyLevel> consistency; // nullopt: the collection's default
        QList<Embedding> precomputed; // non-empty: search these instead of embedding the query text
    };

    SearchOperation(OperationTarget target, Settings settings);

    QString name() const override { return QStringLiteral("search"); }
    bool writes() const override { return false; }
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

    // Vectors of the tutorial's 50 distinct queries, for the pre-computed variant (blocking).
    static QList<Embedding> embedTutorialQueries(EmbeddingProvider &embedder, const CallOptions &options);

private:
    static SearchRequest request(const OperationTarget &target, const Settings &settings, const Embedding &v,
                                 const CallOptions &options);
    static OpResult resultOf(const SearchResults &r);

    OperationTarget m_target;
    Settings m_settings;
};

} // namespace mx
