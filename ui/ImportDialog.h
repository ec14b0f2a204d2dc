#pragma once

#include "MilvusTypes.h"

#include <QDialog>
#include <QMap>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QTableWidget;

namespace mx {

// Before inserting a CSV or JSON file: shows the file's columns (read off the GUI thread) and lets the
// user map each to a field of the collection, the dynamic field, or nothing; plus whether to continue
// past bad rows. Columns are matched by name by default.
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    ImportDialog(const QString &path, const CollectionSchema &schema, QWidget *parent = nullptr);

    // source column -> field ("" = ignore); only columns whose target differs from their own name.
    QMap<QString, QString> mapping() const;
    bool continuePastErrors() const;
    QStringList sourceColumns() const { return m_columns; }

signals:
    void columnsRead(); // the file's columns are shown (or the reason they are not)

private:
    void readColumns(const QString &path, QDialogButtonBox *buttons);
    void showColumns(const QStringList &columns, const QString &error);

    CollectionSchema m_schema;
    QStringList m_columns;
    QLabel *m_info;
    QTableWidget *m_table;
    QCheckBox *m_continue;
};

// The columns of a data file: the CSV header, or the keys of the first JSON objects (up to 200 rows),
// in order of appearance. Blocking; run it off the GUI thread. Throws MilvusException on a bad file.
QStringList readDataFileColumns(const QString &path);

} // namespace mx
