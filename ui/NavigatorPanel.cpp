#include "NavigatorPanel.h"

#include "NavigatorModel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace mx {

NavigatorPanel::NavigatorPanel(NavigatorModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("navigatorPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("navigatorFilter"));
    m_filter->setPlaceholderText(tr("Filter (Ctrl+F)…"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);

    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("navigatorTree"));
    m_view->setModel(m_proxy);
    m_view->header()->hide();
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setExpandsOnDoubleClick(true);
    m_view->setUniformRowHeights(true);
    layout->addWidget(m_view);

    // Show the connection and its default database open: that is where people look first.
    connect(m_model, &NavigatorModel::databasesLoaded, this, [this] {
        m_view->expand(m_proxy->index(0, 0));
        const QModelIndex def = m_proxy->mapFromSource(m_model->databaseIndex(QStringLiteral("default")));
        if (def.isValid())
            m_view->expand(def);
    });
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &proxyIndex) {
        const QModelIndex i = m_proxy->mapToSource(proxyIndex);
        const auto kind = NavigatorModel::Kind(i.data(NavigatorModel::KindRole).toInt());
        if (kind == NavigatorModel::Kind::Collection)
            emit collectionActivated(i.data(NavigatorModel::DatabaseRole).toString(),
                                     i.data(NavigatorModel::CollectionRole).toString());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                const QModelIndex i = m_proxy->mapToSource(current);
                const QString db = i.data(NavigatorModel::DatabaseRole).toString();
                if (!db.isEmpty())
                    emit databaseSelected(db);
            });
    connect(m_view, &QTreeView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex i = m_proxy->mapToSource(m_view->indexAt(pos));
        emit contextMenuRequested(i.data(NavigatorModel::DatabaseRole).toString(),
                                  i.data(NavigatorModel::CollectionRole).toString(),
                                  m_view->viewport()->mapToGlobal(pos));
    });
}

QString NavigatorPanel::currentDatabase() const
{
    return m_proxy->mapToSource(m_view->currentIndex()).data(NavigatorModel::DatabaseRole).toString();
}

QString NavigatorPanel::currentCollection() const
{
    return m_proxy->mapToSource(m_view->currentIndex()).data(NavigatorModel::CollectionRole).toString();
}

void NavigatorPanel::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

} // namespace mx
