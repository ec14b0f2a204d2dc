#include "EmbeddingProviderPanel.h"

#include "SecretStore.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace mx {

EmbeddingProviderPanel::EmbeddingProviderPanel(SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("embeddingProviderPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("providerCombo"));
    m_kind->addItem(tr("Local lexical (hashed n-grams) — not semantic"),
                    int(EmbeddingSettings::Kind::LocalLexical));
    m_kind->addItem(tr("OpenAI-compatible HTTP"), int(EmbeddingSettings::Kind::OpenAiHttp));
    layout->addWidget(m_kind);

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("providerNote"));
    m_note->setWordWrap(true);
    layout->addWidget(m_note);

    m_httpBox = new QWidget(this);
    auto *form = new QFormLayout(m_httpBox);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_baseUrl = new QLineEdit(m_httpBox);
    m_baseUrl->setObjectName(QStringLiteral("providerUrlEdit"));
    m_baseUrl->setPlaceholderText(QStringLiteral("http://localhost:11434"));
    m_baseUrl->setToolTip(tr("Server root; /v1/embeddings is appended (OpenAI, Ollama, vLLM, TEI, LM Studio, "
                             "llama.cpp)"));
    form->addRow(tr("Base URL"), m_baseUrl);
    m_model = new QLineEdit(m_httpBox);
    m_model->setObjectName(QStringLiteral("providerModelEdit"));
    form->addRow(tr("Model"), m_model);
    m_dimensions = new QSpinBox(m_httpBox);
    m_dimensions->setObjectName(QStringLiteral("providerDimensionsSpin"));
    m_dimensions->setRange(0, 65536);
    m_dimensions->setSpecialValueText(tr("model default"));
    m_dimensions->setToolTip(tr("Sent as \"dimensions\" (models that can shorten their vectors)"));
    form->addRow(tr("Dimensions"), m_dimensions);
    m_apiKey = new QLineEdit(m_httpBox);
    m_apiKey->setObjectName(QStringLiteral("apiKeyEdit"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("optional; kept in the system keychain"));
    form->addRow(tr("API key"), m_apiKey);
    m_retries = new QSpinBox(m_httpBox);
    m_retries->setObjectName(QStringLiteral("providerRetriesSpin"));
    m_retries->setRange(0, 20);
    m_retries->setToolTip(tr("Retries on 429 and 5xx, with backoff honouring Retry-After"));
    m_timeout = new QSpinBox(m_httpBox);
    m_timeout->setObjectName(QStringLiteral("providerTimeoutSpin"));
    m_timeout->setRange(1, 600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("Per HTTP request"));
    auto *row = new QHBoxLayout;
    row->addWidget(m_retries, 1);
    row->addWidget(new QLabel(tr("Timeout"), m_httpBox));
    row->addWidget(m_timeout, 1);
    form->addRow(tr("Retries"), row);
    m_keyState = new QLabel(m_httpBox);
    m_keyState->setObjectName(QStringLiteral("apiKeyState"));
    m_keyState->setWordWrap(true);
    m_keyState->setEnabled(false);
    form->addRow(m_keyState);
    layout->addWidget(m_httpBox);

    const EmbeddingSettings s = EmbeddingSettings::load();
    m_kind->setCurrentIndex(m_kind->findData(int(s.kind)));
    m_baseUrl->setText(s.baseUrl);
    m_model->setText(s.model);
    m_dimensions->setValue(s.dimensions);
    m_retries->setValue(s.maxRetries);
    m_timeout->setValue(std::max(1, s.timeoutMs / 1000));
    updateForKind();
    loadKey();

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        updateForKind();
        persist();
    });
    for (QLineEdit *e : {m_baseUrl, m_model})
        connect(e, &QLineEdit::textChanged, this, &EmbeddingProviderPanel::persist);
    connect(m_baseUrl, &QLineEdit::editingFinished, this, &EmbeddingProviderPanel::loadKey);
    for (QSpinBox *spin : {m_dimensions, m_retries, m_timeout})
        connect(spin, &QSpinBox::valueChanged, this, &EmbeddingProviderPanel::persist);
    connect(m_apiKey, &QLineEdit::textEdited, this, [this] {
        ++m_keyGeneration; // a key read still in flight must not overwrite what the user typed
        emit settingsChanged();
    });
    connect(m_apiKey, &QLineEdit::editingFinished, this, &EmbeddingProviderPanel::storeKey);
}

EmbeddingSettings EmbeddingProviderPanel::settings() const
{
    EmbeddingSettings s;
    s.kind = EmbeddingSettings::Kind(m_kind->currentData().toInt());
    s.baseUrl = m_baseUrl->text().trimmed();
    s.model = m_model->text().trimmed();
    s.dimensions = m_dimensions->value();
    s.maxRetries = m_retries->value();
    s.timeoutMs = m_timeout->value() * 1000;
    return s;
}

QString EmbeddingProviderPanel::apiKey() const
{
    return m_apiKey->text();
}

void EmbeddingProviderPanel::updateForKind()
{
    const bool http = settings().kind == EmbeddingSettings::Kind::OpenAiHttp;
    m_httpBox->setVisible(http);
    m_note->setText(http ? tr("Semantic embeddings from any server that speaks POST /v1/embeddings.")
                         : tr("Offline and deterministic: texts that share character 3- and 4-grams get "
                              "similar vectors. Lexical, not semantic: synonyms do not match. Vectors fit "
                              "the searched field's dimension."));
}

void EmbeddingProviderPanel::persist()
{
    settings().save();
    emit settingsChanged();
}

void EmbeddingProviderPanel::storeKey()
{
    const QString key = m_apiKey->text();
    if (!m_secrets) {
        m_keyState->setText(tr("No keychain: the key is kept for this session only."));
        return;
    }
    const QString entry = settings().secretKey();
    auto done = key.isEmpty() ? m_secrets->remove(entry) : m_secrets->write(entry, key);
    done.then(this, [this] {
        m_keyState->setText(m_secrets->sessionOnly()
                                ? tr("Keychain unavailable (%1): the key is kept for this session only.")
                                      .arg(m_secrets->keychainProblem())
                                : tr("The key is stored in the system keychain."));
    });
}

void EmbeddingProviderPanel::loadKey()
{
    if (!m_secrets)
        return;
    const quint64 generation = ++m_keyGeneration;
    m_secrets->read(settings().secretKey()).then(this, [this, generation](const QString &key) {
        if (generation != m_keyGeneration)
            return;
        m_apiKey->setText(key);
        emit settingsChanged();
    });
}

} // namespace mx
