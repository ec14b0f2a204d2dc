#include "ImportDialog.h"

#include "CsvReader.h"
#include "DataFileFormat.h"
#include "JsonRowReader.h"
#include "MilvusError.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace mx {

namespace {
const QString kIgnore = QStringLiteral("(ignore)");
const QString kDynamic = QStringLiteral("(dynamic field)");
} // namespace

QStringList readDataFileColumns(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Import"),
                   QStringLiteral("cannot open '%1': %2").arg(path, f.errorString()));
    if (resolveFormat(DataFileFormat::Auto, path) == DataFileFormat::Csv) {
        CsvReader reader(&f);
        CsvRecord header;
        if (!reader.next(header))
            throwError(ErrorKind::InvalidArgument, QStringLiteral("Import"),
                       reader.errorString().isEmpty() ? QStringLiteral("the file is empty")
                                                      : reader.errorString());
        return header.fields;
    }
    JsonRowReader reader(&f);
    QStringList keys;
    QJsonObject row;
    for (int i = 0; i < 200 && reader.next(row); ++i)
        for (auto it = row.constBegin(); it != row.constEnd(); ++it)
            if (!keys.contains(it.key()))
                keys << it.key();
    if (!reader.errorString().isEmpty() && keys.isEmpty())
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Import"), reader.errorString());
    return keys;
}

ImportDialog::ImportDialog(const QString &path, const CollectionSchema &schema, QWidget *parent)
    : QDialog(parent)
    , m_schema(schema)
{
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Insert from %1").arg(QFileInfo(path).fileName()));
    resize(560, 460);
    auto *layout = new QVBoxLayout(this);
    m_info = new QLabel(tr("Reading the file's columns…"), this);
    m_info->setObjectName(QStringLiteral("importInfo"));
    m_info->setWordWrap(true);
    layout->addWidget(m_info);
    m_table = new QTableWidget(0, 2, this);
    m_table->setObjectName(QStringLiteral("mappingTable"));
    m_table->setHorizontalHeaderLabels({tr("Column in the file"), tr("Goes to")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    layout->addWidget(m_table, 1);
    m_continue = new QCheckBox(
        tr("Insert the valid rows even if some rows are invalid (they are listed afterwards)"), this);
    m_continue->setObjectName(QStringLiteral("continuePastErrors"));
    layout->addWidget(m_continue);
    auto *note =
        new QLabel(tr("Every value is checked against the schema before anything is sent. Without the option "
                      "above, one bad row anywhere in the file means nothing is inserted."),
                   this);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color: palette(mid)"));
    layout->addWidget(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Insert"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("importOkButton"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Started from the event loop so that columnsRead() never fires inside the constructor (a
    // continuation attached to an already finished future runs at once).
    QTimer::singleShot(0, this, [this, path, buttons] { readColumns(path, buttons); });
}

void ImportDialog::readColumns(const QString &path, QDialogButtonBox *buttons)
{
    QtConcurrent::run([path] { return readDataFileColumns(path); })
        .then(this,
              [this, buttons](const QStringList &columns) {
                  showColumns(columns, {});
                  buttons->button(QDialogButtonBox::Ok)->setEnabled(!columns.isEmpty());
              })
        .onFailed(this, [this](const MilvusException &e) { showColumns({}, e.error().message()); });
}

void ImportDialog::showColumns(const QStringList &columns, const QString &error)
{
    m_columns = columns;
    if (!error.isEmpty()) {
        m_info->setText(QStringLiteral("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
        emit columnsRead();
        return;
    }
    m_info->setText(tr("%n column(s) found. Choose where each goes:", nullptr, int(columns.size())));
    QStringList targets{kIgnore};
    for (const auto &f : m_schema.fields)
        if (!(f.isPrimaryKey && f.autoId))
            targets << f.name;
    if (m_schema.enableDynamicField)
        targets << kDynamic;
    m_table->setRowCount(int(columns.size()));
    for (int r = 0; r < columns.size(); ++r) {
        const QString &c = columns.at(r);
        m_table->setItem(r, 0, new QTableWidgetItem(c));
        auto *combo = new QComboBox(m_table);
        combo->setObjectName(QStringLiteral("target_%1").arg(r));
        combo->addItems(targets);
        if (m_schema.field(c) && targets.contains(c))
            combo->setCurrentText(c);
        else if (c == QLatin1String("$meta") || m_schema.enableDynamicField)
            combo->setCurrentText(kDynamic);
        else
            combo->setCurrentText(kIgnore);
        m_table->setCellWidget(r, 1, combo);
    }
    emit columnsRead();
}

QMap<QString, QString> ImportDialog::mapping() const
{
    QMap<QString, QString> out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString source = m_table->item(r, 0)->text();
        const QString target = static_cast<QComboBox *>(m_table->cellWidget(r, 1))->currentText();
        if (target == kIgnore)
            out.insert(source, QString());
        else if (target != kDynamic && target != source)
            out.insert(source, target);
    }
    return out;
}

bool ImportDialog::continuePastErrors() const
{
    return m_continue->isChecked();
}

} // namespace mx
