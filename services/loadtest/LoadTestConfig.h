#pragma once

#include "LoadTestTypes.h"
#include "MilvusTypes.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace mx {

struct MixEntry
{
    OpKind op = OpKind::Search;
    int weight = 1;
    bool operator==(const MixEntry &) const = default;
};
// "search:8,add:1,delete:1"; returns an empty list with *error set when malformed.
QList<MixEntry> parseMix(const QString &spec, QString *error);
QString mixToString(const QList<MixEntry> &mix);
// "Strong", "Session", "Bounded", "Eventually" (any case); nullopt otherwise.
std::optional<ConsistencyLevel> consistencyFromName(const QString &name);

// One run: an operation in a mode against a store. Plain data; what the CLI flags and the panel's
// form fill in.
struct RunSpec
{
    QString label; // empty: describe()
    OpKind op = OpKind::Search;
    QList<MixEntry> mix; // OpKind::Mix only
    LoadMode mode = LoadMode::Sync;
    qint64 count = 100;    // operations (warm-up not included)
    qint64 durationMs = 0; // > 0: bound by time instead (count 0) or as well
    int concurrency = 8;   // Bounded: in flight; Sweep: the largest level; Rate: limit (0 = none)
    // gRPC channels (separate connections) the run's operations are spread over, round-robin; 1 (the
    // default) is one connection, as pymilvus uses. Sync mode always uses one: it has one call in flight.
    int channels = 1;
    double rate = 100;    // Rate: operations per second
    qint64 warmupOps = 0; // not measured
    qint64 warmupMs = 0;
    int batch = 1; // documents per add/delete/upsert
    int k = 3;     // search top-k; query row limit
    QString filter;
    QJsonObject searchParams;                // sent as the search's params, e.g. {"ef":64} or {"nprobe":16}
    std::optional<QStringList> outputFields; // search/query output fields; nullopt: the langchain ones
    // Reads (search, query) at this level; nullopt: Session on the tool's own scratch stores (the
    // client sends its last write's timestamp, as pymilvus does), the collection's default elsewhere.
    std::optional<ConsistencyLevel> consistency;
    bool precomputedVectors = false;      // search without an embedding step
    bool randomVectorsOnMismatch = false; // a user collection of another dimension: random unit vectors
    bool recall = false;                  // search runs: recall@k against an exact search (brute force)
    bool deleteByPrimaryKey = false;      // instead of the tutorial's id == 'doc_i'
    bool deleteExactDocs = false;         // delete doc_{i} whatever its state (faithful tutorial)
    qint64 storeDocs = -1;                // documents in the store before the run; -1: 0 for add, else 1000
    bool sharedStore = false;             // read-only runs may share one populated scratch store
    QString storeGroup; // non-empty: runs of the plan with the same group use one store (faithful preset)
    bool setupTimed = false; // creating the store counts in the run's seconds (faithful: the first add)
    qint64 opTimeoutMs = 30000;
    qint64 drainTimeoutMs = 0; // wait this long for operations in flight at the end; 0: deadline + 5 s
    QString presetKey;         // set by presets, e.g. "tutorial:search:100:async:2"

    static constexpr int kMaxChannels = 64;

    qint64 effectiveStoreDocs() const;
    int effectiveChannels() const { return mode == LoadMode::Sync ? 1 : channels; }
    bool writes() const;
    QString describe() const;
    QJsonObject toJson() const;
    static RunSpec fromJson(const QJsonObject &json);
};

struct LoadTestPlan
{
    QList<RunSpec> runs;
    QString userCollection;       // non-empty: run against this existing collection, never a scratch one
    bool allowWrites = false;     // confirms writes to userCollection
    bool keepCollections = false; // leave scratch collections for inspection instead of dropping them
    quint64 seed = 42;            // the documents' "random" content
    QString preset;               // "tutorial" (clean) or "tutorial-faithful" for TutorialPreset::plan()
    QString scratchPrefix = QStringLiteral("loadtest_"); // scratch collections are named and dropped by it
    int embeddingInFlight = 0; // the embedder's limit on requests in flight (0: none); reported only
    QList<QList<float>>
        queryVectors; // non-empty: searches send these (operation i: i % size), nothing embedded

    // Empty when the plan can run; else why not (e.g. writes to a user collection not confirmed).
    QString validate() const;
    // The most operations the plan can put in flight at once (async: its count; bounded, sweep, rate:
    // the limit, or a second's worth at an unlimited rate), capped at 4096: what "no limit" on the
    // embedder's requests in flight means.
    int maxInFlight() const;
};

} // namespace mx
