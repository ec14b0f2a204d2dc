#include "CreateCollectionDialog.h"

#include "FieldTableEditor.h"
#include "MilvusNames.h"
#include "ValidationLabel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace mx {

namespace {

constexpr int kMaxListedProblems = 6;

FieldSchema makeField(const QString &name, DataType type, const QString &param = {}, int value = 0)
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    if (!param.isEmpty())
        f.typeParams.insert(param, QString::number(value));
    return f;
}

FieldSchema autoIdPrimaryKey(const QString &name)
{
    FieldSchema f = makeField(name, DataType::Int64);
    f.isPrimaryKey = true;
    f.autoId = true;
    return f;
}

// The dim of the first float vector field, so that switching presets keeps the user's model dimension.
int currentDim(const QList<FieldSchema> &fields)
{
    for (const FieldSchema &f : fields)
        if (f.type == DataType::FloatVector && f.dim() > 0)
            return f.dim();
    return FieldTableEditor::kDefaultDim;
}

QList<FieldSchema> quickSetupFields(int dim)
{
    return {autoIdPrimaryKey(QStringLiteral("id")),
            makeField(QStringLiteral("vector"), DataType::FloatVector, QStringLiteral("dim"), dim)};
}

QList<FieldSchema> langchainFields(int dim)
{
    return {autoIdPrimaryKey(QStringLiteral("pk")),
            makeField(QStringLiteral("text"), DataType::VarChar, QStringLiteral("max_length"),
                      SchemaValidator::kMaxVarCharLength),
            makeField(QStringLiteral("vector"), DataType::FloatVector, QStringLiteral("dim"), dim)};
}

} // namespace

CreateCollectionDialog::CreateCollectionDialog(QWidget *parent)
    : ActionDialog(Style::Normal, parent)
{
    setObjectName(QStringLiteral("createCollectionDialog"));
    setWindowTitle(tr("Create collection"));
    setOkText(tr("Create"));
    setBusyText(tr("Creating the collection…"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    auto *nameBox = new QWidget(content());
    auto *nameLayout = new QVBoxLayout(nameBox);
    nameLayout->setContentsMargins(0, 0, 0, 0);
    nameLayout->setSpacing(2);
    m_name = new QLineEdit(nameBox);
    m_name->setObjectName(QStringLiteral("collectionNameEdit"));
    m_name->setPlaceholderText(tr("e.g. articles"));
    m_name->setMaxLength(kMaxMilvusNameLength + 1);
    m_nameError = new ValidationLabel(QStringLiteral("collectionNameError"), nameBox);
    nameLayout->addWidget(m_name);
    nameLayout->addWidget(m_nameError);
    auto *nameLabel = new QLabel(tr("Collection &name:"), content());
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, nameBox);

    m_description = new QLineEdit(content());
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_description->setPlaceholderText(tr("optional"));
    auto *descriptionLabel = new QLabel(tr("&Description:"), content());
    descriptionLabel->setBuddy(m_description);
    form->addRow(descriptionLabel, m_description);

    auto *presets = new QHBoxLayout;
    auto *quick = new QPushButton(tr("&Quick setup"), content());
    quick->setObjectName(QStringLiteral("quickSetupButton"));
    quick->setToolTip(
        tr("id Int64 primary key with auto ID, vector FloatVector(768) and the dynamic field, as "
           "Milvus's quick setup creates them"));
    auto *langchain = new QPushButton(tr("&langchain-milvus layout"), content());
    langchain->setObjectName(QStringLiteral("langchainButton"));
    langchain->setToolTip(
        tr("pk Int64 primary key with auto ID, text VarChar(65535) and vector FloatVector, "
           "the fields langchain-milvus reads and writes; metadata goes to the dynamic field"));
    for (QPushButton *b : {quick, langchain}) {
        b->setAutoDefault(false);
        presets->addWidget(b);
    }
    m_presetButtons[0] = quick;
    m_presetButtons[1] = langchain;
    auto *presetHint = new QLabel(tr("replaces the fields below"), content());
    presetHint->setEnabled(false); // the disabled palette is the platform's "secondary text"
    presets->addWidget(presetHint);
    presets->addStretch(1);
    form->addRow(tr("Start from:"), presets);
    contentLayout()->addLayout(form);

    auto *fieldsLabel = new QLabel(tr("<b>Fields</b>"), content());
    contentLayout()->addWidget(fieldsLabel);
    m_fields = new FieldTableEditor(content());
    m_fields->setObjectName(QStringLiteral("fieldEditor"));
    contentLayout()->addWidget(m_fields, 1);
    m_schemaErrors = new ValidationLabel(QStringLiteral("schemaErrors"), content());
    contentLayout()->addWidget(m_schemaErrors);

    auto *options = new QHBoxLayout;
    m_dynamic = new QCheckBox(tr("Enable d&ynamic field"), content());
    m_dynamic->setObjectName(QStringLiteral("dynamicFieldCheck"));
    m_dynamic->setToolTip(
        tr("Rows may carry keys that are not in the schema; Milvus keeps them in a hidden JSON "
           "field ($meta)"));
    options->addWidget(m_dynamic);
    options->addSpacing(16);
    auto *consistencyLabel = new QLabel(tr("&Consistency:"), content());
    m_consistency = new QComboBox(content());
    m_consistency->setObjectName(QStringLiteral("consistencyCombo"));
    for (ConsistencyLevel level : {ConsistencyLevel::Strong, ConsistencyLevel::Session,
                                   ConsistencyLevel::Bounded, ConsistencyLevel::Eventually})
        m_consistency->addItem(consistencyLevelName(level), int(level));
    m_consistency->setCurrentIndex(m_consistency->findData(int(ConsistencyLevel::Bounded)));
    m_consistency->setToolTip(
        tr("How fresh searches and queries are by default. Bounded (Milvus's default) may "
           "miss writes of the last few seconds; Strong sees every write but waits"));
    consistencyLabel->setBuddy(m_consistency);
    options->addWidget(consistencyLabel);
    options->addWidget(m_consistency);
    options->addSpacing(16);
    m_partitionsLabel = new QLabel(tr("&Partitions:"), content());
    m_partitionsLabel->setObjectName(QStringLiteral("partitionsLabel"));
    m_partitions = new QSpinBox(content());
    m_partitions->setObjectName(QStringLiteral("partitionsSpin"));
    m_partitions->setRange(1, SchemaValidator::kMaxPartitions);
    m_partitions->setValue(16); // Milvus's default for partition-key collections
    m_partitions->setToolTip(tr("Number of partitions the partition key spreads rows over"));
    m_partitionsLabel->setBuddy(m_partitions);
    options->addWidget(m_partitionsLabel);
    options->addWidget(m_partitions);
    options->addStretch(1);
    contentLayout()->addLayout(options);

    connect(m_name, &QLineEdit::textEdited, this, [this] { m_name->setProperty("touched", true); });
    connect(m_name, &QLineEdit::textChanged, this, &CreateCollectionDialog::revalidate);
    connect(m_fields, &FieldTableEditor::changed, this, &CreateCollectionDialog::revalidate);
    connect(m_fields, &FieldTableEditor::rowsChanged, this, &CreateCollectionDialog::rebuildTabOrder);
    connect(m_partitions, &QSpinBox::valueChanged, this, &CreateCollectionDialog::revalidate);
    connect(quick, &QPushButton::clicked, this, &CreateCollectionDialog::applyQuickSetup);
    connect(langchain, &QPushButton::clicked, this, &CreateCollectionDialog::applyLangchainLayout);

    m_fields->setFields(quickSetupFields(FieldTableEditor::kDefaultDim));
    m_dynamic->setChecked(true);
    rebuildTabOrder();
    revalidate();
    m_name->setFocus();
    resize(1240, 600);
}

void CreateCollectionDialog::setDatabaseName(const QString &database)
{
    m_database = database;
    setWindowTitle(database.isEmpty() ? tr("Create collection")
                                      : tr("Create collection in database '%1'").arg(database));
}

void CreateCollectionDialog::setCollectionName(const QString &name)
{
    m_name->setText(name);
}

void CreateCollectionDialog::applyQuickSetup()
{
    const QList<FieldSchema> current = m_fields->fields();
    const int dim = currentDim(current);
    const QList<FieldSchema> fields = quickSetupFields(dim);
    // Only a schema the user built by hand is worth a question; switching between presets is not.
    if (current != fields && current != langchainFields(dim) &&
        QMessageBox::question(this, tr("Replace fields"),
                              tr("Replace the %n field(s) with the quick setup layout?", nullptr,
                                 int(current.size()))) != QMessageBox::Yes)
        return;
    m_fields->setFields(fields);
    m_dynamic->setChecked(true);
    m_fields->setCurrentRow(1, FieldTableEditor::ParamsColumn); // the dim is what the user still has to set
    revalidate();
}

void CreateCollectionDialog::applyLangchainLayout()
{
    const QList<FieldSchema> current = m_fields->fields();
    const int dim = currentDim(current);
    const QList<FieldSchema> fields = langchainFields(dim);
    if (current != fields && current != quickSetupFields(dim) &&
        QMessageBox::question(this, tr("Replace fields"),
                              tr("Replace the %n field(s) with the langchain-milvus layout?", nullptr,
                                 int(current.size()))) != QMessageBox::Yes)
        return;
    m_fields->setFields(fields);
    m_dynamic->setChecked(true);
    m_fields->setCurrentRow(2, FieldTableEditor::ParamsColumn);
    revalidate();
}

void CreateCollectionDialog::setRequest(const CreateCollectionRequest &r)
{
    m_name->setText(r.collection);
    m_description->setText(r.schema.description);
    m_fields->setFields(r.schema.fields);
    m_dynamic->setChecked(r.schema.enableDynamicField);
    m_consistency->setCurrentIndex(qMax(0, m_consistency->findData(int(r.consistency))));
    if (r.numPartitions > 0)
        m_partitions->setValue(int(r.numPartitions));
    if (!r.options.dbName.isEmpty())
        setDatabaseName(r.options.dbName);
    revalidate();
}

void CreateCollectionDialog::setCapabilities(const ServerCapabilities &capabilities)
{
    m_fields->setCapabilities(capabilities);
    revalidate();
}

CreateCollectionRequest CreateCollectionDialog::request() const
{
    CreateCollectionRequest r;
    r.collection = m_name->text().trimmed();
    r.schema.name = r.collection;
    r.schema.description = m_description->text().trimmed();
    r.schema.fields = m_fields->fields();
    r.schema.enableDynamicField = m_dynamic->isChecked();
    bool partitionKey = false;
    for (const FieldSchema &f : std::as_const(r.schema.fields)) {
        if (f.isPrimaryKey)
            r.schema.autoId = f.autoId; // the legacy collection-level flag older servers read
        partitionKey = partitionKey || f.isPartitionKey;
    }
    r.consistency = ConsistencyLevel(m_consistency->currentData().toInt());
    r.numPartitions = partitionKey ? m_partitions->value() : 0;
    r.options.dbName = m_database;
    return r;
}

QStringList CreateCollectionDialog::problems() const
{
    return m_problems;
}

void CreateCollectionDialog::revalidate()
{
    const CreateCollectionRequest r = request();
    const QString nameProblem = milvusNameProblem(r.collection, tr("collection"));
    // "Enter a name" before the user typed anything would greet them with an error.
    m_nameError->setMessage(r.collection.isEmpty() && !m_name->property("touched").toBool() ? QString()
                                                                                            : nameProblem);

    QList<SchemaProblem> problems = m_fields->inputProblems() + SchemaValidator::validate(r);
    std::stable_sort(problems.begin(), problems.end(), [](const SchemaProblem &a, const SchemaProblem &b) {
        return (a.field < 0 ? INT_MAX : a.field) < (b.field < 0 ? INT_MAX : b.field);
    });
    m_fields->setProblems(problems);
    QStringList lines;
    for (const SchemaProblem &p : std::as_const(problems))
        lines.append(p.message);
    if (lines.size() > kMaxListedProblems) {
        const qsizetype more = lines.size() - (kMaxListedProblems - 1);
        lines = lines.mid(0, kMaxListedProblems - 1);
        lines.append(tr("… and %n more (hover the marked rows).", nullptr, int(more)));
    }
    m_schemaErrors->setMessage(lines.join(QLatin1Char('\n')));

    m_problems.clear();
    if (!nameProblem.isEmpty())
        m_problems.append(nameProblem);
    for (const SchemaProblem &p : std::as_const(problems))
        m_problems.append(p.message);

    m_partitions->setEnabled(r.numPartitions > 0);
    m_partitionsLabel->setEnabled(r.numPartitions > 0);
    setInputValid(m_problems.isEmpty());
    okButton()->setToolTip(m_problems.value(0));
}

void CreateCollectionDialog::rebuildTabOrder()
{
    QList<QWidget *> chain{m_name, m_description, m_presetButtons[0], m_presetButtons[1]};
    chain += m_fields->tabChain();
    chain += {m_dynamic, m_consistency, m_partitions, okButton(), cancelButton()};
    for (qsizetype i = 0; i + 1 < chain.size(); ++i)
        setTabOrder(chain.at(i), chain.at(i + 1));
}

} // namespace mx
