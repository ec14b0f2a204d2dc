#pragma once

#include "DataFileFormat.h"
#include "EntityExporter.h"
#include "EntityImporter.h"
#include "SampleDataGenerator.h"

#include <QFuture>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace mx {

class EntityTableModel;
class MilvusClient;
class TaskProgress;

// The Data tab of a collection: entities paged by primary-key cursor, a filter box (Ctrl+Enter runs,
// field-name completion, the server's error shown next to it), field chooser, page size, total count,
// a detail pane with the full row, copy, insert from file, sample data, edit (upsert), delete selected
// or by expression, export of the whole filter result. Long work shows progress with Cancel; nothing
// waits on the network.
class DataView : public QWidget
{
    Q_OBJECT
public:
    DataView(std::shared_ptr<MilvusClient> client, const QString &database, const QString &collection,
             QWidget *parent = nullptr);

    EntityTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

    // The file-dialog-free entry points (menus call them after asking for a file; tests call them).
    QFuture<ExportResult> exportTo(const QString &path, DataFileFormat format = DataFileFormat::Auto);
    QFuture<ImportResult> importFrom(const QString &path, bool continuePastErrors = false,
                                     const QMap<QString, QString> &columnMapping = {});
    QFuture<GenerateResult> generate(qint64 rows);
    // Deletes what `filter` matches after the count preview and the user's confirmation (unless
    // `confirmed`); the result is the number deleted.
    QFuture<qint64> deleteWhere(const QString &filter, bool confirmed = false);

public slots:
    void runFilter();
    void refresh();

signals:
    void dataChanged();   // after an insert, delete or upsert finished
    void loadRequested(); // the user asked to load the collection

private:
    void buildUi();
    void onStateChanged();
    void updateCount();
    void showRowDetail();
    void chooseFields();
    void copySelection();
    void copyRowsAsJson();
    void deleteSelected();
    void askDeleteByExpression();
    void askExport();
    void askImport();
    void askGenerate();
    void editCurrentEntity();
    void reportTaskError(const QString &title, const std::exception_ptr &error);
    CallOptions callOptions() const;

    std::shared_ptr<MilvusClient> m_client;
    QString m_database;
    QString m_collection;
    EntityTableModel *m_model;
    QLineEdit *m_filter;
    QLabel *m_filterError;
    QSpinBox *m_pageSize;
    QLabel *m_count;
    QStackedWidget *m_stack;
    QTableView *m_table;
    QPlainTextEdit *m_detail;
    QLabel *m_notLoadedText;
    TaskProgress *m_progress;
    std::shared_ptr<void> m_runningTask; // keeps the exporter/importer/generator alive while it runs
};

} // namespace mx
