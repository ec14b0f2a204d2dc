#pragma once

#include "ActionDialog.h"
#include "MilvusRequests.h"
#include "SchemaValidator.h"
#include "ServerCapabilities.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace mx {

class FieldTableEditor;
class ValidationLabel;

// The schema editor for a new collection: name, description, fields (FieldTableEditor), dynamic field,
// consistency level and, with a partition key, the number of partitions. Starts from the "Quick setup"
// layout; OK stays disabled while the name or the schema would be refused, and the reasons are listed
// under the table. Builds a CreateCollectionRequest; the caller runs it (see ActionDialog).
// Widgets: collectionNameEdit, collectionNameError, descriptionEdit, quickSetupButton,
// langchainButton, fieldEditor (+ its cell editors), schemaErrors, dynamicFieldCheck,
// consistencyCombo, partitionsSpin, partitionsLabel.
class CreateCollectionDialog : public ActionDialog
{
    Q_OBJECT
public:
    explicit CreateCollectionDialog(QWidget *parent = nullptr);

    // The database the collection goes to, only for the window title and request().options.dbName.
    void setDatabaseName(const QString &database);
    void setCollectionName(const QString &name);
    // What the target server supports (types and field flags it lacks are refused with the reason).
    void setCapabilities(const ServerCapabilities &capabilities);
    void setRequest(const CreateCollectionRequest &request);
    CreateCollectionRequest request() const;

    // Everything that keeps OK disabled, in the order shown (name first, then fields, then schema).
    QStringList problems() const;

    FieldTableEditor *fieldEditor() const { return m_fields; }

public slots:
    // id Int64 primary key with auto_id + vector FloatVector(768) + dynamic field, as Milvus's
    // create_collection(name, dimension) quick setup makes it.
    void applyQuickSetup();
    // The layout langchain-milvus creates: pk Int64 auto_id, text VarChar(65535), vector FloatVector.
    void applyLangchainLayout();

private:
    void revalidate();
    void rebuildTabOrder();

    QLineEdit *m_name = nullptr;
    ValidationLabel *m_nameError = nullptr;
    QLineEdit *m_description = nullptr;
    FieldTableEditor *m_fields = nullptr;
    ValidationLabel *m_schemaErrors = nullptr;
    QCheckBox *m_dynamic = nullptr;
    QComboBox *m_consistency = nullptr;
    QLabel *m_partitionsLabel = nullptr;
    QSpinBox *m_partitions = nullptr;
    QWidget *m_presetButtons[2] = {};
    QString m_database;
    QStringList m_problems;
};

} // namespace mx
