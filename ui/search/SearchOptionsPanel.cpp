#include "SearchOptionsPanel.h"

#include "FilterLineEdit.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace mx {

SearchOptionsPanel::SearchOptionsPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("searchOptionsPanel"));
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("resultModeCombo"));
    for (auto mode : {ResultMode::Similarity, ResultMode::WithScore, ResultMode::Mmr, ResultMode::Metadata,
                      ResultMode::PrimaryKeys})
        m_mode->addItem(resultModeName(mode), int(mode));
    m_mode->setCurrentIndex(int(ResultMode::WithScore));
    form->addRow(tr("Mode"), m_mode);

    // Milvus caps offset + limit at 16384.
    auto *kRow = new QHBoxLayout;
    m_topK = new QSpinBox(this);
    m_topK->setObjectName(QStringLiteral("topKSpin"));
    m_topK->setRange(1, 16384);
    m_topK->setValue(10);
    kRow->addWidget(m_topK, 1);
    auto *offsetLabel = new QLabel(tr("Offset"), this);
    kRow->addWidget(offsetLabel);
    m_offset = new QSpinBox(this);
    m_offset->setObjectName(QStringLiteral("offsetSpin"));
    m_offset->setRange(0, 16383);
    offsetLabel->setBuddy(m_offset);
    kRow->addWidget(m_offset, 1);
    m_topKLabel = new QLabel(tr("k"), this);
    form->addRow(m_topKLabel, kRow);

    auto *mmrRow = new QHBoxLayout;
    m_fetchK = new QSpinBox(this);
    m_fetchK->setObjectName(QStringLiteral("fetchKSpin"));
    m_fetchK->setRange(1, 16384);
    m_fetchK->setValue(20);
    m_fetchK->setToolTip(tr("Candidates fetched before MMR re-ranks them down to k"));
    mmrRow->addWidget(m_fetchK, 1);
    m_lambdaLabel = new QLabel(tr("λ"), this);
    m_lambdaLabel->setToolTip(tr("lambda_mult: 0 = most diverse, 1 = most similar"));
    mmrRow->addWidget(m_lambdaLabel);
    m_lambda = new QDoubleSpinBox(this);
    m_lambda->setObjectName(QStringLiteral("lambdaSpin"));
    m_lambda->setRange(0.0, 1.0);
    m_lambda->setSingleStep(0.1);
    m_lambda->setDecimals(2);
    m_lambda->setValue(0.5);
    m_lambda->setToolTip(m_lambdaLabel->toolTip());
    mmrRow->addWidget(m_lambda, 1);
    m_fetchKLabel = new QLabel(tr("fetch_k"), this);
    form->addRow(m_fetchKLabel, mmrRow);

    m_params = new QLineEdit(this);
    m_params->setObjectName(QStringLiteral("searchParamsEdit"));
    m_params->setPlaceholderText(tr("{\"ef\": 64} or {\"nprobe\": 16}"));
    m_params->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_params->setToolTip(tr("Index search parameters as a JSON object (empty: the index's defaults)"));
    m_paramsLabel = new QLabel(tr("Params"), this);
    form->addRow(m_paramsLabel, m_params);

    m_filter = new FilterLineEdit(this);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("e.g. score > 2 and meta[\"category\"] == \"a\""));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Boolean filter expression; field names complete as you type"));
    form->addRow(tr("Filter"), m_filter);

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        updateForMode();
        emit resultModeChanged(resultMode());
    });
    updateForMode();
}

ResultMode SearchOptionsPanel::resultMode() const
{
    return ResultMode(m_mode->currentData().toInt());
}

void SearchOptionsPanel::setResultMode(ResultMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

void SearchOptionsPanel::updateForMode()
{
    const ResultMode mode = resultMode();
    const bool mmr = mode == ResultMode::Mmr;
    const bool filterOnly = !needsQueryVectors(mode);
    m_fetchKLabel->setEnabled(mmr);
    m_fetchK->setEnabled(mmr);
    m_lambdaLabel->setEnabled(mmr);
    m_lambda->setEnabled(mmr);
    m_paramsLabel->setEnabled(!filterOnly);
    m_params->setEnabled(!filterOnly);
    m_topKLabel->setText(filterOnly ? tr("Limit") : tr("k"));
}

void SearchOptionsPanel::fillSpec(SearchSpec &spec) const
{
    spec.resultMode = resultMode();
    spec.topK = m_topK->value();
    spec.offset = m_offset->value();
    spec.fetchK = m_fetchK->value();
    spec.lambdaMult = m_lambda->value();
    spec.searchParams = m_params->text();
    spec.filter = m_filter->text();
}

void SearchOptionsPanel::applySpec(const SearchSpec &spec)
{
    setResultMode(spec.resultMode);
    m_topK->setValue(spec.topK);
    m_offset->setValue(int(spec.offset));
    m_fetchK->setValue(spec.fetchK);
    m_lambda->setValue(spec.lambdaMult);
    m_params->setText(spec.searchParams);
    m_filter->setText(spec.filter);
}

void SearchOptionsPanel::setFieldNames(const QStringList &names)
{
    m_filter->setFieldNames(names);
}

} // namespace mx
