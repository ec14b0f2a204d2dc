#pragma once

#include <QLabel>

namespace mx {

// The red line of text under a field that says what is wrong with it. Hidden while there is nothing to
// say, so a valid form does not carry empty gaps; the red is lightened on dark palettes to stay legible.
class ValidationLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ValidationLabel(const QString &objectName, QWidget *parent = nullptr);

    void setMessage(const QString &message);
    QString message() const { return text(); }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColor();
};

} // namespace mx
