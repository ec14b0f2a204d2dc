#include "WelcomePanel.h"

#include "CancelToken.h"
#include "EmbeddingSettings.h"
#include "MilvusError.h"
#include "SampleDataset.h"
#include "SecretStore.h"
#include "Session.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

namespace mx {

namespace {
const QString kDismissedKey = QStringLiteral("welcome/dismissed");
const QString kSampleName = QStringLiteral("sample_documents");
} // namespace

bool WelcomePanel::isDismissed()
{
    return QSettings().value(kDismissedKey, false).toBool();
}

void WelcomePanel::setDismissed(bool dismissed)
{
    QSettings().setValue(kDismissedKey, dismissed);
}

WelcomePanel::WelcomePanel(Session *session, SecretStore *secrets, QWidget *parent)
    : QFrame(parent)
    , m_session(session)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("welcomePanel"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(16, 12, 12, 14);

    auto *header = new QHBoxLayout;
    m_title =
        new QLabel(tr("<b>Welcome to Milvus Explorer</b> — no collections here yet. A first step:"), this);
    m_title->setObjectName(QStringLiteral("welcomeTitle"));
    m_title->setWordWrap(true);
    header->addWidget(m_title, 1);
    auto *close = new QPushButton(tr("&Dismiss"), this);
    close->setObjectName(QStringLiteral("welcomeDismiss"));
    close->setToolTip(tr("Hide this and do not show it again (Help → Welcome brings it back)"));
    close->setFlat(true);
    header->addWidget(close, 0, Qt::AlignTop);
    outer->addLayout(header);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(12);
    grid->setColumnStretch(1, 1);
    int row = 0;
    const auto step = [&](const QString &name, const QString &label, const QString &text) {
        auto *button = new QPushButton(label, this);
        button->setObjectName(name);
        button->setMinimumWidth(220);
        auto *explain = new QLabel(text, this);
        explain->setWordWrap(true);
        explain->setBuddy(button);
        grid->addWidget(button, row, 0);
        grid->addWidget(explain, row, 1);
        ++row;
        return button;
    };
    auto *create =
        step(QStringLiteral("welcomeCreate"), tr("&Create a collection…"),
             tr("Define its fields, vector type and index in the schema editor (presets included)."));
    m_sampleButton =
        step(QStringLiteral("welcomeSample"), tr("&Load the sample dataset"),
             tr("The langchain-milvus tutorial's 200 documents, embedded by the search workbench's "
                "provider, into a new collection '%1'. Any schema gets generated rows from its "
                "Data tab (Sample data).")
                 .arg(kSampleName));
    auto *search = step(QStringLiteral("welcomeSearch"), tr("Open the &search workbench"),
                        tr("Search by text, vector or entity id, with filters; on the sample dataset once "
                           "it is loaded."));
    auto *tutorial = step(QStringLiteral("welcomeTutorial"), tr("Run the &tutorial preset"),
                          tr("Sync vs async add, search and delete in the load-test panel, on scratch "
                             "collections it creates and drops."));
    outer->addLayout(grid);

    auto *statusRow = new QHBoxLayout;
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("welcomeStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    statusRow->addWidget(m_status, 1);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("welcomeCancel"));
    m_cancelButton->hide();
    statusRow->addWidget(m_cancelButton);
    outer->addLayout(statusRow);

    connect(create, &QPushButton::clicked, this, &WelcomePanel::createCollectionRequested);
    connect(m_sampleButton, &QPushButton::clicked, this, &WelcomePanel::loadSample);
    connect(search, &QPushButton::clicked, this, [this] { emit searchRequested(m_database, m_sample); });
    connect(tutorial, &QPushButton::clicked, this, &WelcomePanel::tutorialRequested);
    connect(m_cancelButton, &QPushButton::clicked, this, [this] {
        if (m_cancel)
            m_cancel->cancel();
    });
    connect(close, &QPushButton::clicked, this, [this] {
        setDismissed(true);
        hide();
        emit dismissed();
    });
}

WelcomePanel::~WelcomePanel()
{
    if (m_cancel)
        m_cancel->cancel(); // the load finishes on the pool; its continuation is dropped with this
}

QString WelcomePanel::sampleCollection() const
{
    return m_sample;
}

void WelcomePanel::setBusy(bool busy)
{
    m_sampleButton->setEnabled(!busy);
    m_cancelButton->setVisible(busy);
}

void WelcomePanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("QLabel { color: #b3261e; }") : QString());
    m_status->setVisible(!text.isEmpty());
}

void WelcomePanel::loadSample()
{
    if (!m_session->client()) {
        setStatus(tr("Connect to a server first (File → Connect…)."), true);
        return;
    }
    const EmbeddingSettings settings = EmbeddingSettings::load();
    setBusy(true);
    setStatus(tr("Embedding 200 documents and loading them into '%1'…").arg(kSampleName));
    m_cancel = CancelToken::create();
    // The HTTP provider's key lives in the keychain; the local provider needs none.
    QFuture<QString> key = settings.kind == EmbeddingSettings::Kind::OpenAiHttp && m_secrets
                               ? m_secrets->read(settings.secretKey())
                               : QtFuture::makeReadyFuture(QString());
    key.then(this,
             [this, settings](const QString &apiKey) {
                 SampleDatasetRequest req;
                 req.collection = kSampleName;
                 req.options.dbName = m_database;
                 req.options.cancel = m_cancel;
                 auto provider = settings.createProvider(384, apiKey); // 384: the local provider's width
                 return loadSampleDataset(m_session->client(), provider, req);
             })
        .unwrap()
        .then(this,
              [this](const SampleDatasetResult &r) {
                  setBusy(false);
                  m_sample = r.collection;
                  m_title->setText(
                      tr("<b>Welcome to Milvus Explorer</b> — the sample dataset is ready. Next:"));
                  setStatus(tr("Loaded %1 documents (%2-dimensional vectors) into '%3'. Open the search "
                               "workbench to query them.")
                                .arg(r.rows)
                                .arg(r.dimension)
                                .arg(r.collection));
                  emit sampleLoaded(m_database, r.collection);
              })
        .onFailed(this, [this](const MilvusException &e) {
            setBusy(false);
            setStatus(e.error().kind == ErrorKind::Cancelled ? tr("Cancelled.") : e.error().message(),
                      e.error().kind != ErrorKind::Cancelled);
        });
}

} // namespace mx
