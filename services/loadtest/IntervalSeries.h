#pragma once

#include "LoadTestTypes.h"

#include <QList>

#include <memory>

namespace mx {

// An append-only list of intervals whose copies share everything already sealed: full chunks of 256
// are immutable and shared between copies, only the last partial chunk is copied. So a snapshot of an
// hour-long run (36,000 intervals) costs a copy of ~140 pointers and at most 256 intervals, not of the
// whole series. A value type: copies are independent; not thread-safe for concurrent writes.
class IntervalSeries
{
public:
    static constexpr qsizetype kChunk = 256;

    qsizetype size() const { return m_sealed.size() * kChunk + m_tail.size(); }
    bool isEmpty() const { return size() == 0; }
    const IntervalMetrics &at(qsizetype i) const;
    const IntervalMetrics &last() const { return at(size() - 1); }
    void append(const IntervalMetrics &interval);
    QList<IntervalMetrics> toList() const;

private:
    QList<std::shared_ptr<const QList<IntervalMetrics>>> m_sealed;
    QList<IntervalMetrics> m_tail;
};

} // namespace mx
