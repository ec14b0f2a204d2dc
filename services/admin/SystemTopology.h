#pragma once

#include "AdminTypes.h"

#include <QFuture>
#include <QJsonObject>
#include <QList>

#include <memory>

namespace mx {

class MilvusClient;

// The server's topology as GetMetrics("system_info") describes it, plus GetComponentStates: one entry
// per node (proxy, coordinators, query/data/index nodes) with its version, state and what it holds.
// A plain value; any thread.
struct SystemNode
{
    QString name; // e.g. "querynode1"
    QString type; // e.g. "querynode"
    qint64 id = 0;
    bool hasError = false;
    QString errorReason;
    QString version, buildVersion, buildTime, goVersion, deployMode;
    QString created, updated;
    QString state; // from GetComponentStates when the role matches; else "" (not reported)
    // What it holds, as the node reports it: the ids of the collections a query or data node serves.
    QList<qint64> holds;
    QJsonObject raw; // the node's own JSON, for copying
};

struct SystemTopology
{
    QList<SystemNode> nodes;
    QString version, deployMode, buildTime, gitCommit; // from the proxy's entry
    QJsonObject raw;                                   // the whole GetMetrics answer

    static SystemTopology fromMetrics(const QJsonObject &systemInfo, const ComponentStates &states);
    QList<SystemNode> ofType(const QString &type) const;
    QJsonObject toJson() const; // what "Copy as JSON" copies: the raw metrics and component states
    ComponentStates components;
    bool healthy = false; // CheckHealth
    QStringList healthReasons;
    QMap<qint64, QString> collectionNames; // ids in `holds` resolved (database of the connection)
    QString collectionName(qint64 id) const;

    // GetMetrics(system_info), GetComponentStates, CheckHealth and the collections' names, on
    // mx::ioPool() (blocking calls there). Fails with the first call's MilvusException.
    static QFuture<SystemTopology> load(std::shared_ptr<const MilvusClient> client);
};

} // namespace mx
