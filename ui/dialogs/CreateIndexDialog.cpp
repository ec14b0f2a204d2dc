#include "CreateIndexDialog.h"

#include "MilvusNames.h"
#include "ValidationLabel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>

namespace mx {

namespace {

QString fieldTitle(const FieldSchema &f)
{
    QString type = dataTypeName(f.type);
    if (f.type == DataType::Array)
        type += QStringLiteral("<%1>").arg(dataTypeName(f.elementType));
    else if (f.dim() > 0)
        type += QStringLiteral("(%1)").arg(f.dim());
    else if (f.type == DataType::VarChar && f.maxLength() > 0)
        type += QStringLiteral("(%1)").arg(f.maxLength());
    return QStringLiteral("%1 · %2").arg(f.name, type);
}

QString rangeText(const IndexParamSpec &spec)
{
    switch (spec.kind) {
    case IndexParamSpec::Kind::Int:
        return QObject::tr("%1–%2, default %3")
            .arg(spec.minimum)
            .arg(spec.maximum)
            .arg(spec.defaultValue.toInt());
    case IndexParamSpec::Kind::Double:
        return QObject::tr("%1–%2, default %3")
            .arg(spec.minimum)
            .arg(spec.maximum)
            .arg(spec.defaultValue.toDouble());
    default:
        return {};
    }
}

} // namespace

CreateIndexDialog::CreateIndexDialog(const QString &collection, const CollectionSchema &schema,
                                     const QStringList &indexedFields, QWidget *parent)
    : ActionDialog(Style::Normal, parent)
    , m_collection(collection)
    , m_schema(schema)
    , m_indexedFields(indexedFields)
{
    setObjectName(QStringLiteral("createIndexDialog"));
    setWindowTitle(tr("Create index on '%1'").arg(collection));
    setOkText(tr("Create index"));
    setBusyText(tr("Creating the index…"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_field = new QComboBox(content());
    m_field->setObjectName(QStringLiteral("fieldCombo"));
    auto *model = qobject_cast<QStandardItemModel *>(m_field->model());
    int firstFree = -1;
    int firstFreeVector = -1;
    for (const FieldSchema &f : std::as_const(m_schema.fields)) {
        if (f.isDynamic || IndexCatalog::indexTypes(f, m_caps).isEmpty())
            continue;
        const bool indexed = m_indexedFields.contains(f.name);
        m_field->addItem(indexed ? tr("%1 (has an index)").arg(fieldTitle(f)) : fieldTitle(f), f.name);
        const int row = m_field->count() - 1;
        if (indexed) {
            // Milvus keeps one index per field; listing the field still tells the user why it is missing.
            model->item(row)->setEnabled(false);
            continue;
        }
        if (firstFree < 0)
            firstFree = row;
        if (firstFreeVector < 0 && isVectorType(f.type))
            firstFreeVector = row;
    }
    auto *fieldLabel = new QLabel(tr("&Field:"), content());
    fieldLabel->setBuddy(m_field);
    form->addRow(fieldLabel, m_field);

    auto *typeBox = new QWidget(content());
    auto *typeLayout = new QVBoxLayout(typeBox);
    typeLayout->setContentsMargins(0, 0, 0, 0);
    typeLayout->setSpacing(2);
    m_indexType = new QComboBox(typeBox);
    m_indexType->setObjectName(QStringLiteral("indexTypeCombo"));
    m_indexNote = new QLabel(typeBox);
    m_indexNote->setObjectName(QStringLiteral("indexNote"));
    m_indexNote->setWordWrap(true);
    m_indexNote->setEnabled(false); // secondary text
    m_liteNote = new QLabel(typeBox);
    m_liteNote->setObjectName(QStringLiteral("liteNote"));
    m_liteNote->setWordWrap(true);
    m_liteNote->setVisible(false);
    typeLayout->addWidget(m_indexType);
    typeLayout->addWidget(m_indexNote);
    typeLayout->addWidget(m_liteNote);
    auto *typeLabel = new QLabel(tr("Index &type:"), content());
    typeLabel->setBuddy(m_indexType);
    form->addRow(typeLabel, typeBox);

    m_metric = new QComboBox(content());
    m_metric->setObjectName(QStringLiteral("metricCombo"));
    m_metricLabel = new QLabel(tr("&Metric:"), content());
    m_metricLabel->setObjectName(QStringLiteral("metricLabel"));
    m_metricLabel->setBuddy(m_metric);
    form->addRow(m_metricLabel, m_metric);
    auto *nameBox = new QWidget(content());
    auto *nameLayout = new QVBoxLayout(nameBox);
    nameLayout->setContentsMargins(0, 0, 0, 0);
    nameLayout->setSpacing(2);
    m_indexName = new QLineEdit(nameBox);
    m_indexName->setObjectName(QStringLiteral("indexNameEdit"));
    m_indexName->setMaxLength(kMaxMilvusNameLength + 1);
    m_indexNameError = new ValidationLabel(QStringLiteral("indexNameError"), nameBox);
    nameLayout->addWidget(m_indexName);
    nameLayout->addWidget(m_indexNameError);
    auto *nameLabel = new QLabel(tr("Index &name:"), content());
    nameLabel->setBuddy(m_indexName);
    form->addRow(nameLabel, nameBox);
    contentLayout()->addLayout(form);

    m_paramsBox = new QGroupBox(tr("Build parameters"), content());
    m_paramsBox->setObjectName(QStringLiteral("paramsBox"));
    m_paramsForm = new QFormLayout(m_paramsBox);
    m_paramsForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    contentLayout()->addWidget(m_paramsBox);

    m_formError = new ValidationLabel(QStringLiteral("formError"), content());
    contentLayout()->addWidget(m_formError);
    contentLayout()->addStretch(1);

    connect(m_field, &QComboBox::currentIndexChanged, this, &CreateIndexDialog::fieldChanged);
    connect(m_indexType, &QComboBox::currentIndexChanged, this, &CreateIndexDialog::indexTypeChanged);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &CreateIndexDialog::revalidate);
    connect(m_indexName, &QLineEdit::textChanged, this, &CreateIndexDialog::revalidate);

    // Vectors first: an unindexed vector field is what keeps a collection from loading.
    const int initial = firstFreeVector >= 0 ? firstFreeVector : firstFree;
    if (initial >= 0 && initial != m_field->currentIndex())
        m_field->setCurrentIndex(initial); // fieldChanged() follows
    else
        fieldChanged();
    m_field->setFocus();
    fitToContents(600);
}

void CreateIndexDialog::setMilvusLite(bool lite)
{
    m_lite = lite;
    indexTypeChanged();
}

void CreateIndexDialog::setCapabilities(const ServerCapabilities &caps)
{
    m_caps = caps;
    m_lite = caps.isMilvusLite();
    fieldChanged();
}

void CreateIndexDialog::setDatabaseName(const QString &database)
{
    m_database = database;
}

void CreateIndexDialog::setField(const QString &fieldName)
{
    const int i = m_field->findData(fieldName);
    auto *model = qobject_cast<QStandardItemModel *>(m_field->model());
    if (i >= 0 && model->item(i)->isEnabled())
        m_field->setCurrentIndex(i);
}

const FieldSchema *CreateIndexDialog::currentField() const
{
    const int i = m_field->currentIndex();
    if (i < 0)
        return nullptr;
    auto *model = qobject_cast<QStandardItemModel *>(m_field->model());
    if (!model->item(i)->isEnabled())
        return nullptr;
    return m_schema.field(m_field->currentData().toString());
}

void CreateIndexDialog::fieldChanged()
{
    const FieldSchema *f = currentField();
    m_indexName->setPlaceholderText(f ? tr("optional; the server names it after the field (%1)").arg(f->name)
                                      : QString());
    {
        const QSignalBlocker block(m_indexType);
        m_indexType->clear();
        if (f)
            m_indexType->addItems(IndexCatalog::indexTypes(*f, m_caps));
    }
    const QStringList metrics = f ? IndexCatalog::metricTypes(f->type) : QStringList();
    {
        const QSignalBlocker block(m_metric);
        m_metric->clear();
        m_metric->addItems(metrics);
        m_metric->setCurrentIndex(
            qMax(0, metrics.indexOf(IndexCatalog::defaultMetric(f ? f->type : DataType::None))));
    }
    // Scalar indexes have no metric: hide the row rather than show an empty combo.
    m_metric->setVisible(!metrics.isEmpty());
    m_metricLabel->setVisible(!metrics.isEmpty());
    m_metric->setEnabled(metrics.size() > 1);
    indexTypeChanged();
}

void CreateIndexDialog::indexTypeChanged()
{
    const FieldSchema *f = currentField();
    const QString type = m_indexType->currentText();
    m_indexNote->setText(IndexCatalog::summary(type));
    m_indexNote->setVisible(!m_indexNote->text().isEmpty());
    QString lite;
    if (m_lite && f) {
        if (!IndexCatalog::builtByMilvusLite(type, f->type))
            lite = tr("Milvus Lite cannot build %1 on a %2 field: it accepts the index, then fails to load "
                      "the collection.")
                       .arg(type, dataTypeName(f->type));
        else if (type == QLatin1String("AUTOINDEX"))
            lite = tr("Milvus Lite builds HNSW for AUTOINDEX.");
        else if (!IndexCatalog::buildParams(type, *f).isEmpty())
            lite = tr("Milvus Lite ignores some of these parameters.");
    }
    m_liteNote->setText(lite);
    m_liteNote->setVisible(!lite.isEmpty());
    rebuildParams();
    revalidate();
    fitToContents(width()); // notes and parameter rows come and go
}

void CreateIndexDialog::rebuildParams()
{
    while (m_paramsForm->rowCount() > 0)
        m_paramsForm->removeRow(0);
    m_paramEditors.clear();
    const FieldSchema *f = currentField();
    m_paramSpecs = f ? IndexCatalog::buildParams(m_indexType->currentText(), *f) : QList<IndexParamSpec>();
    if (m_paramSpecs.isEmpty()) {
        auto *none = new QLabel(f ? tr("%1 has no build parameters.").arg(m_indexType->currentText())
                                  : tr("Choose a field."),
                                m_paramsBox);
        none->setObjectName(QStringLiteral("noParamsLabel"));
        none->setEnabled(false);
        m_paramsForm->addRow(none);
    }
    for (const IndexParamSpec &spec : std::as_const(m_paramSpecs)) {
        QWidget *editor = nullptr;
        switch (spec.kind) {
        case IndexParamSpec::Kind::Int: {
            auto *spin = new QSpinBox(m_paramsBox);
            spin->setRange(int(spec.minimum), int(spec.maximum));
            spin->setValue(spec.defaultValue.toInt());
            connect(spin, &QSpinBox::valueChanged, this, &CreateIndexDialog::revalidate);
            editor = spin;
            break;
        }
        case IndexParamSpec::Kind::Double: {
            auto *spin = new QDoubleSpinBox(m_paramsBox);
            spin->setDecimals(2);
            spin->setSingleStep(0.05);
            spin->setRange(spec.minimum, spec.maximum);
            spin->setValue(spec.defaultValue.toDouble());
            editor = spin;
            break;
        }
        case IndexParamSpec::Kind::Bool: {
            auto *box = new QCheckBox(m_paramsBox);
            box->setChecked(spec.defaultValue.toBool());
            editor = box;
            break;
        }
        case IndexParamSpec::Kind::Choice: {
            auto *combo = new QComboBox(m_paramsBox);
            combo->addItems(spec.choices);
            combo->setCurrentText(spec.defaultValue.toString());
            editor = combo;
            break;
        }
        case IndexParamSpec::Kind::Text: {
            auto *edit = new QLineEdit(spec.defaultValue.toString(), m_paramsBox);
            connect(edit, &QLineEdit::textChanged, this, &CreateIndexDialog::revalidate);
            editor = edit;
            break;
        }
        }
        editor->setObjectName(QStringLiteral("param_%1").arg(spec.key));
        editor->setToolTip(spec.help);
        editor->setAccessibleName(spec.key);
        auto *row = new QWidget(m_paramsBox);
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(editor, spec.kind == IndexParamSpec::Kind::Text ? 1 : 0);
        const QString range = rangeText(spec);
        auto *hint = new QLabel(range.isEmpty() ? spec.help : range, row);
        hint->setEnabled(false);
        hint->setToolTip(spec.help);
        h->addWidget(hint, 1);
        auto *label = new QLabel(spec.key + QLatin1Char(':'), m_paramsBox);
        label->setBuddy(editor);
        m_paramsForm->addRow(label, row);
        m_paramEditors.insert(spec.key, editor);
    }
    rebuildTabOrder();
}

CreateIndexRequest CreateIndexDialog::request() const
{
    CreateIndexRequest r;
    r.collection = m_collection;
    r.options.dbName = m_database;
    const FieldSchema *f = currentField();
    if (!f)
        return r;
    r.fieldName = f->name;
    r.indexName = m_indexName->text().trimmed();
    r.indexType = m_indexType->currentText();
    r.metricType = m_metric->isHidden() ? QString() : m_metric->currentText(); // scalar indexes have none
    for (const IndexParamSpec &spec : m_paramSpecs) {
        QWidget *w = m_paramEditors.value(spec.key);
        switch (spec.kind) {
        case IndexParamSpec::Kind::Int:
            r.params.insert(spec.key, static_cast<QSpinBox *>(w)->value());
            break;
        case IndexParamSpec::Kind::Double:
            r.params.insert(spec.key, static_cast<QDoubleSpinBox *>(w)->value());
            break;
        case IndexParamSpec::Kind::Bool:
            r.params.insert(spec.key, static_cast<QCheckBox *>(w)->isChecked());
            break;
        case IndexParamSpec::Kind::Choice:
            r.params.insert(spec.key, static_cast<QComboBox *>(w)->currentText());
            break;
        case IndexParamSpec::Kind::Text:
            r.params.insert(spec.key, static_cast<QLineEdit *>(w)->text().trimmed());
            break;
        }
    }
    return r;
}

void CreateIndexDialog::revalidate()
{
    m_problems.clear();
    const FieldSchema *f = currentField();
    const QString name = m_indexName->text().trimmed();
    const QString nameProblem = name.isEmpty() ? QString() : milvusNameProblem(name, tr("index"));
    m_indexNameError->setMessage(nameProblem);
    if (!nameProblem.isEmpty())
        m_problems.append(nameProblem);

    QString formProblem;
    if (!f) {
        formProblem = m_field->count() == 0 ? tr("This collection has no field that can be indexed.")
                                            : tr("Every field of this collection already has an index.");
    } else if (m_indexType->currentText() == QLatin1String("IVF_PQ")) {
        const int m = static_cast<QSpinBox *>(m_paramEditors.value(QStringLiteral("m")))->value();
        if (f->dim() > 0 && f->dim() % m != 0)
            formProblem = tr("m must divide the dimension of '%1' (%2); %3 does not.")
                              .arg(f->name)
                              .arg(f->dim())
                              .arg(m);
    } else if (auto *path = qobject_cast<QLineEdit *>(m_paramEditors.value(QStringLiteral("json_path")));
               path && path->text().trimmed().isEmpty()) {
        formProblem = tr("Enter the JSON path to index, e.g. %1[\"category\"].").arg(f->name);
    }
    m_formError->setMessage(formProblem);
    if (!formProblem.isEmpty())
        m_problems.append(formProblem);
    setInputValid(m_problems.isEmpty());
    okButton()->setToolTip(m_problems.value(0));
}

void CreateIndexDialog::rebuildTabOrder()
{
    QList<QWidget *> chain{m_field, m_indexType, m_metric, m_indexName};
    for (const IndexParamSpec &spec : std::as_const(m_paramSpecs))
        chain.append(m_paramEditors.value(spec.key));
    chain += {okButton(), cancelButton()};
    for (qsizetype i = 0; i + 1 < chain.size(); ++i)
        setTabOrder(chain.at(i), chain.at(i + 1));
}

} // namespace mx
