#include "ServerInstall.h"

#include "CancelToken.h"
#include "MilvusError.h"
#include "VenvBootstrap.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace mx {

namespace {
std::atomic<bool> g_cancel{false};
void onInterrupt(int)
{
    g_cancel.store(true);
}
} // namespace

bool ensureLocalServer(LocalServer::Kind kind, bool assumeYes, bool quiet)
{
    if (!LocalServer::locate(kind).isEmpty())
        return true;
    QTextStream err(stderr);
    const QString venv = LocalServer::userVenvDir();
    if (!assumeYes) {
        if (!isatty(STDIN_FILENO)) {
            err << LocalServer::installHint(kind)
                << "\nRun again with --install-servers to install them into " << venv << "." << Qt::endl;
            return false;
        }
        err << LocalServer::kindName(kind)
            << " is not installed. Install Milvus Lite and the Milvus standalone "
            << "into " << venv << " now (pip, about 120 MB from the package index; no root needed)? [y/N] "
            << Qt::flush;
        char answer[16] = {};
        if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y')) {
            err << LocalServer::installHint(kind) << Qt::endl;
            return false;
        }
    }
    VenvBootstrap boot;
    auto token = CancelToken::create();
    VenvBootstrapRequest req;
    req.cancel = token;
    QObject::connect(&boot, &VenvBootstrap::progress, &boot, [&err, quiet](const QString &step, int pct) {
        if (!quiet)
            err << "  [" << pct << "%] " << step << Qt::endl;
    });
    err << "installing the local servers into " << venv << " (Ctrl-C cancels)" << Qt::endl;
    g_cancel.store(false);
    auto previous = std::signal(SIGINT, onInterrupt);
    QFuture<QString> done = boot.start(req);
    QEventLoop loop;
    QTimer tick;
    tick.setInterval(100);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (g_cancel.load() && !token->isCancelled())
            token->cancel();
        if (done.isFinished())
            loop.quit();
    });
    tick.start();
    loop.exec();
    std::signal(SIGINT, previous);
    try {
        err << "installed: " << done.result() << Qt::endl;
    } catch (const MilvusException &e) {
        err << "could not install the local servers: " << e.error().message() << Qt::endl;
        if (e.error().kind != ErrorKind::Cancelled && !e.error().detail.isEmpty())
            err << "--- pip's output ---\n" << e.error().detail.right(6000) << Qt::endl;
        return false;
    }
    return !LocalServer::locate(kind).isEmpty();
}

} // namespace mx
