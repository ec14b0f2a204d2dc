#pragma once

#include "LoadTestTypes.h"

#include <QJsonObject>
#include <QList>
#include <QString>

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
    double rate = 100;     // Rate: operations per second
    qint64 warmupOps = 0;  // not measured
    qint64 warmupMs = 0;
    int batch = 1; // documents per add/delete/upsert
    int k = 3;     // search top-k; query row limit
    QString filter;
    bool precomputedVectors = false; // search without an embedding step
    bool deleteByPrimaryKey = false; // instead of the tutorial's id == 'doc_i'
    qint64 storeDocs = -1;           // documents in the store before the run; -1: 0 for add, else 1000
    bool sharedStore = false;        // read-only runs may share one populated scratch store
    qint64 opTimeoutMs = 30000;
    QString presetKey; // set by presets, e.g. "tutorial:search:100:async:2"

    qint64 effectiveStoreDocs() const;
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
    QString preset;               // "tutorial" for TutorialPreset::plan()

    // Empty when the plan can run; else why not (e.g. writes to a user collection not confirmed).
    QString validate() const;
};

} // namespace mx
