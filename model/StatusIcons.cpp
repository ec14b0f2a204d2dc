#include "StatusIcons.h"

#include <QPainter>
#include <QPixmap>

namespace mx {

namespace {
QIcon dot(const QColor &color)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(color.darker(130));
    p.setBrush(color);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return QIcon(pm);
}
} // namespace

QIcon loadStateIcon(LoadState state)
{
    static const QIcon loaded = dot(QColor(0x2e, 0x7d, 0x32));
    static const QIcon loading = dot(QColor(0xf9, 0xa8, 0x25));
    static const QIcon released = dot(QColor(0xb0, 0xb0, 0xb0));
    switch (state) {
    case LoadState::Loaded:
        return loaded;
    case LoadState::Loading:
        return loading;
    default:
        return released;
    }
}

QIcon errorIcon()
{
    static const QIcon icon = dot(QColor(0xc6, 0x28, 0x28));
    return icon;
}

} // namespace mx
