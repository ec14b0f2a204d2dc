#include "QueryInputPanel.h"

#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace mx {

namespace {
QWidget *page(QTabWidget *tabs, QWidget *editor, QWidget *below = nullptr)
{
    auto *w = new QWidget(tabs);
    auto *l = new QVBoxLayout(w);
    l->setContentsMargins(4, 4, 4, 4);
    l->addWidget(editor);
    if (below)
        l->addWidget(below);
    return w;
}

QPlainTextEdit *editor(const QString &objectName, const QString &placeholder, QWidget *parent)
{
    auto *e = new QPlainTextEdit(parent);
    e->setObjectName(objectName);
    e->setPlaceholderText(placeholder);
    e->setTabChangesFocus(true);
    e->setFixedHeight(e->fontMetrics().lineSpacing() * 3 + 14);
    return e;
}
} // namespace

QueryInputPanel::QueryInputPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("queryInputPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("queryTabs"));
    m_tabs->setDocumentMode(true);

    m_text = editor(
        QStringLiteral("queryTextEdit"),
        tr("Text to search for; it is embedded with the provider chosen on the left (Ctrl+Enter runs)"),
        m_tabs);
    m_tabs->addTab(page(m_tabs, m_text), tr("Text"));

    m_vector = editor(QStringLiteral("vectorEdit"),
                      tr("A JSON array [0.12, -0.4, …], or an array of arrays for several queries"), m_tabs);
    m_vector->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_vectorHint = new QLabel(m_tabs);
    m_vectorHint->setObjectName(QStringLiteral("vectorHint"));
    m_tabs->addTab(page(m_tabs, m_vector, m_vectorHint), tr("Vector"));

    m_entityId = new QLineEdit(m_tabs);
    m_entityId->setObjectName(QStringLiteral("entityIdEdit"));
    m_entityId->setPlaceholderText(tr("Primary key of an entity: its stored vector becomes the query"));
    auto *idPage = page(m_tabs, m_entityId);
    static_cast<QVBoxLayout *>(idPage->layout())->addStretch();
    m_tabs->addTab(idPage, tr("Entity id"));

    auto *fileRow = new QWidget(m_tabs);
    auto *fl = new QHBoxLayout(fileRow);
    fl->setContentsMargins(0, 0, 0, 0);
    m_file = new QLineEdit(fileRow);
    m_file->setObjectName(QStringLiteral("queryFileEdit"));
    m_file->setPlaceholderText(tr("JSON lines: one text (\"…\") or vector ([…]) per line, nq = lines"));
    fl->addWidget(m_file, 1);
    auto *browse = new QToolButton(fileRow);
    browse->setObjectName(QStringLiteral("browseQueryFileButton"));
    browse->setText(tr("Browse…"));
    connect(browse, &QToolButton::clicked, this, &QueryInputPanel::browseFile);
    fl->addWidget(browse);
    auto *filePage = page(m_tabs, fileRow);
    static_cast<QVBoxLayout *>(filePage->layout())->addStretch();
    m_tabs->addTab(filePage, tr("Queries file"));

    layout->addWidget(m_tabs);
    m_notNeeded = new QLabel(tr("This mode runs the filter only; no query vector is used."), this);
    m_notNeeded->setObjectName(QStringLiteral("queryNotNeededLabel"));
    m_notNeeded->setEnabled(false);
    m_notNeeded->hide();
    layout->addWidget(m_notNeeded);
}

QueryInputMode QueryInputPanel::mode() const
{
    return QueryInputMode(m_tabs->currentIndex());
}

void QueryInputPanel::setMode(QueryInputMode mode)
{
    m_tabs->setCurrentIndex(int(mode));
}

void QueryInputPanel::fillSpec(SearchSpec &spec) const
{
    spec.inputMode = mode();
    spec.queryText = m_text->toPlainText();
    spec.vectorJson = m_vector->toPlainText();
    spec.entityId = m_entityId->text();
    spec.filePath = m_file->text();
}

void QueryInputPanel::applySpec(const SearchSpec &spec)
{
    setMode(spec.inputMode);
    m_text->setPlainText(spec.queryText);
    m_vector->setPlainText(spec.vectorJson);
    m_entityId->setText(spec.entityId);
    m_file->setText(spec.filePath);
}

void QueryInputPanel::setVectorField(const QString &field, int dimension)
{
    m_vectorHint->setText(
        field.isEmpty() ? QString() : tr("Field %1 takes vectors of dimension %2").arg(field).arg(dimension));
}

void QueryInputPanel::setQueryNeeded(bool needed)
{
    m_tabs->setEnabled(needed);
    m_notNeeded->setVisible(!needed);
}

QList<QWidget *> QueryInputPanel::editors() const
{
    return {m_text, m_vector, m_entityId, m_file};
}

void QueryInputPanel::browseFile()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Queries file"), m_file->text(),
                                     tr("JSON lines (*.jsonl *.ndjson *.json *.txt);;All files (*)"));
    if (!path.isEmpty())
        m_file->setText(path);
}

} // namespace mx
