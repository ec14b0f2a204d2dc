// The explorer end to end, through the real widgets, offscreen, on both local servers: create a collection
// through the dialog, generate and insert 10,000 rows, page to the end, filter, delete by expression
// (with the typed confirmation; list, overview and Data tab right without a refresh), export to CSV,
// re-import into a new collection made through the dialog, and compare every row. Then the bad files: each
// fails naming the row and field, and nothing is half-inserted.

#include "CollectionActions.h"
#include "CollectionDetails.h"
#include "CollectionListModel.h"
#include "CollectionPage.h"
#include "ConnectionProfiles.h"
#include "CreateCollectionDialog.h"
#include "DataView.h"
#include "EntityTableModel.h"
#include "MainWindow.h"
#include "SecretStore.h"
#include "Session.h"
#include "TestSupport.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <functional>

namespace mx {

namespace {
// The schema built in the dialog: a primary key the user owns (so that rows can be compared after a
// re-import), a vector, scalars of several kinds, JSON, an array, and the dynamic field.
CreateCollectionRequest flowSchema(const QString &name)
{
    CreateCollectionRequest r;
    r.collection = name;
    r.schema = test::richSchema(8);
    return r;
}

qint64 count(MilvusClient &client, const QString &collection, const QString &filter = {})
{
    QueryRequest q{collection};
    q.filter = filter;
    q.outputFields = {QStringLiteral("count(*)")};
    q.consistency = ConsistencyLevel::Strong; // rows written through the app's own client too
    return client.query(q).column(QStringLiteral("count(*)"))->value(0).toLongLong();
}

// Every row of a collection, by primary key.
QMap<qint64, QVariantMap> allRows(MilvusClient &client, const QString &collection)
{
    QMap<qint64, QVariantMap> out;
    qint64 last = -1;
    for (;;) {
        QueryRequest q{collection};
        q.filter = QStringLiteral("id > %1").arg(last);
        q.outputFields = {QStringLiteral("*")};
        q.limit = 2000;
        q.iterator = true;
        const QueryResult r = client.query(q);
        if (r.rowCount() == 0)
            break;
        for (qsizetype i = 0; i < r.rowCount(); ++i) {
            QVariantMap row = r.row(i);
            const qint64 id = row.value(QStringLiteral("id")).toLongLong();
            out.insert(id, row);
            last = std::max(last, id);
        }
    }
    return out;
}

// Runs `act` on the next modal dialog as soon as it shows. A polling timer rather than a nested wait:
// the dialog runs its own event loop (exec()), and timers still fire inside it.
// What the main window's collection list shows as a collection's rows ("" while it is not listed).
QString listedRows(const MainWindow &window, const QString &collection)
{
    const CollectionListModel *m = window.collectionModel();
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, CollectionListModel::NameColumn).data().toString() == collection)
            return m->index(r, CollectionListModel::RowsColumn).data().toString();
    return {};
}

void onNextModal(std::function<bool(QWidget *)> act)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(50);
    auto deadline = std::make_shared<QElapsedTimer>();
    deadline->start();
    QObject::connect(timer, &QTimer::timeout, qApp, [timer, act, deadline] {
        QWidget *dialog = QApplication::activeModalWidget();
        if ((dialog && act(dialog)) || deadline->elapsed() > 60000) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
}

// Types the name into the next typed confirmation and confirms.
void confirmNextDialog(const QString &typed)
{
    onNextModal([typed](QWidget *dialog) {
        auto *edit = dialog->findChild<QLineEdit *>(QStringLiteral("confirmNameEdit"));
        auto *ok = dialog->findChild<QPushButton *>(QStringLiteral("okButton"));
        if (!edit || !ok)
            return false;
        QTest::keyClicks(edit, typed);
        if (ok->isEnabled())
            ok->click();
        return true;
    });
}

// Closes the next message box (import errors are reported in one), remembering its text.
void dismissNextMessageBox(QString *text)
{
    onNextModal([text](QWidget *dialog) {
        auto *box = qobject_cast<QMessageBox *>(dialog);
        if (!box)
            return false;
        *text = box->text();
        box->accept();
        return true;
    });
}
} // namespace

class TestExplorerFlow : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    QTemporaryDir m_files;

    CollectionPage *createThroughDialog(MainWindow &window, const QString &name)
    {
        auto *action = window.findChild<QAction *>(QStringLiteral("newCollectionAction"));
        action->trigger();
        CreateCollectionDialog *dialog = nullptr;
        if (!QTest::qWaitFor(
                [&] { return (dialog = window.findChild<CreateCollectionDialog *>()) != nullptr; }, 5000))
            return nullptr;
        dialog->setRequest(flowSchema(name));
        if (!dialog->okButton()->isEnabled())
            qWarning() << "dialog refuses the schema:" << dialog->problems();
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        // The dialog stays open until the server answered, then the new collection's tab opens.
        CollectionPage *page = nullptr;
        QTest::qWaitFor(
            [&] {
                page = qobject_cast<CollectionPage *>(window.tabs()->currentWidget());
                return page && page->collection() == name;
            },
            20000);
        // Index and load it while empty, as a user does before reading: the full server loads only indexed
        // collections (Milvus Lite loads this one by itself). The page hears of it like of any change.
        if (page) {
            test::indexAndLoad(*m_server.client(), name);
            window.actions()->notifyChanged(QStringLiteral("default"), name);
        }
        return page;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void wholeFlow()
    {
        Session session;
        ConnectionProfiles profiles;
        SecretStore secrets;
        secrets.forceSessionOnly(QStringLiteral("test"));
        MainWindow window(&session, &profiles, &secrets);
        window.show();
        ConnectionConfig cfg;
        cfg = m_server.config();
        session.connectTo(cfg);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Connected, 20000);
        auto client = session.client();

        // 1. Create through the dialog.
        CollectionPage *page = createThroughDialog(window, QStringLiteral("flow_source"));
        QVERIFY(page);
        QVERIFY(client->hasCollection({QStringLiteral("flow_source")}));
        DataView *data = page->dataView();
        page->setCurrentWidget(data);

        // 2. Generate and insert 10,000 rows.
        auto generated = data->generate(10000);
        QVERIFY(test::waitForFuture(generated, 180000));
        QCOMPARE(generated.result().inserted, qint64(10000));
        QCOMPARE(count(*client, QStringLiteral("flow_source")), qint64(10000));
        // Every view follows the app's own write without a refresh (the full server reads Bounded by
        // default: the app reads its own writes): the list, the overview, the Data tab.
        const QString tenThousand = QLocale().toString(10000);
        QTRY_COMPARE_WITH_TIMEOUT(listedRows(window, QStringLiteral("flow_source")), tenThousand, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(page->details()->rowCount(), qint64(10000), 20000);

        // 3. Page to the end through the view, as scrolling does.
        EntityTableModel *model = data->model();
        QTRY_VERIFY_WITH_TIMEOUT(model->state() == EntityTableModel::State::Ready && model->rowCount() > 0,
                                 20000);
        QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), qint64(10000), 20000);
        QTableView *table = data->table();
        QVERIFY(QTest::qWaitFor(
            [&] {
                table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum());
                return model->atEnd() && !model->isFetching();
            },
            120000));
        QCOMPARE(model->rowCount(), 10000);
        QSet<qint64> keys;
        for (int r = 0; r < model->rowCount(); ++r)
            keys.insert(model->index(r, 0).data(EntityTableModel::PrimaryKeyRole).toLongLong());
        QCOMPARE(keys.size(), 10000);

        // 4. Filter: the first 100 keys.
        const qint64 hundredth = model->index(100, 0).data(EntityTableModel::PrimaryKeyRole).toLongLong();
        auto *filter = data->findChild<QLineEdit *>(QStringLiteral("filterEdit"));
        filter->setText(QStringLiteral("id < %1").arg(hundredth));
        QTest::keyClick(filter, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), qint64(100), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 100, 20000);

        // A malformed filter shows the server's message next to the box; nothing else changes.
        filter->setText(QStringLiteral("id <<< 3"));
        QTest::keyClick(filter, Qt::Key_Return, Qt::ControlModifier);
        auto *filterError = data->findChild<QLabel *>(QStringLiteral("filterError"));
        QTRY_VERIFY_WITH_TIMEOUT(filterError->isVisible(), 20000);
        QVERIFY(!filterError->text().isEmpty());

        // Back to the good filter: the Data tab shows the 100 rows about to be deleted.
        filter->setText(QStringLiteral("id < %1").arg(hundredth));
        QTest::keyClick(filter, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), qint64(100), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 100, 20000);

        // 5. Delete by expression, with the typed confirmation (the count is previewed first).
        confirmNextDialog(QStringLiteral("flow_source"));
        auto deleted = data->deleteWhere(QStringLiteral("id < %1").arg(hundredth));
        QVERIFY(test::waitForFuture(deleted, 30000));
        QCOMPARE(deleted.result(), qint64(100));
        QCOMPARE(count(*client, QStringLiteral("flow_source")), qint64(9900));
        // Without a refresh: the filtered Data tab is empty, and the list and overview say 9,900.
        QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), qint64(0), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 0, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(listedRows(window, QStringLiteral("flow_source")), QLocale().toString(9900),
                                  20000);
        QTRY_COMPARE_WITH_TIMEOUT(page->details()->rowCount(), qint64(9900), 20000);

        // 6. Export everything to CSV.
        filter->clear();
        QTest::keyClick(filter, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(model->totalCount(), qint64(9900), 20000);
        const QString csv = m_files.filePath(QStringLiteral("flow.csv"));
        auto exported = data->exportTo(csv);
        QVERIFY(test::waitForFuture(exported, 120000));
        QCOMPARE(exported.result().rows, qint64(9900));

        // 7. A new collection through the dialog, re-import, compare every row.
        CollectionPage *copyPage = createThroughDialog(window, QStringLiteral("flow_copy"));
        QVERIFY(copyPage);
        auto imported = copyPage->dataView()->importFrom(csv);
        QVERIFY(test::waitForFuture(imported, 180000));
        QCOMPARE(imported.result().inserted, qint64(9900));
        const auto source = allRows(*client, QStringLiteral("flow_source"));
        const auto copy = allRows(*client, QStringLiteral("flow_copy"));
        QCOMPARE(source.size(), 9900);
        QCOMPARE(copy.keys(), source.keys());
        for (auto it = source.cbegin(); it != source.cend(); ++it)
            QCOMPARE(copy.value(it.key()), it.value());
    }

    void badFilesInsertNothing_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expectedRowAndField");
        const QByteArray header = "id,vec,title,score,meta,tags\n";
        const auto row = [](int id, const QByteArray &vec = "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]",
                            const QByteArray &idText = {}) {
            return (idText.isEmpty() ? QByteArray::number(id) : idText) + ",\"" + vec + "\",t" +
                   QByteArray::number(id) + ",0.5,\"{\"\"a\"\":1}\",\"[1,2]\"\n";
        };
        QTest::newRow("wrong dimension")
            << "dim.csv" << header + row(1) + row(2, "[0.1,0.2]") << "row 2, field 'vec'";
        QTest::newRow("text in INT64")
            << "int.csv" << header + row(1) + row(2, "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]", "abc")
            << "row 2, field 'id'";
        QByteArray big = header;
        for (int i = 1; i < 20000; ++i)
            big += row(i);
        big += row(20000, "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]", "x20000");
        QTest::newRow("large file, bad last row") << "big.csv" << big << "row 20000, field 'id'";
    }

    void badFilesInsertNothing()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, content);
        QFETCH(QString, expectedRowAndField);
        const QString path = m_files.filePath(fileName);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();

        auto client = m_server.client();
        const QString name = test::uniqueName(QStringLiteral("bad"));
        client->createCollection(flowSchema(name));
        test::indexAndLoad(*client, name);
        DataView view(std::shared_ptr<MilvusClient>(m_server.client()), QStringLiteral("default"), name);
        view.show();
        QString shown;
        dismissNextMessageBox(&shown);
        auto imported = view.importFrom(path);
        QVERIFY(test::waitForFuture(imported, 120000));
        const MilvusError e = test::expectError([&] { imported.result(); });
        qInfo() << e.message();
        QVERIFY2(e.message().contains(expectedRowAndField), qPrintable(e.message()));
        QTRY_VERIFY_WITH_TIMEOUT(shown.contains(expectedRowAndField), 10000);
        QCOMPARE(count(*client, name), qint64(0));

        // The same file, choosing to continue past errors: the good rows go in, the bad one is listed.
        QString report;
        dismissNextMessageBox(&report);
        auto partial = view.importFrom(path, true);
        QVERIFY(test::waitForFuture(partial, 120000));
        QCOMPARE(partial.result().skipped, qint64(1));
        QCOMPARE(count(*client, name), qint64(partial.result().inserted));
        QVERIFY(partial.result().inserted > 0);
        QTRY_VERIFY_WITH_TIMEOUT(report.contains(QLatin1String("skipped 1")), 10000);
    }
};

} // namespace mx

MX_TEST_MAIN_WITH_OWN_SETTINGS(mx::TestExplorerFlow, "tst_explorer_flow")
#include "tst_explorer_flow.moc"
