#include "SystemTopology.h"

#include "AdminClient.h"
#include "IoPool.h"

#include <QJsonArray>
#include <QtConcurrent>

namespace mx {

namespace {

QString str(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() ? v.toString() : v.isDouble() ? QString::number(v.toDouble(), 'g', 15) : QString();
}

QJsonObject componentJson(const ComponentState &c)
{
    QJsonObject extra;
    for (auto it = c.extra.cbegin(); it != c.extra.cend(); ++it)
        extra.insert(it.key(), it.value());
    return {{QStringLiteral("node_id"), double(c.nodeId)},
            {QStringLiteral("role"), c.role},
            {QStringLiteral("state"), c.state},
            {QStringLiteral("extra_info"), extra}};
}

} // namespace

SystemTopology SystemTopology::fromMetrics(const QJsonObject &systemInfo, const ComponentStates &states)
{
    SystemTopology t;
    t.raw = systemInfo;
    t.components = states;
    QMap<QString, QString> stateByRole;
    for (const ComponentState &c : states.subcomponents)
        stateByRole.insert(c.role.toLower(), c.state);
    if (!states.self.role.isEmpty())
        stateByRole.insert(states.self.role.toLower(), states.self.state);

    for (const QJsonValue &v : systemInfo.value(QStringLiteral("nodes_info")).toArray()) {
        const QJsonObject info = v.toObject().value(QStringLiteral("infos")).toObject();
        SystemNode n;
        n.raw = v.toObject();
        n.name = str(info, "name");
        n.type = str(info, "type");
        n.id = info.value(QStringLiteral("id")).toInteger();
        n.hasError = info.value(QStringLiteral("has_error")).toBool();
        n.errorReason = str(info, "error_reason");
        const QJsonObject sys = info.value(QStringLiteral("system_info")).toObject();
        n.version = str(sys, "system_version");
        n.buildVersion = str(sys, "build_version");
        n.buildTime = str(sys, "build_time");
        n.goVersion = str(sys, "used_go_version");
        n.deployMode = str(sys, "deploy_mode");
        n.created = str(info, "created_time");
        n.updated = str(info, "updated_time");
        n.state = stateByRole.value(n.type.toLower());
        // Query and data nodes name the collections they serve in their quota metrics.
        const QJsonObject effect =
            info.value(QStringLiteral("quota_metrics")).toObject().value(QStringLiteral("Effect")).toObject();
        for (const QJsonValue &id : effect.value(QStringLiteral("CollectionIDs")).toArray())
            n.holds.append(id.toInteger());
        if (n.type == QLatin1String("proxy") || t.version.isEmpty()) {
            t.version = n.buildVersion.isEmpty() ? n.version : n.buildVersion;
            t.deployMode = n.deployMode;
            t.buildTime = n.buildTime;
            t.gitCommit = n.version;
        }
        t.nodes.append(n);
    }
    return t;
}

QList<SystemNode> SystemTopology::ofType(const QString &type) const
{
    QList<SystemNode> out;
    for (const SystemNode &n : nodes)
        if (n.type.compare(type, Qt::CaseInsensitive) == 0)
            out.append(n);
    return out;
}

QJsonObject SystemTopology::toJson() const
{
    QJsonArray subs;
    for (const ComponentState &c : components.subcomponents)
        subs.append(componentJson(c));
    return {{QStringLiteral("system_info"), raw},
            {QStringLiteral("component_states"),
             QJsonObject{{QStringLiteral("state"), componentJson(components.self)},
                         {QStringLiteral("subcomponent_states"), subs}}}};
}

QString SystemTopology::collectionName(qint64 id) const
{
    return collectionNames.value(id, QStringLiteral("#%1").arg(id));
}

QFuture<SystemTopology> SystemTopology::load(std::shared_ptr<const MilvusClient> client)
{
    return QtConcurrent::run(ioPool(), [client] {
        const AdminClient admin(*client);
        SystemTopology t = fromMetrics(admin.getMetrics(), admin.getComponentStates());
        const HealthStatus health = client->checkHealth();
        t.healthy = health.healthy;
        t.healthReasons = health.reasons;
        constexpr int kMaxDescribed = 200; // names for what nodes hold; beyond that ids are shown
        const QStringList names = client->listCollections();
        for (int i = 0; i < names.size() && i < kMaxDescribed; ++i) {
            try {
                t.collectionNames.insert(client->describeCollection({names[i]}).collectionId, names[i]);
            } catch (const MilvusException &) {
                // Not allowed to describe it (RBAC) or dropped meanwhile: its id is shown instead.
            }
        }
        return t;
    });
}

} // namespace mx
