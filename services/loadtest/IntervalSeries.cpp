#include "IntervalSeries.h"

namespace mx {

const IntervalMetrics &IntervalSeries::at(qsizetype i) const
{
    const qsizetype chunk = i / kChunk;
    if (chunk < m_sealed.size())
        return m_sealed.at(chunk)->at(i % kChunk);
    return m_tail.at(i - m_sealed.size() * kChunk);
}

void IntervalSeries::append(const IntervalMetrics &interval)
{
    m_tail.append(interval);
    if (m_tail.size() == kChunk) {
        m_sealed.append(std::make_shared<const QList<IntervalMetrics>>(std::move(m_tail)));
        m_tail = {};
    }
}

QList<IntervalMetrics> IntervalSeries::toList() const
{
    QList<IntervalMetrics> out;
    out.reserve(size());
    for (const auto &chunk : m_sealed)
        out.append(*chunk);
    out.append(m_tail);
    return out;
}

} // namespace mx
