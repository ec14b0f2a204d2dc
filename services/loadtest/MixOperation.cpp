#include "MixOperation.h"

#include "MilvusError.h"

namespace mx {

MixOperation::MixOperation(std::vector<Part> parts)
{
    for (auto &p : parts)
        if (p.weight > 0 && p.op) {
            m_totalWeight += p.weight;
            m_parts.push_back(std::move(p));
        }
    m_next = std::make_unique<std::atomic<qint64>[]>(m_parts.size());
    for (size_t i = 0; i < m_parts.size(); ++i)
        m_next[i] = 0;
}

bool MixOperation::writes() const
{
    for (const auto &p : m_parts)
        if (p.op->writes())
            return true;
    return false;
}

bool MixOperation::writesAt(qint64 index) const
{
    return m_parts.empty() ? false : m_parts[size_t(pick(index))].op->writes();
}

int MixOperation::pick(qint64 index) const
{
    if (m_totalWeight <= 0)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Mix"),
                   QStringLiteral("the mix has no operations"));
    quint64 h = quint64(index) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    int slot = int(h % quint64(m_totalWeight));
    for (size_t i = 0; i < m_parts.size(); ++i) {
        if (slot < m_parts[i].weight)
            return int(i);
        slot -= m_parts[i].weight;
    }
    return int(m_parts.size()) - 1;
}

OpResult MixOperation::run(qint64 index, const CallOptions &options)
{
    const int part = pick(index);
    return m_parts[part].op->run(m_next[part].fetch_add(1), options);
}

QFuture<OpResult> MixOperation::start(qint64 index, const CallOptions &options)
{
    int part = 0;
    try {
        part = pick(index);
    } catch (...) {
        return QtFuture::makeExceptionalFuture<OpResult>(std::current_exception());
    }
    return m_parts[part].op->start(m_next[part].fetch_add(1), options);
}

} // namespace mx
