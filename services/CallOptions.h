#pragma once

#include "CancelToken.h"

#include <QString>

#include <chrono>
#include <memory>

namespace mx {

// Per-call settings carried by every request struct.
struct CallOptions
{
    // Deadline relative to the call's start; zero or negative means the connection's default.
    std::chrono::milliseconds timeout{0};
    // Optional shared token: cancelling it cancels the RPC (blocking or async).
    std::shared_ptr<CancelToken> cancel;
    // Database for this call; empty means the connection's database.
    QString dbName;
};

} // namespace mx
