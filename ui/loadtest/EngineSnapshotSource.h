#pragma once

#include "LoadTestEngine.h"
#include "SnapshotSource.h"

#include <memory>

namespace mx {

// The live engine as a snapshot source. Keeps the engine alive as long as the panel reads from it.
class EngineSnapshotSource final : public SnapshotSource
{
public:
    explicit EngineSnapshotSource(std::shared_ptr<LoadTestEngine> engine)
        : m_engine(std::move(engine))
    {}
    std::shared_ptr<const RunSnapshot> snapshot() const override { return m_engine->snapshot(); }

private:
    std::shared_ptr<LoadTestEngine> m_engine;
};

} // namespace mx
