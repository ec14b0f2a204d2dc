// Milvus Explorer: a thin main that wires the session to the main window.

#include "Appearance.h"
#include "CollectionActions.h"
#include "CollectionListModel.h"
#include "CollectionPage.h"
#include "ConnectionProfiles.h"
#include "DataView.h"
#include "Icons.h"
#include "MainWindow.h"
#include "SecretStore.h"
#include "Session.h"
#include "Version.h"
#include "WelcomePanel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <optional>
#include <string_view>

namespace {

// The command line, declared once for the display-free --help/--version path and for the app.
struct CommandLine
{
    QCommandLineParser parser;
    const QCommandLineOption uriOpt{QStringLiteral("uri"),
                                    QStringLiteral("Connect to this Milvus server instead of "
                                                   "starting a local one."),
                                    QStringLiteral("uri")};
    const QCommandLineOption dbOpt{QStringLiteral("db"), QStringLiteral("Database name."),
                                   QStringLiteral("name")};
    const QCommandLineOption tokenEnvOpt{
        QStringLiteral("token-env"),
        QStringLiteral("Read the token from this environment variable (never pass secrets as arguments)."),
        QStringLiteral("var")};
    const QCommandLineOption caOpt{QStringLiteral("ca-file"), QStringLiteral("PEM CA certificate for TLS."),
                                   QStringLiteral("file")};
    const QCommandLineOption serverOpt{
        QStringLiteral("server"),
        QStringLiteral("Start this local server: standalone (the real Milvus 2.3 server; the default) or "
                       "lite (Milvus Lite). Without it, the one chosen in Connections starts."),
        QStringLiteral("kind")};
    const QCommandLineOption dataDirOpt{QStringLiteral("data-dir"),
                                        QStringLiteral("Data directory of the local server."),
                                        QStringLiteral("dir")};
    const QCommandLineOption screenshotOpt{
        QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window once the collection list is shown, then quit."),
        QStringLiteral("file")};
    const QCommandLineOption openOpt{
        QStringLiteral("open"),
        QStringLiteral("Open this collection's tab once connected ([database.]collection[/data])."),
        QStringLiteral("collection")};
    const QCommandLineOption loadOpt{
        QStringLiteral("load"),
        QStringLiteral("Load this collection once connected ([database.]collection)."),
        QStringLiteral("collection")};

    const QCommandLineOption sampleOpt{
        QStringLiteral("sample-dataset"),
        QStringLiteral("Load the sample dataset once connected (the welcome panel's button); with "
                       "--screenshot, the picture is taken once it is loaded.")};

    CommandLine()
    {
        parser.setApplicationDescription(QStringLiteral("Browse, search and load-test Milvus."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({uriOpt, dbOpt, tokenEnvOpt, caOpt, serverOpt, dataDirOpt, screenshotOpt, openOpt,
                           loadOpt, sampleOpt});
    }
};

// --help and --version print and exit before any display is needed (a QApplication aborts without one).
bool asksForInfoOnly(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view a(argv[i]);
        if (a == "-h" || a == "--help" || a == "-?" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("MilvusExplorer"));
    QCoreApplication::setApplicationName(QStringLiteral("milvus-explorer"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(mx::kVersion));
}

} // namespace

int main(int argc, char *argv[])
{
    if (asksForInfoOnly(argc, argv)) {
        QCoreApplication core(argc, argv);
        setIdentity();
        CommandLine cli;
        cli.parser.process(core); // prints help or version and exits
        return 0;
    }
    QApplication app(argc, argv);
    setIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Milvus Explorer"));
    mx::applySystemColorScheme(app);
    // Installed: the hicolor icon of the package (and the menu entry it belongs to); else the built-in one.
    QApplication::setDesktopFileName(QStringLiteral("io.github.milvusexplorer.MilvusExplorer"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.milvusexplorer.MilvusExplorer"),
                                                 mx::icon(QStringLiteral("app"))));

    CommandLine cli;
    QCommandLineParser &parser = cli.parser;
    const QCommandLineOption &uriOpt = cli.uriOpt;
    const QCommandLineOption &dbOpt = cli.dbOpt;
    const QCommandLineOption &tokenEnvOpt = cli.tokenEnvOpt;
    const QCommandLineOption &caOpt = cli.caOpt;
    const QCommandLineOption &serverOpt = cli.serverOpt;
    const QCommandLineOption &dataDirOpt = cli.dataDirOpt;
    const QCommandLineOption &screenshotOpt = cli.screenshotOpt;
    const QCommandLineOption &openOpt = cli.openOpt;
    const QCommandLineOption &loadOpt = cli.loadOpt;
    const QCommandLineOption &sampleOpt = cli.sampleOpt;
    parser.process(app);
    std::optional<mx::LocalServer::Kind> serverKind;
    if (parser.isSet(serverOpt)) {
        serverKind = mx::LocalServer::kindFromKey(parser.value(serverOpt));
        if (!serverKind) {
            fprintf(stderr, "milvus-explorer: --server takes 'standalone' or 'lite', not '%s'\n",
                    qPrintable(parser.value(serverOpt)));
            return 2;
        }
    }

    mx::Session session;
    mx::ConnectionProfiles profiles;
    mx::SecretStore secrets;
    mx::MainWindow window(&session, &profiles, &secrets);
    window.show();

    const auto splitName = [](const QString &what) {
        const qsizetype dot = what.indexOf(QLatin1Char('.'));
        return dot > 0 ? std::pair{what.left(dot), what.mid(dot + 1)}
                       : std::pair{QStringLiteral("default"), what};
    };
    if (parser.isSet(loadOpt)) {
        const auto [db, coll] = splitName(parser.value(loadOpt));
        QObject::connect(
            &session, &mx::Session::connected, &window,
            [&window, db, coll] { window.actions()->loadCollection(db, coll); }, Qt::SingleShotConnection);
    }
    if (parser.isSet(openOpt)) {
        QString what = parser.value(openOpt);
        const bool dataTab = what.endsWith(QLatin1String("/data"));
        if (dataTab)
            what.chop(5);
        const auto [db, coll] = splitName(what);
        QObject::connect(
            &window, &mx::MainWindow::collectionsShown, &window,
            [&window, db, coll, dataTab] {
                if (auto *page = window.openCollection(db, coll); page && dataTab)
                    page->setCurrentWidget(page->dataView());
            },
            Qt::SingleShotConnection);
    }

    if (parser.isSet(sampleOpt))
        QObject::connect(
            &window, &mx::MainWindow::collectionsShown, &window,
            [&window] { window.welcomePanel()->loadSample(); }, Qt::SingleShotConnection);

    if (parser.isSet(screenshotOpt)) {
        const QString file = parser.value(screenshotOpt);
        const auto grab = [&window, file] {
            // Let the table paint its final rows before grabbing.
            QTimer::singleShot(1200, &window, [&window, file] {
                window.grab().save(file);
                QApplication::quit();
            });
        };
        // The picture a user sees once the server has settled: no collection still loading (the full
        // server loads indexed collections on its own after a restart), for at most a minute.
        const auto settled = [&window] {
            const mx::CollectionListModel *m = window.collectionModel();
            if (m->isBusy())
                return false;
            for (int r = 0; r < m->rowCount(); ++r)
                if (m->index(r, mx::CollectionListModel::LoadStateColumn)
                        .data(mx::CollectionListModel::LoadStateRole)
                        .toInt() == int(mx::LoadState::Loading))
                    return false;
            return true;
        };
        const auto shoot = [&window, grab, settled] {
            auto *poll = new QTimer(&window);
            auto *clock = new QElapsedTimer;
            clock->start();
            QObject::connect(poll, &QTimer::timeout, &window, [poll, clock, grab, settled] {
                if (!settled() && clock->elapsed() < 60000)
                    return;
                poll->stop();
                poll->deleteLater();
                delete clock;
                grab();
            });
            poll->start(500);
        };
        if (parser.isSet(sampleOpt)) {
            QObject::connect(window.welcomePanel(), &mx::WelcomePanel::sampleLoaded, &window,
                             [&window, shoot] {
                                 // The list refreshes after the load; shoot once it shows the new collection.
                                 QObject::connect(&window, &mx::MainWindow::collectionsShown, &window, shoot,
                                                  Qt::SingleShotConnection);
                             });
        } else {
            QObject::connect(&window, &mx::MainWindow::collectionsShown, &window, shoot,
                             Qt::SingleShotConnection);
        }
        QObject::connect(&session, &mx::Session::failed, &window, grab);
        QTimer::singleShot(120000, &app, [] { QApplication::exit(3); });
    }

    if (parser.isSet(uriOpt)) {
        mx::ConnectionConfig config;
        config.uri = parser.value(uriOpt);
        config.dbName = parser.value(dbOpt);
        if (parser.isSet(tokenEnvOpt))
            config.token = qEnvironmentVariable(parser.value(tokenEnvOpt).toLocal8Bit().constData());
        config.tls.caFile = parser.value(caOpt);
        session.connectTo(config);
    } else if (const auto last = profiles.find(profiles.lastUsedId());
               last && !last->embedded && !parser.isSet(dataDirOpt) && !serverKind) {
        // Reconnect to where the user was last time; its secrets come from the keychain.
        mx::ConnectionProfiles::withSecrets(*last, &secrets)
            .then(&window, [&session, name = last->name](const mx::ConnectionConfig &cfg) {
                session.connectTo(cfg);
                session.setDisplayName(name);
            });
    } else {
        mx::LocalServer::Options options;
        options.kind = serverKind.value_or(mx::ConnectionProfiles::localServerAtLaunch());
        options.dataDir = parser.value(dataDirOpt);
        options.secrets = &secrets;
        window.startLocalServer(options);
    }
    const int rc = app.exec();
    // A profile saved just before quitting: its secrets reach the keychain before the process ends.
    if (!secrets.finishPending())
        qWarning("milvus-explorer: the keychain did not confirm %d secret change(s) before exit",
                 secrets.pending());
    return rc;
}
