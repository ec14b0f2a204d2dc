#pragma once

#include "TestSupport.h"

#include <QDir>
#include <QWidget>

namespace mx::test {

// Saves a picture of `w` as $MX_SCREENSHOT_DIR/<name>.png when that variable is set (scripts that
// refresh docs/screenshots set it); otherwise does nothing.
inline void grabAndSave(QWidget &w, const QString &name)
{
    const QString dir = qEnvironmentVariable("MX_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QTest::qWait(100);
    w.grab().save(QDir(dir).filePath(
        name + QLatin1Char('-') + (isStandalone() ? QStringLiteral("standalone") : QStringLiteral("lite")) +
        QStringLiteral(".png")));
}

} // namespace mx::test
