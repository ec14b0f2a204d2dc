#include "SearchHistoryPanel.h"

#include "Icons.h"
#include "SearchHistoryStore.h"

#include <QHBoxLayout>
#include <QListWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace mx {

namespace {
QToolButton *button(const QString &objectName, const QString &iconName, const QString &text, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setObjectName(objectName);
    b->setIcon(icon(iconName));
    b->setText(text);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return b;
}

QString tooltipFor(const SearchSpec &spec)
{
    return QStringLiteral("%1\n%2.%3 · %4")
        .arg(spec.summary(), spec.database.isEmpty() ? QStringLiteral("default") : spec.database,
             spec.collection, resultModeName(spec.resultMode));
}
} // namespace

SearchHistoryPanel::SearchHistoryPanel(SearchHistoryStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
{
    setObjectName(QStringLiteral("searchHistoryPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("historyTabs"));
    m_tabs->setDocumentMode(true);

    auto *historyPage = new QWidget(m_tabs);
    auto *hl = new QVBoxLayout(historyPage);
    hl->setContentsMargins(0, 4, 0, 0);
    m_historyList = new QListWidget(historyPage);
    m_historyList->setObjectName(QStringLiteral("historyList"));
    m_historyList->setWordWrap(true);
    m_historyList->setAlternatingRowColors(true);
    m_historyList->setSpacing(1);
    hl->addWidget(m_historyList, 1);
    auto *hb = new QHBoxLayout;
    auto *save = button(QStringLiteral("saveSearchButton"), QStringLiteral("add"), tr("Save…"), historyPage);
    save->setToolTip(tr("Save the current inputs as a named search"));
    hb->addWidget(save);
    hb->addStretch();
    m_clearHistory =
        button(QStringLiteral("clearHistoryButton"), QStringLiteral("delete"), tr("Clear"), historyPage);
    hb->addWidget(m_clearHistory);
    hl->addLayout(hb);
    m_tabs->addTab(historyPage, tr("History"));

    auto *savedPage = new QWidget(m_tabs);
    auto *sl = new QVBoxLayout(savedPage);
    sl->setContentsMargins(0, 4, 0, 0);
    m_savedList = new QListWidget(savedPage);
    m_savedList->setObjectName(QStringLiteral("savedList"));
    m_savedList->setWordWrap(true);
    m_savedList->setAlternatingRowColors(true);
    m_savedList->setSpacing(1);
    sl->addWidget(m_savedList, 1);
    auto *sb = new QHBoxLayout;
    sb->addStretch();
    m_remove = button(QStringLiteral("removeSavedButton"), QStringLiteral("delete"), tr("Remove"), savedPage);
    sb->addWidget(m_remove);
    sl->addLayout(sb);
    m_tabs->addTab(savedPage, tr("Saved"));
    layout->addWidget(m_tabs);

    connect(m_historyList, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        const int row = m_historyList->row(item);
        if (row >= 0 && row < m_history.size())
            emit specActivated(m_history.at(row));
    });
    connect(m_savedList, &QListWidget::itemClicked, this, [this](QListWidgetItem *item) {
        const int row = m_savedList->row(item);
        if (row >= 0 && row < m_saved.size())
            emit specActivated(m_saved.at(row));
    });
    connect(save, &QToolButton::clicked, this, &SearchHistoryPanel::saveRequested);
    connect(m_clearHistory, &QToolButton::clicked, this,
            [this] { m_store->clearHistory(m_database, m_collection); });
    connect(m_remove, &QToolButton::clicked, this, &SearchHistoryPanel::removeSelectedSaved);
    connect(m_store, &SearchHistoryStore::historyChanged, this, [this](const QString &db, const QString &c) {
        if (db == m_database && c == m_collection)
            refreshHistory();
    });
    connect(m_store, &SearchHistoryStore::savedChanged, this, &SearchHistoryPanel::refreshSaved);
    refreshSaved();
}

void SearchHistoryPanel::setCollection(const QString &database, const QString &collection)
{
    m_database = database;
    m_collection = collection;
    refreshHistory();
}

void SearchHistoryPanel::refreshHistory()
{
    m_history = m_collection.isEmpty() ? QList<SearchSpec>() : m_store->history(m_database, m_collection);
    m_historyList->clear();
    for (const auto &spec : m_history) {
        auto *item = new QListWidgetItem(spec.summary(), m_historyList);
        item->setToolTip(tooltipFor(spec));
    }
    m_clearHistory->setEnabled(!m_history.isEmpty());
}

void SearchHistoryPanel::refreshSaved()
{
    m_saved.clear();
    m_savedList->clear();
    for (const auto &[name, spec] : m_store->saved()) {
        m_saved << spec;
        auto *item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(name, spec.collection), m_savedList);
        item->setData(Qt::UserRole, name);
        item->setToolTip(tooltipFor(spec));
    }
    m_remove->setEnabled(!m_saved.isEmpty());
}

void SearchHistoryPanel::removeSelectedSaved()
{
    if (QListWidgetItem *item = m_savedList->currentItem())
        m_store->removeSaved(item->data(Qt::UserRole).toString());
}

} // namespace mx
