#pragma once

#include "ActionDialog.h"
#include "IndexCatalog.h"
#include "MilvusRequests.h"
#include "ServerCapabilities.h"

#include <QMap>

class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;

namespace mx {

class ValidationLabel;

// Creates an index on one field of a collection: the field, the index types and metrics Milvus accepts
// for its type, the type's build parameters with their defaults and ranges, an optional index name.
// Fields that already have an index are listed but cannot be chosen. Builds a CreateIndexRequest; the
// caller runs it (see ActionDialog).
// Widgets: fieldCombo, indexTypeCombo, indexNote, liteNote, metricCombo, metricLabel, paramsBox,
// param_<key> (e.g. param_M, param_efConstruction: QSpinBox / QDoubleSpinBox / QCheckBox / QComboBox /
// QLineEdit by kind), noParamsLabel, indexNameEdit, indexNameError, formError.
class CreateIndexDialog : public ActionDialog
{
    Q_OBJECT
public:
    CreateIndexDialog(const QString &collection, const CollectionSchema &schema,
                      const QStringList &indexedFields = {}, QWidget *parent = nullptr);

    // Shows what Milvus Lite does differently (it builds HNSW for AUTOINDEX, ignores some parameters and
    // cannot build every type).
    void setMilvusLite(bool lite);
    // The index types the server builds (and, for Milvus Lite, what it does differently).
    void setCapabilities(const ServerCapabilities &caps);
    void setDatabaseName(const QString &database);
    // Selects a field by name (ignored when it is unknown or already indexed).
    void setField(const QString &fieldName);
    CreateIndexRequest request() const;
    QStringList problems() const { return m_problems; }

private:
    const FieldSchema *currentField() const;
    void fieldChanged();
    void indexTypeChanged();
    void rebuildParams();
    void revalidate();
    void rebuildTabOrder();

    QString m_collection;
    QString m_database;
    CollectionSchema m_schema;
    QStringList m_indexedFields;
    bool m_lite = false;
    ServerCapabilities m_caps;
    QComboBox *m_field = nullptr;
    QComboBox *m_indexType = nullptr;
    QLabel *m_indexNote = nullptr;
    QLabel *m_liteNote = nullptr;
    QLabel *m_metricLabel = nullptr;
    QComboBox *m_metric = nullptr;
    QGroupBox *m_paramsBox = nullptr;
    QFormLayout *m_paramsForm = nullptr;
    QList<IndexParamSpec> m_paramSpecs;
    QMap<QString, QWidget *> m_paramEditors;
    QLineEdit *m_indexName = nullptr;
    ValidationLabel *m_indexNameError = nullptr;
    ValidationLabel *m_formError = nullptr;
    QStringList m_problems;
};

} // namespace mx
