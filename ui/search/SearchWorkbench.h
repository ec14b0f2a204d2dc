#pragma once

#include "MilvusError.h"
#include "SearchResultExporter.h"
#include "SearchService.h"
#include "SearchSpec.h"

#include <QFuture>
#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;

namespace mx {

class EmbeddingProvider;
class EmbeddingProviderPanel;
class MilvusClient;
class QueryInputPanel;
class SearchHistoryPanel;
class SearchHistoryStore;
class SearchOptionsPanel;
class SearchResultModel;
class SearchResultsPanel;
class SearchTargetPanel;
class CancelToken;
class SecretStore;

// The query workbench: pick a collection and its vector field, query by text (embedded through the chosen
// provider), by pasted vector(s), by an existing entity's vector, or with a file of queries (nq > 1); search
// with or without scores, with MMR, or run a filter-only metadata / primary-key query; see the hits with
// their distance, relevance and fields, the latency split (embedding vs Milvus), export them; history per
// collection and saved searches. Ctrl+Enter runs, Esc cancels. It only collects input and renders: each run
// is one SearchService call whose outcome or typed error lands back on the GUI thread through
// .then(this, ...); a new run or Esc cancels the one in flight through its cancel token. Nothing here
// waits on the network or the disk; errors are shown inline, in full.
class SearchWorkbench : public QWidget
{
    Q_OBJECT
public:
    // `secrets` keeps the HTTP provider's API key (may be null: the key then lives for the session only).
    SearchWorkbench(std::shared_ptr<MilvusClient> client, SecretStore *secrets, QWidget *parent = nullptr);
    ~SearchWorkbench() override;

    void setClient(std::shared_ptr<MilvusClient> client);
    // Selects the collection (listing the database's collections first); empty: the first one.
    void setCollection(const QString &database, const QString &collection);

    SearchSpec currentSpec() const;
    void applySpec(const SearchSpec &spec);

    // Writes the current results (CSV, or JSON for a .json name) on a pool thread; the future fails with a
    // MilvusException when the file cannot be written.
    QFuture<void> exportTo(const QString &path,
                           SearchResultExporter::Format format = SearchResultExporter::Format::Auto);

    SearchResultModel *resultModel() const { return m_model; }
    bool isRunning() const;
    QString errorText() const;
    QString statusText() const;

public slots:
    void run();
    void cancel();
    void reload(); // lists the collections and reads the schema again

signals:
    void runningChanged(bool running);
    void searchFinished();
    void searchFailed(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildUi();
    void startRun(SearchRunRequest request);
    bool dropRun();  // forgets and cancels the run in flight; false when there was none
    void showIdle(); // busy indicator off, cancel disabled, runningChanged(false)
    void onFinished(const SearchOutcome &outcome);
    void onFailed(const MilvusError &error);
    void showError(const QString &message, const QString &detail = {});
    void clearError();
    void askExport();
    void askSave();
    std::shared_ptr<EmbeddingProvider> providerFor(int dimension);

    std::shared_ptr<MilvusClient> m_client;
    SecretStore *m_secrets;
    SearchService m_service;
    std::shared_ptr<CancelToken> m_runToken; // of the run in flight; null when idle
    SearchResultModel *m_model;
    SearchHistoryStore *m_history;

    SearchTargetPanel *m_target = nullptr;
    SearchOptionsPanel *m_options = nullptr;
    EmbeddingProviderPanel *m_provider = nullptr;
    QueryInputPanel *m_query = nullptr;
    SearchResultsPanel *m_results = nullptr;
    SearchHistoryPanel *m_historyPanel = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_error = nullptr;

    std::shared_ptr<EmbeddingProvider> m_cachedProvider; // reused while the settings and key stay the same
    QString m_cachedProviderKey;
};

} // namespace mx
