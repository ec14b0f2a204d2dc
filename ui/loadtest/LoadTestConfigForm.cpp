#include "LoadTestConfigForm.h"

#include "HttpEmbeddingProvider.h"
#include "LocalEmbeddingProvider.h"
#include "MilvusError.h"
#include "ScratchStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMessageBox>
#include <QRadioButton>
#include <QSpinBox>

namespace mx {

namespace {

QSpinBox *spin(int min, int max, int value, const QString &name, QWidget *parent)
{
    auto *s = new QSpinBox(parent);
    s->setRange(min, max);
    s->setValue(value);
    s->setObjectName(name);
    s->setGroupSeparatorShown(true);
    return s;
}

} // namespace

LoadTestConfigForm::LoadTestConfigForm(QWidget *parent)
    : QWidget(parent)
{
    m_op = new QComboBox(this);
    m_op->setObjectName(QStringLiteral("operation"));
    for (OpKind k : {OpKind::Add, OpKind::Search, OpKind::Delete, OpKind::Upsert, OpKind::Query, OpKind::Mix})
        m_op->addItem(opKindName(k), int(k));
    m_op->setCurrentIndex(1);
    m_mix = new QLineEdit(QStringLiteral("search:8,add:1,delete:1"), this);
    m_mix->setObjectName(QStringLiteral("mix"));
    m_mix->setToolTip(tr("Weights of a mix: op:weight, comma separated"));
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("mode"));
    m_mode->addItem(tr("sync (one at a time)"), int(LoadMode::Sync));
    m_mode->addItem(tr("async, all at once"), int(LoadMode::Async));
    m_mode->addItem(tr("async, at most C in flight"), int(LoadMode::Bounded));
    m_mode->addItem(tr("open loop at rate R"), int(LoadMode::Rate));
    m_mode->addItem(tr("sweep concurrency 1..C"), int(LoadMode::Sweep));
    m_count = spin(0, 10'000'000, 100, QStringLiteral("count"), this);
    m_count->setSpecialValueText(tr("by duration"));
    m_durationS = spin(0, 86400, 0, QStringLiteral("duration"), this);
    m_durationS->setSuffix(tr(" s"));
    m_durationS->setSpecialValueText(tr("by count"));
    m_warmup = spin(0, 1'000'000, 0, QStringLiteral("warmup"), this);
    m_warmup->setSuffix(tr(" ops"));
    m_concurrency = spin(0, 4096, 8, QStringLiteral("concurrency"), this);
    m_channels = spin(1, RunSpec::kMaxChannels, 1, QStringLiteral("channels"), this);
    m_channels->setPrefix(tr("channels "));
    m_channels->setToolTip(
        tr("gRPC channels (separate connections) the load is spread over, round-robin; 1 (the default) is "
           "one connection, as pymilvus uses. Sync runs use one. Shown in the results and the report"));
    m_rate = new QDoubleSpinBox(this);
    m_rate->setObjectName(QStringLiteral("rate"));
    m_rate->setRange(0.1, 1'000'000);
    m_rate->setValue(100);
    m_rate->setSuffix(tr(" ops/s"));
    m_batch = spin(1, 100'000, 1, QStringLiteral("batch"), this);
    m_k = spin(1, 16384, 3, QStringLiteral("k"), this);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("e.g. category == \"cat_1\""));
    m_repeats = spin(1, 1000, 3, QStringLiteral("repeats"), this);
    m_searchParams = new QLineEdit(this);
    m_searchParams->setObjectName(QStringLiteral("searchParams"));
    m_searchParams->setPlaceholderText(QStringLiteral("{\"ef\": 64}  or  {\"nprobe\": 16}"));
    m_searchParams->setToolTip(tr("Search parameters sent with every search, as JSON"));
    m_outputFields = new QLineEdit(this);
    m_outputFields->setObjectName(QStringLiteral("outputFields"));
    m_outputFields->setPlaceholderText(tr("default: text, id"));
    m_outputFields->setToolTip(tr("Output fields of searches and queries, comma separated"));
    m_consistency = new QComboBox(this);
    m_consistency->setObjectName(QStringLiteral("consistency"));
    m_consistency->addItem(tr("Session on scratch stores (default)"), QString());
    for (ConsistencyLevel l : {ConsistencyLevel::Strong, ConsistencyLevel::Session, ConsistencyLevel::Bounded,
                               ConsistencyLevel::Eventually})
        m_consistency->addItem(consistencyLevelName(l), consistencyLevelName(l));
    m_consistency->setToolTip(tr("Consistency of searches and queries; shown in the results and the report"));
    m_recall = new QCheckBox(tr("Recall@k"), this);
    m_recall->setObjectName(QStringLiteral("recall"));
    m_recall->setToolTip(
        tr("After a search run: recall against an exact (brute-force) search of the same data"));
    m_randomVectors = new QCheckBox(tr("Random vectors on a dimension mismatch"), this);
    m_randomVectors->setObjectName(QStringLiteral("randomVectors"));
    m_embeddingInFlight = spin(0, 4096, 0, QStringLiteral("embeddingInFlight"), this);
    m_embeddingInFlight->setSpecialValueText(tr("no limit"));
    m_embeddingInFlight->setPrefix(tr("in flight "));
    m_embeddingInFlight->setToolTip(
        tr("HTTP embedding requests in flight at most; no limit keeps async all at once"));
    m_scratchPrefix = new QLineEdit(ScratchStore::prefix(), this);
    m_scratchPrefix->setObjectName(QStringLiteral("scratchPrefix"));
    m_scratchPrefix->setToolTip(
        tr("Scratch collections are named with this prefix; the tool drops only the ones "
           "it created"));

    m_embedder = new QComboBox(this);
    m_embedder->setObjectName(QStringLiteral("embedder"));
    m_embedder->addItem(tr("Local (lexical, offline)"));
    m_embedder->addItem(tr("OpenAI-compatible HTTP"));
    m_dimension = spin(1, 65536, LocalEmbeddingProvider::DefaultDimension, QStringLiteral("dimension"), this);
    m_embeddingUrl = new QLineEdit(this);
    m_embeddingUrl->setPlaceholderText(QStringLiteral("http://localhost:11434"));
    m_embeddingModel = new QLineEdit(QStringLiteral("text-embedding-3-small"), this);
    m_embeddingKey = new QLineEdit(this);
    m_embeddingKey->setEchoMode(QLineEdit::Password);
    m_embeddingKey->setPlaceholderText(tr("API key (optional)"));

    m_scratch = new QRadioButton(tr("Scratch collection (prefix, dropped after):"), this);
    m_scratch->setObjectName(QStringLiteral("targetScratch"));
    m_scratch->setChecked(true);
    m_user = new QRadioButton(tr("My collection:"), this);
    m_user->setObjectName(QStringLiteral("targetUser"));
    m_collection = new QComboBox(this);
    m_collection->setObjectName(QStringLiteral("userCollection"));
    m_collection->setEditable(true);
    m_allowWrites = new QCheckBox(tr("Allow writes"), this);
    m_allowWrites->setObjectName(QStringLiteral("allowWrites"));
    m_allowWrites->setToolTip(tr("Add, delete and upsert change your collection; you are asked to confirm"));

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    auto *opRow = new QHBoxLayout;
    opRow->addWidget(m_op);
    opRow->addWidget(m_mix, 1);
    form->addRow(tr("Operation"), opRow);
    form->addRow(tr("Mode"), m_mode);
    auto *boundRow = new QHBoxLayout;
    boundRow->addWidget(m_count);
    boundRow->addWidget(m_durationS);
    form->addRow(tr("Count / duration"), boundRow);
    auto *cRow = new QHBoxLayout;
    cRow->addWidget(m_concurrency);
    cRow->addWidget(m_rate);
    cRow->addWidget(m_channels);
    form->addRow(tr("Concurrency / rate / channels"), cRow);
    auto *bRow = new QHBoxLayout;
    bRow->addWidget(m_warmup);
    bRow->addWidget(m_batch);
    bRow->addWidget(m_k);
    form->addRow(tr("Warm-up / batch / k"), bRow);
    form->addRow(tr("Filter"), m_filter);
    form->addRow(tr("Search params"), m_searchParams);
    form->addRow(tr("Output fields"), m_outputFields);
    auto *readRow = new QHBoxLayout;
    readRow->addWidget(m_consistency, 1);
    readRow->addWidget(m_recall);
    form->addRow(tr("Reads"), readRow);
    form->addRow(QString(), m_randomVectors);
    form->addRow(tr("Repeats"), m_repeats);
    auto *eRow = new QHBoxLayout;
    eRow->addWidget(m_embedder, 1);
    eRow->addWidget(m_dimension);
    eRow->addWidget(m_embeddingInFlight);
    form->addRow(tr("Embeddings"), eRow);
    form->addRow(tr("HTTP server"), m_embeddingUrl);
    auto *httpRow = new QHBoxLayout;
    httpRow->addWidget(m_embeddingModel, 1);
    httpRow->addWidget(m_embeddingKey, 1);
    form->addRow(tr("Model / key"), httpRow);
    auto *scratchRow = new QHBoxLayout;
    scratchRow->addWidget(m_scratch);
    scratchRow->addWidget(m_scratchPrefix);
    form->addRow(tr("Target"), scratchRow);
    auto *uRow = new QHBoxLayout;
    uRow->addWidget(m_user);
    uRow->addWidget(m_collection, 1);
    uRow->addWidget(m_allowWrites);
    form->addRow(QString(), uRow);

    for (auto *combo : {m_op, m_mode, m_embedder})
        connect(combo, &QComboBox::currentIndexChanged, this, &LoadTestConfigForm::updateEnabled);
    connect(m_user, &QRadioButton::toggled, this, &LoadTestConfigForm::updateEnabled);
    connect(m_allowWrites, &QCheckBox::clicked, this, &LoadTestConfigForm::confirmWrites);
    updateEnabled();
}

void LoadTestConfigForm::confirmWrites(bool checked)
{
    if (!checked)
        return;
    const auto answer = QMessageBox::warning(
        this, tr("Allow writes"),
        tr("Add, delete and upsert runs will insert and delete rows in \"%1\". Continue?")
            .arg(m_collection->currentText()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    m_allowWrites->setChecked(answer == QMessageBox::Yes);
}

void LoadTestConfigForm::updateEnabled()
{
    const auto mode = LoadMode(m_mode->currentData().toInt());
    m_mix->setVisible(OpKind(m_op->currentData().toInt()) == OpKind::Mix);
    m_rate->setEnabled(mode == LoadMode::Rate);
    m_channels->setEnabled(mode != LoadMode::Sync);
    m_concurrency->setEnabled(mode == LoadMode::Bounded || mode == LoadMode::Sweep || mode == LoadMode::Rate);
    const bool http = m_embedder->currentIndex() == 1;
    m_embeddingUrl->setEnabled(http);
    m_embeddingModel->setEnabled(http);
    m_embeddingKey->setEnabled(http);
    m_embeddingInFlight->setEnabled(http);
    m_collection->setEnabled(m_user->isChecked());
    m_allowWrites->setEnabled(m_user->isChecked());
}

LoadTestPlan LoadTestConfigForm::plan() const
{
    RunSpec s;
    s.op = OpKind(m_op->currentData().toInt());
    s.mode = LoadMode(m_mode->currentData().toInt());
    if (s.op == OpKind::Mix)
        s.mix = parseMix(m_mix->text(), nullptr);
    s.count = m_count->value();
    s.durationMs = qint64(m_durationS->value()) * 1000;
    s.concurrency = m_concurrency->value();
    if (s.mode != LoadMode::Rate && s.concurrency < 1)
        s.concurrency = 1;
    s.rate = m_rate->value();
    s.warmupOps = m_warmup->value();
    s.batch = m_batch->value();
    s.k = m_k->value();
    s.filter = m_filter->text().trimmed();
    s.sharedStore = !s.writes();

    LoadTestPlan plan;
    plan.runs = {s};
    applyCommonSettings(plan);
    s = plan.runs.first();
    plan.runs.clear();
    if (m_user->isChecked()) {
        plan.userCollection = m_collection->currentText().trimmed();
        plan.allowWrites = m_allowWrites->isChecked();
    }
    const int repeats = m_repeats->value();
    for (int r = 0; r < repeats; ++r) {
        RunSpec copy = s;
        copy.label = repeats > 1 ? QStringLiteral("%1 #%2").arg(s.describe()).arg(r + 1) : s.describe();
        plan.runs.append(copy);
    }
    return plan;
}

QString LoadTestConfigForm::settingsProblem() const
{
    const QString text = m_searchParams->text().trimmed();
    if (!text.isEmpty() && !QJsonDocument::fromJson(text.toUtf8()).isObject())
        return tr("the search parameters are not a JSON object (e.g. {\"ef\": 64})");
    return {};
}

std::shared_ptr<EmbeddingProvider> LoadTestConfigForm::makeEmbedder(QString *error, int planInFlight) const
{
    try {
        if (m_embedder->currentIndex() == 0)
            return std::make_shared<LocalEmbeddingProvider>(m_dimension->value());
        if (m_embeddingUrl->text().trimmed().isEmpty()) {
            if (error)
                *error = tr("Enter the embedding server's URL");
            return nullptr;
        }
        HttpEmbeddingProvider::Config c;
        c.baseUrl = m_embeddingUrl->text().trimmed();
        c.model = m_embeddingModel->text().trimmed();
        c.apiKey = m_embeddingKey->text();
        c.dimensions = m_dimension->value();
        // No limit: as many as the plan puts in flight (the panel's largest run), so async stays all at once.
        c.maxConcurrentRequests =
            m_embeddingInFlight->value() > 0 ? m_embeddingInFlight->value() : std::max(1, planInFlight);
        return std::make_shared<HttpEmbeddingProvider>(c);
    } catch (const MilvusException &e) {
        if (error)
            *error = e.error().message();
        return nullptr;
    }
}

void LoadTestConfigForm::applyCommonSettings(LoadTestPlan &plan) const
{
    plan.scratchPrefix = m_scratchPrefix->text().trimmed();
    plan.embeddingInFlight = m_embedder->currentIndex() == 1 ? m_embeddingInFlight->value() : 0;
    const QJsonDocument params = QJsonDocument::fromJson(m_searchParams->text().trimmed().toUtf8());
    QStringList fields;
    for (const QString &f : m_outputFields->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        fields.append(f.trimmed());
    for (RunSpec &s : plan.runs) {
        if (params.isObject())
            s.searchParams = params.object();
        if (!fields.isEmpty())
            s.outputFields = fields;
        s.consistency = consistencyFromName(m_consistency->currentData().toString());
        s.recall = m_recall->isChecked() && s.op == OpKind::Search;
        s.randomVectorsOnMismatch = m_randomVectors->isChecked();
        s.channels = m_channels->value();
    }
}

qint64 LoadTestConfigForm::warmupOps() const
{
    return m_warmup->value();
}

int LoadTestConfigForm::embeddingInFlight() const
{
    return m_embeddingInFlight->value();
}

int LoadTestConfigForm::repeats() const
{
    return m_repeats->value();
}

void LoadTestConfigForm::setCollections(const QStringList &names)
{
    const QString current = m_collection->currentText();
    m_collection->clear();
    m_collection->addItems(names);
    m_collection->setCurrentText(current);
}

void LoadTestConfigForm::setOperation(OpKind op)
{
    m_op->setCurrentIndex(m_op->findData(int(op)));
}

void LoadTestConfigForm::setMode(LoadMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

void LoadTestConfigForm::setCount(qint64 count)
{
    m_count->setValue(int(count));
}

void LoadTestConfigForm::setDurationMs(qint64 ms)
{
    m_durationS->setValue(int(ms / 1000));
}

void LoadTestConfigForm::setConcurrency(int c)
{
    m_concurrency->setValue(c);
}

void LoadTestConfigForm::setRate(double rate)
{
    m_rate->setValue(rate);
}

void LoadTestConfigForm::setChannels(int n)
{
    m_channels->setValue(n);
}

void LoadTestConfigForm::setRepeats(int r)
{
    m_repeats->setValue(r);
}

void LoadTestConfigForm::setUserCollection(const QString &name, bool allowWrites)
{
    m_user->setChecked(!name.isEmpty());
    m_scratch->setChecked(name.isEmpty());
    m_collection->setCurrentText(name);
    m_allowWrites->setChecked(allowWrites);
}

} // namespace mx
