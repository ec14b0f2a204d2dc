// The index dialog driven through its widgets: per-field index types and metrics, build parameters
// with their defaults and ranges landing in request().params, rules that keep OK disabled, and indexes
// built from the dialog's requests that Milvus Lite creates, describes and loads.

#include "CreateIndexDialog.h"
#include "DialogTestUtil.h"
#include "ServerCapabilities.h"
#include "TestSupport.h"

#include <QCheckBox>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>

namespace mx {

using test::need;
using test::retype;
using test::typeInCombo;

namespace {

QStringList items(const QComboBox *combo)
{
    QStringList out;
    for (int i = 0; i < combo->count(); ++i)
        out.append(combo->itemText(i));
    return out;
}

// test::richSchema plus a sparse vector, so every kind of field is there.
CollectionSchema schemaWithSparse(int dim)
{
    CollectionSchema s = test::richSchema(dim);
    FieldSchema sparse;
    sparse.name = QStringLiteral("sparse");
    sparse.type = DataType::SparseFloatVector;
    s.fields.append(sparse);
    return s;
}

void setSpin(QSpinBox *spin, int value)
{
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, QString::number(value));
    QCOMPARE(spin->value(), value);
}

} // namespace

class TestCreateIndexDialog : public QObject
{
    Q_OBJECT

private slots:
    void startsOnTheUnindexedVectorField()
    {
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        auto *field = need<QComboBox>(&dlg, QStringLiteral("fieldCombo"));
        QCOMPARE(field->currentData().toString(), QStringLiteral("vec"));
        QCOMPARE(need<QComboBox>(&dlg, QStringLiteral("indexTypeCombo"))->currentText(),
                 QStringLiteral("AUTOINDEX"));
        QCOMPARE(need<QComboBox>(&dlg, QStringLiteral("metricCombo"))->currentText(),
                 QStringLiteral("COSINE"));
        QVERIFY(dlg.okButton()->isEnabled());
        QCOMPARE(QApplication::focusWidget(), field);
        const CreateIndexRequest r = dlg.request();
        QCOMPARE(r.collection, QStringLiteral("articles"));
        QCOMPARE(r.fieldName, QStringLiteral("vec"));
        QCOMPARE(r.indexType, QStringLiteral("AUTOINDEX"));
        QCOMPARE(r.metricType, QStringLiteral("COSINE"));
        QVERIFY(r.params.isEmpty());
        QVERIFY(r.indexName.isEmpty());
    }

    void hnswParamsLandInTheRequest()
    {
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        typeInCombo(need<QComboBox>(&dlg, QStringLiteral("indexTypeCombo")), QStringLiteral("HNSW"));
        auto *m = need<QSpinBox>(&dlg, QStringLiteral("param_M"));
        auto *ef = need<QSpinBox>(&dlg, QStringLiteral("param_efConstruction"));
        // Defaults and ranges as Milvus documents them.
        QCOMPARE(m->value(), 16);
        QCOMPARE(m->minimum(), 4);
        QCOMPARE(m->maximum(), 64);
        QCOMPARE(ef->value(), 200);
        QCOMPARE(ef->minimum(), 8);
        QCOMPARE(ef->maximum(), 512);
        setSpin(m, 32);
        setSpin(ef, 100);
        typeInCombo(need<QComboBox>(&dlg, QStringLiteral("metricCombo")), QStringLiteral("L2"));
        QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("indexNameEdit")), QStringLiteral("vec_hnsw"));

        const CreateIndexRequest r = dlg.request();
        QCOMPARE(r.indexType, QStringLiteral("HNSW"));
        QCOMPARE(r.metricType, QStringLiteral("L2"));
        QCOMPARE(r.indexName, QStringLiteral("vec_hnsw"));
        QCOMPARE(r.params, QJsonObject({{"M", 32}, {"efConstruction", 100}}));
        QVERIFY(dlg.okButton()->isEnabled());
        // An out-of-range value cannot be typed: the spin box keeps the last valid one.
        setSpin(m, 8);
        m->selectAll();
        QTest::keyClicks(m, QStringLiteral("99"));
        QVERIFY(m->value() <= 64);
    }

    void paramsPerIndexType_data()
    {
        QTest::addColumn<QString>("indexType");
        QTest::addColumn<QJsonObject>("params");
        QTest::newRow("AUTOINDEX") << "AUTOINDEX" << QJsonObject();
        QTest::newRow("FLAT") << "FLAT" << QJsonObject();
        QTest::newRow("IVF_FLAT") << "IVF_FLAT" << QJsonObject({{"nlist", 1024}});
        QTest::newRow("IVF_SQ8") << "IVF_SQ8" << QJsonObject({{"nlist", 1024}});
        QTest::newRow("IVF_PQ") << "IVF_PQ" << QJsonObject({{"nlist", 1024}, {"m", 8}, {"nbits", 8}});
        QTest::newRow("DISKANN") << "DISKANN" << QJsonObject();
        QTest::newRow("SCANN") << "SCANN" << QJsonObject({{"nlist", 1024}, {"with_raw_data", true}});
    }

    void paramsPerIndexType()
    {
        QFETCH(QString, indexType);
        QFETCH(QJsonObject, params);
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        auto *type = need<QComboBox>(&dlg, QStringLiteral("indexTypeCombo"));
        type->setCurrentText(indexType);
        QCOMPARE(type->currentText(), indexType);
        QCOMPARE(dlg.request().params, params);
        QVERIFY(dlg.okButton()->isEnabled());
        QCOMPARE(dlg.findChild<QLabel *>(QStringLiteral("noParamsLabel")) != nullptr, params.isEmpty());
    }

    void choicesPerFieldType_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QStringList>("indexTypes");
        QTest::addColumn<QStringList>("metrics"); // empty: no metric row

        QTest::newRow("FloatVector") << "vec" << QStringList{"AUTOINDEX", "FLAT",   "HNSW",    "IVF_FLAT",
                                                             "IVF_SQ8",   "IVF_PQ", "DISKANN", "SCANN"}
                                     << QStringList{"L2", "IP", "COSINE"};
        QTest::newRow("SparseFloatVector")
            << "sparse" << QStringList{"SPARSE_INVERTED_INDEX", "SPARSE_WAND"} << QStringList{"IP"};
        QTest::newRow("Int64") << "id" << QStringList{"INVERTED", "STL_SORT", "BITMAP", "AUTOINDEX"}
                               << QStringList();
        QTest::newRow("VarChar") << "title" << QStringList{"INVERTED", "TRIE", "BITMAP", "AUTOINDEX"}
                                 << QStringList();
        QTest::newRow("Double") << "score" << QStringList{"INVERTED", "STL_SORT", "AUTOINDEX"}
                                << QStringList();
        QTest::newRow("Array<Int64>")
            << "tags" << QStringList{"INVERTED", "BITMAP", "AUTOINDEX"} << QStringList();
        QTest::newRow("JSON") << "meta" << QStringList{"INVERTED"} << QStringList();
    }

    void choicesPerFieldType()
    {
        QFETCH(QString, field);
        QFETCH(QStringList, indexTypes);
        QFETCH(QStringList, metrics);
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        auto *fieldCombo = need<QComboBox>(&dlg, QStringLiteral("fieldCombo"));
        fieldCombo->setCurrentIndex(fieldCombo->findData(field));
        QCOMPARE(fieldCombo->currentData().toString(), field);
        QCOMPARE(items(need<QComboBox>(&dlg, QStringLiteral("indexTypeCombo"))), indexTypes);
        auto *metric = need<QComboBox>(&dlg, QStringLiteral("metricCombo"));
        QCOMPARE(metric->isVisible(), !metrics.isEmpty());
        QCOMPARE(need<QLabel>(&dlg, QStringLiteral("metricLabel"))->isVisible(), !metrics.isEmpty());
        if (!metrics.isEmpty())
            QCOMPARE(items(metric), metrics);
        QCOMPARE(dlg.request().metricType.isEmpty(), metrics.isEmpty());
        QCOMPARE(dlg.request().fieldName, field);
    }

    void sparseHasOnlyIp()
    {
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        dlg.setField(QStringLiteral("sparse"));
        QVERIFY(!need<QComboBox>(&dlg, QStringLiteral("metricCombo"))->isEnabled());
        const CreateIndexRequest r = dlg.request();
        QCOMPARE(r.indexType, QStringLiteral("SPARSE_INVERTED_INDEX"));
        QCOMPARE(r.metricType, QStringLiteral("IP"));
        QCOMPARE(r.params, QJsonObject({{"drop_ratio_build", 0.0}}));
    }

    void jsonIndexNeedsAPath()
    {
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        dlg.setField(QStringLiteral("meta"));
        auto *path = need<QLineEdit>(&dlg, QStringLiteral("param_json_path"));
        retype(path, QStringLiteral("meta[\"lang\"]"));
        CreateIndexRequest r = dlg.request();
        QCOMPARE(r.params.value(QStringLiteral("json_path")).toString(), QStringLiteral("meta[\"lang\"]"));
        QCOMPARE(r.params.value(QStringLiteral("json_cast_type")).toString(), QStringLiteral("VARCHAR"));
        QVERIFY(dlg.okButton()->isEnabled());
        retype(path, QString());
        QVERIFY(!dlg.okButton()->isEnabled());
        QVERIFY(need<QLabel>(&dlg, QStringLiteral("formError"))->text().contains(QLatin1String("JSON path")));
    }

    void indexedFieldsCannotBeChosen()
    {
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8), {QStringLiteral("vec")});
        QVERIFY(test::showActive(&dlg));
        auto *field = need<QComboBox>(&dlg, QStringLiteral("fieldCombo"));
        // The next vector field without an index is preselected.
        QCOMPARE(field->currentData().toString(), QStringLiteral("sparse"));
        const int vec = field->findData(QStringLiteral("vec"));
        QVERIFY(vec >= 0);
        QVERIFY(field->itemText(vec).contains(QLatin1String("has an index")));
        QVERIFY(!qobject_cast<QStandardItemModel *>(field->model())->item(vec)->isEnabled());
        dlg.setField(QStringLiteral("vec"));
        QCOMPARE(field->currentData().toString(), QStringLiteral("sparse"));

        QStringList all;
        for (const FieldSchema &f : schemaWithSparse(8).fields)
            all.append(f.name);
        CreateIndexDialog full(QStringLiteral("articles"), schemaWithSparse(8), all);
        QVERIFY(!full.okButton()->isEnabled());
        QVERIFY(full.problems().join(QString()).contains(QLatin1String("already has an index")));
    }

    void invalidInputDisablesOk_data()
    {
        QTest::addColumn<QString>("indexName");
        QTest::addColumn<int>("pqM");
        QTest::addColumn<QString>("message");
        QTest::newRow("index name starts with a digit") << "1idx" << 0 << "must start with a letter";
        QTest::newRow("index name with a space") << "my idx" << 0 << "only letters, digits and underscores";
        QTest::newRow("PQ m does not divide dim") << "" << 3 << "m must divide the dimension of 'vec' (8)";
    }

    void invalidInputDisablesOk()
    {
        QFETCH(QString, indexName);
        QFETCH(int, pqM);
        QFETCH(QString, message);
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        QVERIFY(dlg.okButton()->isEnabled());
        if (!indexName.isEmpty())
            QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("indexNameEdit")), indexName);
        if (pqM > 0) {
            need<QComboBox>(&dlg, QStringLiteral("indexTypeCombo"))->setCurrentText(QStringLiteral("IVF_PQ"));
            setSpin(need<QSpinBox>(&dlg, QStringLiteral("param_m")), pqM);
        }
        QVERIFY(!dlg.okButton()->isEnabled());
        QString shown;
        for (const char *name : {"indexNameError", "formError"})
            shown += need<QLabel>(&dlg, QLatin1String(name))->text();
        QVERIFY2(shown.contains(message), qPrintable(shown));
        QSignalSpy submitted(&dlg, &ActionDialog::submitRequested);
        QTest::keyClick(need<QComboBox>(&dlg, QStringLiteral("fieldCombo")), Qt::Key_Return);
        QCOMPARE(submitted.count(), 0);
    }

    void liteNote()
    {
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        auto *note = need<QLabel>(&dlg, QStringLiteral("liteNote"));
        QVERIFY(!note->isVisible());
        dlg.setMilvusLite(true);
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(QLatin1String("builds HNSW for AUTOINDEX")));
        need<QComboBox>(&dlg, QStringLiteral("indexTypeCombo"))->setCurrentText(QStringLiteral("DISKANN"));
        QVERIFY(note->text().contains(QLatin1String("cannot build DISKANN")));
    }

    void enterCreatesEscCancels()
    {
        CreateIndexDialog dlg(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&dlg));
        QSignalSpy submitted(&dlg, &ActionDialog::submitRequested);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QCOMPARE(submitted.count(), 1);
        QCOMPARE(dlg.result(), int(QDialog::Accepted));

        CreateIndexDialog other(QStringLiteral("articles"), schemaWithSparse(8));
        QVERIFY(test::showActive(&other));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QCOMPARE(other.result(), int(QDialog::Rejected));
        QVERIFY(!other.isVisible());
    }

    // Requests built by the dialog, run through the async client as the app does, against Milvus Lite.
    void endToEndAgainstTheServer()
    {
        test::TestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        auto client = server.client();
        const QString name = test::uniqueName(QStringLiteral("dialog_index"));
        client->createCollection({name, test::richSchema(8)});
        client->insert(InsertRequest{name, {}, test::richRows(8, 0, 50)});
        const CollectionSchema schema = client->describeCollection({name}).schema;

        const auto run = [&client](CreateIndexDialog &dlg) {
            dlg.setDeferredAccept(true);
            QObject::connect(&dlg, &ActionDialog::submitRequested, &dlg, [&dlg, &client] {
                client->createIndexAsync(dlg.request())
                    .then(&dlg, [&dlg] { dlg.accept(); })
                    .onFailed(&dlg,
                              [&dlg](const MilvusException &e) { dlg.showServerError(e.error().message()); });
            });
            QTest::mouseClick(dlg.okButton(), Qt::LeftButton);
            return QTest::qWaitFor([&dlg] { return !dlg.isBusy(); }, 30000);
        };

        const ServerCapabilities caps = ServerCapabilities::fromVersion(client->getVersion());
        CreateIndexDialog vec(name, schema);
        vec.setCapabilities(caps);
        QVERIFY(test::showActive(&vec));
        typeInCombo(need<QComboBox>(&vec, QStringLiteral("indexTypeCombo")), QStringLiteral("HNSW"));
        typeInCombo(need<QComboBox>(&vec, QStringLiteral("metricCombo")), QStringLiteral("L2"));
        setSpin(need<QSpinBox>(&vec, QStringLiteral("param_M")), 32);
        setSpin(need<QSpinBox>(&vec, QStringLiteral("param_efConstruction")), 100);
        QVERIFY(run(vec));
        QVERIFY2(vec.result() == QDialog::Accepted, qPrintable(vec.serverError()));

        const QList<IndexDescription> indexes = client->describeIndex({name, QStringLiteral("vec")});
        QCOMPARE(indexes.size(), 1);
        QCOMPARE(indexes.first().fieldName, QStringLiteral("vec"));
        QCOMPARE(indexes.first().indexType(), QStringLiteral("HNSW"));
        QCOMPARE(indexes.first().metricType(), QStringLiteral("L2"));
        const QJsonObject params = indexes.first().buildParams();
        QCOMPARE(params.value(QStringLiteral("M")).toInt(), 32);
        QCOMPARE(params.value(QStringLiteral("efConstruction")).toInt(), 100);

        // A scalar index on a field of the same collection; the indexed vector field is now off limits.
        // The scalar index type the server builds: INVERTED on Milvus Lite, "Trie" on Milvus 2.3.
        const QString scalarType =
            IndexCatalog::indexTypes(*schema.field(QStringLiteral("title")), caps).first();
        QCOMPARE(scalarType, test::isStandalone() ? QStringLiteral("Trie") : QStringLiteral("INVERTED"));
        CreateIndexDialog title(name, schema, {QStringLiteral("vec")});
        title.setCapabilities(caps);
        QVERIFY(test::showActive(&title));
        title.setField(QStringLiteral("title"));
        QCOMPARE(title.request().indexType, scalarType);
        QVERIFY(title.request().metricType.isEmpty());
        QVERIFY(run(title));
        QVERIFY2(title.result() == QDialog::Accepted, qPrintable(title.serverError()));
        const QList<IndexDescription> titleIndexes = client->describeIndex({name, QStringLiteral("title")});
        QCOMPARE(titleIndexes.size(), 1);
        QCOMPARE(titleIndexes.first().indexType(), scalarType);

        // The server builds what it accepted: the collection loads and answers a search.
        test::loadAndWait(*client, name);
        SearchRequest search;
        search.collection = name;
        search.vectors.dim = 8;
        search.vectors.values = test::vectorFor(7, 8);
        search.topK = 3;
        const SearchResults results = client->search(search);
        QCOMPARE(results.queries.size(), 1);
        QCOMPARE(results.queries.first().first().id.toLongLong(), 7);

        // Creating the same index again is refused; the dialog shows why and stays open.
        CreateIndexDialog again(name, schema);
        again.setCapabilities(caps);
        QVERIFY(test::showActive(&again));
        QVERIFY(run(again));
        QVERIFY(again.isVisible());
        QVERIFY2(!again.serverError().isEmpty(), "no server error shown");
    }
};

} // namespace mx

QTEST_MAIN(mx::TestCreateIndexDialog)
#include "tst_createindexdialog.moc"
