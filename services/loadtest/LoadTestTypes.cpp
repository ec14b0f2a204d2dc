#include "LoadTestTypes.h"

namespace mx {

namespace {

template<typename E, size_t N>
std::optional<E> fromName(const QString &name, const std::pair<E, const char *> (&table)[N])
{
    for (const auto &[value, text] : table)
        if (name.compare(QLatin1String(text), Qt::CaseInsensitive) == 0)
            return value;
    return std::nullopt;
}

template<typename E, size_t N>
QString toName(E value, const std::pair<E, const char *> (&table)[N])
{
    for (const auto &[v, text] : table)
        if (v == value)
            return QString::fromLatin1(text);
    return QStringLiteral("unknown");
}

const std::pair<LoadMode, const char *> kModes[] = {
    {LoadMode::Sync, "sync"}, {LoadMode::Async, "async"}, {LoadMode::Bounded, "bounded"},
    {LoadMode::Rate, "rate"}, {LoadMode::Sweep, "sweep"},
};

const std::pair<OpKind, const char *> kOps[] = {
    {OpKind::Add, "add"},       {OpKind::Search, "search"}, {OpKind::Delete, "delete"},
    {OpKind::Upsert, "upsert"}, {OpKind::Query, "query"},   {OpKind::Mix, "mix"},
};

QString withSeparators(qint64 v)
{
    QString digits = QString::number(qAbs(v));
    for (int i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return v < 0 ? QLatin1Char('-') + digits : digits;
}

} // namespace

QString loadModeName(LoadMode mode)
{
    return toName(mode, kModes);
}

std::optional<LoadMode> loadModeFromName(const QString &name)
{
    return fromName(name, kModes);
}

QString opKindName(OpKind kind)
{
    return toName(kind, kOps);
}

std::optional<OpKind> opKindFromName(const QString &name)
{
    return fromName(name, kOps);
}

void ErrorStats::add(const MilvusError &error)
{
    ++total;
    ++byKind[errorKindName(error.kind)];
    if (error.grpcCode != 0)
        ++byGrpcStatus[error.grpcCode];
    if (error.kind == ErrorKind::Milvus)
        ++byMilvusCode[error.milvusCode ? error.milvusCode : error.legacyCode];
    if (samples.size() < kMaxSamples) {
        const QString text = error.message();
        if (!samples.contains(text))
            samples.append(text);
    }
}

void ErrorStats::merge(const ErrorStats &other)
{
    total += other.total;
    for (auto it = other.byKind.cbegin(); it != other.byKind.cend(); ++it)
        byKind[it.key()] += it.value();
    for (auto it = other.byGrpcStatus.cbegin(); it != other.byGrpcStatus.cend(); ++it)
        byGrpcStatus[it.key()] += it.value();
    for (auto it = other.byMilvusCode.cbegin(); it != other.byMilvusCode.cend(); ++it)
        byMilvusCode[it.key()] += it.value();
    for (const QString &s : other.samples)
        if (samples.size() < kMaxSamples && !samples.contains(s))
            samples.append(s);
}

QString IntegrityResult::describe() const
{
    if (!checked)
        return QStringLiteral("not checked (the run wrote nothing)");
    if (!error.isEmpty())
        return QStringLiteral("INTEGRITY CHECK FAILED TO RUN on %1: %2").arg(collection, error);
    const QString arithmetic =
        QStringLiteral("%1 before + %2 inserted - %3 deleted = %4 expected, count(*) = %5")
            .arg(withSeparators(before), withSeparators(inserted), withSeparators(deleted),
                 withSeparators(expected), withSeparators(actual));
    if (difference() == 0)
        return QStringLiteral("OK: %1").arg(arithmetic);
    QString text = QStringLiteral("INTEGRITY DIFFERENCE of %1 rows on %2: %3")
                       .arg(withSeparators(difference()), collection, arithmetic);
    if (unknownOutcomeWrites > 0)
        text += QStringLiteral(" (%1 writes of unknown outcome: timed out, connection lost, cancelled or "
                               "abandoned unanswered; %2)")
                    .arg(unknownOutcomeWrites)
                    .arg(std::abs(difference()) <= unknownOutcomeWrites
                             ? QStringLiteral("the difference is within them")
                             : QStringLiteral("MORE than they can explain"));
    return text;
}

bool leavesOutcomeUnknown(const MilvusError &error)
{
    return error.kind == ErrorKind::Timeout || error.kind == ErrorKind::Transport ||
           error.kind == ErrorKind::Cancelled || error.kind == ErrorKind::GrpcStatus;
}

QString CpuStats::saturationReason() const
{
    auto percent = [](double f) { return QString::number(100.0 * f, 'f', 0); };
    QStringList why;
    if (senderSaturated())
        why << QStringLiteral("sending thread at %1% of a core").arg(percent(senderCoreFraction()));
    const bool isSender = busiestWorkThread.startsWith(QLatin1String("sender"));
    if (busiestWorkCoreFraction() >= kSaturated && !(isSender && senderSaturated()))
        why << QStringLiteral("thread '%1' at %2% of a core")
                   .arg(busiestWorkThread, percent(busiestWorkCoreFraction()));
    if (workCoresFraction() >= kSaturated)
        why << QStringLiteral("the working threads (sender, gRPC, embedder) at %1% of %2 cores")
                   .arg(percent(workCoresFraction()))
                   .arg(cores);
    return why.join(QStringLiteral(", "));
}

} // namespace mx
