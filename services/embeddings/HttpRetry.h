#pragma once

// Retry timing for the HTTP embedding provider: Retry-After parsing and exponential backoff with
// jitter. Free functions so the arithmetic can be tested without a server.

#include <QByteArray>
#include <QDateTime>

#include <chrono>
#include <optional>

namespace mx::detail {

// The delay a Retry-After header value asks for: delay-seconds ("2", also "1.5") or an HTTP-date
// (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 or asctime), relative to nowUtc. A date in the
// past means 0. nullopt when the value is empty or unparsable.
std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray &value, const QDateTime &nowUtc);

// OpenAI's non-standard "retry-after-ms" header (milliseconds, may be fractional); nullopt if unusable.
std::optional<std::chrono::milliseconds> parseRetryAfterMs(const QByteArray &value);

// Backoff before retry number `retry` (0 for the first retry): base = min(cap, initial * 2^retry), then
// "equal jitter": base/2 + random01 * base/2, so concurrent clients spread out but never retry at once.
std::chrono::milliseconds backoffDelay(int retry, std::chrono::milliseconds initial,
                                       std::chrono::milliseconds cap, double random01);

} // namespace mx::detail
