// The schema editor driven through its widgets: defaults, a full schema typed in, every validation
// rule that keeps Create disabled, the presets, row moves, keyboard accept / cancel, the deferred
// server-error flow, and a schema built in the dialog that Milvus Lite accepts and describes back.

#include "CreateCollectionDialog.h"
#include "DialogTestUtil.h"
#include "FieldTableEditor.h"
#include "ServerCapabilities.h"
#include "TestSupport.h"

#include <QCheckBox>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTimer>

#include <functional>

namespace mx {

using test::need;
using test::retype;
using test::toggle;
using test::typeInCombo;

namespace {

QLineEdit *cellEdit(const QWidget *dlg, const char *kind, int row)
{
    return need<QLineEdit>(dlg, QStringLiteral("%1_%2").arg(QLatin1String(kind)).arg(row));
}

QCheckBox *cellCheck(const QWidget *dlg, const char *kind, int row)
{
    return need<QCheckBox>(dlg, QStringLiteral("%1_%2").arg(QLatin1String(kind)).arg(row));
}

QComboBox *cellCombo(const QWidget *dlg, const char *kind, int row)
{
    return need<QComboBox>(dlg, QStringLiteral("%1_%2").arg(QLatin1String(kind)).arg(row));
}

// Adds a field through the Add button and types its name and type; returns its row.
int addField(CreateCollectionDialog &dlg, const QString &name, const QString &typePrefix)
{
    QTest::mouseClick(need<QPushButton>(&dlg, QStringLiteral("addFieldButton")), Qt::LeftButton);
    const int row = dlg.fieldEditor()->rowCount() - 1;
    QLineEdit *nameEdit = cellEdit(&dlg, "fieldName", row);
    QTest::keyClicks(nameEdit, name);
    typeInCombo(cellCombo(&dlg, "fieldType", row), typePrefix);
    return row;
}

// Everything the dialog says is wrong, as the user sees it.
QString shownProblems(const QWidget *dlg)
{
    QStringList out;
    for (const char *name : {"collectionNameError", "schemaErrors"}) {
        auto *label = need<QLabel>(dlg, QLatin1String(name));
        if (!label->isHidden())
            out.append(label->text());
    }
    return out.join(QLatin1Char('\n'));
}

const FieldSchema *fieldNamed(const QList<FieldSchema> &fields, const QString &name)
{
    for (const FieldSchema &f : fields)
        if (f.name == name)
            return &f;
    return nullptr;
}

} // namespace

class TestCreateCollectionDialog : public QObject
{
    Q_OBJECT

    // Types the schema the end-to-end test sends: every kind of field the editor offers parameters for.
    void fillRichSchema(CreateCollectionDialog &dlg, const QString &collection)
    {
        QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit")), collection);
        QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("descriptionEdit")),
                         QStringLiteral("News articles"));
        retype(cellEdit(&dlg, "fieldDim", 1), QStringLiteral("8"));
        retype(cellEdit(&dlg, "fieldName", 1), QStringLiteral("embedding"));

        const int title = addField(dlg, QStringLiteral("title"), QStringLiteral("VarChar"));
        retype(cellEdit(&dlg, "fieldMaxLength", title), QStringLiteral("256"));
        QTest::keyClicks(cellEdit(&dlg, "fieldDescription", title), QStringLiteral("headline"));

        const int category = addField(dlg, QStringLiteral("category"), QStringLiteral("VarChar"));
        retype(cellEdit(&dlg, "fieldMaxLength", category), QStringLiteral("64"));
        toggle(cellCheck(&dlg, "fieldPartitionKey", category));

        const int price = addField(dlg, QStringLiteral("price"), QStringLiteral("Double"));
        toggle(cellCheck(&dlg, "fieldNullable", price));
        QTest::keyClicks(cellEdit(&dlg, "fieldDefault", price), QStringLiteral("9.5"));

        const int stock = addField(dlg, QStringLiteral("stock"), QStringLiteral("Int32"));
        QTest::keyClicks(cellEdit(&dlg, "fieldDefault", stock), QStringLiteral("-3"));

        const int published = addField(dlg, QStringLiteral("published"), QStringLiteral("Bool"));
        QTest::keyClicks(cellEdit(&dlg, "fieldDefault", published), QStringLiteral("true"));

        const int tags = addField(dlg, QStringLiteral("tags"), QStringLiteral("Array"));
        typeInCombo(cellCombo(&dlg, "fieldElementType", tags), QStringLiteral("VarChar"));
        retype(cellEdit(&dlg, "fieldMaxCapacity", tags), QStringLiteral("16"));
        retype(cellEdit(&dlg, "fieldMaxLength", tags), QStringLiteral("32"));

        addField(dlg, QStringLiteral("meta"), QStringLiteral("JSON"));
        addField(dlg, QStringLiteral("sparse"), QStringLiteral("SparseFloatVector"));

        typeInCombo(need<QComboBox>(&dlg, QStringLiteral("consistencyCombo")), QStringLiteral("Strong"));
        auto *partitions = need<QSpinBox>(&dlg, QStringLiteral("partitionsSpin"));
        partitions->setFocus();
        partitions->selectAll();
        QTest::keyClicks(partitions, QStringLiteral("8"));
    }

    // The schema fillRichSchema types, as a request, to compare with what the dialog and the server say.
    static QList<FieldSchema> expectedRichFields()
    {
        const auto field = [](const QString &name, DataType type, QMap<QString, QString> params = {}) {
            FieldSchema f;
            f.name = name;
            f.type = type;
            f.typeParams = params;
            return f;
        };
        FieldSchema id = field(QStringLiteral("id"), DataType::Int64);
        id.isPrimaryKey = true;
        id.autoId = true;
        FieldSchema title = field(QStringLiteral("title"), DataType::VarChar, {{"max_length", "256"}});
        title.description = QStringLiteral("headline");
        FieldSchema category = field(QStringLiteral("category"), DataType::VarChar, {{"max_length", "64"}});
        category.isPartitionKey = true;
        FieldSchema price = field(QStringLiteral("price"), DataType::Double);
        price.nullable = true;
        price.defaultValue = 9.5;
        FieldSchema stock = field(QStringLiteral("stock"), DataType::Int32);
        stock.defaultValue = -3;
        FieldSchema published = field(QStringLiteral("published"), DataType::Bool);
        published.defaultValue = true;
        FieldSchema tags =
            field(QStringLiteral("tags"), DataType::Array, {{"max_capacity", "16"}, {"max_length", "32"}});
        tags.elementType = DataType::VarChar;
        return {id,
                field(QStringLiteral("embedding"), DataType::FloatVector, {{"dim", "8"}}),
                title,
                category,
                price,
                stock,
                published,
                tags,
                field(QStringLiteral("meta"), DataType::Json),
                field(QStringLiteral("sparse"), DataType::SparseFloatVector)};
    }

private slots:
    void startsWithQuickSetupAndNoRedText()
    {
        CreateCollectionDialog dlg;
        QVERIFY(test::showActive(&dlg));
        const CreateCollectionRequest r = dlg.request();
        QCOMPARE(r.schema.fields.size(), 2);
        QCOMPARE(r.schema.fields.at(0).name, QStringLiteral("id"));
        QVERIFY(r.schema.fields.at(0).isPrimaryKey);
        QVERIFY(r.schema.fields.at(0).autoId);
        QCOMPARE(r.schema.fields.at(1).type, DataType::FloatVector);
        QCOMPARE(r.schema.fields.at(1).dim(), 768);
        QVERIFY(r.schema.enableDynamicField);
        QCOMPARE(r.consistency, ConsistencyLevel::Bounded);
        // Only the name is missing: Create is disabled, but nothing is shouted at the user yet.
        QVERIFY(!dlg.okButton()->isEnabled());
        QCOMPARE(dlg.problems().size(), 1);
        QVERIFY(shownProblems(&dlg).isEmpty());
        QVERIFY(!need<QSpinBox>(&dlg, QStringLiteral("partitionsSpin"))->isEnabled());
        QVERIFY(QTest::qWaitForWindowActive(&dlg));
        QCOMPARE(QApplication::focusWidget(), need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit")));
    }

    void fillSchemaThroughTheWidgets()
    {
        CreateCollectionDialog dlg;
        QVERIFY(test::showActive(&dlg));
        fillRichSchema(dlg, QStringLiteral("articles"));
        QVERIFY2(dlg.okButton()->isEnabled(), qPrintable(dlg.problems().join(QLatin1Char('\n'))));

        const CreateCollectionRequest r = dlg.request();
        QCOMPARE(r.collection, QStringLiteral("articles"));
        QCOMPARE(r.schema.name, QStringLiteral("articles"));
        QCOMPARE(r.schema.description, QStringLiteral("News articles"));
        QVERIFY(r.schema.enableDynamicField);
        QVERIFY(r.schema.autoId);
        QCOMPARE(r.consistency, ConsistencyLevel::Strong);
        QCOMPARE(r.numPartitions, 8);
        const QList<FieldSchema> expected = expectedRichFields();
        QCOMPARE(r.schema.fields.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const FieldSchema &got = r.schema.fields.at(i);
            const FieldSchema &want = expected.at(i);
            QCOMPARE(got.name, want.name);
            QCOMPARE(got.type, want.type);
            QCOMPARE(got.elementType, want.elementType);
            QCOMPARE(got.typeParams, want.typeParams);
            QCOMPARE(got.isPrimaryKey, want.isPrimaryKey);
            QCOMPARE(got.autoId, want.autoId);
            QCOMPARE(got.isPartitionKey, want.isPartitionKey);
            QCOMPARE(got.nullable, want.nullable);
            QCOMPARE(got.defaultValue, want.defaultValue);
            QCOMPARE(got.description, want.description);
        }
        QVERIFY(need<QSpinBox>(&dlg, QStringLiteral("partitionsSpin"))->isEnabled());
    }

    void validation_data()
    {
        using Step = std::function<void(CreateCollectionDialog &)>;
        QTest::addColumn<Step>("step");
        QTest::addColumn<QString>("message");

        QTest::newRow("no primary key")
            << Step([](CreateCollectionDialog &d) { toggle(cellCheck(&d, "fieldPrimaryKey", 0)); })
            << "Mark one field as the primary key";
        QTest::newRow("two primary keys") << Step([](CreateCollectionDialog &d) {
            const int row = addField(d, QStringLiteral("slug"), QStringLiteral("VarChar"));
            toggle(cellCheck(&d, "fieldPrimaryKey", row));
        }) << "Only one field can be the primary key (now: id, slug)";
        QTest::newRow("VarChar without max_length") << Step([](CreateCollectionDialog &d) {
            const int row = addField(d, QStringLiteral("title"), QStringLiteral("VarChar"));
            retype(cellEdit(&d, "fieldMaxLength", row), QString());
        }) << "Field 3 'title': max_length is required (1..65535)";
        QTest::newRow("max_length too large") << Step([](CreateCollectionDialog &d) {
            const int row = addField(d, QStringLiteral("title"), QStringLiteral("VarChar"));
            retype(cellEdit(&d, "fieldMaxLength", row), QStringLiteral("70000"));
        }) << "max_length must be between 1 and 65535";
        QTest::newRow("no vector field") << Step([](CreateCollectionDialog &d) {
            cellEdit(&d, "fieldName", 1)->setFocus(); // makes row 1 the current row
            QTest::mouseClick(need<QPushButton>(&d, QStringLiteral("removeFieldButton")), Qt::LeftButton);
        }) << "Add a vector field";
        QTest::newRow("dim out of range") << Step([](CreateCollectionDialog &d) {
            retype(cellEdit(&d, "fieldDim", 1), QStringLiteral("40000"));
        }) << "dim must be between 1 and 32768";
        QTest::newRow("duplicate names") << Step([](CreateCollectionDialog &d) {
            addField(d, QStringLiteral("id"), QStringLiteral("Int64"));
        }) << "Field name 'id' is used more than once";
        QTest::newRow("empty field name") << Step([](CreateCollectionDialog &d) {
            QTest::mouseClick(need<QPushButton>(&d, QStringLiteral("addFieldButton")), Qt::LeftButton);
        }) << "Field 3: Enter a field name.";
        QTest::newRow("bad field name") << Step([](CreateCollectionDialog &d) {
            addField(d, QStringLiteral("2nd"), QStringLiteral("Int64"));
        }) << "A field name must start with a letter or an underscore";
        QTest::newRow("bad collection name: digit first") << Step([](CreateCollectionDialog &d) {
            retype(need<QLineEdit>(&d, QStringLiteral("collectionNameEdit")), QStringLiteral("1articles"));
        }) << "A collection name must start with a letter or an underscore";
        QTest::newRow("bad collection name: hyphen") << Step([](CreateCollectionDialog &d) {
            retype(need<QLineEdit>(&d, QStringLiteral("collectionNameEdit")), QStringLiteral("my-articles"));
        }) << "may contain only letters, digits and underscores ('-' is not allowed)";
        QTest::newRow("bad collection name: cleared") << Step([](CreateCollectionDialog &d) {
            retype(need<QLineEdit>(&d, QStringLiteral("collectionNameEdit")), QString());
        }) << "Enter a collection name.";
        QTest::newRow("collection name too long") << Step([](CreateCollectionDialog &d) {
            retype(need<QLineEdit>(&d, QStringLiteral("collectionNameEdit")), QString(256, QLatin1Char('a')));
        }) << "at most 255 characters";
        QTest::newRow("default that does not parse") << Step([](CreateCollectionDialog &d) {
            const int row = addField(d, QStringLiteral("stock"), QStringLiteral("Int16"));
            QTest::keyClicks(cellEdit(&d, "fieldDefault", row), QStringLiteral("40000"));
        }) << "Field 3 'stock': the default must be an integer between -32768 and 32767.";
        QTest::newRow("two partition keys") << Step([](CreateCollectionDialog &d) {
            const int a = addField(d, QStringLiteral("tenant"), QStringLiteral("VarChar"));
            toggle(cellCheck(&d, "fieldPartitionKey", a));
            const int b = addField(d, QStringLiteral("region"), QStringLiteral("Int64"));
            toggle(cellCheck(&d, "fieldPartitionKey", b));
        }) << "At most one field can be the partition key (now: tenant, region)";
        QTest::newRow("array without capacity") << Step([](CreateCollectionDialog &d) {
            const int row = addField(d, QStringLiteral("tags"), QStringLiteral("Array"));
            retype(cellEdit(&d, "fieldMaxCapacity", row), QString());
        }) << "Field 3 'tags': max_capacity is required (1..4096)";
    }

    void validation()
    {
        using Step = std::function<void(CreateCollectionDialog &)>;
        QFETCH(Step, step);
        QFETCH(QString, message);
        CreateCollectionDialog dlg;
        QVERIFY(test::showActive(&dlg));
        QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit")),
                         QStringLiteral("articles"));
        // Valid before the step, so that the step alone is what disables Create.
        QVERIFY2(dlg.okButton()->isEnabled(), qPrintable(dlg.problems().join(QLatin1Char('\n'))));
        QVERIFY(shownProblems(&dlg).isEmpty());

        step(dlg);
        QVERIFY(!dlg.okButton()->isEnabled());
        const QString shown = shownProblems(&dlg);
        QVERIFY2(shown.contains(message), qPrintable(QStringLiteral("shown: '%1'").arg(shown)));
        QVERIFY(dlg.problems().join(QLatin1Char('\n')).contains(message));
        QCOMPARE(dlg.okButton()->toolTip(), dlg.problems().first());
        // Enter does not create an invalid collection.
        QSignalSpy accepted(&dlg, &QDialog::accepted);
        QTest::keyClick(need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit")), Qt::Key_Return);
        QCOMPARE(accepted.count(), 0);
    }

    void flagsFollowTheType()
    {
        CreateCollectionDialog dlg;
        QVERIFY(test::showActive(&dlg));
        const int row = addField(dlg, QStringLiteral("score"), QStringLiteral("Float"));
        QCOMPARE(cellCombo(&dlg, "fieldType", row)->currentText(), QStringLiteral("Float"));
        // A Float can be neither primary nor partition key, so those boxes are off and disabled.
        QVERIFY(!cellCheck(&dlg, "fieldPrimaryKey", row)->isEnabled());
        QVERIFY(!cellCheck(&dlg, "fieldPartitionKey", row)->isEnabled());
        QVERIFY(!cellCheck(&dlg, "fieldAutoId", row)->isEnabled());
        QVERIFY(cellEdit(&dlg, "fieldDefault", row)->isEnabled());
        QVERIFY(cellEdit(&dlg, "fieldDim", row)->isHidden());
        QVERIFY(cellEdit(&dlg, "fieldMaxLength", row)->isHidden());
        typeInCombo(cellCombo(&dlg, "fieldType", row), QStringLiteral("FloatV"));
        QCOMPARE(cellCombo(&dlg, "fieldType", row)->currentText(), QStringLiteral("FloatVector"));
        QVERIFY(!cellEdit(&dlg, "fieldDim", row)->isHidden());
        QCOMPARE(cellEdit(&dlg, "fieldDim", row)->text(), QStringLiteral("768")); // a usable default
        QVERIFY(!cellCheck(&dlg, "fieldNullable", row)->isEnabled());
        QVERIFY(!cellEdit(&dlg, "fieldDefault", row)->isEnabled());
        // The primary key: auto_id possible, nullable and default not.
        QVERIFY(cellCheck(&dlg, "fieldAutoId", 0)->isEnabled());
        QVERIFY(!cellCheck(&dlg, "fieldNullable", 0)->isEnabled());
        toggle(cellCheck(&dlg, "fieldPrimaryKey", 0));
        QVERIFY(!cellCheck(&dlg, "fieldAutoId", 0)->isEnabled());
        QVERIFY(!cellCheck(&dlg, "fieldAutoId", 0)->isChecked());
        QVERIFY(cellCheck(&dlg, "fieldNullable", 0)->isEnabled());
    }

    void presets()
    {
        CreateCollectionDialog dlg;
        QVERIFY(test::showActive(&dlg));
        retype(cellEdit(&dlg, "fieldDim", 1), QStringLiteral("384"));
        QTest::mouseClick(need<QPushButton>(&dlg, QStringLiteral("langchainButton")), Qt::LeftButton);
        CreateCollectionRequest r = dlg.request();
        QCOMPARE(r.schema.fields.size(), 3);
        QCOMPARE(r.schema.fields.at(0).name, QStringLiteral("pk"));
        QCOMPARE(r.schema.fields.at(0).type, DataType::Int64);
        QVERIFY(r.schema.fields.at(0).isPrimaryKey);
        QVERIFY(r.schema.fields.at(0).autoId);
        QCOMPARE(r.schema.fields.at(1).name, QStringLiteral("text"));
        QCOMPARE(r.schema.fields.at(1).type, DataType::VarChar);
        QCOMPARE(r.schema.fields.at(1).maxLength(), 65535);
        QCOMPARE(r.schema.fields.at(2).name, QStringLiteral("vector"));
        QCOMPARE(r.schema.fields.at(2).type, DataType::FloatVector);
        QCOMPARE(r.schema.fields.at(2).dim(), 384); // the dimension the user chose survives
        // The dimension is the one thing left to decide, so it has the focus.
        QCOMPARE(QApplication::focusWidget(), cellEdit(&dlg, "fieldDim", 2));

        QTest::mouseClick(need<QPushButton>(&dlg, QStringLiteral("quickSetupButton")), Qt::LeftButton);
        r = dlg.request();
        QCOMPARE(r.schema.fields.size(), 2);
        QCOMPARE(r.schema.fields.at(0).name, QStringLiteral("id"));
        QVERIFY(r.schema.fields.at(0).autoId);
        QCOMPARE(r.schema.fields.at(1).name, QStringLiteral("vector"));
        QCOMPARE(r.schema.fields.at(1).dim(), 384);
        QVERIFY(r.schema.enableDynamicField);
        QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit")),
                         QStringLiteral("quick"));
        QVERIFY(dlg.okButton()->isEnabled());
    }

    void presetAsksBeforeReplacingAHandBuiltSchema()
    {
        CreateCollectionDialog dlg;
        QVERIFY(test::showActive(&dlg));
        addField(dlg, QStringLiteral("title"), QStringLiteral("VarChar"));
        const auto answer = [this](QMessageBox::StandardButton button) {
            QTimer::singleShot(0, this, [button] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                QVERIFY(box);
                QVERIFY(box->text().contains(QLatin1String("3 field(s)")));
                box->button(button)->click();
            });
        };
        answer(QMessageBox::No);
        QTest::mouseClick(need<QPushButton>(&dlg, QStringLiteral("langchainButton")), Qt::LeftButton);
        QCOMPARE(dlg.request().schema.fields.size(), 3);
        QCOMPARE(dlg.request().schema.fields.at(2).name, QStringLiteral("title")); // kept
        answer(QMessageBox::Yes);
        QTest::mouseClick(need<QPushButton>(&dlg, QStringLiteral("langchainButton")), Qt::LeftButton);
        QCOMPARE(dlg.request().schema.fields.at(1).name, QStringLiteral("text"));
    }

    void tabOrderFollowsTheRows()
    {
        CreateCollectionDialog dlg;
        QVERIFY(test::showActive(&dlg));
        const int row = addField(dlg, QStringLiteral("title"), QStringLiteral("VarChar"));
        // Name, description, the presets, the table buttons, then the cells row by row.
        const QList<QWidget *> expected{need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit")),
                                        need<QLineEdit>(&dlg, QStringLiteral("descriptionEdit")),
                                        need<QPushButton>(&dlg, QStringLiteral("quickSetupButton")),
                                        need<QPushButton>(&dlg, QStringLiteral("langchainButton")),
                                        need<QPushButton>(&dlg, QStringLiteral("addFieldButton"))};
        expected.first()->setFocus();
        for (QWidget *w : expected) {
            QCOMPARE(QApplication::focusWidget(), w);
            QTest::keyClick(w, Qt::Key_Tab);
        }
        // From the new row's description (the last cell), Tab leaves the table for the options.
        cellEdit(&dlg, "fieldDescription", row)->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), need<QCheckBox>(&dlg, QStringLiteral("dynamicFieldCheck")));
        // Within a row, Tab goes from the name to the type to the parameter.
        cellEdit(&dlg, "fieldName", row)->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), cellCombo(&dlg, "fieldType", row));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), cellEdit(&dlg, "fieldMaxLength", row));
    }

    void moveAndRemoveRows()
    {
        CreateCollectionDialog dlg;
        QVERIFY(test::showActive(&dlg));
        addField(dlg, QStringLiteral("a"), QStringLiteral("Int64"));
        addField(dlg, QStringLiteral("b"), QStringLiteral("Bool"));
        const auto names = [&dlg] {
            QStringList out;
            for (const FieldSchema &f : dlg.request().schema.fields)
                out.append(f.name);
            return out;
        };
        QCOMPARE(names(), QStringList({"id", "vector", "a", "b"}));
        cellEdit(&dlg, "fieldName", 3)->setFocus();
        QTest::mouseClick(need<QPushButton>(&dlg, QStringLiteral("moveUpButton")), Qt::LeftButton);
        QCOMPARE(names(), QStringList({"id", "vector", "b", "a"}));
        QCOMPARE(dlg.fieldEditor()->currentRow(), 2);
        QCOMPARE(dlg.request().schema.fields.at(2).type, DataType::Bool); // the whole row moved
        // The keyboard moves too, and the focus stays on the moved field.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Up, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(names(), QStringList({"id", "b", "vector", "a"}));
        QCOMPARE(dlg.fieldEditor()->currentRow(), 1);
        QTest::mouseClick(need<QPushButton>(&dlg, QStringLiteral("moveDownButton")), Qt::LeftButton);
        QCOMPARE(names(), QStringList({"id", "vector", "b", "a"}));
        QCOMPARE(dlg.request().schema.fields.at(1).dim(), 768);
        QTest::mouseClick(need<QPushButton>(&dlg, QStringLiteral("removeFieldButton")), Qt::LeftButton);
        QCOMPARE(names(), QStringList({"id", "vector", "a"}));
        QCOMPARE(cellEdit(&dlg, "fieldName", 2)->text(), QStringLiteral("a")); // renamed with its row
    }

    void enterAcceptsEscCancels()
    {
        {
            CreateCollectionDialog dlg;
            QVERIFY(test::showActive(&dlg));
            QSignalSpy submitted(&dlg, &ActionDialog::submitRequested);
            auto *name = need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit"));
            QTest::keyClicks(name, QStringLiteral("articles"));
            QTest::keyClick(name, Qt::Key_Return);
            QCOMPARE(submitted.count(), 1);
            QCOMPARE(dlg.result(), int(QDialog::Accepted));
        }
        {
            CreateCollectionDialog dlg;
            QVERIFY(test::showActive(&dlg));
            QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit")),
                             QStringLiteral("articles"));
            QTest::keyClick(&dlg, Qt::Key_Escape);
            QVERIFY(!dlg.isVisible());
            QCOMPARE(dlg.result(), int(QDialog::Rejected));
        }
    }

    void serverErrorKeepsTheInput()
    {
        CreateCollectionDialog dlg;
        dlg.setDeferredAccept(true);
        QVERIFY(test::showActive(&dlg));
        QSignalSpy submitted(&dlg, &ActionDialog::submitRequested);
        fillRichSchema(dlg, QStringLiteral("articles"));
        const CreateCollectionRequest before = dlg.request();
        QTest::mouseClick(dlg.okButton(), Qt::LeftButton);
        QCOMPARE(submitted.count(), 1);
        QVERIFY(dlg.isVisible());
        QVERIFY(dlg.isBusy());
        QVERIFY(!dlg.okButton()->isEnabled());
        QVERIFY(!need<QLineEdit>(&dlg, QStringLiteral("collectionNameEdit"))->isEnabled());
        // The caller builds the request now, with the form disabled: it must be the same request.
        QCOMPARE(dlg.request().schema, before.schema);

        dlg.showServerError(QStringLiteral("CreateCollection failed: collection articles already exists"));
        QVERIFY(dlg.isVisible());
        QVERIFY(!dlg.isBusy());
        QVERIFY(dlg.okButton()->isEnabled());
        auto *error = need<QLabel>(&dlg, QStringLiteral("serverError"));
        QVERIFY(error->isVisible());
        QVERIFY(error->text().contains(QLatin1String("already exists")));
        QCOMPARE(dlg.request().schema, before.schema);
        QCOMPARE(dlg.request().collection, before.collection);
    }

    // The dialog's request goes to a real Milvus Lite through the async client, the way the app runs
    // it; the described schema must match what was typed, field by field.
    void endToEndAgainstTheServer()
    {
        test::TestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        auto client = server.client();
        const QString name = test::uniqueName(QStringLiteral("dialog_articles"));

        const auto runDialog = [&client](CreateCollectionDialog &dlg) {
            QObject::connect(&dlg, &ActionDialog::submitRequested, &dlg, [&dlg, &client] {
                client->createCollectionAsync(dlg.request())
                    .then(&dlg, [&dlg] { dlg.accept(); })
                    .onFailed(&dlg,
                              [&dlg](const MilvusException &e) { dlg.showServerError(e.error().message()); });
            });
            QTest::mouseClick(dlg.okButton(), Qt::LeftButton);
            return QTest::qWaitFor([&dlg] { return !dlg.isBusy(); }, 30000);
        };

        const ServerCapabilities caps = ServerCapabilities::fromVersion(client->getVersion());
        CreateCollectionDialog dlg;
        dlg.setDeferredAccept(true);
        dlg.setCapabilities(caps);
        QVERIFY(test::showActive(&dlg));
        fillRichSchema(dlg, name);
        if (!caps.has(ServerCapabilities::Feature::NullableAndDefault)) {
            // Milvus 2.3 has no nullable fields or defaults: the editor does not offer them (with the
            // reason), and a schema that asks for them anyway (a preset, a pasted request) is refused with
            // the reason instead of being changed behind the user's back.
            const CreateCollectionRequest plain = dlg.request();
            for (const FieldSchema &f : plain.schema.fields)
                QVERIFY2(!f.nullable && !f.defaultValue.isValid(), qPrintable(f.name));
            int scalar = 0; // a field that could be nullable on a server that has them
            while (scalar < plain.schema.fields.size() && (plain.schema.fields[scalar].isPrimaryKey ||
                                                           isVectorType(plain.schema.fields[scalar].type) ||
                                                           plain.schema.fields[scalar].isPartitionKey))
                ++scalar;
            QVERIFY(scalar < plain.schema.fields.size());
            QWidget *cell = dlg.fieldEditor()->cellEditor(scalar, FieldTableEditor::NullableColumn);
            auto *nullable = qobject_cast<QCheckBox *>(cell);
            if (!nullable && cell)
                nullable = cell->findChild<QCheckBox *>();
            QVERIFY(nullable && !nullable->isEnabled());
            QVERIFY(nullable->toolTip().contains(QLatin1String("no nullable fields")));
            CreateCollectionRequest asking = plain;
            asking.schema.fields[scalar].nullable = true;
            dlg.setRequest(asking);
            QVERIFY(!dlg.okButton()->isEnabled());
            QVERIFY2(dlg.problems().join(QLatin1Char('\n')).contains(QLatin1String("no nullable fields")),
                     qPrintable(dlg.problems().join(QLatin1Char('\n'))));
            QVERIFY(dlg.request().schema.fields[scalar].nullable); // kept, not dropped
            dlg.setRequest(plain);
        }
        QVERIFY2(dlg.okButton()->isEnabled(), qPrintable(dlg.problems().join(QLatin1Char('\n'))));
        const CreateCollectionRequest sent = dlg.request();
        QVERIFY(runDialog(dlg));
        QVERIFY2(dlg.result() == QDialog::Accepted, qPrintable(dlg.serverError()));

        const CollectionDescription desc = client->describeCollection({name});
        QCOMPARE(desc.collectionName, name);
        QCOMPARE(desc.schema.enableDynamicField, sent.schema.enableDynamicField);
        QCOMPARE(desc.schema.fields.size(), sent.schema.fields.size());
        for (const FieldSchema &want : sent.schema.fields) {
            const FieldSchema *got = fieldNamed(desc.schema.fields, want.name);
            QVERIFY2(got, qPrintable(want.name));
            const QByteArray where = want.name.toUtf8();
            QVERIFY2(got->type == want.type, where);
            QVERIFY2(got->isPrimaryKey == want.isPrimaryKey, where);
            QVERIFY2(got->autoId == want.autoId, where);
            QVERIFY2(got->isPartitionKey == want.isPartitionKey, where);
            QVERIFY2(got->nullable == want.nullable, where);
            QVERIFY2(got->elementType == want.elementType, where);
            QCOMPARE(got->dim(), want.dim());
            QCOMPARE(got->typeParams.value(QStringLiteral("max_capacity")),
                     want.typeParams.value(QStringLiteral("max_capacity")));
            // Milvus Lite 3.2.2 keeps max_length for VarChar fields but not for VarChar array
            // elements, and does not echo descriptions (docs/milvus-lite-notes.md).
            if (want.type == DataType::VarChar)
                QCOMPARE(got->maxLength(), want.maxLength());
            QVERIFY2(got->defaultValue.isValid() == want.defaultValue.isValid(), where);
            if (want.defaultValue.isValid())
                QVERIFY2(got->defaultValue.toString() == want.defaultValue.toString(),
                         qPrintable(QStringLiteral("%1: %2 vs %3")
                                        .arg(want.name, got->defaultValue.toString(),
                                             want.defaultValue.toString())));
        }

        // The same name with another schema: the server refuses (Milvus 2.3 takes an identical request again
        // as a no-op), the dialog stays open with the reason and the input.
        CreateCollectionRequest clash = sent;
        FieldSchema extra;
        extra.name = QStringLiteral("extra_note");
        extra.type = DataType::VarChar;
        extra.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("16"));
        clash.schema.fields.append(extra);
        CreateCollectionDialog again;
        again.setDeferredAccept(true);
        again.setCapabilities(caps);
        QVERIFY(test::showActive(&again));
        again.setRequest(clash);
        QCOMPARE(again.request().schema, clash.schema);
        QVERIFY(runDialog(again));
        QVERIFY(again.isVisible());
        QVERIFY(again.result() != QDialog::Accepted);
        QVERIFY2(!again.serverError().isEmpty(), "no server error shown");
        QVERIFY2(again.serverError().contains(name), qPrintable(again.serverError()));
        QCOMPARE(again.request().collection, name);
    }
};

} // namespace mx

QTEST_MAIN(mx::TestCreateCollectionDialog)
#include "tst_createcollectiondialog.moc"
