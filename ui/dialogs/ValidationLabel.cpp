#include "ValidationLabel.h"

#include <QEvent>

namespace mx {

ValidationLabel::ValidationLabel(const QString &objectName, QWidget *parent)
    : QLabel(parent)
{
    setObjectName(objectName);
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    applyColor();
    setVisible(false);
}

void ValidationLabel::setMessage(const QString &message)
{
    setText(message);
    setVisible(!message.isEmpty());
}

void ValidationLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColor();
}

void ValidationLabel::applyColor()
{
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QPalette p = palette();
    p.setColor(QPalette::WindowText, dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28));
    // setPalette would emit PaletteChange again; only the text role changes so the loop ends here.
    if (p.color(QPalette::WindowText) != palette().color(QPalette::WindowText))
        setPalette(p);
}

} // namespace mx
