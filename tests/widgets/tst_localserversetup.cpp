// LocalServerSetupDialog, offscreen, with real processes and no network: Install against an index that
// refuses connections ends in the "cannot be reached" message with pip's output shown and Try again
// offered; Cancel while pip waits on a silent index stops it and removes the half-made environment;
// and MainWindow offers the dialog when the local server's packages are missing.

#include "ConnectionProfiles.h"
#include "LocalServer.h"
#include "LocalServerSetupDialog.h"
#include "MainWindow.h"
#include "SecretStore.h"
#include "Session.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace mx {

class TestLocalServerSetup : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

private slots:
    void initTestCase()
    {
        // A user without the local servers: an empty data home, no venv override, no pip.conf.
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("share")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("PIP_CONFIG_FILE", "/dev/null");
        qunsetenv("PIP_FIND_LINKS");
        QVERIFY(LocalServer::userVenvDir().startsWith(m_home.path()));
    }

    void unreachableIndexShowsMessageAndLog()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const QByteArray url = QStringLiteral("http://127.0.0.1:%1/simple").arg(closed.serverPort()).toUtf8();
        closed.close();
        qputenv("PIP_INDEX_URL", url);
        LocalServerSetupDialog dialog;
        dialog.show();
        QSignalSpy installed(&dialog, &LocalServerSetupDialog::installed);
        auto *install = dialog.findChild<QPushButton *>(QStringLiteral("installButton"));
        QVERIFY(install && install->isEnabled());
        QTest::mouseClick(install, Qt::LeftButton);
        QVERIFY(!install->isEnabled());
        QVERIFY(dialog.findChild<QProgressBar *>(QStringLiteral("setupProgress"))->isVisible());
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("setupError"));
        QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 120000);
        QVERIFY2(error->text().contains(QLatin1String("cannot be reached")), qPrintable(error->text()));
        auto *log = dialog.findChild<QPlainTextEdit *>(QStringLiteral("setupLog"));
        QVERIFY(log->isVisible());
        QVERIFY(log->toPlainText().contains(QLatin1String("pip install")));
        QVERIFY(install->isEnabled()); // Try again
        QCOMPARE(installed.size(), 0);
        QVERIFY(!QDir(LocalServer::userVenvDir()).exists());
        qunsetenv("PIP_INDEX_URL");
    }

    void cancelStopsPip()
    {
        QTcpServer silent;
        QList<QTcpSocket *> held;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (auto *s = silent.nextPendingConnection())
                held << s;
        });
        qputenv("PIP_INDEX_URL",
                QStringLiteral("http://127.0.0.1:%1/simple").arg(silent.serverPort()).toUtf8());
        LocalServerSetupDialog dialog;
        dialog.show();
        QSignalSpy declined(&dialog, &LocalServerSetupDialog::declined);
        QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("installButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!held.isEmpty(), 60000); // pip is waiting on the index
        QTest::mouseClick(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel),
                          Qt::LeftButton);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(declined.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(LocalServer::userVenvDir()).exists(), 10000);
        qDeleteAll(held);
        qunsetenv("PIP_INDEX_URL");
    }

    void mainWindowOffersItWhenMissing()
    {
        qunsetenv("MILVUS_EXPLORER_VENV");
        qputenv("MILVUS_EXPLORER_MILVUS_LITE", "/nonexistent/milvus-lite");
        Session session;
        ConnectionProfiles profiles;
        SecretStore secrets;
        secrets.forceSessionOnly(QStringLiteral("test"));
        MainWindow window(&session, &profiles, &secrets);
        window.show();
        LocalServer::Options options;
        options.kind = LocalServer::Kind::Lite;
        window.startLocalServer(options);
        auto *dialog = window.findChild<LocalServerSetupDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(session.state(), Session::State::Disconnected); // nothing starts behind the offer
        // Declining starts it anyway, so the message says how to install by hand.
        dialog->reject();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Failed, 10000);
        QVERIFY(session.lastError().message().contains(QLatin1String("not installed")));
        qunsetenv("MILVUS_EXPLORER_MILVUS_LITE");
    }
};

} // namespace mx

QTEST_MAIN(mx::TestLocalServerSetup)
#include "tst_localserversetup.moc"
