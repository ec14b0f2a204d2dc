#pragma once

#include "RunSnapshot.h"

#include <memory>

namespace mx {

// Where the load-test panel's charts get their data: the live engine or a replay. The panel reads
// snapshot() on its redraw timer (GUI thread); implementations must answer in O(1) without waiting on
// the producer (a mutex-protected shared_ptr copy, as LoadTestEngine::snapshot() does).
class SnapshotSource
{
public:
    virtual ~SnapshotSource() = default;
    virtual std::shared_ptr<const RunSnapshot> snapshot() const = 0;
};

} // namespace mx
