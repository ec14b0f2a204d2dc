#pragma once

#include "EmbeddingProvider.h"
#include "LoadTestConfig.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace mx {

// The load-test settings: operation (or a weighted mix), mode, count or duration, warm-up, batch, k,
// filter, search parameters (JSON), output fields, read consistency, recall@k, concurrency, rate,
// repeats, embedding provider and its limit on requests in flight (0: none), the scratch prefix, and
// target (a scratch collection, or a user collection picked explicitly, read-only unless writes are
// confirmed separately). Produces the same LoadTestPlan the CLI builds from its flags. GUI thread only.
class LoadTestConfigForm : public QWidget
{
    Q_OBJECT
public:
    explicit LoadTestConfigForm(QWidget *parent = nullptr);

    // The plan for the current settings; check plan.validate() before running it.
    LoadTestPlan plan() const;
    // The chosen provider; nullptr with *error when it cannot be made (e.g. an HTTP URL is missing).
    // `planInFlight`: the most the plan puts in flight, what "no limit" on HTTP requests becomes.
    std::shared_ptr<EmbeddingProvider> makeEmbedder(QString *error, int planInFlight = 1) const;
    // Empty when the settings make sense; else what is wrong (e.g. search parameters that are not JSON).
    QString settingsProblem() const;
    int repeats() const;
    // The form's read, search, limit and prefix settings applied to a preset's plan (its warm-up when
    // the form sets one); a faithful preset keeps langchain's output fields unless the form names some.
    void applyCommonSettings(LoadTestPlan &plan) const;
    qint64 warmupOps() const;      // 0: none set
    int embeddingInFlight() const; // 0: no limit
    void setCollections(const QStringList &names);
    // Programmatic settings (tests, presets); the UI asks for confirmation before allowing writes.
    void setOperation(OpKind op);
    void setMode(LoadMode mode);
    void setCount(qint64 count);
    void setDurationMs(qint64 ms);
    void setConcurrency(int c);
    void setRate(double rate);
    void setChannels(int n);
    void setRepeats(int r);
    void setUserCollection(const QString &name, bool allowWrites);

private:
    void updateEnabled();
    void confirmWrites(bool checked);

    QComboBox *m_op;
    QLineEdit *m_mix;
    QComboBox *m_mode;
    QSpinBox *m_count;
    QSpinBox *m_durationS;
    QSpinBox *m_warmup;
    QSpinBox *m_concurrency;
    QDoubleSpinBox *m_rate;
    QSpinBox *m_channels;
    QSpinBox *m_batch;
    QSpinBox *m_k;
    QLineEdit *m_filter;
    QLineEdit *m_searchParams;
    QLineEdit *m_outputFields;
    QComboBox *m_consistency;
    QCheckBox *m_recall;
    QCheckBox *m_randomVectors;
    QSpinBox *m_embeddingInFlight;
    QLineEdit *m_scratchPrefix;
    QSpinBox *m_repeats;
    QComboBox *m_embedder;
    QSpinBox *m_dimension;
    QLineEdit *m_embeddingUrl;
    QLineEdit *m_embeddingModel;
    QLineEdit *m_embeddingKey;
    QRadioButton *m_scratch;
    QRadioButton *m_user;
    QComboBox *m_collection;
    QCheckBox *m_allowWrites;
};

} // namespace mx
