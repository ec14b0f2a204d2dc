#include "Icons.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>

static void initIconResources()
{
    Q_INIT_RESOURCE(icons); // the resources live in a static library
}

namespace mx {

QIcon icon(const QString &name)
{
    static bool initialised = false;
    if (!initialised) {
        initIconResources();
        initialised = true;
    }
    const QColor color = QApplication::palette().color(QPalette::WindowText);
    const QColor disabled = QApplication::palette().color(QPalette::Disabled, QPalette::WindowText);
    static QHash<QString, QIcon> cache;
    const QString key = name + color.name() + disabled.name();
    if (const auto it = cache.constFind(key); it != cache.cend())
        return *it;

    QFile f(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = f.readAll();
    QIcon result;
    for (const auto &[mode, c] : {std::pair{QIcon::Normal, color}, std::pair{QIcon::Disabled, disabled}}) {
        QSvgRenderer renderer(QByteArray(svg).replace("#000000", c.name().toLatin1()));
        for (int size : {16, 24, 32, 48}) {
            QPixmap pm(size, size);
            pm.fill(Qt::transparent);
            QPainter p(&pm);
            renderer.render(&p);
            p.end();
            result.addPixmap(pm, mode);
        }
    }
    cache.insert(key, result);
    return result;
}

} // namespace mx
