#pragma once

#include "ServerCapabilities.h"

#include "SchemaValidator.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace mx {

// The field table of the schema editor: one row per field with an editor in every cell (name, type,
// the type's parameters, primary / auto_id / partition key / nullable flags, default, description) and
// buttons to add, remove and move rows. Cells that do not apply to a row's type are disabled. Cell
// editors are named `<kind>_<row>` (fieldName_0, fieldType_0, fieldDim_0, fieldMaxLength_0,
// fieldElementType_0, fieldMaxCapacity_0, fieldPrimaryKey_0, fieldAutoId_0, fieldPartitionKey_0,
// fieldNullable_0, fieldDefault_0, fieldDescription_0) and renamed when rows move.
class FieldTableEditor : public QWidget
{
    Q_OBJECT
public:
    enum Column
    {
        NameColumn,
        TypeColumn,
        ParamsColumn,
        PrimaryKeyColumn,
        AutoIdColumn,
        PartitionKeyColumn,
        NullableColumn,
        DefaultColumn,
        DescriptionColumn,
        ColumnCount
    };

    // The types offered for a field, in menu order.
    static QList<DataType> fieldTypes();
    static QList<DataType> arrayElementTypes();
    static constexpr int kDefaultDim = 768;
    static constexpr int kDefaultMaxLength = 512;
    static constexpr int kDefaultCapacity = 64;

    explicit FieldTableEditor(QWidget *parent = nullptr);

    // What the target server supports: types and flags it lacks are disabled with the reason, and a
    // field that asks for one anyway (e.g. from a preset) is reported by inputProblems() rather than
    // silently changed.
    void setCapabilities(const ServerCapabilities &capabilities);

    int rowCount() const;
    int currentRow() const;
    // Selects the row and gives focus to its editor in `column`.
    void setCurrentRow(int row, Column column = NameColumn);

    // The fields as typed. Numeric type parameters are the typed text (SchemaValidator checks them);
    // defaults are parsed, and a default that does not parse is left out and reported by inputProblems().
    QList<FieldSchema> fields() const;
    QList<SchemaProblem> inputProblems() const;
    void setFields(const QList<FieldSchema> &fields);

    // Marks the rows that have problems (icon and tooltip in the row header).
    void setProblems(const QList<SchemaProblem> &problems);

    // The focusable editors, row by row, for the dialog's tab chain.
    QList<QWidget *> tabChain() const;
    QWidget *cellEditor(int row, Column column) const;

public slots:
    void addField();
    void removeCurrentField();
    void moveCurrentUp();
    void moveCurrentDown();

signals:
    void changed();
    // Rows were added or removed: the tab chain changed.
    void rowsChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyTypeCapabilities(QComboBox *combo) const;

    ServerCapabilities m_caps;
    struct Row
    {
        QLineEdit *name = nullptr;
        QComboBox *type = nullptr;
        QLabel *dimLabel = nullptr;
        QLineEdit *dim = nullptr;
        QLabel *elementLabel = nullptr;
        QComboBox *elementType = nullptr;
        QLabel *capacityLabel = nullptr;
        QLineEdit *capacity = nullptr;
        QLabel *maxLengthLabel = nullptr;
        QLineEdit *maxLength = nullptr;
        QCheckBox *primaryKey = nullptr;
        QCheckBox *autoId = nullptr;
        QCheckBox *partitionKey = nullptr;
        QCheckBox *nullable = nullptr;
        QLineEdit *defaultValue = nullptr;
        QLineEdit *description = nullptr;
    };
    // What a row holds, so that moving a row is swapping two states rather than rebuilding widgets.
    struct RowState
    {
        FieldSchema field;
        QString defaultText;
    };

    void appendRow();
    void removeRow(int row);
    RowState rowState(int row) const;
    void setRowState(int row, const RowState &state);
    void updateRow(int row);
    void fillMissingParams(int row);
    static QList<QWidget *> editors(const Row &r);
    void renumber();
    int rowOf(const QWidget *widget) const;
    Column columnOf(int row, const QWidget *widget) const;
    void moveCurrent(int delta);
    void emitChanged();

    QTableWidget *m_table = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QList<Row> m_rows;
    bool m_updating = false; // set while a row is filled programmatically: one changed() at the end
};

} // namespace mx
