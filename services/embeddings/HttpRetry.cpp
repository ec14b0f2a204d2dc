#include "HttpRetry.h"

#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace mx::detail {

namespace {

QDateTime parseHttpDate(const QString &value)
{
    // RFC 9110 §5.6.7: senders use IMF-fixdate; recipients must also accept the two obsolete forms.
    // The weekday is dropped first: it is redundant, and Qt rejects a date whose weekday disagrees
    // (which RFC 850's two-digit years make certain before the century is fixed below).
    struct Form
    {
        const char *format;
        QChar weekdayEnd;
    };
    static const Form forms[] = {
        {"dd MMM yyyy HH:mm:ss 'GMT'", QLatin1Char(',')}, // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        {"dd-MMM-yy HH:mm:ss 'GMT'", QLatin1Char(',')},   // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
        {"MMM d HH:mm:ss yyyy", QLatin1Char(' ')},        // asctime: Sun Nov  6 08:49:37 1994
    };
    const QString simplified = value.simplified();
    const QLocale c = QLocale::c();
    for (const Form &form : forms) {
        const qsizetype cut = simplified.indexOf(form.weekdayEnd);
        if (cut < 0)
            continue;
        QDateTime dt = c.toDateTime(simplified.mid(cut + 1).trimmed(), QString::fromLatin1(form.format));
        if (!dt.isValid())
            continue;
        // RFC 850's two-digit years: Qt reads them as 19xx; HTTP says pick the nearest century.
        if (dt.date().year() < 1970)
            dt = dt.addYears(100);
        return QDateTime(dt.date(), dt.time(), Qt::UTC);
    }
    return {};
}

} // namespace

std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc)
{
    const QString text = QString::fromLatin1(value).trimmed();
    if (text.isEmpty())
        return std::nullopt;
    static const QRegularExpression seconds(QStringLiteral("^\\d+(\\.\\d+)?$"));
    if (seconds.match(text).hasMatch()) {
        const double s = text.toDouble();
        return std::chrono::milliseconds(qint64(std::llround(s * 1000.0)));
    }
    const QDateTime when = parseHttpDate(text);
    if (!when.isValid())
        return std::nullopt;
    return std::chrono::milliseconds(std::max<qint64>(0, nowUtc.msecsTo(when)));
}

std::optional<std::chrono::milliseconds> parseRetryAfterMs(const QByteArray &value)
{
    bool ok = false;
    const double ms = QString::fromLatin1(value).trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(ms) || ms < 0)
        return std::nullopt;
    return std::chrono::milliseconds(qint64(std::llround(ms)));
}

std::chrono::milliseconds backoffDelay(int retry, std::chrono::milliseconds initial,
                                       std::chrono::milliseconds cap, double random01)
{
    const double capMs = double(std::max<qint64>(0, cap.count()));
    // Shift in floating point: 2^retry overflows an integer long before the cap stops mattering.
    const double base = std::min(capMs, double(std::max<qint64>(0, initial.count())) *
                                            std::pow(2.0, std::clamp(retry, 0, 62)));
    const double r = std::clamp(random01, 0.0, 1.0);
    return std::chrono::milliseconds(qint64(std::llround(base / 2.0 + r * base / 2.0)));
}

} // namespace mx::detail
