#include "TaskProgress.h"

#include <QHBoxLayout>

namespace mx {

TaskProgress::TaskProgress(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("taskProgress"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    m_title = new QLabel(this);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("taskProgressBar"));
    m_bar->setMinimumWidth(200);
    m_text = new QLabel(this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("taskCancelButton"));
    layout->addWidget(m_title);
    layout->addWidget(m_bar, 1);
    layout->addWidget(m_text);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_text->setText(tr("cancelling…"));
        if (m_cancelFn)
            m_cancelFn();
    });
    hide();
}

void TaskProgress::begin(const QString &title, std::function<void()> cancel)
{
    m_cancelFn = std::move(cancel);
    m_title->setText(title);
    m_text->clear();
    m_bar->setRange(0, 0); // busy until the task reports a range
    m_cancel->setEnabled(true);
    m_running = true;
    show();
    emit runningChanged(true);
}

void TaskProgress::end()
{
    m_running = false;
    m_cancelFn = nullptr;
    hide();
    emit runningChanged(false);
}

void TaskProgress::setRange(int minimum, int maximum)
{
    m_bar->setRange(minimum, maximum);
}

void TaskProgress::setValue(int value)
{
    m_bar->setValue(value);
}

void TaskProgress::setText(const QString &text)
{
    m_text->setText(text);
}

} // namespace mx
