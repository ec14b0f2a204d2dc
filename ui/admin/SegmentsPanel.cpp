#include "SegmentsPanel.h"

#include "AdminClient.h"
#include "MilvusClient.h"
#include "ServerCapabilities.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace mx {

namespace {

QTableView *makeTable(const char *name, QStandardItemModel *model, QWidget *parent)
{
    auto *v = new QTableView(parent);
    v->setObjectName(QString::fromLatin1(name));
    v->setModel(model);
    v->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->horizontalHeader()->setStretchLastSection(true);
    v->verticalHeader()->hide();
    return v;
}

QStandardItem *number(qint64 n)
{
    auto *item = new QStandardItem(QLocale().toString(n));
    item->setData(n, Qt::UserRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QStandardItem *id(qint64 n)
{
    auto *item = new QStandardItem(QString::number(n)); // ids are names: no digit grouping
    item->setData(n, Qt::UserRole);
    return item;
}

QString picture(const QList<PersistentSegment> &segments)
{
    int live = 0;
    qint64 rows = 0;
    for (const PersistentSegment &s : segments)
        if (s.state != QLatin1String("Dropped")) {
            ++live;
            rows += s.rows;
        }
    return QObject::tr("%1 segment(s), %2 rows").arg(live).arg(QLocale().toString(rows));
}

} // namespace

SegmentsPanel::SegmentsPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(tr("No collection."), this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    m_persistent = new QStandardItemModel(0, 4, this);
    m_persistent->setHorizontalHeaderLabels({tr("Segment"), tr("Partition"), tr("State"), tr("Rows")});
    m_loaded = new QStandardItemModel(0, 7, this);
    m_loaded->setHorizontalHeaderLabels(
        {tr("Segment"), tr("Partition"), tr("State"), tr("Rows"), tr("Index"), tr("Nodes"), tr("Memory")});
    layout->addWidget(new QLabel(tr("Persistent segments (data coordinator)"), this));
    layout->addWidget(makeTable("persistentTable", m_persistent, this), 1);
    layout->addWidget(new QLabel(tr("Loaded segments (query nodes)"), this));
    layout->addWidget(makeTable("loadedTable", m_loaded, this), 1);
    m_compactionLabel = new QLabel(this);
    m_compactionLabel->setObjectName(QStringLiteral("compactionLabel"));
    m_compactionLabel->setWordWrap(true);
    layout->addWidget(m_compactionLabel);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    m_flush = new QPushButton(tr("Flush"), this);
    m_flush->setObjectName(QStringLiteral("flushButton"));
    m_compact = new QPushButton(tr("Compact"), this);
    m_compact->setObjectName(QStringLiteral("compactButton"));
    m_refresh = new QPushButton(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("refreshButton"));
    for (QPushButton *b : {m_flush, m_compact, m_refresh}) {
        buttons->addWidget(b);
        b->setEnabled(false);
    }
    layout->addLayout(buttons);
    connect(m_refresh, &QPushButton::clicked, this, &SegmentsPanel::refresh);
    connect(m_flush, &QPushButton::clicked, this, &SegmentsPanel::flush);
    connect(m_compact, &QPushButton::clicked, this, &SegmentsPanel::compact);
}

void SegmentsPanel::setConnection(std::shared_ptr<MilvusClient> client)
{
    m_client = std::move(client);
    m_unavailable.clear();
    ++m_generation;
    m_stale = true;
    if (!m_collection.isEmpty() && isVisible())
        refresh();
}

void SegmentsPanel::setCollection(const QString &collection, const QString &database)
{
    m_collection = collection;
    m_database = database;
    m_compacted = false;
    m_compactionLabel->clear();
    ++m_generation;
    m_stale = true;
    if (isVisible())
        refresh();
}

void SegmentsPanel::showEvent(QShowEvent *e)
{
    QWidget::showEvent(e);
    if (m_stale)
        refresh(); // opened lazily: a collection page does not ask for its segments until shown
}

CallOptions SegmentsPanel::options() const
{
    CallOptions o;
    o.dbName = m_database;
    return o;
}

void SegmentsPanel::setUnavailable(const QString &reason)
{
    m_unavailable = reason;
    m_summary->setText(reason);
    for (QPushButton *b : {m_flush, m_compact, m_refresh}) {
        b->setEnabled(false);
        b->setToolTip(reason);
    }
}

void SegmentsPanel::refresh()
{
    if (!m_client || m_collection.isEmpty())
        return;
    m_stale = false;
    ++m_pending;
    const quint64 gen = m_generation;
    std::shared_ptr<const MilvusClient> client = m_client;
    const QString collection = m_collection, database = m_database;
    m_client->getVersionAsync()
        .then([client, collection, database](const QString &version) {
            const ServerCapabilities caps = ServerCapabilities::fromVersion(version);
            if (!caps.has(ServerCapabilities::Feature::Segments))
                throwError(ErrorKind::InvalidArgument, QStringLiteral("Segments"),
                           caps.lacks(ServerCapabilities::Feature::Segments));
            return SegmentSnapshot::load(client, collection, database);
        })
        .unwrap()
        .then(this, [this, gen](QFuture<SegmentSnapshot> f) {
            --m_pending;
            if (gen != m_generation)
                return;
            try {
                display(f.result());
            } catch (const MilvusException &e) {
                if (e.error().kind == ErrorKind::InvalidArgument &&
                    e.error().operation == QLatin1String("Segments"))
                    setUnavailable(e.error().reason);
                else
                    showError(e.error());
            }
        });
}

void SegmentsPanel::display(const SegmentSnapshot &s)
{
    m_snapshot = s;
    m_error->hide();
    for (QPushButton *b : {m_flush, m_compact, m_refresh}) {
        b->setEnabled(true);
        b->setToolTip({});
    }
    m_persistent->removeRows(0, m_persistent->rowCount());
    for (const PersistentSegment &p : s.persistent)
        m_persistent->appendRow({id(p.id), id(p.partitionId), new QStandardItem(p.state), number(p.rows)});
    m_loaded->removeRows(0, m_loaded->rowCount());
    for (const QuerySegment &q : s.loaded) {
        QStringList nodes;
        for (const qint64 n : q.nodeIds)
            nodes.append(QString::number(n));
        m_loaded->appendRow({id(q.id), id(q.partitionId), new QStandardItem(q.state), number(q.rows),
                             new QStandardItem(q.indexName.isEmpty() ? tr("none") : q.indexName),
                             new QStandardItem(nodes.join(QStringLiteral(", "))),
                             new QStandardItem(QLocale().formattedDataSize(q.memSize))});
    }
    for (auto *view : findChildren<QTableView *>())
        view->resizeColumnsToContents();
    QString text = tr("<b>%1</b>: %2 persistent.").arg(s.collection.toHtmlEscaped(), picture(s.persistent));
    if (!s.loadedKnown)
        text += QLatin1Char(' ') + tr("Not loaded: no query segments.");
    else
        text += QLatin1Char(' ') + tr("%1 loaded segment(s).").arg(s.loaded.size());
    if (s.storedRows >= 0)
        text += QLatin1Char(' ') + tr("Rows stored: %1").arg(QLocale().toString(s.storedRows));
    if (s.liveRows >= 0)
        text += tr(", alive (count(*)): %1, deleted but not compacted: %2")
                    .arg(QLocale().toString(s.liveRows), QLocale().toString(s.deletedNotCompacted()));
    m_summary->setText(text);
}

void SegmentsPanel::showError(const MilvusError &e)
{
    m_error->setText(e.kind == ErrorKind::PermissionDenied ? tr("Permission denied: %1").arg(e.message())
                                                           : e.message());
    m_error->show();
}

void SegmentsPanel::flush()
{
    ++m_pending;
    m_flush->setEnabled(false);
    const quint64 gen = m_generation;
    m_client->flushAsync({{m_collection}, options()}).then(this, [this, gen](QFuture<void> f) {
        --m_pending;
        m_flush->setEnabled(true);
        if (gen != m_generation)
            return;
        try {
            f.waitForFinished();
            m_compactionLabel->setText(tr("Flushed: growing segments sealed and persisted."));
            refresh();
        } catch (const MilvusException &e) {
            showError(e.error());
        }
    });
}

void SegmentsPanel::compact()
{
    ++m_pending;
    m_compact->setEnabled(false);
    m_compactionLabel->setText(
        tr("Compacting '%1'… (following the server's compaction state)").arg(m_collection));
    const quint64 gen = m_generation;
    AdminClient admin(*m_client);
    admin.compactAndWait({m_collection, options()}).then(this, [this, gen](QFuture<CompactionOutcome> f) {
        --m_pending;
        m_compact->setEnabled(true);
        if (gen != m_generation)
            return;
        try {
            m_compaction = f.result();
            m_compacted = true;
            m_compactionLabel->setText(
                tr("Compaction %1: %2 after %3 ms (%4 plan(s), %5 completed, %6 failed). "
                   "Before: %7. After: %8.")
                    .arg(m_compaction.started.compactionId)
                    .arg(m_compaction.finalState.state)
                    .arg(m_compaction.elapsedMs)
                    .arg(m_compaction.started.planCount)
                    .arg(m_compaction.finalState.completed)
                    .arg(m_compaction.finalState.failed)
                    .arg(picture(m_compaction.before), picture(m_compaction.after)));
            refresh();
        } catch (const MilvusException &e) {
            m_compactionLabel->clear();
            showError(e.error());
        }
    });
}

} // namespace mx
