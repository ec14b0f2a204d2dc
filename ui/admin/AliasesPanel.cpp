#include "AliasesPanel.h"

#include "AdminClient.h"
#include "ConfirmDestructiveDialog.h"
#include "MilvusClient.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace mx {

namespace {
CallOptions dbOptions(const QString &database)
{
    CallOptions o;
    o.dbName = database;
    return o;
}
} // namespace

AliasesPanel::AliasesPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("aliasesList"));
    layout->addWidget(m_list, 1);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QHBoxLayout;
    m_create = new QPushButton(tr("Create alias…"), this);
    m_create->setObjectName(QStringLiteral("createAliasButton"));
    m_move = new QPushButton(tr("Move an alias here…"), this);
    m_move->setObjectName(QStringLiteral("moveAliasButton"));
    m_drop = new QPushButton(tr("Drop alias…"), this);
    m_drop->setObjectName(QStringLiteral("dropAliasButton"));
    for (QPushButton *b : {m_create, m_move, m_drop})
        buttons->addWidget(b);
    buttons->addStretch();
    layout->addLayout(buttons);
    connect(m_create, &QPushButton::clicked, this, &AliasesPanel::create);
    connect(m_move, &QPushButton::clicked, this, &AliasesPanel::move);
    connect(m_drop, &QPushButton::clicked, this, &AliasesPanel::drop);
}

void AliasesPanel::setConnection(std::shared_ptr<MilvusClient> client)
{
    m_client = std::move(client);
    ++m_generation;
    m_stale = true;
    if (isVisible())
        refresh();
}

void AliasesPanel::setCollection(const QString &collection, const QString &database)
{
    m_collection = collection;
    m_database = database;
    ++m_generation;
    m_stale = true;
    if (isVisible())
        refresh();
}

void AliasesPanel::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    if (m_stale)
        refresh();
}

QStringList AliasesPanel::aliases() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i)
        out.append(m_list->item(i)->text());
    return out;
}

void AliasesPanel::refresh()
{
    m_list->clear();
    if (!m_client || m_collection.isEmpty())
        return;
    m_stale = false;
    ++m_pending;
    const quint64 gen = m_generation;
    CollectionRequest req{m_collection};
    req.options.dbName = m_database;
    m_client->listAliasesAsync(req).then(this, [this, gen](QFuture<QStringList> f) {
        --m_pending;
        if (gen != m_generation)
            return;
        try {
            m_list->clear();
            m_list->addItems(f.result());
            m_error->hide();
        } catch (const MilvusException &e) {
            showError(e.error());
        }
    });
}

void AliasesPanel::showError(const MilvusError &e)
{
    m_error->setText(e.kind == ErrorKind::PermissionDenied ? tr("Permission denied: %1").arg(e.message())
                                                           : e.message());
    m_error->show();
}

void AliasesPanel::create()
{
    bool ok = false;
    const QString alias =
        QInputDialog::getText(this, tr("Create alias"), tr("Alias for '%1':").arg(m_collection),
                              QLineEdit::Normal, {}, &ok)
            .trimmed();
    if (!ok || alias.isEmpty())
        return;
    ++m_pending;
    const QString collection = m_collection;
    AdminClient(*m_client)
        .createAliasAsync({alias, collection, dbOptions(m_database)})
        .then(this, [this, collection](QFuture<void> f) {
            --m_pending;
            try {
                f.waitForFinished();
                refresh();
                emit aliasesChanged(collection);
            } catch (const MilvusException &e) {
                showError(e.error());
            }
        });
}

void AliasesPanel::move()
{
    bool ok = false;
    const QString alias =
        QInputDialog::getText(this, tr("Move alias"), tr("Alias to point at '%1' instead:").arg(m_collection),
                              QLineEdit::Normal, {}, &ok)
            .trimmed();
    if (!ok || alias.isEmpty())
        return;
    const QString collection = m_collection;
    auto admin = std::make_shared<AdminClient>(*m_client);
    ++m_pending;
    // Say where the alias points now before moving it: searches through it change target at once.
    admin->describeAliasAsync({alias, {}, dbOptions(m_database)})
        .then(this, [this, admin, alias, collection](QFuture<AliasInfo> f) {
            --m_pending;
            AliasInfo info;
            try {
                info = f.result();
            } catch (const MilvusException &e) {
                return showError(e.error());
            }
            if (!ConfirmDestructiveDialog::confirm(this, tr("Move alias"),
                                                   tr("Move alias '%1' from collection '%2' to '%3'? Every "
                                                      "search and query through '%1' then reads "
                                                      "'%3'.")
                                                       .arg(alias, info.collection, collection),
                                                   alias))
                return;
            ++m_pending;
            admin->alterAliasAsync({alias, collection, dbOptions(m_database)})
                .then(this, [this, collection, old = info.collection](QFuture<void> g) {
                    --m_pending;
                    try {
                        g.waitForFinished();
                        refresh();
                        emit aliasesChanged(collection);
                        emit aliasesChanged(old);
                    } catch (const MilvusException &e) {
                        showError(e.error());
                    }
                });
        });
}

void AliasesPanel::drop()
{
    QListWidgetItem *item = m_list->currentItem();
    if (!item) {
        m_error->setText(tr("Select the alias to drop."));
        m_error->show();
        return;
    }
    const QString alias = item->text();
    if (!ConfirmDestructiveDialog::confirm(
            this, tr("Drop alias"),
            tr("Drop alias '%1' of collection '%2'? Clients using the alias then fail; "
               "the collection stays.")
                .arg(alias, m_collection),
            alias))
        return;
    ++m_pending;
    const QString collection = m_collection;
    AdminClient(*m_client)
        .dropAliasAsync({alias, {}, dbOptions(m_database)})
        .then(this, [this, collection](QFuture<void> f) {
            --m_pending;
            try {
                f.waitForFinished();
                refresh();
                emit aliasesChanged(collection);
            } catch (const MilvusException &e) {
                showError(e.error());
            }
        });
}

} // namespace mx
