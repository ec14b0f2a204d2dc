#pragma once

#include "MilvusError.h"
#include "SystemTopology.h"

#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace mx {

class MilvusClient;

// The server's system view: version and build, deploy mode, health, every component with its state,
// and the query and data nodes with the collections they hold (SystemTopology: GetMetrics system_info,
// GetComponentStates, CheckHealth). Refreshed on demand and every intervalMs while visible; "Copy as
// JSON" copies what the server answered. On a server without metrics it says so (ServerCapabilities).
// Widgets: summaryLabel, errorLabel, componentsTable, nodesTable, refreshButton, copyJsonButton.
class SystemPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SystemPanel(QWidget *parent = nullptr);

    void setConnection(std::shared_ptr<MilvusClient> client);
    void refresh();
    void setIntervalMs(int ms) { m_timer.setInterval(ms); }
    bool isBusy() const { return m_busy; }
    int refreshCount() const { return m_refreshes; } // answers shown so far
    const SystemTopology &topology() const { return m_topology; }
    QString unavailableReason() const { return m_unavailable; }
    QString json() const; // the text "Copy as JSON" puts on the clipboard

protected:
    void showEvent(QShowEvent *e) override;
    void hideEvent(QHideEvent *e) override;

private:
    void display(const SystemTopology &t);
    void showError(const MilvusError &e);

    std::shared_ptr<MilvusClient> m_client;
    SystemTopology m_topology;
    QString m_unavailable;
    QTimer m_timer;
    bool m_busy = false;
    int m_refreshes = 0;
    quint64 m_generation = 0;
    QLabel *m_summary = nullptr;
    QLabel *m_error = nullptr;
    QTableView *m_componentsView = nullptr;
    QTableView *m_nodesView = nullptr;
    QStandardItemModel *m_components = nullptr;
    QStandardItemModel *m_nodes = nullptr;
    QPushButton *m_refresh = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace mx
