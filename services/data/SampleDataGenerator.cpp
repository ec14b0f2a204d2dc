#include "SampleDataGenerator.h"

#include "ColumnBuilder.h"
#include "DataTask.h"
#include "MilvusClient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace mx {

namespace {

const char *const kWords[] = {"alpha", "beta",  "gamma", "delta", "vector", "milvus", "search", "index",
                              "cloud", "river", "stone", "light", "ember",  "quartz", "maple",  "orbit"};
const char *const kColors[] = {"red", "green", "blue", "amber", "violet"};

// SplitMix64: a well-mixed, deterministic value per (seed, row, field, salt).
quint64 mix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

class Random
{
public:
    Random(quint64 seed, qint64 row, int field)
        : m_state(mix(seed ^ mix(quint64(row) * 0x100000001b3ULL ^ quint64(field) << 48)))
    {}
    quint64 next() { return m_state = mix(m_state); }
    qint64 range(qint64 lo, qint64 hi) { return lo + qint64(next() % quint64(hi - lo + 1)); }
    double unit() { return double(next() >> 11) / double(1ULL << 53); } // [0, 1)

private:
    quint64 m_state;
};

QString text(Random &rng, int maxLength)
{
    const int limit = maxLength > 0 ? std::min(maxLength, 64) : 64;
    const int target = int(rng.range(1, limit));
    QString out;
    while (out.size() < target) {
        if (!out.isEmpty())
            out.append(QLatin1Char(' '));
        out.append(QLatin1String(kWords[rng.next() % std::size(kWords)]));
    }
    return out.left(target).trimmed().isEmpty() ? QStringLiteral("x") : out.left(target);
}

QJsonValue scalar(Random &rng, DataType type, int maxLength)
{
    switch (type) {
    case DataType::Bool:
        return bool(rng.next() & 1);
    case DataType::Int8:
        return rng.range(-128, 127);
    case DataType::Int16:
        return rng.range(-32768, 32767);
    case DataType::Int32:
        return rng.range(-2000000000, 2000000000);
    case DataType::Int64:
        return rng.range(-(1LL << 50), 1LL << 50);
    case DataType::Float:
        return double(float(rng.range(-100000, 100000)) / 100.0f);
    case DataType::Double:
        return (rng.unit() - 0.5) * 2000.0;
    default:
        return text(rng, maxLength);
    }
}

QJsonValue value(const FieldSchema &f, Random &rng, qint64 row)
{
    switch (f.type) {
    case DataType::Json:
        return QJsonObject{
            {QStringLiteral("n"), row},
            {QStringLiteral("group"), QStringLiteral("g%1").arg(row % 8)},
            {QStringLiteral("flag"), bool(rng.next() & 1)},
            {QStringLiteral("score"), rng.unit()},
            {QStringLiteral("tags"), QJsonArray{text(rng, 8), text(rng, 8)}},
            {QStringLiteral("nested"), QJsonObject{{QStringLiteral("depth"), int(rng.range(1, 3))}}}};
    case DataType::Array: {
        const int capacity = f.typeParams.value(QStringLiteral("max_capacity")).toInt();
        const int n = int(rng.range(0, capacity > 0 ? std::min(capacity, 5) : 5));
        QJsonArray a;
        for (int i = 0; i < n; ++i)
            a.append(scalar(rng, f.elementType, f.maxLength()));
        return a;
    }
    case DataType::FloatVector: {
        QJsonArray a;
        for (int k = 0; k < f.dim(); ++k)
            a.append(double(float(rng.unit() * 2.0 - 1.0)));
        return a;
    }
    case DataType::BinaryVector: {
        QJsonArray a;
        for (int k = 0; k < f.dim() / 8; ++k)
            a.append(int(rng.range(0, 255)));
        return a;
    }
    case DataType::SparseFloatVector: {
        QJsonObject o;
        const int n = int(rng.range(1, 8));
        while (o.size() < n)
            o.insert(QString::number(rng.range(0, 9999)), double(float(rng.unit() + 0.01)));
        return o;
    }
    default:
        return scalar(rng, f.type, f.maxLength());
    }
}

QString varcharKey(qint64 number, int maxLength)
{
    // Zero-padded base 36, so that key order is number order.
    const int width = maxLength > 0 ? std::min(12, maxLength - 1) : 12;
    return QLatin1Char('k') + QString::number(number, 36).rightJustified(width, QLatin1Char('0'));
}

GenerateResult runGenerate(QPromise<GenerateResult> &promise, const MilvusClient &client,
                           const GenerateOptions &o, const std::shared_ptr<CancelToken> &token)
{
    const QString op = QStringLiteral("Generate sample data");
    CallOptions call = o.options;
    call.cancel = token;
    const CollectionSchema schema = client.describeCollection({o.collection, call}).schema;
    GenerateResult result;
    result.firstKey = o.firstKey.value_or(QDateTime::currentMSecsSinceEpoch());
    const qint64 total = std::max<qint64>(0, o.rows);
    promise.setProgressRange(0, int(std::min<qint64>(total, std::numeric_limits<int>::max())));
    const QLocale locale = QLocale::c();
    for (qint64 first = 0; first < total;) {
        throwIfCancelled(promise, *token, op,
                         QStringLiteral("after %1 rows were inserted").arg(locale.toString(result.inserted)));
        const int n = int(std::min<qint64>(std::max(1, o.batchSize), total - first));
        InsertRequest request{o.collection, o.partition,
                              SampleDataGenerator::makeRows(schema, first, n, o, result.firstKey), call};
        try {
            const MutationResult m = client.insert(request);
            result.inserted += m.insertCount > 0 ? m.insertCount : n;
        } catch (const MilvusException &e) {
            MilvusError err = e.error();
            err.reason +=
                QStringLiteral(" (after %1 rows were inserted)").arg(locale.toString(result.inserted));
            throw MilvusException(err);
        }
        first += n;
        promise.setProgressValueAndText(
            int(std::min<qint64>(result.inserted, std::numeric_limits<int>::max())),
            QStringLiteral("Inserted %1 of %2 rows")
                .arg(locale.toString(result.inserted), locale.toString(total)));
    }
    return result;
}

} // namespace

QList<FieldColumn> SampleDataGenerator::makeRows(const CollectionSchema &schema, qint64 firstRow, int count,
                                                 const GenerateOptions &options, qint64 firstKey)
{
    const QString op = QStringLiteral("Generate sample data");
    QList<FieldColumn> out;
    bool dynamic = schema.enableDynamicField;
    for (int fi = 0; fi < schema.fields.size(); ++fi) {
        const FieldSchema &f = schema.fields.at(fi);
        if (f.isDynamic) {
            dynamic = true;
            continue;
        }
        if (f.isPrimaryKey && f.autoId)
            continue;
        ColumnBuilder builder(f); // throws for types we cannot fill
        QString why;
        for (int i = 0; i < count; ++i) {
            const qint64 row = firstRow + i;
            Random rng(options.seed, row, fi);
            QJsonValue v;
            if (f.isPrimaryKey)
                v = f.type == DataType::Int64 ? QJsonValue(firstKey + row)
                                              : QJsonValue(varcharKey(firstKey + row, f.maxLength()));
            else if (f.nullable && !isVectorType(f.type) && rng.range(0, 99) < options.nullPercent)
                v = QJsonValue::Null;
            else
                v = value(f, rng, row);
            if (!builder.appendJson(v, &why))
                throwError(ErrorKind::InvalidArgument, op,
                           QStringLiteral("cannot fill field '%1': %2").arg(f.name, why));
        }
        out.append(builder.take());
    }
    if (dynamic && options.dynamicFields) {
        QList<QJsonObject> rows;
        rows.reserve(count);
        for (int i = 0; i < count; ++i) {
            const qint64 row = firstRow + i;
            Random rng(options.seed, row, -1);
            rows.append(
                QJsonObject{{QStringLiteral("color"), QLatin1String(kColors[row % std::size(kColors)])},
                            {QStringLiteral("size"), rng.range(0, 99)},
                            {QStringLiteral("sample"), true}});
        }
        out.append(FieldColumn::json(QStringLiteral("$meta"), rows, true));
    }
    return out;
}

SampleDataGenerator::SampleDataGenerator(std::shared_ptr<MilvusClient> client, GenerateOptions options)
    : m_client(std::move(client))
    , m_options(std::move(options))
    , m_token(CancelToken::create())
{}

SampleDataGenerator::~SampleDataGenerator()
{
    cancel();
    try {
        m_future.waitForFinished();
    } catch (...) {
        // The failure belongs to whoever holds the future; the destructor only waits for the thread.
    }
}

QFuture<GenerateResult> SampleDataGenerator::start()
{
    if (m_future.isValid())
        return m_future;
    m_future = QtConcurrent::run(dataThreadPool(), [client = m_client, options = m_options,
                                                    token = m_token](QPromise<GenerateResult> &promise) {
        try {
            promise.addResult(runGenerate(promise, *client, options, token));
        } catch (...) {
            reportFailure(promise, std::current_exception());
        }
    });
    return m_future;
}

void SampleDataGenerator::cancel()
{
    m_token->cancel();
}

} // namespace mx
