// The typing confirmation: the red button stays disabled until the exact name is typed, Enter never
// confirms, Esc cancels, and the static confirm() helper returns what the user chose.

#include "ConfirmDestructiveDialog.h"
#include "DialogTestUtil.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTimer>

namespace mx {

using test::need;
using test::retype;

class TestConfirmDestructiveDialog : public QObject
{
    Q_OBJECT

    static QString what()
    {
        return ConfirmDestructiveDialog::describe(QStringLiteral("Drop"), QStringLiteral("collection"),
                                                  QStringLiteral("articles"), QStringLiteral("default"),
                                                  12000);
    }

private slots:
    void describesWhatIsDestroyed()
    {
        QCOMPARE(what(),
                 QStringLiteral("Drop collection 'articles' in database 'default' with 12,000 rows? This "
                                "cannot be undone."));
        QCOMPARE(ConfirmDestructiveDialog::describe(QStringLiteral("Drop"), QStringLiteral("partition"),
                                                    QStringLiteral("p1")),
                 QStringLiteral("Drop partition 'p1'? This cannot be undone."));
        QCOMPARE(ConfirmDestructiveDialog::describe(QStringLiteral("Truncate"), QStringLiteral("collection"),
                                                    QStringLiteral("a"), QString(), 1),
                 QStringLiteral("Truncate collection 'a' with 1 row? This cannot be undone."));
    }

    void buttonEnabledOnlyByTheExactName_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<bool>("mismatchShown");
        QTest::newRow("nothing") << "" << false << false;
        QTest::newRow("prefix") << "artic" << false << false;
        QTest::newRow("exact") << "articles" << true << false;
        QTest::newRow("other case") << "Articles" << false << true;
        QTest::newRow("longer") << "articles2" << false << true;
        QTest::newRow("trailing space") << "articles " << false << true;
        QTest::newRow("other name") << "products" << false << true;
    }

    void buttonEnabledOnlyByTheExactName()
    {
        QFETCH(QString, typed);
        QFETCH(bool, enabled);
        QFETCH(bool, mismatchShown);
        ConfirmDestructiveDialog dlg(QStringLiteral("Drop collection"), what(), QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        QVERIFY(!dlg.okButton()->isEnabled());
        QCOMPARE(QApplication::focusWidget(), need<QLineEdit>(&dlg, QStringLiteral("confirmNameEdit")));
        QTest::keyClicks(QApplication::focusWidget(), typed);
        QCOMPARE(dlg.okButton()->isEnabled(), enabled);
        QCOMPARE(need<QLabel>(&dlg, QStringLiteral("mismatchLabel"))->isVisible(), mismatchShown);
    }

    void showsWhatAndTheName()
    {
        ConfirmDestructiveDialog dlg(QStringLiteral("Drop collection"), what(), QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        QCOMPARE(need<QLabel>(&dlg, QStringLiteral("whatLabel"))->text(), what());
        QVERIFY(need<QLabel>(&dlg, QStringLiteral("promptLabel"))
                    ->text()
                    .contains(QLatin1String("<b>articles</b>")));
        QCOMPARE(dlg.okButton()->text(), QStringLiteral("Drop collection"));
        dlg.setActionText(QStringLiteral("Drop"));
        QCOMPARE(dlg.okButton()->text(), QStringLiteral("Drop"));
    }

    void redAndNeverTheDefault()
    {
        ConfirmDestructiveDialog dlg(QStringLiteral("Drop collection"), what(), QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        QVERIFY(dlg.okButton()->styleSheet().contains(QLatin1String("#c62828")));
        QVERIFY(!dlg.okButton()->isDefault());
        QVERIFY(!dlg.okButton()->autoDefault());
        // Enter after typing the name does not destroy anything.
        QSignalSpy accepted(&dlg, &QDialog::accepted);
        auto *edit = need<QLineEdit>(&dlg, QStringLiteral("confirmNameEdit"));
        QTest::keyClicks(edit, QStringLiteral("articles"));
        QVERIFY(dlg.okButton()->isEnabled());
        QTest::keyClick(edit, Qt::Key_Return);
        QTest::keyClick(edit, Qt::Key_Enter);
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dlg.isVisible());
        for (QPushButton *b : dlg.findChildren<QPushButton *>())
            QVERIFY2(!b->isDefault(), qPrintable(b->text()));
        // A deliberate click does.
        QTest::mouseClick(dlg.okButton(), Qt::LeftButton);
        QCOMPARE(accepted.count(), 1);
    }

    void escCancels()
    {
        ConfirmDestructiveDialog dlg(QStringLiteral("Drop collection"), what(), QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        QSignalSpy rejected(&dlg, &QDialog::rejected);
        QTest::keyClicks(need<QLineEdit>(&dlg, QStringLiteral("confirmNameEdit")),
                         QStringLiteral("articles"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(dlg.result(), int(QDialog::Rejected));
        QVERIFY(!dlg.isVisible());
    }

    void staticConfirm()
    {
        // Typed and clicked: true.
        QTimer::singleShot(0, this, [] {
            auto *dlg = qobject_cast<ConfirmDestructiveDialog *>(QApplication::activeModalWidget());
            QVERIFY(dlg);
            QTest::keyClicks(need<QLineEdit>(dlg, QStringLiteral("confirmNameEdit")),
                             QStringLiteral("articles"));
            QTest::mouseClick(dlg->okButton(), Qt::LeftButton);
        });
        QVERIFY(ConfirmDestructiveDialog::confirm(nullptr, QStringLiteral("Drop collection"), what(),
                                                  QStringLiteral("articles")));

        // Clicked without typing (nothing happens), then Esc: false.
        QTimer::singleShot(0, this, [] {
            auto *dlg = qobject_cast<ConfirmDestructiveDialog *>(QApplication::activeModalWidget());
            QVERIFY(dlg);
            QTest::mouseClick(dlg->okButton(), Qt::LeftButton);
            QVERIFY(dlg->isVisible());
            QTest::keyClick(dlg, Qt::Key_Escape);
        });
        QVERIFY(!ConfirmDestructiveDialog::confirm(nullptr, QStringLiteral("Drop collection"), what(),
                                                   QStringLiteral("articles")));
    }

    void keyboardOnlyConfirmation()
    {
        // Tab from the name reaches Cancel first, then the red button; Space presses it.
        ConfirmDestructiveDialog dlg(QStringLiteral("Truncate collection"), what(),
                                     QStringLiteral("articles"));
        QVERIFY(test::showActive(&dlg));
        QSignalSpy accepted(&dlg, &QDialog::accepted);
        QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("articles"));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), dlg.cancelButton());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), dlg.okButton());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QCOMPARE(accepted.count(), 1);
    }
};

} // namespace mx

QTEST_MAIN(mx::TestConfirmDestructiveDialog)
#include "tst_confirmdestructivedialog.moc"
