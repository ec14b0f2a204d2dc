// Mapping a file's columns to fields before an insert: read off the GUI thread, matched by name by
// default, changed by the user, and honoured by the insert.

#include "DataView.h"
#include "ImportDialog.h"
#include "TestSupport.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>

namespace mx {

class TestImportDialog : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(content);
        return path;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void mapsColumnsAndInserts()
    {
        const QString path =
            write(QStringLiteral("mapped.csv"), "key,embedding,title,score,meta,tags,colour\n"
                                                "1,\"[1,2,3,4]\",a,0.5,{},\"[1]\",red\n"
                                                "2,\"[5,6,7,8]\",b,1.5,{},\"[2]\",blue\n");
        const CollectionSchema schema = test::richSchema(4);
        ImportDialog dialog(path, schema);
        QSignalSpy read(&dialog, &ImportDialog::columnsRead);
        QVERIFY(read.wait(10000));
        QCOMPARE(dialog.sourceColumns(),
                 (QStringList{"key", "embedding", "title", "score", "meta", "tags", "colour"}));
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("mappingTable"));
        // By name where the names match; the rest to the dynamic field (the schema has one).
        QCOMPARE(static_cast<QComboBox *>(table->cellWidget(2, 1))->currentText(), QStringLiteral("title"));
        QCOMPARE(static_cast<QComboBox *>(table->cellWidget(6, 1))->currentText(),
                 QStringLiteral("(dynamic field)"));
        static_cast<QComboBox *>(table->cellWidget(0, 1))->setCurrentText(QStringLiteral("id"));
        static_cast<QComboBox *>(table->cellWidget(1, 1))->setCurrentText(QStringLiteral("vec"));
        const QMap<QString, QString> mapping = dialog.mapping();
        QCOMPARE(mapping.value(QStringLiteral("key")), QStringLiteral("id"));
        QCOMPARE(mapping.value(QStringLiteral("embedding")), QStringLiteral("vec"));
        QVERIFY(!mapping.contains(QStringLiteral("title")));

        auto client = m_server.client();
        client->createCollection({QStringLiteral("mapped"), schema});
        DataView view(std::shared_ptr<MilvusClient>(m_server.client()), QStringLiteral("default"),
                      QStringLiteral("mapped"));
        auto imported = view.importFrom(path, false, mapping);
        QVERIFY(test::waitForFuture(imported, 60000));
        QCOMPARE(imported.result().inserted, qint64(2));
        test::indexAndLoad(*client, QStringLiteral("mapped"));
        QueryRequest q{QStringLiteral("mapped")};
        q.filter = QStringLiteral("id == 2");
        q.outputFields = {QStringLiteral("*")};
        const QVariantMap row = client->query(q).row(0);
        QCOMPARE(row.value(QStringLiteral("title")).toString(), QStringLiteral("b"));
        QCOMPARE(row.value(QStringLiteral("colour")).toString(), QStringLiteral("blue"));
        QCOMPARE(row.value(QStringLiteral("vec")).toList().value(3).toDouble(), 8.0);
    }

    void unreadableFileSaysWhy()
    {
        ImportDialog dialog(m_dir.filePath(QStringLiteral("missing.csv")), test::richSchema(4));
        QSignalSpy read(&dialog, &ImportDialog::columnsRead);
        QVERIFY(read.wait(10000));
        auto *info = dialog.findChild<QLabel *>(QStringLiteral("importInfo"));
        QVERIFY2(info->text().contains(QLatin1String("cannot open")), qPrintable(info->text()));
        QVERIFY(!dialog.findChild<QWidget *>(QStringLiteral("importOkButton"))->isEnabled());
    }
};

} // namespace mx

QTEST_MAIN(mx::TestImportDialog)
#include "tst_importdialog.moc"
