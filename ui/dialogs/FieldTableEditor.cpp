#include "FieldTableEditor.h"

#include "MilvusNames.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QShortcut>
#include <QStandardItemModel>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mx {

namespace {

const QString kDim = QStringLiteral("dim");
const QString kMaxLength = QStringLiteral("max_length");
const QString kMaxCapacity = QStringLiteral("max_capacity");

QString defaultText(const QVariant &v)
{
    if (!v.isValid())
        return {};
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.typeId() == QMetaType::Float)
        return QString::number(v.toFloat());
    if (v.typeId() == QMetaType::Double)
        return QString::number(v.toDouble(), 'g', 17);
    return v.toString();
}

QCheckBox *centeredCheckBox(QWidget **container)
{
    *container = new QWidget;
    auto *box = new QCheckBox(*container);
    auto *h = new QHBoxLayout(*container);
    h->setContentsMargins(0, 0, 0, 0);
    h->addWidget(box, 0, Qt::AlignCenter);
    return box;
}

QLineEdit *numberEdit(QWidget *parent, int width)
{
    auto *edit = new QLineEdit(parent);
    // Digits only, but no range: a value out of range stays visible and gets a message.
    edit->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{0,7}")), edit));
    edit->setFixedWidth(width);
    return edit;
}

void fillTypes(QComboBox *combo, const QList<DataType> &types)
{
    for (DataType t : types)
        combo->addItem(dataTypeName(t), int(t));
}

DataType comboType(const QComboBox *combo)
{
    return combo->currentIndex() < 0 ? DataType::None : DataType(combo->currentData().toInt());
}

void setComboType(QComboBox *combo, DataType t)
{
    combo->setCurrentIndex(combo->findData(int(t)));
}

} // namespace

QList<DataType> FieldTableEditor::fieldTypes()
{
    return {DataType::Bool,  DataType::Int8,  DataType::Int16,       DataType::Int32,
            DataType::Int64, DataType::Float, DataType::Double,      DataType::VarChar,
            DataType::Json,  DataType::Array, DataType::FloatVector, DataType::SparseFloatVector};
}

QList<DataType> FieldTableEditor::arrayElementTypes()
{
    return {DataType::Bool,  DataType::Int8,  DataType::Int16,  DataType::Int32,
            DataType::Int64, DataType::Float, DataType::Double, DataType::VarChar};
}

FieldTableEditor::FieldTableEditor(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("&Add field"), this);
    m_add->setObjectName(QStringLiteral("addFieldButton"));
    m_remove = new QPushButton(tr("&Remove field"), this);
    m_remove->setObjectName(QStringLiteral("removeFieldButton"));
    m_up = new QPushButton(tr("Move &up"), this);
    m_up->setObjectName(QStringLiteral("moveUpButton"));
    m_up->setToolTip(tr("Move the current field up (Ctrl+Shift+Up)"));
    m_down = new QPushButton(tr("Move do&wn"), this);
    m_down->setObjectName(QStringLiteral("moveDownButton"));
    m_down->setToolTip(tr("Move the current field down (Ctrl+Shift+Down)"));
    for (QPushButton *b : {m_add, m_remove, m_up, m_down}) {
        b->setAutoDefault(false); // Enter in the table must reach the dialog's OK, not these
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    layout->addLayout(buttons);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("fieldTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Parameters"), tr("Primary"),
                                        tr("Auto ID"), tr("Partition key"), tr("Nullable"), tr("Default"),
                                        tr("Description")});
    const QStringList tips = {
        tr("Letters, digits and underscores; starts with a letter or an underscore"),
        tr("Milvus data type"),
        tr("dim for vectors, max_length for VarChar, element type and max_capacity for arrays"),
        tr("The primary key: exactly one, Int64 or VarChar"),
        tr("Let Milvus generate the primary key"),
        tr("Milvus spreads rows over partitions by this field (at most one; Int64 or VarChar)"),
        tr("The field may hold null"),
        tr("Value stored when an insert leaves the field out"),
        tr("Free text shown in the schema")};
    for (int c = 0; c < ColumnCount; ++c)
        m_table->horizontalHeaderItem(c)->setToolTip(tips.at(c));
    // The cell editors take the focus; the table itself would only be an extra tab stop.
    m_table->setFocusPolicy(Qt::NoFocus);
    // Tab follows the dialog's chain through the cell editors; the view's own Tab navigation would
    // wrap from the last cell back to the first instead of leaving the table.
    m_table->setTabKeyNavigation(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const int widths[ColumnCount] = {150, 150, 320, 64, 64, 96, 70, 110, 140};
    for (int c = 0; c < ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c]);
    {
        QComboBox probe;
        m_table->verticalHeader()->setDefaultSectionSize(probe.sizeHint().height() + 6);
    }
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    layout->addWidget(m_table, 1);

    connect(m_add, &QPushButton::clicked, this, &FieldTableEditor::addField);
    connect(m_remove, &QPushButton::clicked, this, &FieldTableEditor::removeCurrentField);
    connect(m_up, &QPushButton::clicked, this, &FieldTableEditor::moveCurrentUp);
    connect(m_down, &QPushButton::clicked, this, &FieldTableEditor::moveCurrentDown);
    // Ctrl+Shift rather than Alt: Alt+Down opens a combo box's list.
    auto *up = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up), this);
    up->setContext(Qt::WidgetWithChildrenShortcut);
    connect(up, &QShortcut::activated, this, &FieldTableEditor::moveCurrentUp);
    auto *down = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Down), this);
    down->setContext(Qt::WidgetWithChildrenShortcut);
    connect(down, &QShortcut::activated, this, &FieldTableEditor::moveCurrentDown);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const int row = currentRow();
        m_remove->setEnabled(row >= 0);
        m_up->setEnabled(row > 0);
        m_down->setEnabled(row >= 0 && row + 1 < rowCount());
    });
    m_remove->setEnabled(false);
    m_up->setEnabled(false);
    m_down->setEnabled(false);
}

int FieldTableEditor::rowCount() const
{
    return int(m_rows.size());
}

int FieldTableEditor::currentRow() const
{
    const auto selected = m_table->selectionModel()->selectedRows();
    return selected.isEmpty() ? -1 : selected.first().row();
}

void FieldTableEditor::setCurrentRow(int row, Column column)
{
    if (row < 0 || row >= rowCount())
        return;
    m_table->selectRow(row);
    if (QWidget *w = cellEditor(row, column); w && w->isEnabled())
        w->setFocus(Qt::OtherFocusReason);
    else
        m_rows.at(row).name->setFocus(Qt::OtherFocusReason);
    m_table->scrollTo(m_table->model()->index(row, column));
}

QWidget *FieldTableEditor::cellEditor(int row, Column column) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    const Row &r = m_rows.at(row);
    switch (column) {
    case NameColumn:
        return r.name;
    case TypeColumn:
        return r.type;
    case ParamsColumn:
        for (QWidget *w : {static_cast<QWidget *>(r.dim), static_cast<QWidget *>(r.elementType),
                           static_cast<QWidget *>(r.capacity), static_cast<QWidget *>(r.maxLength)})
            if (!w->isHidden())
                return w;
        return nullptr;
    case PrimaryKeyColumn:
        return r.primaryKey;
    case AutoIdColumn:
        return r.autoId;
    case PartitionKeyColumn:
        return r.partitionKey;
    case NullableColumn:
        return r.nullable;
    case DefaultColumn:
        return r.defaultValue;
    case DescriptionColumn:
        return r.description;
    case ColumnCount:
        break;
    }
    return nullptr;
}

QList<QWidget *> FieldTableEditor::tabChain() const
{
    QList<QWidget *> out{m_add, m_remove, m_up, m_down};
    for (const Row &r : m_rows)
        out << editors(r);
    return out;
}

void FieldTableEditor::addField()
{
    appendRow();
    const int row = rowCount() - 1;
    RowState s;
    s.field.type = DataType::VarChar;
    s.field.typeParams.insert(kMaxLength, QString::number(kDefaultMaxLength));
    setRowState(row, s);
    renumber();
    emit rowsChanged();
    setCurrentRow(row, NameColumn);
    emitChanged();
}

void FieldTableEditor::removeCurrentField()
{
    const int row = currentRow();
    if (row < 0)
        return;
    removeRow(row);
    renumber();
    emit rowsChanged();
    if (rowCount() > 0)
        setCurrentRow(qMin(row, rowCount() - 1));
    else
        m_add->setFocus();
    emitChanged();
}

void FieldTableEditor::moveCurrentUp()
{
    moveCurrent(-1);
}

void FieldTableEditor::moveCurrentDown()
{
    moveCurrent(+1);
}

void FieldTableEditor::moveCurrent(int delta)
{
    const int row = currentRow();
    const int target = row + delta;
    if (row < 0 || target < 0 || target >= rowCount())
        return;
    const Column column = columnOf(row, QApplication::focusWidget());
    const RowState a = rowState(row);
    const RowState b = rowState(target);
    setRowState(row, b);
    setRowState(target, a);
    setCurrentRow(target, column);
    emitChanged();
}

QList<FieldSchema> FieldTableEditor::fields() const
{
    QList<FieldSchema> out;
    for (int i = 0; i < rowCount(); ++i)
        out.append(rowState(i).field);
    return out;
}

QList<SchemaProblem> FieldTableEditor::inputProblems() const
{
    QList<SchemaProblem> out;
    const bool nullableOk = m_caps.has(ServerCapabilities::Feature::NullableAndDefault);
    for (int i = 0; i < rowCount(); ++i) {
        const RowState s = rowState(i);
        const QString label = s.field.name.isEmpty() ? tr("Field %1").arg(i + 1)
                                                     : tr("Field %1 '%2'").arg(i + 1).arg(s.field.name);
        QString error;
        SchemaValidator::parseDefaultValue(s.defaultText, s.field, &error);
        if (!error.isEmpty())
            out.append({i, QStringLiteral("%1: %2").arg(label, error)});
        if (!nullableOk && (s.field.nullable || !s.defaultText.isEmpty()))
            out.append({i, QStringLiteral("%1: %2").arg(
                               label, m_caps.lacks(ServerCapabilities::Feature::NullableAndDefault))});
        if (const QString why = m_caps.typeUnsupportedReason(s.field.type); !why.isEmpty())
            out.append({i, QStringLiteral("%1: %2").arg(label, why)});
        if (s.field.isPartitionKey && !m_caps.has(ServerCapabilities::Feature::PartitionKey))
            out.append({i, QStringLiteral("%1: %2").arg(
                               label, m_caps.lacks(ServerCapabilities::Feature::PartitionKey))});
    }
    return out;
}

void FieldTableEditor::setCapabilities(const ServerCapabilities &capabilities)
{
    m_caps = capabilities;
    for (int i = 0; i < rowCount(); ++i) {
        applyTypeCapabilities(m_rows[i].type);
        updateRow(i);
    }
    emitChanged();
}

void FieldTableEditor::applyTypeCapabilities(QComboBox *combo) const
{
    auto *model = qobject_cast<QStandardItemModel *>(combo->model());
    if (!model)
        return;
    for (int i = 0; i < model->rowCount(); ++i) {
        QStandardItem *item = model->item(i);
        const QString why = m_caps.typeUnsupportedReason(DataType(item->data(Qt::UserRole).toInt()));
        // The current type stays choosable, so a preset that asks for it can be seen and changed.
        item->setEnabled(why.isEmpty() || i == combo->currentIndex());
        item->setToolTip(why);
    }
}

void FieldTableEditor::setFields(const QList<FieldSchema> &fields)
{
    m_updating = true;
    while (rowCount() > fields.size())
        removeRow(rowCount() - 1);
    while (rowCount() < fields.size())
        appendRow();
    for (int i = 0; i < fields.size(); ++i)
        setRowState(i, {fields.at(i), defaultText(fields.at(i).defaultValue)});
    m_updating = false;
    renumber();
    emit rowsChanged();
    emitChanged();
}

void FieldTableEditor::setProblems(const QList<SchemaProblem> &problems)
{
    QList<QStringList> perRow(rowCount());
    for (const SchemaProblem &p : problems)
        if (p.field >= 0 && p.field < rowCount())
            perRow[p.field].append(p.message);
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (int i = 0; i < rowCount(); ++i) {
        auto *item = m_table->verticalHeaderItem(i);
        if (!item) {
            item = new QTableWidgetItem;
            m_table->setVerticalHeaderItem(i, item);
        }
        item->setText(QString::number(i + 1));
        item->setIcon(perRow.at(i).isEmpty() ? QIcon() : warning);
        item->setToolTip(perRow.at(i).join(QLatin1Char('\n')));
    }
}

void FieldTableEditor::appendRow()
{
    const int row = rowCount();
    m_table->insertRow(row);
    Row r;
    r.name = new QLineEdit;
    r.name->setPlaceholderText(tr("field name"));
    r.name->setMaxLength(kMaxMilvusNameLength + 1); // one more, so that "too long" can be said
    r.type = new QComboBox;
    fillTypes(r.type, fieldTypes());
    applyTypeCapabilities(r.type);

    auto *params = new QWidget;
    auto *h = new QHBoxLayout(params);
    h->setContentsMargins(4, 0, 4, 0);
    h->setSpacing(4);
    r.dimLabel = new QLabel(tr("dim"), params);
    r.dim = numberEdit(params, 64);
    r.dim->setToolTip(
        tr("Vector dimension (%1..%2)").arg(SchemaValidator::kMinDim).arg(SchemaValidator::kMaxDim));
    r.elementLabel = new QLabel(tr("of"), params);
    r.elementType = new QComboBox(params);
    fillTypes(r.elementType, arrayElementTypes());
    r.elementType->setToolTip(tr("Element type of the array"));
    r.capacityLabel = new QLabel(tr("cap"), params);
    r.capacity = numberEdit(params, 48);
    r.capacity->setToolTip(
        tr("max_capacity: most elements per row (1..%1)").arg(SchemaValidator::kMaxArrayCapacity));
    r.maxLengthLabel = new QLabel(tr("max_length"), params);
    r.maxLength = numberEdit(params, 56);
    r.maxLength->setToolTip(tr("Most bytes per string (1..%1)").arg(SchemaValidator::kMaxVarCharLength));
    for (QWidget *w : {static_cast<QWidget *>(r.dimLabel), static_cast<QWidget *>(r.dim),
                       static_cast<QWidget *>(r.elementLabel), static_cast<QWidget *>(r.elementType),
                       static_cast<QWidget *>(r.capacityLabel), static_cast<QWidget *>(r.capacity),
                       static_cast<QWidget *>(r.maxLengthLabel), static_cast<QWidget *>(r.maxLength)})
        h->addWidget(w);
    h->addStretch(1);

    QWidget *pkCell = nullptr, *autoIdCell = nullptr, *partitionCell = nullptr, *nullableCell = nullptr;
    r.primaryKey = centeredCheckBox(&pkCell);
    r.autoId = centeredCheckBox(&autoIdCell);
    r.partitionKey = centeredCheckBox(&partitionCell);
    r.nullable = centeredCheckBox(&nullableCell);
    r.defaultValue = new QLineEdit;
    r.description = new QLineEdit;

    m_table->setCellWidget(row, NameColumn, r.name);
    m_table->setCellWidget(row, TypeColumn, r.type);
    m_table->setCellWidget(row, ParamsColumn, params);
    m_table->setCellWidget(row, PrimaryKeyColumn, pkCell);
    m_table->setCellWidget(row, AutoIdColumn, autoIdCell);
    m_table->setCellWidget(row, PartitionKeyColumn, partitionCell);
    m_table->setCellWidget(row, NullableColumn, nullableCell);
    m_table->setCellWidget(row, DefaultColumn, r.defaultValue);
    m_table->setCellWidget(row, DescriptionColumn, r.description);
    m_rows.append(r);

    for (QWidget *w : editors(r))
        w->installEventFilter(this);
    const auto rowChanged = [this, name = r.name] {
        const int i = rowOf(name);
        if (i >= 0) {
            updateRow(i);
            emitChanged();
        }
    };
    const auto typeChanged = [this, name = r.name] {
        const int i = rowOf(name);
        if (i < 0)
            return;
        updateRow(i);
        if (!m_updating)
            fillMissingParams(i);
        emitChanged();
    };
    for (QLineEdit *e : {r.name, r.dim, r.capacity, r.maxLength, r.defaultValue, r.description})
        connect(e, &QLineEdit::textChanged, this, rowChanged);
    for (QComboBox *c : {r.type, r.elementType})
        connect(c, &QComboBox::currentIndexChanged, this, typeChanged);
    for (QCheckBox *c : {r.primaryKey, r.autoId, r.partitionKey, r.nullable})
        connect(c, &QCheckBox::toggled, this, rowChanged);
}

void FieldTableEditor::removeRow(int row)
{
    // The view deletes cell widgets later; until then their names would shadow the renumbered rows'.
    for (int c = 0; c < ColumnCount; ++c) {
        if (QWidget *cell = m_table->cellWidget(row, c)) {
            cell->setObjectName(QString());
            for (QWidget *child : cell->findChildren<QWidget *>())
                child->setObjectName(QString());
        }
    }
    m_rows.removeAt(row);
    m_table->removeRow(row);
}

FieldTableEditor::RowState FieldTableEditor::rowState(int row) const
{
    const Row &r = m_rows.at(row);
    RowState s;
    FieldSchema &f = s.field;
    f.name = r.name->text().trimmed();
    f.type = comboType(r.type);
    f.description = r.description->text();
    f.isPrimaryKey = r.primaryKey->isChecked();
    f.autoId = r.autoId->isChecked();
    f.isPartitionKey = r.partitionKey->isChecked();
    f.nullable = r.nullable->isChecked();
    if (!r.dim->isHidden())
        f.typeParams.insert(kDim, r.dim->text().trimmed());
    if (f.type == DataType::Array) {
        f.elementType = comboType(r.elementType);
        f.typeParams.insert(kMaxCapacity, r.capacity->text().trimmed());
    }
    if (!r.maxLength->isHidden())
        f.typeParams.insert(kMaxLength, r.maxLength->text().trimmed());
    // Parameters left empty are not sent; the validator reports them as missing.
    for (auto it = f.typeParams.begin(); it != f.typeParams.end();)
        it = it.value().isEmpty() ? f.typeParams.erase(it) : std::next(it);
    // Enabled relative to the editor only: while the dialog is busy everything is disabled, and the
    // request built then must still carry the defaults.
    if (r.defaultValue->isEnabledTo(this)) {
        s.defaultText = r.defaultValue->text();
        f.defaultValue = SchemaValidator::parseDefaultValue(s.defaultText, f, nullptr);
    }
    return s;
}

void FieldTableEditor::setRowState(int row, const RowState &s)
{
    const bool outer = m_updating;
    m_updating = true;
    const Row &r = m_rows.at(row);
    const FieldSchema &f = s.field;
    r.name->setText(f.name);
    setComboType(r.type, f.type);
    setComboType(r.elementType, f.elementType == DataType::None ? DataType::Int64 : f.elementType);
    r.dim->setText(f.typeParams.value(kDim));
    r.capacity->setText(f.typeParams.value(kMaxCapacity));
    r.maxLength->setText(f.typeParams.value(kMaxLength));
    // Flags in dependency order: updateRow() clears the ones a later flag rules out.
    r.primaryKey->setChecked(f.isPrimaryKey);
    r.autoId->setChecked(f.autoId);
    r.partitionKey->setChecked(f.isPartitionKey);
    r.nullable->setChecked(f.nullable);
    r.defaultValue->setText(s.defaultText);
    r.description->setText(f.description);
    updateRow(row);
    m_updating = outer;
}

void FieldTableEditor::updateRow(int row)
{
    const Row &r = m_rows.at(row);
    const DataType type = comboType(r.type);
    const bool isArray = type == DataType::Array;
    const bool varChar =
        type == DataType::VarChar || (isArray && comboType(r.elementType) == DataType::VarChar);
    const bool dim = SchemaValidator::needsDim(type);

    r.dimLabel->setVisible(dim);
    r.dim->setVisible(dim);
    for (QWidget *w : {static_cast<QWidget *>(r.elementLabel), static_cast<QWidget *>(r.elementType),
                       static_cast<QWidget *>(r.capacityLabel), static_cast<QWidget *>(r.capacity)})
        w->setVisible(isArray);
    r.maxLengthLabel->setVisible(varChar);
    r.maxLength->setVisible(varChar);

    const auto allow = [](QCheckBox *box, bool allowed) {
        if (!allowed && box->isChecked())
            box->setChecked(false);
        box->setEnabled(allowed);
    };
    allow(r.primaryKey, SchemaValidator::canBePrimaryKey(type));
    const bool pk = r.primaryKey->isChecked();
    allow(r.autoId, pk);
    // What the server lacks stays enabled only while set (so it can be cleared); it is never cleared here.
    const auto allowOnServer = [](QCheckBox *box, const QString &lacks) {
        box->setToolTip(lacks);
        if (!lacks.isEmpty())
            box->setEnabled(box->isChecked());
    };
    allow(r.partitionKey, SchemaValidator::canBePartitionKey(type) && !pk);
    allowOnServer(r.partitionKey, m_caps.lacks(ServerCapabilities::Feature::PartitionKey));
    allow(r.nullable, SchemaValidator::canBeNullable(type) && !pk && !r.partitionKey->isChecked());
    const QString noNullable = m_caps.lacks(ServerCapabilities::Feature::NullableAndDefault);
    allowOnServer(r.nullable, noNullable);
    const bool canDefault = SchemaValidator::canHaveDefault(type) && !pk &&
                            (noNullable.isEmpty() || !r.defaultValue->text().isEmpty());
    r.defaultValue->setToolTip(noNullable);
    if (!canDefault && !r.defaultValue->text().isEmpty())
        r.defaultValue->clear();
    r.defaultValue->setEnabled(canDefault);
    r.defaultValue->setPlaceholderText(!canDefault                 ? QString()
                                       : type == DataType::Bool    ? tr("true / false")
                                       : type == DataType::VarChar ? tr("text")
                                                                   : tr("number"));
}

void FieldTableEditor::fillMissingParams(int row)
{
    // A type chosen by the user starts with a usable parameter instead of an error. Only on a type
    // change: a parameter the user cleared stays cleared (and gets its message).
    const Row &r = m_rows.at(row);
    const bool outer = m_updating;
    m_updating = true;
    if (!r.dim->isHidden() && r.dim->text().isEmpty())
        r.dim->setText(QString::number(kDefaultDim));
    if (!r.maxLength->isHidden() && r.maxLength->text().isEmpty())
        r.maxLength->setText(QString::number(kDefaultMaxLength));
    if (!r.capacity->isHidden() && r.capacity->text().isEmpty())
        r.capacity->setText(QString::number(kDefaultCapacity));
    m_updating = outer;
}

QList<QWidget *> FieldTableEditor::editors(const Row &r)
{
    return {r.name,       r.type,   r.dim,          r.elementType, r.capacity,     r.maxLength,
            r.primaryKey, r.autoId, r.partitionKey, r.nullable,    r.defaultValue, r.description};
}

void FieldTableEditor::renumber()
{
    const auto name = [](QWidget *w, const char *kind, int row) {
        w->setObjectName(QStringLiteral("%1_%2").arg(QLatin1String(kind)).arg(row));
    };
    for (int i = 0; i < rowCount(); ++i) {
        const Row &r = m_rows.at(i);
        name(r.name, "fieldName", i);
        name(r.type, "fieldType", i);
        name(r.dim, "fieldDim", i);
        name(r.elementType, "fieldElementType", i);
        name(r.capacity, "fieldMaxCapacity", i);
        name(r.maxLength, "fieldMaxLength", i);
        name(r.primaryKey, "fieldPrimaryKey", i);
        name(r.autoId, "fieldAutoId", i);
        name(r.partitionKey, "fieldPartitionKey", i);
        name(r.nullable, "fieldNullable", i);
        name(r.defaultValue, "fieldDefault", i);
        name(r.description, "fieldDescription", i);
        // Screen readers get the row and column, which the table's own cells no longer say.
        const QString n = tr("field %1").arg(i + 1);
        r.name->setAccessibleName(tr("Name of %1").arg(n));
        r.type->setAccessibleName(tr("Type of %1").arg(n));
        r.dim->setAccessibleName(tr("Dimension of %1").arg(n));
        r.elementType->setAccessibleName(tr("Element type of %1").arg(n));
        r.capacity->setAccessibleName(tr("Max capacity of %1").arg(n));
        r.maxLength->setAccessibleName(tr("Max length of %1").arg(n));
        r.primaryKey->setAccessibleName(tr("%1 is the primary key").arg(n));
        r.autoId->setAccessibleName(tr("%1 has auto ID").arg(n));
        r.partitionKey->setAccessibleName(tr("%1 is the partition key").arg(n));
        r.nullable->setAccessibleName(tr("%1 is nullable").arg(n));
        r.defaultValue->setAccessibleName(tr("Default of %1").arg(n));
        r.description->setAccessibleName(tr("Description of %1").arg(n));
    }
    setProblems({});
}

int FieldTableEditor::rowOf(const QWidget *widget) const
{
    if (!widget)
        return -1;
    for (int i = 0; i < rowCount(); ++i)
        for (int c = 0; c < ColumnCount; ++c)
            if (QWidget *cell = m_table->cellWidget(i, c);
                cell && (cell == widget || cell->isAncestorOf(widget)))
                return i;
    return -1;
}

FieldTableEditor::Column FieldTableEditor::columnOf(int row, const QWidget *widget) const
{
    for (int c = 0; c < ColumnCount; ++c)
        if (QWidget *cell = m_table->cellWidget(row, c);
            widget && cell && (cell == widget || cell->isAncestorOf(widget)))
            return Column(c);
    return NameColumn;
}

bool FieldTableEditor::eventFilter(QObject *watched, QEvent *event)
{
    // The row being edited is the current row, so that Remove and Move act on what has the focus.
    if (event->type() == QEvent::FocusIn) {
        auto *w = qobject_cast<QWidget *>(watched);
        if (const int row = rowOf(w); row >= 0) {
            if (row != currentRow())
                m_table->selectRow(row);
            // Tabbing into a row below the visible ones must bring it into view.
            m_table->scrollTo(m_table->model()->index(row, columnOf(row, w)));
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FieldTableEditor::emitChanged()
{
    if (!m_updating)
        emit changed();
}

} // namespace mx
