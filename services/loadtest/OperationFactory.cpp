#include "OperationFactory.h"

#include "AddOperation.h"
#include "DeleteOperation.h"
#include "ExprLiteral.h"
#include "MilvusError.h"
#include "MixOperation.h"
#include "QueryOperation.h"
#include "SearchOperation.h"
#include "UpsertOperation.h"

namespace mx {

namespace {

void requireShape(const OperationTarget &target, const QString &op)
{
    if (!target.layout.langchainShape)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                   QStringLiteral("%1 needs the langchain store fields (pk INT64, text, vector, id, score, "
                                  "category); collection '%2' does not have them")
                       .arg(op, target.collection));
}

} // namespace

QStringList OperationFactory::langchainOutputFields(const StoreLayout &layout)
{
    // langchain-milvus 0.3 asks for every field of the collection, the vector included (and drops it).
    return {layout.pkField, layout.textField,  layout.vectorField,
            layout.idField, layout.scoreField, layout.categoryField};
}

std::unique_ptr<LoadOperation> OperationFactory::create(OpKind op, const RunSpec &spec,
                                                        const OperationTarget &target,
                                                        const StoreContents &storeIn,
                                                        const TutorialDocuments &docs, bool inMix)
{
    StoreContents store = storeIn;
    if (!store.live)
        store.live = store.keys.isEmpty() ? LiveKeys::ofDocs(store.docs) : LiveKeys::of(store.keys);
    switch (op) {
    case OpKind::Add:
        requireShape(target, QStringLiteral("add"));
        return std::make_unique<AddOperation>(target, docs, spec.batch, store.docs,
                                              inMix ? store.live : nullptr);
    case OpKind::Search: {
        SearchOperation::Settings s;
        s.k = spec.k;
        s.filter = spec.filter;
        s.searchParams = spec.searchParams;
        s.consistency = store.readConsistency;
        if (spec.outputFields)
            s.outputFields = *spec.outputFields;
        else if (target.layout.langchainShape)
            s.outputFields = {target.layout.textField, target.layout.idField};
        s.precomputed = store.queryVectors;
        return std::make_unique<SearchOperation>(target, s);
    }
    case OpKind::Delete:
        if (spec.deleteByPrimaryKey) {
            if (store.keys.isEmpty())
                throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                           QStringLiteral("delete by primary key needs a store with documents"));
            return std::make_unique<DeleteOperation>(target, DeleteOperation::By::PrimaryKey, store.live,
                                                     spec.batch);
        }
        requireShape(target, QStringLiteral("delete by id expression"));
        return std::make_unique<DeleteOperation>(target, DeleteOperation::By::Expression, store.live,
                                                 spec.batch, spec.deleteExactDocs);
    case OpKind::Upsert:
        requireShape(target, QStringLiteral("upsert"));
        if (store.keys.isEmpty())
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"),
                       QStringLiteral("upsert needs a store with documents (set the store size above 0)"));
        return std::make_unique<UpsertOperation>(target, docs, store.live, spec.batch,
                                                 inMix ? store.keys.size() / 2 : 0);
    case OpKind::Query: {
        QueryOperation::Settings s;
        s.filter = spec.filter;
        s.limit = spec.k;
        s.consistency = store.readConsistency;
        if (spec.outputFields)
            s.outputFields = *spec.outputFields;
        else if (target.layout.langchainShape)
            s.outputFields = {target.layout.idField};
        // Milvus wants a filter or a limit; a filter that matches every row keeps the query comparable.
        if (s.filter.isEmpty() && !target.layout.langchainShape)
            s.filter =
                target.layout.pkIsInt
                    ? QStringLiteral("%1 >= 0").arg(target.layout.pkField)
                    : QStringLiteral("%1 != %2").arg(target.layout.pkField, exprStringLiteral(QString()));
        return std::make_unique<QueryOperation>(target, s);
    }
    case OpKind::Mix: {
        std::vector<MixOperation::Part> parts;
        for (const MixEntry &m : spec.mix)
            parts.push_back({m.weight, create(m.op, spec, target, store, docs, true)}); // one live set
        return std::make_unique<MixOperation>(std::move(parts));
    }
    }
    throwError(ErrorKind::InvalidArgument, QStringLiteral("Load test"), QStringLiteral("unknown operation"));
}

} // namespace mx
