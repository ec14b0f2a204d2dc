#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QWidget>

#include <functional>

namespace mx {

// An inline progress strip for a long data operation (export, import, sample data): text, bar and a
// Cancel button. It follows a QFuture's progress through a QFutureWatcher, so nothing waits; hidden when
// idle. One task at a time.
class TaskProgress : public QWidget
{
    Q_OBJECT
public:
    explicit TaskProgress(QWidget *parent = nullptr);

    bool isRunning() const { return m_running; }

    // Shows `title`, follows `future`, calls `cancel` when the user presses Cancel, and `done` (on this
    // thread) when the future finishes, whatever the outcome.
    template<typename T>
    void follow(const QString &title, QFuture<T> future, std::function<void()> cancel,
                std::function<void()> done)
    {
        auto *watcher = new QFutureWatcher<T>(this);
        begin(title, std::move(cancel));
        connect(watcher, &QFutureWatcherBase::progressRangeChanged, this, &TaskProgress::setRange);
        connect(watcher, &QFutureWatcherBase::progressValueChanged, this, &TaskProgress::setValue);
        connect(watcher, &QFutureWatcherBase::progressTextChanged, this, &TaskProgress::setText);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, done] {
            watcher->deleteLater();
            end();
            if (done)
                done();
        });
        watcher->setFuture(future);
    }

signals:
    void runningChanged(bool running);

private:
    void begin(const QString &title, std::function<void()> cancel);
    void end();
    void setRange(int minimum, int maximum);
    void setValue(int value);
    void setText(const QString &text);

    QLabel *m_title;
    QProgressBar *m_bar;
    QLabel *m_text;
    QPushButton *m_cancel;
    std::function<void()> m_cancelFn;
    bool m_running = false;
};

} // namespace mx
