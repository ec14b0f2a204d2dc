#include "LiveKeys.h"

namespace mx {

std::shared_ptr<LiveKeys> LiveKeys::of(const QList<qint64> &keys)
{
    auto out = std::make_shared<LiveKeys>();
    out->m_slots.reserve(size_t(keys.size()));
    for (qsizetype i = 0; i < keys.size(); ++i)
        out->m_slots.push_back(Slot{Entry{i, keys.at(i)}, State::Free});
    return out;
}

std::shared_ptr<LiveKeys> LiveKeys::ofDocs(qint64 docs)
{
    auto out = std::make_shared<LiveKeys>();
    out->m_slots.reserve(size_t(std::max<qint64>(docs, 0)));
    for (qint64 i = 0; i < docs; ++i)
        out->m_slots.push_back(Slot{Entry{i, -1}, State::Free});
    return out;
}

qsizetype LiveKeys::indexOfDoc(qint64 doc) const
{
    // Dense positions first (the store's own documents), then the few added during the run.
    if (doc >= 0 && doc < qint64(m_slots.size()) && m_slots[size_t(doc)].entry.doc == doc)
        return qsizetype(doc);
    for (size_t i = 0; i < m_slots.size(); ++i)
        if (m_slots[i].entry.doc == doc)
            return qsizetype(i);
    return -1;
}

std::optional<QList<LiveKeys::Entry>> LiveKeys::checkout(qsizetype n, qsizetype *cursor)
{
    std::lock_guard lock(m_mutex);
    const qsizetype size = qsizetype(m_slots.size());
    if (n <= 0 || size == 0)
        return std::nullopt;
    QList<qsizetype> picked;
    qsizetype pos = ((*cursor % size) + size) % size;
    for (qsizetype seen = 0; seen < size && picked.size() < n; ++seen, pos = (pos + 1) % size)
        if (m_slots[size_t(pos)].state == State::Free)
            picked.append(pos);
    if (picked.size() < n)
        return std::nullopt;
    QList<Entry> out;
    for (qsizetype p : picked) {
        m_slots[size_t(p)].state = State::Busy;
        out.append(m_slots[size_t(p)].entry);
    }
    *cursor = (picked.last() + 1) % size;
    return out;
}

LiveKeys::State LiveKeys::claimDoc(qint64 doc, Entry *entry)
{
    std::lock_guard lock(m_mutex);
    const qsizetype i = indexOfDoc(doc);
    if (i < 0)
        return State::Absent;
    Slot &s = m_slots[size_t(i)];
    const State before = s.state;
    if (before == State::Free) {
        s.state = State::Busy;
        if (entry)
            *entry = s.entry;
    }
    return before;
}

void LiveKeys::release(const QList<Entry> &entries, const QList<qint64> &newKeys)
{
    std::lock_guard lock(m_mutex);
    for (qsizetype e = 0; e < entries.size(); ++e) {
        const qsizetype i = indexOfDoc(entries.at(e).doc);
        if (i < 0)
            continue;
        Slot &s = m_slots[size_t(i)];
        s.state = State::Free;
        if (e < newKeys.size())
            s.entry.key = newKeys.at(e);
    }
}

void LiveKeys::retire(const QList<Entry> &entries)
{
    std::lock_guard lock(m_mutex);
    for (const Entry &e : entries)
        if (const qsizetype i = indexOfDoc(e.doc); i >= 0)
            m_slots[size_t(i)].state = State::Gone;
}

void LiveKeys::markUnknown(const QList<Entry> &entries)
{
    std::lock_guard lock(m_mutex);
    for (const Entry &e : entries)
        if (const qsizetype i = indexOfDoc(e.doc); i >= 0)
            m_slots[size_t(i)].state = State::Unknown;
}

void LiveKeys::add(const QList<Entry> &entries)
{
    std::lock_guard lock(m_mutex);
    for (const Entry &e : entries)
        if (indexOfDoc(e.doc) < 0)
            m_slots.push_back(Slot{e, State::Free});
}

LiveKeys::Counts LiveKeys::counts() const
{
    std::lock_guard lock(m_mutex);
    Counts c;
    for (const Slot &s : m_slots) {
        switch (s.state) {
        case State::Free:
            ++c.free;
            break;
        case State::Busy:
            ++c.busy;
            break;
        case State::Gone:
            ++c.gone;
            break;
        case State::Unknown:
            ++c.unknown;
            break;
        case State::Absent:
            break;
        }
    }
    return c;
}

qsizetype LiveKeys::size() const
{
    std::lock_guard lock(m_mutex);
    return qsizetype(m_slots.size());
}

} // namespace mx
