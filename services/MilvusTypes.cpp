#include "MilvusTypes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace mx {

namespace {
struct TypeName
{
    DataType type;
    const char *name;
};
constexpr TypeName kTypeNames[] = {
    {DataType::None, "None"},
    {DataType::Bool, "Bool"},
    {DataType::Int8, "Int8"},
    {DataType::Int16, "Int16"},
    {DataType::Int32, "Int32"},
    {DataType::Int64, "Int64"},
    {DataType::Float, "Float"},
    {DataType::Double, "Double"},
    {DataType::String, "String"},
    {DataType::VarChar, "VarChar"},
    {DataType::Array, "Array"},
    {DataType::Json, "JSON"},
    {DataType::BinaryVector, "BinaryVector"},
    {DataType::FloatVector, "FloatVector"},
    {DataType::Float16Vector, "Float16Vector"},
    {DataType::BFloat16Vector, "BFloat16Vector"},
    {DataType::SparseFloatVector, "SparseFloatVector"},
    {DataType::Int8Vector, "Int8Vector"},
};
} // namespace

QString dataTypeName(DataType t)
{
    for (const auto &tn : kTypeNames)
        if (tn.type == t)
            return QString::fromLatin1(tn.name);
    return QStringLiteral("Unknown(%1)").arg(int(t));
}

std::optional<DataType> dataTypeFromName(const QString &name)
{
    for (const auto &tn : kTypeNames)
        if (name.compare(QLatin1String(tn.name), Qt::CaseInsensitive) == 0)
            return tn.type;
    return std::nullopt;
}

bool isVectorType(DataType t)
{
    return int(t) >= 100 && int(t) < 200;
}

QString consistencyLevelName(ConsistencyLevel level)
{
    switch (level) {
    case ConsistencyLevel::Strong:
        return QStringLiteral("Strong");
    case ConsistencyLevel::Session:
        return QStringLiteral("Session");
    case ConsistencyLevel::Bounded:
        return QStringLiteral("Bounded");
    case ConsistencyLevel::Eventually:
        return QStringLiteral("Eventually");
    case ConsistencyLevel::Customized:
        return QStringLiteral("Customized");
    }
    return QString();
}

QString loadStateName(LoadState state)
{
    switch (state) {
    case LoadState::NotExist:
        return QStringLiteral("not exist");
    case LoadState::NotLoad:
        return QStringLiteral("released");
    case LoadState::Loading:
        return QStringLiteral("loading");
    case LoadState::Loaded:
        return QStringLiteral("loaded");
    }
    return QString();
}

const FieldSchema *CollectionSchema::field(const QString &fieldName) const
{
    for (const auto &f : fields)
        if (f.name == fieldName)
            return &f;
    return nullptr;
}

const FieldSchema *CollectionSchema::primaryField() const
{
    for (const auto &f : fields)
        if (f.isPrimaryKey)
            return &f;
    return nullptr;
}

QList<const FieldSchema *> CollectionSchema::vectorFields() const
{
    QList<const FieldSchema *> out;
    for (const auto &f : fields)
        if (isVectorType(f.type))
            out.append(&f);
    return out;
}

qsizetype FieldColumn::rowCount() const
{
    return std::visit(
        [](const auto &v) -> qsizetype {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return 0;
            else if constexpr (std::is_same_v<T, FloatVectors> || std::is_same_v<T, BinaryVectors>)
                return v.rows();
            else
                return v.size();
        },
        data);
}

QVariant FieldColumn::value(qsizetype row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    if (!valid.isEmpty() && row < valid.size() && !valid.at(row))
        return {};
    return std::visit(
        [row](const auto &v) -> QVariant {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                return {};
            } else if constexpr (std::is_same_v<T, FloatVectors>) {
                QVariantList out;
                out.reserve(v.dim);
                for (qsizetype k = 0; k < v.dim; ++k)
                    out.append(double(v.values.at(row * v.dim + k)));
                return out;
            } else if constexpr (std::is_same_v<T, BinaryVectors>) {
                return v.row(row);
            } else if constexpr (std::is_same_v<T, QList<QByteArray>>) {
                // Wrapped in an array because QJsonDocument rejects a top-level string, number or bool,
                // which a JSON field may hold.
                return QJsonDocument::fromJson('[' + v.at(row) + ']').array().at(0).toVariant();
            } else if constexpr (std::is_same_v<T, QList<SparseVector>>) {
                QVariantMap m;
                const auto &sv = v.at(row);
                for (qsizetype k = 0; k < sv.indices.size(); ++k)
                    m.insert(QString::number(sv.indices.at(k)), double(sv.values.at(k)));
                return m;
            } else if constexpr (std::is_same_v<T, QList<float>>) {
                return double(v.at(row));
            } else {
                return QVariant::fromValue(v.at(row));
            }
        },
        data);
}

FieldColumn FieldColumn::int64s(const QString &name, QList<qint64> v)
{
    FieldColumn c;
    c.name = name;
    c.type = DataType::Int64;
    c.data = std::move(v);
    return c;
}

FieldColumn FieldColumn::varchars(const QString &name, QStringList v)
{
    FieldColumn c;
    c.name = name;
    c.type = DataType::VarChar;
    c.data = std::move(v);
    return c;
}

FieldColumn FieldColumn::doubles(const QString &name, QList<double> v)
{
    FieldColumn c;
    c.name = name;
    c.type = DataType::Double;
    c.data = std::move(v);
    return c;
}

FieldColumn FieldColumn::floatVectors(const QString &name, int dim, QList<float> flat)
{
    FieldColumn c;
    c.name = name;
    c.type = DataType::FloatVector;
    c.data = FloatVectors{dim, std::move(flat)};
    return c;
}

FieldColumn FieldColumn::binaryVectors(const QString &name, int dimBits, QByteArray packed)
{
    FieldColumn c;
    c.name = name;
    c.type = DataType::BinaryVector;
    c.data = BinaryVectors{dimBits, std::move(packed)};
    return c;
}

FieldColumn FieldColumn::json(const QString &name, const QList<QJsonObject> &objects, bool dynamic)
{
    FieldColumn c;
    c.name = name;
    c.type = DataType::Json;
    c.isDynamic = dynamic;
    QList<QByteArray> rows;
    rows.reserve(objects.size());
    for (const auto &o : objects)
        rows.append(QJsonDocument(o).toJson(QJsonDocument::Compact));
    c.data = std::move(rows);
    return c;
}

qsizetype IdList::size() const
{
    return std::visit([](const auto &v) -> qsizetype { return v.size(); }, ids);
}

QVariant IdList::at(qsizetype i) const
{
    return std::visit([i](const auto &v) { return QVariant::fromValue(v.at(i)); }, ids);
}

const FieldColumn *QueryResult::column(const QString &name) const
{
    for (const auto &c : columns)
        if (c.name == name)
            return &c;
    return nullptr;
}

QVariantMap QueryResult::row(qsizetype i) const
{
    QVariantMap out;
    for (const auto &c : columns) {
        if (c.isDynamic) {
            const QVariantMap dyn = c.value(i).toMap();
            for (auto it = dyn.cbegin(); it != dyn.cend(); ++it)
                out.insert(it.key(), it.value());
        } else {
            out.insert(c.name, c.value(i));
        }
    }
    return out;
}

QJsonObject IndexDescription::buildParams() const
{
    QJsonObject out;
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        if (it.key() == QLatin1String("index_type") || it.key() == QLatin1String("metric_type"))
            continue;
        if (it.key() == QLatin1String("params")) {
            const QJsonObject nested = QJsonDocument::fromJson(it.value().toUtf8()).object();
            for (auto n = nested.begin(); n != nested.end(); ++n)
                out.insert(n.key(), n.value());
            continue;
        }
        bool isInt = false;
        const qlonglong i = it.value().toLongLong(&isInt);
        bool isDouble = false;
        const double d = it.value().toDouble(&isDouble);
        out.insert(it.key(), isInt ? QJsonValue(i) : isDouble ? QJsonValue(d) : QJsonValue(it.value()));
    }
    return out;
}

QString IndexDescription::buildParamsText() const
{
    const QJsonObject p = buildParams();
    return p.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(p).toJson(QJsonDocument::Compact));
}

} // namespace mx
