#pragma once

#include "SearchSpec.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;

namespace mx {

// Where the query vectors come from: a text to embed, a pasted JSON vector (or array of vectors), the id
// of an entity whose stored vector is the query, or a JSON-lines file of texts and vectors (nq > 1).
class QueryInputPanel : public QWidget
{
    Q_OBJECT
public:
    explicit QueryInputPanel(QWidget *parent = nullptr);

    QueryInputMode mode() const;
    void setMode(QueryInputMode mode);
    void fillSpec(SearchSpec &spec) const;
    void applySpec(const SearchSpec &spec);

    // The field the vectors must fit, shown as a hint.
    void setVectorField(const QString &field, int dimension);
    // Filter-only result modes take no query: the editors are disabled with a note.
    void setQueryNeeded(bool needed);
    // The editors, for the workbench's Ctrl+Enter handling.
    QList<QWidget *> editors() const;

private:
    void browseFile();

    QTabWidget *m_tabs;
    QPlainTextEdit *m_text;
    QPlainTextEdit *m_vector;
    QLabel *m_vectorHint;
    QLineEdit *m_entityId;
    QLineEdit *m_file;
    QLabel *m_notNeeded;
};

} // namespace mx
