#pragma once

#include <QList>
#include <QtGlobal>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace mx {

// The rows of a run's store that the load tester may still touch, so that its integrity check counts
// only what the server really did: a row is deleted at most once, never written by two operations at
// a time, and a write whose outcome is unknown takes its rows out of play. Each entry is a document
// position (what `id == 'doc_N'` names) and its current primary key (an auto-id upsert moves a row to a
// new key). All members are thread-safe (one mutex); operations share the set through a shared_ptr.
class LiveKeys
{
public:
    struct Entry
    {
        qint64 doc = 0;
        qint64 key = 0;
        bool operator==(const Entry &) const = default;
    };
    enum class State
    {
        Free,    // live and not in flight
        Busy,    // an operation in flight holds it
        Gone,    // an acknowledged delete removed it
        Unknown, // a write on it ended without a clear answer: it may or may not be there
        Absent   // never in the store (e.g. doc_N past its end)
    };
    struct Counts
    {
        qint64 free = 0;
        qint64 busy = 0;
        qint64 gone = 0;
        qint64 unknown = 0;
    };

    LiveKeys() = default;
    // Documents [0, keys.size()) with these keys (document order); no keys: documents [0, docs) whose
    // keys are not known (enough for deletes by `id == 'doc_N'`).
    static std::shared_ptr<LiveKeys> of(const QList<qint64> &keys);
    static std::shared_ptr<LiveKeys> ofDocs(qint64 docs);

    // Takes `n` free entries, scanning from *cursor (wrapping around the set) and advancing it past the
    // last one taken; nullopt (nothing taken) when fewer than n are free.
    std::optional<QList<Entry>> checkout(qsizetype n, qsizetype *cursor);
    // The entry of document `doc`, marked busy if it was free; its state before the claim (a busy,
    // gone or absent document is left as it is and not returned as held).
    State claimDoc(qint64 doc, Entry *entry);
    // Ends what checkout()/claimDoc() took: back in play (with the keys the server gave, when it gave
    // new ones), gone (acknowledged delete), or unknown (no clear answer).
    void release(const QList<Entry> &entries, const QList<qint64> &newKeys = {});
    void retire(const QList<Entry> &entries);
    void markUnknown(const QList<Entry> &entries);
    // Rows added during the run (acknowledged inserts), so later deletes and upserts may touch them.
    void add(const QList<Entry> &entries);

    Counts counts() const;
    qsizetype size() const;

private:
    struct Slot
    {
        Entry entry;
        State state = State::Free;
    };
    qsizetype indexOfDoc(qint64 doc) const; // -1 when absent; callers hold the mutex

    mutable std::mutex m_mutex;
    std::vector<Slot> m_slots; // document positions are dense from 0 except for added ones
};

} // namespace mx
