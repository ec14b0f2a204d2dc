#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QTableWidget;
class QToolBar;

namespace mx {

class CollectionDetails;

// Shows one collection's schema, indexes, partitions, properties, aliases, row count and load state,
// as CollectionDetails delivers them. Read-only; the actions are buttons that emit requests.
class CollectionOverview : public QWidget
{
    Q_OBJECT
public:
    explicit CollectionOverview(CollectionDetails *details, QWidget *parent = nullptr);

    QToolBar *toolBar() const { return m_toolBar; }

public slots:
    void copyAsJson();

private:
    void rebuild();

    CollectionDetails *m_details;
    QToolBar *m_toolBar;
    QLabel *m_title;
    QLabel *m_summary;
    QLabel *m_errors;
    QProgressBar *m_loadProgress;
    QTableWidget *m_fields;
    QTableWidget *m_indexes;
    QTableWidget *m_partitions;
    QTableWidget *m_properties;
};

} // namespace mx
