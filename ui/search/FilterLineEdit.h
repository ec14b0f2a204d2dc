#pragma once

#include <QLineEdit>

class QCompleter;
class QStringListModel;

namespace mx {

// A line edit for Milvus boolean expressions that completes field names at the word under the cursor (a
// plain QCompleter would only complete the whole line, i.e. the first word).
class FilterLineEdit : public QLineEdit
{
    Q_OBJECT
public:
    explicit FilterLineEdit(QWidget *parent = nullptr);

    void setFieldNames(const QStringList &names);
    QStringList fieldNames() const;
    QCompleter *fieldCompleter() const { return m_completer; }

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void updateCompletion();
    void insertCompletion(const QString &name);
    // Start and length of the identifier that ends at the cursor.
    QPair<int, int> wordAtCursor() const;

    QCompleter *m_completer;
    QStringListModel *m_names;
};

} // namespace mx
