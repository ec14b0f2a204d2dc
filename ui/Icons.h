#pragma once

#include <QIcon>
#include <QString>

namespace mx {

// The application's SVG icons (resources/icons), drawn in the palette's text colour so that they
// stay visible in dark and light themes. GUI thread only; icons are cached per colour.
QIcon icon(const QString &name);

} // namespace mx
