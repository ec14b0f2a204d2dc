#include "FilterLineEdit.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QStringListModel>

namespace mx {

FilterLineEdit::FilterLineEdit(QWidget *parent)
    : QLineEdit(parent)
    , m_completer(new QCompleter(this))
    , m_names(new QStringListModel(this))
{
    m_completer->setModel(m_names);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setWidget(this);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this,
            &FilterLineEdit::insertCompletion);
    connect(this, &QLineEdit::textEdited, this, &FilterLineEdit::updateCompletion);
}

void FilterLineEdit::setFieldNames(const QStringList &names)
{
    m_names->setStringList(names);
}

QStringList FilterLineEdit::fieldNames() const
{
    return m_names->stringList();
}

QPair<int, int> FilterLineEdit::wordAtCursor() const
{
    const QString t = text();
    const int end = cursorPosition();
    int start = end;
    while (start > 0 && (t.at(start - 1).isLetterOrNumber() || t.at(start - 1) == QLatin1Char('_') ||
                         t.at(start - 1) == QLatin1Char('$')))
        --start;
    return {start, end - start};
}

void FilterLineEdit::updateCompletion()
{
    const auto [start, length] = wordAtCursor();
    const QString prefix = text().mid(start, length);
    if (prefix.isEmpty() || prefix.at(0).isDigit()) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(prefix);
    if (m_completer->completionCount() == 0 ||
        (m_completer->completionCount() == 1 && m_completer->currentCompletion() == prefix)) {
        m_completer->popup()->hide();
        return;
    }
    QRect rect = cursorRect();
    rect.setWidth(std::max(160, m_completer->popup()->sizeHintForColumn(0) + 24));
    m_completer->complete(rect);
}

void FilterLineEdit::insertCompletion(const QString &name)
{
    const auto [start, length] = wordAtCursor();
    QString t = text();
    t.replace(start, length, name);
    setText(t);
    setCursorPosition(start + int(name.size()));
}

void FilterLineEdit::keyPressEvent(QKeyEvent *event)
{
    // While the popup is open these keys belong to it (QCompleter handles them through its event filter).
    if (m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore();
            return;
        default:
            break;
        }
    }
    QLineEdit::keyPressEvent(event);
}

} // namespace mx
