#include "DataView.h"

#include "ConfirmDestructiveDialog.h"
#include "DeleteByExpression.h"
#include "DeleteByExpressionDialog.h"
#include "EntityEdit.h"
#include "EntityTableModel.h"
#include "ExprLiteral.h"
#include "Icons.h"
#include "ImportDialog.h"
#include "MilvusClient.h"
#include "TaskProgress.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCompleter>
#include <QDebug>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMetaMethod>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStringListModel>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <optional>

namespace mx {

DataView::DataView(std::shared_ptr<MilvusClient> client, const QString &database, const QString &collection,
                   QWidget *parent)
    : QWidget(parent)
    , m_client(std::move(client))
    , m_database(database)
    , m_collection(collection)
    , m_model(new EntityTableModel(this))
{
    setObjectName(QStringLiteral("dataView"));
    buildUi();
    m_model->setClient(m_client);
    m_model->setCollection(collection, database);
}

CallOptions DataView::callOptions() const
{
    CallOptions o;
    o.dbName = m_database;
    return o;
}

void DataView::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("dataToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_filter = new QLineEdit(toolbar);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(
        tr("Filter expression, e.g. id > 100 and meta[\"category\"] == \"a\"  (Ctrl+Enter)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(360);
    auto *completer = new QCompleter(new QStringListModel(m_filter), m_filter);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setCompleter(completer);
    toolbar->addWidget(m_filter);
    auto *run = toolbar->addAction(icon(QStringLiteral("filter")), tr("Run"), this, &DataView::runFilter);
    run->setObjectName(QStringLiteral("runFilterAction"));
    run->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    run->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_filter, &QLineEdit::returnPressed, this, &DataView::runFilter);
    auto *fields = toolbar->addAction(tr("Fields…"), this, &DataView::chooseFields);
    fields->setObjectName(QStringLiteral("fieldsAction"));
    m_pageSize = new QSpinBox(toolbar);
    m_pageSize->setObjectName(QStringLiteral("pageSize"));
    m_pageSize->setRange(10, 10000);
    m_pageSize->setValue(200);
    m_pageSize->setPrefix(tr("page "));
    m_pageSize->setSingleStep(100);
    connect(m_pageSize, &QSpinBox::valueChanged, m_model, &EntityTableModel::setPageSize);
    toolbar->addWidget(m_pageSize);
    layout->addWidget(toolbar);

    // The data actions get a row of their own so that the filter box keeps its width.
    toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("dataActionsBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *insert =
        toolbar->addAction(icon(QStringLiteral("import")), tr("Insert…"), this, &DataView::askImport);
    insert->setToolTip(tr("Insert rows from a CSV or JSON file"));
    toolbar->addAction(icon(QStringLiteral("generate")), tr("Sample data…"), this, &DataView::askGenerate);
    toolbar->addAction(icon(QStringLiteral("export")), tr("Export…"), this, &DataView::askExport);
    auto *del = toolbar->addAction(icon(QStringLiteral("delete")), tr("Delete…"));
    auto *delMenu = new QMenu(this);
    auto *delSelected = delMenu->addAction(tr("Delete selected rows"), this, &DataView::deleteSelected);
    delSelected->setShortcut(QKeySequence::Delete);
    delMenu->addAction(tr("Delete by expression…"), this, &DataView::askDeleteByExpression);
    del->setMenu(delMenu);
    connect(del, &QAction::triggered, this, &DataView::askDeleteByExpression);
    layout->addWidget(toolbar);

    m_filterError = new QLabel(this);
    m_filterError->setObjectName(QStringLiteral("filterError"));
    m_filterError->setWordWrap(true);
    m_filterError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_filterError->setStyleSheet(QStringLiteral("color: #c62828; font-family: monospace"));
    m_filterError->hide();
    layout->addWidget(m_filterError);

    m_progress = new TaskProgress(this);
    layout->addWidget(m_progress);

    m_stack = new QStackedWidget(this);
    auto *splitter = new QSplitter(Qt::Horizontal, m_stack);
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("entityTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setDefaultSectionSize(140);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copyAction = new QAction(icon(QStringLiteral("copy")), tr("Copy"), m_table);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, &DataView::copySelection);
    m_table->addAction(copyAction);
    auto *copyJson = new QAction(tr("Copy rows as JSON"), m_table);
    connect(copyJson, &QAction::triggered, this, &DataView::copyRowsAsJson);
    m_table->addAction(copyJson);
    auto *edit = new QAction(icon(QStringLiteral("rename")), tr("Edit entity…"), m_table);
    connect(edit, &QAction::triggered, this, &DataView::editCurrentEntity);
    m_table->addAction(edit);
    auto *delAction = new QAction(icon(QStringLiteral("delete")), tr("Delete selected rows…"), m_table);
    delAction->setShortcut(QKeySequence::Delete);
    delAction->setShortcutContext(Qt::WidgetShortcut);
    connect(delAction, &QAction::triggered, this, &DataView::deleteSelected);
    m_table->addAction(delAction);
    splitter->addWidget(m_table);
    m_detail = new QPlainTextEdit(splitter);
    m_detail->setObjectName(QStringLiteral("rowDetail"));
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select a row to see every value in full"));
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    m_stack->addWidget(splitter);

    auto *notLoaded = new QWidget(m_stack);
    auto *nl = new QVBoxLayout(notLoaded);
    nl->addStretch();
    m_notLoadedText =
        new QLabel(tr("This collection is not loaded, so its entities cannot be read."), notLoaded);
    m_notLoadedText->setAlignment(Qt::AlignCenter);
    nl->addWidget(m_notLoadedText);
    auto *loadButton = new QPushButton(icon(QStringLiteral("load")), tr("Load collection"), notLoaded);
    loadButton->setObjectName(QStringLiteral("loadButton"));
    // Loading is the whole app's business (navigator, list and overview show the state): whoever owns this
    // view loads through the one path that tells them all. Alone (tests, benchmarks), the model loads.
    connect(loadButton, &QPushButton::clicked, this, [this] {
        if (isSignalConnected(QMetaMethod::fromSignal(&DataView::loadRequested)))
            emit loadRequested();
        else
            m_model->loadCollection();
    });
    nl->addWidget(loadButton, 0, Qt::AlignCenter);
    nl->addStretch();
    m_stack->addWidget(notLoaded);
    layout->addWidget(m_stack, 1);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("countLabel"));
    layout->addWidget(m_count);

    connect(m_model, &EntityTableModel::stateChanged, this, &DataView::onStateChanged);
    connect(m_model, &EntityTableModel::errorOccurred, this, [this](const QString &message) {
        m_filterError->setText(message);
        m_filterError->show();
    });
    connect(m_model, &EntityTableModel::totalCountChanged, this, &DataView::updateCount);
    connect(m_model, &EntityTableModel::pageLoaded, this, &DataView::updateCount);
    connect(m_model, &EntityTableModel::pageLoaded, this, [this] {
        // Something in the detail pane from the start, without taking the user's selection away.
        if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
            m_table->setCurrentIndex(m_model->index(0, 0));
    });
    connect(m_model, &EntityTableModel::schemaChanged, this, [this, completer] {
        QStringList names;
        for (const auto &f : m_model->schema().fields)
            names << f.name;
        static_cast<QStringListModel *>(completer->model())->setStringList(names);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DataView::showRowDetail);
    connect(m_progress, &TaskProgress::runningChanged, toolbar, [toolbar](bool running) {
        for (QAction *a : toolbar->actions())
            if (a->text().endsWith(QStringLiteral("…")))
                a->setEnabled(!running);
    });
}

void DataView::onStateChanged()
{
    const auto state = m_model->state();
    m_stack->setCurrentIndex(state == EntityTableModel::State::NotLoaded ? 1 : 0);
    if (state == EntityTableModel::State::NotLoaded)
        m_notLoadedText->setText(m_model->loadState() == LoadState::Loading
                                     ? tr("This collection is loading…")
                                     : tr("This collection is not loaded, so its entities cannot be read."));
    if (state != EntityTableModel::State::Error)
        m_filterError->hide();
    updateCount();
}

void DataView::updateCount()
{
    if (m_model->state() == EntityTableModel::State::NotLoaded ||
        m_model->state() == EntityTableModel::State::Describing) {
        m_count->setText(m_model->state() == EntityTableModel::State::NotLoaded ? tr("Not loaded")
                                                                                : tr("Reading schema…"));
        return;
    }
    const qint64 total = m_model->totalCount();
    QString text = tr("%1 rows shown").arg(QLocale().toString(m_model->rowCount()));
    if (total >= 0)
        text = tr("%1 of %2 rows").arg(QLocale().toString(m_model->rowCount()), QLocale().toString(total));
    else if (!m_model->countErrorText().isEmpty())
        text += tr(" (count failed: %1)").arg(m_model->countErrorText());
    if (m_model->isFetching())
        text += tr(" · loading…");
    else if (!m_model->atEnd())
        text += tr(" · scroll for more");
    m_count->setText(text);
}

void DataView::runFilter()
{
    m_filterError->hide();
    m_model->setFilter(m_filter->text().trimmed());
}

void DataView::refresh()
{
    m_model->refresh();
}

void DataView::showRowDetail()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    const QVariantMap row = current.data(EntityTableModel::RowMapRole).toMap();
    m_detail->setPlainText(
        QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(row)).toJson(QJsonDocument::Indented)));
}

void DataView::chooseFields()
{
    QMenu menu(this);
    const QStringList current = m_model->outputFields();
    QList<QAction *> actions;
    for (const auto &f : m_model->schema().fields) {
        auto *a = menu.addAction(QStringLiteral("%1  (%2)").arg(f.name, dataTypeName(f.type)));
        a->setData(f.name);
        a->setCheckable(true);
        a->setChecked(current.isEmpty() || current.contains(f.name) || f.isPrimaryKey);
        a->setEnabled(!f.isPrimaryKey);
        actions << a;
    }
    if (m_model->schema().enableDynamicField) {
        auto *a = menu.addAction(tr("dynamic fields ($meta)"));
        a->setData(QStringLiteral("$meta"));
        a->setCheckable(true);
        a->setChecked(current.isEmpty() || current.contains(QStringLiteral("$meta")));
        actions << a;
    }
    menu.addSeparator();
    auto *apply = menu.addAction(tr("Apply"));
    QAction *chosen = menu.exec(QCursor::pos());
    while (chosen && chosen != apply && chosen->isCheckable())
        chosen = menu.exec(QCursor::pos()); // keep the menu open while ticking boxes
    if (chosen != apply)
        return;
    QStringList fields;
    bool all = true;
    for (auto *a : actions) {
        if (a->isChecked())
            fields << a->data().toString();
        else
            all = false;
    }
    m_model->setOutputFields(all ? QStringList() : fields);
}

void DataView::copySelection()
{
    const QModelIndexList sel = m_table->selectionModel()->selectedIndexes();
    if (sel.isEmpty())
        return;
    if (sel.size() == 1) {
        QApplication::clipboard()->setText(
            sel.first().data(EntityTableModel::FullValueRole).toString().isEmpty()
                ? sel.first().data(EntityTableModel::PrettyJsonRole).toString()
                : sel.first().data(EntityTableModel::FullValueRole).toString());
        return;
    }
    int minRow = INT_MAX, maxRow = -1, minCol = INT_MAX, maxCol = -1;
    for (const auto &i : sel) {
        minRow = std::min(minRow, i.row());
        maxRow = std::max(maxRow, i.row());
        minCol = std::min(minCol, i.column());
        maxCol = std::max(maxCol, i.column());
    }
    QStringList lines;
    QStringList header;
    for (int c = minCol; c <= maxCol; ++c)
        header << m_model->headerData(c, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int r = minRow; r <= maxRow; ++r) {
        QStringList cells;
        for (int c = minCol; c <= maxCol; ++c)
            cells << m_model->index(r, c).data(EntityTableModel::PrettyJsonRole).toString().simplified();
        lines << cells.join(QLatin1Char('\t'));
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

void DataView::copyRowsAsJson()
{
    QJsonArray rows;
    QList<int> seen;
    for (const auto &i : m_table->selectionModel()->selectedIndexes()) {
        if (seen.contains(i.row()))
            continue;
        seen << i.row();
        rows.append(QJsonObject::fromVariantMap(i.data(EntityTableModel::RowMapRole).toMap()));
    }
    QApplication::clipboard()->setText(
        QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Indented)));
}

void DataView::reportTaskError(const QString &title, const std::exception_ptr &error)
{
    const MilvusError e = errorFromException(error);
    if (e.kind == ErrorKind::Cancelled)
        return;
    qWarning().noquote() << title << ":" << e.message();
    QMessageBox box(QMessageBox::Warning, title, e.message(), QMessageBox::Ok, this);
    box.setObjectName(QStringLiteral("taskErrorBox"));
    if (!e.detail.isEmpty())
        box.setDetailedText(e.detail);
    box.exec();
}

QFuture<ExportResult> DataView::exportTo(const QString &path, DataFileFormat format)
{
    ExportOptions o;
    o.collection = m_collection;
    o.filter = m_model->filter();
    o.outputFields = m_model->outputFields();
    o.path = path;
    o.format = format;
    o.options = callOptions();
    auto exporter = std::make_shared<EntityExporter>(m_client, o);
    m_runningTask = exporter;
    QFuture<ExportResult> f = exporter->start();
    m_progress->follow(
        tr("Exporting"), f, [exporter] { exporter->cancel(); },
        [this, f] {
            m_runningTask.reset();
            try {
                f.result();
            } catch (...) {
                reportTaskError(tr("Export failed"), std::current_exception());
            }
        });
    return f;
}

QFuture<ImportResult> DataView::importFrom(const QString &path, bool continuePastErrors,
                                           const QMap<QString, QString> &columnMapping)
{
    ImportOptions o;
    o.path = path;
    o.collection = m_collection;
    o.continuePastErrors = continuePastErrors;
    o.columnMapping = columnMapping;
    o.options = callOptions();
    auto importer = std::make_shared<EntityImporter>(m_client, o);
    m_runningTask = importer;
    QFuture<ImportResult> f = importer->start();
    m_progress->follow(
        tr("Inserting"), f, [importer] { importer->cancel(); },
        [this, f] {
            m_runningTask.reset();
            try {
                const ImportResult r = f.result();
                if (!r.errors.isEmpty()) {
                    QStringList lines;
                    for (const auto &e : r.errors)
                        lines << e.message;
                    QMessageBox box(QMessageBox::Information, tr("Insert finished"),
                                    tr("Inserted %1 rows; skipped %2 bad rows.")
                                        .arg(QLocale().toString(r.inserted), QLocale().toString(r.skipped)),
                                    QMessageBox::Ok, this);
                    box.setDetailedText(lines.join(QLatin1Char('\n')));
                    box.exec();
                }
            } catch (...) {
                reportTaskError(tr("Insert failed"), std::current_exception());
            }
            m_model->refresh();
            emit dataChanged();
        });
    return f;
}

QFuture<GenerateResult> DataView::generate(qint64 rows)
{
    GenerateOptions o;
    o.collection = m_collection;
    o.rows = rows;
    o.options = callOptions();
    auto generator = std::make_shared<SampleDataGenerator>(m_client, o);
    m_runningTask = generator;
    QFuture<GenerateResult> f = generator->start();
    m_progress->follow(
        tr("Generating"), f, [generator] { generator->cancel(); },
        [this, f] {
            m_runningTask.reset();
            try {
                f.result();
            } catch (...) {
                reportTaskError(tr("Sample data failed"), std::current_exception());
            }
            m_model->refresh();
            emit dataChanged();
        });
    return f;
}

QFuture<qint64> DataView::deleteWhere(const QString &filter, bool confirmed)
{
    auto op = std::make_shared<DeleteByExpression>(m_client, m_collection, filter, QString(), callOptions());
    if (confirmed) {
        return op->execute().then(this, [this, op](qint64 n) {
            m_model->refresh();
            emit dataChanged();
            return n;
        });
    }
    return op->preview()
        .then(this,
              [this, op, filter](qint64 count) -> QFuture<qint64> {
                  const bool ok = ConfirmDestructiveDialog::confirm(
                      this, tr("Delete entities"),
                      tr("Delete %n entities matching <b>%1</b> from collection '%2'? This cannot be undone.",
                         nullptr, int(count))
                          .arg(filter.toHtmlEscaped(), m_collection),
                      m_collection);
                  if (!ok)
                      return QtFuture::makeReadyFuture<qint64>(0);
                  return deleteWhere(filter, true);
              })
        .unwrap();
}

void DataView::deleteSelected()
{
    QVariantList keys;
    QList<int> seen;
    for (const auto &i : m_table->selectionModel()->selectedIndexes()) {
        if (seen.contains(i.row()))
            continue;
        seen << i.row();
        keys << i.data(EntityTableModel::PrimaryKeyRole);
    }
    if (keys.isEmpty())
        return;
    const FieldSchema *pk = m_model->schema().primaryField();
    if (!pk)
        return;
    const QString filter = exprInList(pk->name, keys);
    deleteWhere(filter).onFailed(this, [this](const MilvusException &e) {
        QMessageBox::warning(this, tr("Delete failed"), e.error().message());
        return qint64(0);
    });
}

void DataView::askDeleteByExpression()
{
    DeleteByExpressionDialog dialog(m_collection, this);
    if (!m_model->filter().isEmpty())
        dialog.setExpression(m_model->filter());
    connect(&dialog, &DeleteByExpressionDialog::previewRequested, this, [this, &dialog](const QString &expr) {
        DeleteByExpression op(m_client, m_collection, expr, QString(), callOptions());
        op.preview()
            .then(&dialog, [&dialog](qint64 n) { dialog.setPreviewCount(n); })
            .onFailed(&dialog,
                      [&dialog](const MilvusException &e) { dialog.setPreviewError(e.error().message()); });
    });
    if (dialog.exec() != QDialog::Accepted)
        return;
    deleteWhere(dialog.expression(), true).onFailed(this, [this](const MilvusException &e) {
        QMessageBox::warning(this, tr("Delete failed"), e.error().message());
        return qint64(0);
    });
}

void DataView::askExport()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export %1").arg(m_collection),
                                     m_collection + QStringLiteral(".csv"), tr("CSV (*.csv);;JSON (*.json)"));
    if (!path.isEmpty())
        exportTo(path);
}

void DataView::askImport()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Insert into %1").arg(m_collection), QString(),
                                     tr("CSV or JSON (*.csv *.json *.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    auto *dialog = new ImportDialog(path, m_model->schema(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, path] { importFrom(path, dialog->continuePastErrors(), dialog->mapping()); });
    dialog->open();
}

void DataView::askGenerate()
{
    bool ok = false;
    const int rows = QInputDialog::getInt(this, tr("Sample data"), tr("Rows to generate and insert:"), 1000,
                                          1, 10'000'000, 1000, &ok);
    if (ok)
        generate(rows);
}

void DataView::editCurrentEntity()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    const QVariantMap row = current.data(EntityTableModel::RowMapRole).toMap();
    std::optional<EntityEditResult> saved; // outlives the dialog, the context of the save's continuation
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Edit entity"));
    dialog.resize(640, 520);
    auto *layout = new QVBoxLayout(&dialog);
    auto *text = new QPlainTextEdit(&dialog);
    text->setObjectName(QStringLiteral("entityJson"));
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text->setPlainText(
        QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(row)).toJson(QJsonDocument::Indented)));
    layout->addWidget(text);
    const EntityEdit edit(m_model->schema(), m_collection);
    if (edit.mayChangeKey()) {
        auto *note = new QLabel(tr("This collection generates its primary keys (auto ID): the server may "
                                   "save the edited row under a new primary key, shown after saving."),
                                &dialog);
        note->setObjectName(QStringLiteral("autoIdNote"));
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    auto *error = new QLabel(&dialog);
    error->setStyleSheet(QStringLiteral("color: #c62828"));
    error->setWordWrap(true);
    layout->addWidget(error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, &dialog);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, [&] {
        QJsonParseError perr;
        const QJsonDocument doc = QJsonDocument::fromJson(text->toPlainText().toUtf8(), &perr);
        if (!doc.isObject()) {
            error->setText(tr("Not a JSON object: %1").arg(perr.errorString()));
            return;
        }
        buttons->setEnabled(false);
        edit.saveAsync(*m_client, doc.object(), callOptions())
            .then(&dialog,
                  [&dialog, &saved](const EntityEditResult &result) {
                      saved = result;
                      dialog.accept();
                  })
            .onFailed(&dialog, [error, buttons](const MilvusException &e) {
                error->setText(e.error().message());
                buttons->setEnabled(true);
            });
    });
    if (dialog.exec() == QDialog::Accepted) {
        if (saved && saved->keyChanged())
            QMessageBox::information(this, tr("Entity saved"),
                                     tr("The server saved the row under a new primary key: %1 (it was %2).")
                                         .arg(saved->newKey.toString(), saved->oldKey.toString()));
        m_model->refresh();
        emit dataChanged();
    }
}

} // namespace mx
