#include "RunSnapshot.h"

namespace mx {

QString runStateName(RunSnapshot::State state)
{
    switch (state) {
    case RunSnapshot::State::Idle:
        return QStringLiteral("idle");
    case RunSnapshot::State::Preparing:
        return QStringLiteral("preparing");
    case RunSnapshot::State::WarmingUp:
        return QStringLiteral("warming up");
    case RunSnapshot::State::Running:
        return QStringLiteral("running");
    case RunSnapshot::State::Checking:
        return QStringLiteral("checking");
    case RunSnapshot::State::Finished:
        return QStringLiteral("finished");
    case RunSnapshot::State::Stopped:
        return QStringLiteral("stopped");
    case RunSnapshot::State::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

} // namespace mx
