#pragma once

#include "MilvusTypes.h"

#include <QIcon>

namespace mx {

// Small round badges used as Qt::DecorationRole for states (drawn once, cached). GUI thread only.
QIcon loadStateIcon(LoadState state);
QIcon errorIcon();

} // namespace mx
