// mx_local_server: starts a local Milvus (Milvus Lite or the standalone) for scripts — the parity test,
// benchmarks that compare clients on one server, screenshots — and prints one JSON line with its URI,
// user, password, token and ports. Stops it cleanly on SIGTERM or SIGINT, or when standard input closes.
//   mx_local_server --kind standalone|lite --data-dir DIR

#include "LocalServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace {
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption kindOpt(QStringLiteral("kind"), QStringLiteral("standalone or lite"),
                                     QStringLiteral("kind"), QStringLiteral("standalone"));
    const QCommandLineOption dirOpt(QStringLiteral("data-dir"), QStringLiteral("data directory"),
                                    QStringLiteral("dir"));
    parser.addOptions({kindOpt, dirOpt});
    parser.process(app);
    const auto kind = mx::LocalServer::kindFromKey(parser.value(kindOpt));
    if (!kind || !parser.isSet(dirOpt)) {
        std::fprintf(stderr, "usage: mx_local_server --kind standalone|lite --data-dir DIR\n");
        return 2;
    }

    if (::pipe(g_signalPipe) != 0)
        return 1;
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);

    mx::LocalServer server;
    mx::LocalServer::Options options;
    options.kind = *kind;
    options.dataDir = parser.value(dirOpt);
    options.binaryDir = QStringLiteral(MX_TEST_STANDALONE_BIN_DIR);
    QObject::connect(&server, &mx::LocalServer::progress, &app,
                     [](const QString &step) { std::fprintf(stderr, "%s\n", qPrintable(step)); });

    const auto quit = [&server, &app] {
        server.stop();
        server.waitForStopped(20000);
        app.quit();
    };
    QSocketNotifier signalNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, quit);
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char buf[256];
        if (::read(STDIN_FILENO, buf, sizeof buf) <= 0) { // end of input: the caller has gone
            input.setEnabled(false);
            quit();
        }
    });
    QObject::connect(&server, &mx::LocalServer::unexpectedExit, &app, [&app](const QString &why) {
        std::fprintf(stderr, "%s\n", qPrintable(why));
        app.exit(3);
    });

    server.start(options)
        .then(&app,
              [&server](const mx::LocalServer::Endpoint &e) {
                  QJsonObject ports;
                  const auto all = server.listeningPorts();
                  for (auto it = all.begin(); it != all.end(); ++it)
                      ports.insert(it.key(), it.value());
                  const QString token = e.config.user.isEmpty()
                                            ? QString()
                                            : e.config.user + QLatin1Char(':') + e.config.password;
                  const QJsonObject out{{QStringLiteral("uri"), e.config.uri},
                                        {QStringLiteral("user"), e.config.user},
                                        {QStringLiteral("password"), e.config.password},
                                        {QStringLiteral("token"), token},
                                        {QStringLiteral("version"), e.version},
                                        {QStringLiteral("pid"), server.pid()},
                                        {QStringLiteral("ports"), ports}};
                  std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
                  std::fflush(stdout);
              })
        .onFailed(&app, [&app](const mx::MilvusException &e) {
            std::fprintf(stderr, "could not start: %s\n", qPrintable(e.error().message()));
            app.exit(1);
        });
    return app.exec();
}
