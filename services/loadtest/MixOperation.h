#pragma once

#include "LoadOperation.h"

#include <atomic>
#include <memory>
#include <vector>

namespace mx {

// A weighted mix: operation i runs one of the parts, picked by a hash of i in proportion to the
// weights (so a run is reproducible). Each part numbers its own operations 0, 1, 2 ... in the order
// the mix picks them, so e.g. the deletes of a mix still walk doc_0, doc_1, ...
class MixOperation : public LoadOperation
{
public:
    struct Part
    {
        int weight = 1;
        std::unique_ptr<LoadOperation> op;
    };

    explicit MixOperation(std::vector<Part> parts); // parts with weight <= 0 are dropped

    QString name() const override { return QStringLiteral("mix"); }
    bool writes() const override;
    bool writesAt(qint64 index) const override;
    OpResult run(qint64 index, const CallOptions &options) override;
    QFuture<OpResult> start(qint64 index, const CallOptions &options) override;

    int pick(qint64 index) const; // which part operation i runs

private:
    std::vector<Part> m_parts;
    std::unique_ptr<std::atomic<qint64>[]> m_next; // per part: the next index to hand out
    int m_totalWeight = 0;
};

} // namespace mx
