#pragma once

#include "AdminTypes.h"
#include "MilvusError.h"
#include "SegmentSnapshot.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace mx {

class MilvusClient;

// One collection's segments: persistent (id, partition, state, rows) and loaded (id, partition, state,
// rows, index, nodes), the rows stored against the rows alive (deleted but not compacted yet); Flush,
// and a manual compaction followed to the end with the segments before and after. On a server without
// segment information it says so (ServerCapabilities) and disables the actions with the reason.
// Widgets: summaryLabel, errorLabel, persistentTable, loadedTable, compactionLabel, flushButton,
// compactButton, refreshButton.
class SegmentsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SegmentsPanel(QWidget *parent = nullptr);

    void setConnection(std::shared_ptr<MilvusClient> client);
    // Reloads when visible, else when next shown.
    void setCollection(const QString &collection, const QString &database = {});
    void refresh();
    bool isBusy() const { return m_pending > 0; }
    const SegmentSnapshot &snapshot() const { return m_snapshot; }
    const CompactionOutcome &lastCompaction() const { return m_compaction; }
    bool hasCompacted() const { return m_compacted; }
    QString unavailableReason() const { return m_unavailable; }

protected:
    void showEvent(QShowEvent *e) override;

private:
    CallOptions options() const;
    void display(const SegmentSnapshot &s);
    void showError(const MilvusError &e);
    void flush();
    void compact();
    void setUnavailable(const QString &reason);

    std::shared_ptr<MilvusClient> m_client;
    QString m_collection;
    QString m_database;
    bool m_stale = false;
    SegmentSnapshot m_snapshot;
    CompactionOutcome m_compaction;
    bool m_compacted = false;
    QString m_unavailable;
    int m_pending = 0;
    quint64 m_generation = 0;
    QLabel *m_summary = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_compactionLabel = nullptr;
    QStandardItemModel *m_persistent = nullptr;
    QStandardItemModel *m_loaded = nullptr;
    QPushButton *m_flush = nullptr;
    QPushButton *m_compact = nullptr;
    QPushButton *m_refresh = nullptr;
};

} // namespace mx
