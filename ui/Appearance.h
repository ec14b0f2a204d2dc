#pragma once

class QApplication;

namespace mx {

// Follows the desktop's light/dark preference: the platform theme's palette when it already is dark,
// else the freedesktop portal's color-scheme setting (asked asynchronously over D-Bus, so start-up
// never waits), with MILVUS_EXPLORER_THEME=dark|light as an override.
void applySystemColorScheme(QApplication &app);
bool isDarkPalette();

} // namespace mx
