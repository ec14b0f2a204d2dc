// Delete by expression: Delete stays disabled until a preview of the current text succeeded, editing
// the text disables it again, late answers do not count, Delete asks for the count to be typed, and the
// whole flow against Milvus Lite deletes exactly what the preview counted.

#include "ConfirmDestructiveDialog.h"
#include "DeleteByExpressionDialog.h"
#include "DialogTestUtil.h"
#include "TestSupport.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>

namespace mx {

using test::need;
using test::retype;

namespace {

QString resultText(const QWidget *dlg)
{
    return need<QLabel>(dlg, QStringLiteral("previewResult"))->text();
}

} // namespace

class TestDeleteByExpressionDialog : public QObject
{
    Q_OBJECT

private slots:
    void deleteNeedsAPreviewOfTheCurrentText()
    {
        DeleteByExpressionDialog dlg(QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        QSignalSpy preview(&dlg, &DeleteByExpressionDialog::previewRequested);
        auto *edit = need<QLineEdit>(&dlg, QStringLiteral("expressionEdit"));
        auto *previewButton = need<QPushButton>(&dlg, QStringLiteral("previewButton"));
        QCOMPARE(QApplication::focusWidget(), edit);
        QVERIFY(!previewButton->isEnabled()); // nothing to preview yet
        QVERIFY(!dlg.okButton()->isEnabled());

        QTest::keyClicks(edit, QStringLiteral("category == \"obsolete\""));
        QVERIFY(previewButton->isEnabled());
        QVERIFY(!dlg.okButton()->isEnabled());
        QTest::mouseClick(previewButton, Qt::LeftButton);
        QCOMPARE(preview.count(), 1);
        QCOMPARE(preview.first().first().toString(), QStringLiteral("category == \"obsolete\""));
        QVERIFY(resultText(&dlg).contains(QLatin1String("Counting")));
        QVERIFY(!dlg.okButton()->isEnabled());

        dlg.setPreviewCount(1234);
        QVERIFY(dlg.okButton()->isEnabled());
        QCOMPARE(resultText(&dlg), QStringLiteral("This will delete 1,234 entities."));
        QCOMPARE(dlg.request().filter, QStringLiteral("category == \"obsolete\""));
        QCOMPARE(dlg.request().collection, QStringLiteral("articles"));

        // Any edit makes the count stale.
        QTest::keyClicks(edit, QStringLiteral(" and id > 10"));
        QVERIFY(!dlg.okButton()->isEnabled());
        QVERIFY(resultText(&dlg).contains(QLatin1String("changed since the preview")));
        // Going back to the previewed text trusts the count again: it is the same expression.
        for (int i = 0; i < 12; ++i)
            QTest::keyClick(edit, Qt::Key_Backspace);
        QVERIFY(dlg.okButton()->isEnabled());
        QTest::keyClick(edit, Qt::Key_Backspace);
        QVERIFY(!dlg.okButton()->isEnabled());

        // Enter previews (it never deletes).
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(preview.count(), 2);
        dlg.setPreviewCount(1);
        QCOMPARE(resultText(&dlg), QStringLiteral("This will delete 1 entity."));
        QVERIFY(dlg.okButton()->isEnabled());
        QSignalSpy submitted(&dlg, &ActionDialog::submitRequested);
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(submitted.count(), 0);
        QCOMPARE(preview.count(), 2); // already previewed
    }

    void previewErrorAndZeroKeepDeleteDisabled()
    {
        DeleteByExpressionDialog dlg(QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        auto *edit = need<QLineEdit>(&dlg, QStringLiteral("expressionEdit"));
        QTest::keyClicks(edit, QStringLiteral("id >"));
        dlg.requestPreview();
        dlg.setPreviewError(QStringLiteral("cannot parse expression: id >"));
        QVERIFY(!dlg.okButton()->isEnabled());
        auto *error = need<QLabel>(&dlg, QStringLiteral("previewError"));
        QVERIFY(error->isVisible());
        QVERIFY(error->text().contains(QLatin1String("cannot parse")));

        retype(edit, QStringLiteral("id < 0"));
        dlg.requestPreview();
        QVERIFY(!error->isVisible()); // a new preview clears the old complaint
        dlg.setPreviewCount(0);
        QVERIFY(!dlg.okButton()->isEnabled());
        QVERIFY(resultText(&dlg).contains(QLatin1String("nothing to delete")));
    }

    void lateAnswerForAnEditedExpression()
    {
        DeleteByExpressionDialog dlg(QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        auto *edit = need<QLineEdit>(&dlg, QStringLiteral("expressionEdit"));
        QTest::keyClicks(edit, QStringLiteral("id < 100"));
        dlg.requestPreview();
        QTest::keyClicks(edit, QStringLiteral("0")); // "id < 1000" while the count of "id < 100" travels
        dlg.setPreviewCount(100);
        QVERIFY(!dlg.okButton()->isEnabled());
        QVERIFY(resultText(&dlg).contains(QLatin1String("changed since the preview")));
        dlg.setPreviewCount(5); // no preview pending: ignored
        QVERIFY(!dlg.okButton()->isEnabled());
    }

    void deleteAsksToTypeTheCount()
    {
        DeleteByExpressionDialog dlg(QStringLiteral("articles"));
        dlg.setDatabaseName(QStringLiteral("news"));
        QVERIFY(test::showActive(&dlg));
        QSignalSpy submitted(&dlg, &ActionDialog::submitRequested);
        QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("expressionEdit")),
                         QStringLiteral("id in [1, 2, 3]"));
        dlg.requestPreview();
        dlg.setPreviewCount(3);
        QVERIFY(dlg.okButton()->styleSheet().contains(QLatin1String("#c62828")));
        QVERIFY(!dlg.okButton()->isDefault());
        QTest::mouseClick(dlg.okButton(), Qt::LeftButton);
        QCOMPARE(submitted.count(), 0); // not yet: the confirmation comes first

        ConfirmDestructiveDialog *confirm = dlg.confirmationDialog();
        QVERIFY(confirm);
        QCOMPARE(confirm->objectName(), QStringLiteral("confirmDeleteDialog"));
        QVERIFY(QTest::qWaitForWindowActive(confirm));
        const QString what = need<QLabel>(confirm, QStringLiteral("whatLabel"))->text();
        QCOMPARE(what,
                 QStringLiteral("Delete 3 entities matching `id in [1, 2, 3]` from collection 'articles' in "
                                "database 'news'? This cannot be undone."));
        QCOMPARE(confirm->nameToType(), QStringLiteral("3"));
        QVERIFY(!confirm->okButton()->isEnabled());
        QTest::keyClicks(need<QLineEdit>(confirm, QStringLiteral("confirmNameEdit")), QStringLiteral("3"));
        QVERIFY(confirm->okButton()->isEnabled());
        QTest::mouseClick(confirm->okButton(), Qt::LeftButton);
        QCOMPARE(submitted.count(), 1);
        QCOMPARE(dlg.result(), int(QDialog::Accepted));
        QCOMPARE(dlg.request().options.dbName, QStringLiteral("news"));
    }

    void cancellingTheConfirmationDeletesNothing()
    {
        DeleteByExpressionDialog dlg(QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        QSignalSpy submitted(&dlg, &ActionDialog::submitRequested);
        QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("expressionEdit")), QStringLiteral("id > 0"));
        dlg.requestPreview();
        dlg.setPreviewCount(10);
        QTest::mouseClick(dlg.okButton(), Qt::LeftButton);
        QPointer<ConfirmDestructiveDialog> confirm = dlg.confirmationDialog();
        QVERIFY(confirm);
        QVERIFY(QTest::qWaitForWindowActive(confirm));
        QTest::keyClick(confirm, Qt::Key_Escape);
        QTRY_VERIFY(confirm.isNull()); // deleted on close
        QCOMPARE(submitted.count(), 0);
        QVERIFY(dlg.isVisible());
        QVERIFY(dlg.okButton()->isEnabled()); // the user may try again
    }

    // The flow the app runs: count(*) for the preview, DeleteEntities for the request, Milvus Lite answering.
    void endToEndAgainstMilvusLite()
    {
        test::TestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        auto client = server.client();
        const QString name = test::createLoadedCollection(*client, QStringLiteral("dialog_delete"), 4, 40);
        const auto count = [&client, &name](const QString &filter) {
            QueryRequest q;
            q.collection = name;
            q.filter = filter;
            q.outputFields = {QStringLiteral("count(*)")};
            q.consistency = ConsistencyLevel::Strong;
            return q;
        };

        DeleteByExpressionDialog dlg(name);
        dlg.setDeferredAccept(true);
        QVERIFY(test::showActive(&dlg));
        connect(&dlg, &DeleteByExpressionDialog::previewRequested, &dlg, [&](const QString &expr) {
            client->queryAsync(count(expr))
                .then(&dlg,
                      [&dlg](const QueryResult &r) {
                          const FieldColumn *c = r.column(QStringLiteral("count(*)"));
                          dlg.setPreviewCount(c && c->rowCount() == 1 ? c->value(0).toLongLong() : -1);
                      })
                .onFailed(&dlg,
                          [&dlg](const MilvusException &e) { dlg.setPreviewError(e.error().message()); });
        });
        connect(&dlg, &ActionDialog::submitRequested, &dlg, [&] {
            client->deleteEntitiesAsync(dlg.request())
                .then(&dlg, [&dlg](const MutationResult &) { dlg.accept(); })
                .onFailed(&dlg,
                          [&dlg](const MilvusException &e) { dlg.showServerError(e.error().message()); });
        });

        auto *edit = need<QLineEdit>(&dlg, QStringLiteral("expressionEdit"));
        // A malformed expression: the server's parser message shows up, Delete stays disabled.
        QTest::keyClicks(edit, QStringLiteral("id >"));
        QTest::keyClick(edit, Qt::Key_Return);
        auto *previewError = need<QLabel>(&dlg, QStringLiteral("previewError"));
        QTRY_VERIFY_WITH_TIMEOUT(previewError->isVisible(), 30000);
        QVERIFY(!dlg.okButton()->isEnabled());

        QTest::keyClicks(edit, QStringLiteral(" 29"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(dlg.hasCurrentPreview(), 30000);
        QCOMPARE(dlg.previewCount(), 10); // ids 30..39
        QVERIFY(!previewError->isVisible());
        QTest::mouseClick(dlg.okButton(), Qt::LeftButton);
        ConfirmDestructiveDialog *confirm = dlg.confirmationDialog();
        QVERIFY(confirm);
        QTest::keyClicks(need<QLineEdit>(confirm, QStringLiteral("confirmNameEdit")), QStringLiteral("10"));
        QTest::mouseClick(confirm->okButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dlg.isBusy(), 30000);
        QVERIFY2(dlg.result() == QDialog::Accepted, qPrintable(dlg.serverError()));

        const QueryResult left = client->query(count(QString()));
        QCOMPARE(left.column(QStringLiteral("count(*)"))->value(0).toLongLong(), 30);
        const QueryResult gone = client->query(count(QStringLiteral("id > 29")));
        QCOMPARE(gone.column(QStringLiteral("count(*)"))->value(0).toLongLong(), 0);
    }
};

} // namespace mx

QTEST_MAIN(mx::TestDeleteByExpressionDialog)
#include "tst_deletebyexpressiondialog.moc"
