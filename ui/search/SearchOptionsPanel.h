#pragma once

#include "SearchSpec.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace mx {

class FilterLineEdit;

// How to search: the result mode, k (the limit of filter-only modes), offset, MMR's fetch_k and lambda,
// the index search parameters (JSON) and the filter expression (with field-name completion).
class SearchOptionsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SearchOptionsPanel(QWidget *parent = nullptr);

    ResultMode resultMode() const;
    void setResultMode(ResultMode mode);
    void fillSpec(SearchSpec &spec) const;
    void applySpec(const SearchSpec &spec);
    void setFieldNames(const QStringList &names);
    FilterLineEdit *filterEdit() const { return m_filter; }

signals:
    void resultModeChanged(ResultMode mode);

private:
    void updateForMode();

    QComboBox *m_mode;
    QLabel *m_topKLabel;
    QSpinBox *m_topK;
    QSpinBox *m_offset;
    QLabel *m_fetchKLabel;
    QSpinBox *m_fetchK;
    QLabel *m_lambdaLabel;
    QDoubleSpinBox *m_lambda;
    QLabel *m_paramsLabel;
    QLineEdit *m_params;
    FilterLineEdit *m_filter;
};

} // namespace mx
