#pragma once

// Small helpers for driving the dialogs through real key and mouse events.

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QPointer>
#include <QTest>

namespace mx::test {

// The child named `name`; aborts the test binary when it is missing, because every later step would
// only crash on the null pointer.
template<typename T>
T *need(const QObject *root, const QString &name)
{
    T *w = root->findChild<T *>(name);
    if (!w)
        qFatal("no %s named '%s'", T::staticMetaObject.className(), qPrintable(name));
    return w;
}

// Replaces the text of a line edit the way a user does: select all, then type (or delete).
inline void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    if (!text.isEmpty())
        QTest::keyClicks(edit, text);
}

// Chooses a combo box item by typing its beginning, as a keyboard user does. Home first, because
// keyboard search starts after the current item (typing "F" on VarChar finds FloatVector before
// Float); and a pause when the same combo was typed into a moment ago, because keystrokes within the
// keyboard input interval extend the previous search instead of starting a new one.
inline void typeInCombo(QComboBox *combo, const QString &text)
{
    static QPointer<QComboBox> last;
    if (last == combo)
        QTest::qWait(QApplication::keyboardInputInterval() + 50);
    last = combo;
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Home);
    QTest::keyClicks(combo, text);
}

// Shows the dialog and waits until it has the focus, so that focus-driven behaviour (current row,
// default button) happens as it does for a user.
inline bool showActive(QWidget *dialog)
{
    dialog->show();
    dialog->activateWindow();
    return QTest::qWaitForWindowActive(dialog);
}

inline void toggle(QAbstractButton *button)
{
    button->setFocus();
    QTest::keyClick(button, Qt::Key_Space);
}

} // namespace mx::test
