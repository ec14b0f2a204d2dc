#pragma once

#include "LoadOperation.h"
#include "OperationTarget.h"

namespace mx {

// A scalar query, like the tutorial's search_by_metadata: operation i asks for
// `category == 'cat_{i % 5}'` (or the given filter) with a row limit. No embedding.
class QueryOperation : public LoadOperation
{
public:
    struct Settings
    {
        QString filter; // empty: the metadata filter on the category above
        qint64 limit = 10;
        QStringList outputFields;
        std::optional<ConsistencyLevel> consistency; // nullopt: the collection's default
    };

    QueryOperation(OperationTarget target, Settings settings);

    QString name() const override { return QStringLiteral("query"); }
    bool writes() const override { return false; }
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

private:
    QueryRequest request(qint64 index, const CallOptions &options) const;
    static OpResult resultOf(const QueryResult &q);

    OperationTarget m_target;
    Settings m_settings;
};

} // namespace mx
