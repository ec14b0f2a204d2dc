// The one-name dialog (rename collection, create partition, create database): Milvus's naming rules,
// existing names, the unchanged name on rename, and Enter / Esc.

#include "DialogTestUtil.h"
#include "SimpleNameDialog.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>

#include <memory>

namespace mx {

using test::need;
using test::retype;

class TestSimpleNameDialog : public QObject
{
    Q_OBJECT

private slots:
    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem"); // empty: accepted
        QTest::newRow("letters") << "archive"
                                 << "";
        QTest::newRow("underscore first") << "_tmp_2024"
                                          << "";
        QTest::newRow("digits inside") << "p2024_q1"
                                       << "";
        QTest::newRow("255 characters") << QString(255, QLatin1Char('a')) << "";
        QTest::newRow("256 characters") << QString(256, QLatin1Char('a')) << "at most 255 characters";
        QTest::newRow("digit first") << "2024"
                                     << "must start with a letter or an underscore";
        QTest::newRow("hyphen") << "q-1"
                                << "('-' is not allowed)";
        QTest::newRow("space") << "q 1"
                               << "(a space is not allowed)";
        QTest::newRow("non-ASCII letter") << "straße"
                                          << "('ß' is not allowed)";
        QTest::newRow("existing") << "p_existing"
                                  << "A partition named 'p_existing' already exists.";
    }

    void names()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        std::unique_ptr<SimpleNameDialog> dlg(SimpleNameDialog::createPartition(
            QStringLiteral("articles"), {QStringLiteral("_default"), QStringLiteral("p_existing")}));
        QVERIFY(test::showActive(dlg.get()));
        QVERIFY(!dlg->okButton()->isEnabled());
        QTest::keyClicks(need<QLineEdit>(dlg.get(), QStringLiteral("nameEdit")), name);
        QCOMPARE(dlg->okButton()->isEnabled(), problem.isEmpty());
        auto *error = need<QLabel>(dlg.get(), QStringLiteral("nameError"));
        QCOMPARE(error->isVisible(), !problem.isEmpty());
        QVERIFY2(error->text().contains(problem), qPrintable(error->text()));
        if (problem.isEmpty())
            QCOMPARE(dlg->name(), name);
    }

    void renameNeedsANewName()
    {
        std::unique_ptr<SimpleNameDialog> dlg(
            SimpleNameDialog::renameCollection(QStringLiteral("articles"), {QStringLiteral("products")}));
        QVERIFY(test::showActive(dlg.get()));
        auto *edit = need<QLineEdit>(dlg.get(), QStringLiteral("nameEdit"));
        QCOMPARE(edit->text(), QStringLiteral("articles"));
        QCOMPARE(edit->selectedText(), QStringLiteral("articles")); // typing replaces it
        QVERIFY(!dlg->okButton()->isEnabled());
        QVERIFY(!need<QLabel>(dlg.get(), QStringLiteral("nameError"))->isVisible());
        QCOMPARE(dlg->okButton()->text(), QStringLiteral("Rename"));
        QVERIFY(need<QLabel>(dlg.get(), QStringLiteral("messageLabel"))
                    ->text()
                    .contains(QLatin1String("'articles'")));
        QTest::keyClicks(edit, QStringLiteral("products"));
        QVERIFY(!dlg->okButton()->isEnabled());
        QVERIFY(need<QLabel>(dlg.get(), QStringLiteral("nameError"))
                    ->text()
                    .contains(QLatin1String("already exists")));
        retype(edit, QStringLiteral("articles_2024"));
        QVERIFY(dlg->okButton()->isEnabled());
        QSignalSpy accepted(dlg.get(), &QDialog::accepted);
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(dlg->name(), QStringLiteral("articles_2024"));
    }

    void createDatabaseEnterAndEsc()
    {
        std::unique_ptr<SimpleNameDialog> dlg(SimpleNameDialog::createDatabase({QStringLiteral("default")}));
        QVERIFY(test::showActive(dlg.get()));
        QSignalSpy accepted(dlg.get(), &QDialog::accepted);
        auto *edit = need<QLineEdit>(dlg.get(), QStringLiteral("nameEdit"));
        QTest::keyClick(edit, Qt::Key_Return); // empty: nothing happens
        QCOMPARE(accepted.count(), 0);
        QTest::keyClicks(edit, QStringLiteral("default"));
        QTest::keyClick(edit, Qt::Key_Return); // exists: nothing happens
        QCOMPARE(accepted.count(), 0);
        QTest::keyClick(edit, Qt::Key_Escape);
        QCOMPARE(dlg->result(), int(QDialog::Rejected));
        QVERIFY(!dlg->isVisible());
    }

    void serverErrorKeepsTheName()
    {
        std::unique_ptr<SimpleNameDialog> dlg(SimpleNameDialog::createDatabase({}));
        dlg->setDeferredAccept(true);
        QVERIFY(test::showActive(dlg.get()));
        QSignalSpy submitted(dlg.get(), &ActionDialog::submitRequested);
        auto *edit = need<QLineEdit>(dlg.get(), QStringLiteral("nameEdit"));
        QTest::keyClicks(edit, QStringLiteral("analytics"));
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(submitted.count(), 1);
        QVERIFY(dlg->isBusy());
        QVERIFY(!edit->isEnabled());
        dlg->showServerError(QStringLiteral("CreateDatabase failed: database number exceeds the limit"));
        QVERIFY(dlg->isVisible());
        QVERIFY(edit->isEnabled());
        QCOMPARE(QApplication::focusWidget(), edit); // back where the user was
        QCOMPARE(dlg->name(), QStringLiteral("analytics"));
        QVERIFY(need<QLabel>(dlg.get(), QStringLiteral("serverError"))
                    ->text()
                    .contains(QLatin1String("exceeds")));
        dlg->accept();
        QCOMPARE(dlg->result(), int(QDialog::Accepted));
    }
};

} // namespace mx

QTEST_MAIN(mx::TestSimpleNameDialog)
#include "tst_simplenamedialog.moc"
