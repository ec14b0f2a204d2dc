// Renders the query workbench with real results into PNGs (docs/screenshots/search-*.png):
//   mx_search_screenshots <output directory>
// Starts a Milvus Lite of its own, fills a collection with short texts embedded by the local provider, and
// drives the workbench through the same widgets the tests use. Runs offscreen unless QT_QPA_PLATFORM says
// otherwise (scripts use xvfb-run for the real xcb platform).

#include "SearchResultModel.h"
#include "SearchWorkbench.h"
#include "TestSupport.h"
#include "WorkbenchTestSupport.h"

#include <QApplication>
#include <QDir>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>

namespace {

using namespace mx;
using namespace mx::test;

bool save(QWidget *w, const QDir &dir, const QString &name)
{
    QTest::qWait(100); // let layouts and the selection settle
    const QString path = dir.filePath(QStringLiteral("search-%1.png").arg(name));
    const bool ok = w->grab().save(path);
    std::printf("%s %s (%dx%d)\n", ok ? "wrote" : "FAILED", qPrintable(path), w->width(), w->height());
    return ok;
}

bool run(SearchWorkbench *wb)
{
    QString error;
    if (!runSearch(wb, &error)) {
        std::fprintf(stderr, "search failed: %s\n", qPrintable(error));
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QTemporaryDir config; // history and settings of this run only
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MilvusExplorer"));
    QApplication::setApplicationName(QStringLiteral("milvus-explorer"));
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <output directory>\n", argv[0]);
        return 2;
    }
    const QDir dir(QString::fromLocal8Bit(argv[1]));

    TestServer server;
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "Milvus Lite: %s\n", qPrintable(error));
        return 1;
    }
    std::shared_ptr<MilvusClient> client(server.client());
    const QString articles = QStringLiteral("articles");
    {
        // A readable name instead of uniqueName(): the server and its data are this run's own.
        const QString made =
            createTextCollection(*client, QStringLiteral("tmp"), 256, QStringLiteral("COSINE"));
        client->renameCollection(RenameCollectionRequest{made, articles});
        client->loadCollection(LoadCollectionRequest{articles}); // a rename releases it
    }

    SearchWorkbench wb(client, nullptr);
    wb.setWindowTitle(QStringLiteral("Search — Milvus Explorer"));
    wb.resize(1440, 860);
    wb.show();
    wb.activateWindow();
    if (!QTest::qWaitForWindowExposed(&wb))
        return 1;
    wb.setCollection(QString(), articles);
    if (!waitUntilReady(&wb, articles))
        return 1;

    // A little history first, as a user would have.
    setMode(&wb, ResultMode::WithScore);
    setInput(&wb, QueryInputMode::Text, QStringLiteral("rocket to the moon"));
    if (!run(&wb))
        return 1;
    setMode(&wb, ResultMode::Metadata);
    setText(child<QLineEdit>(&wb, "filterEdit"), QStringLiteral("category == \"sport\""));
    if (!run(&wb))
        return 1;

    setMode(&wb, ResultMode::WithScore);
    setText(child<QLineEdit>(&wb, "filterEdit"), QString());
    setInput(&wb, QueryInputMode::Text, QStringLiteral("apple pie with a cinnamon crust"));
    if (!run(&wb) || !save(&wb, dir, QStringLiteral("text-score")))
        return 1;

    setMode(&wb, ResultMode::Mmr);
    setSpin(&wb, "topKSpin", 6);
    setSpin(&wb, "fetchKSpin", 20);
    setSpin(&wb, "lambdaSpin", 0.3);
    if (!run(&wb))
        return 1;
    child<QTableView>(&wb, "resultsTable")->selectRow(1);
    if (!save(&wb, dir, QStringLiteral("mmr")))
        return 1;

    setMode(&wb, ResultMode::WithScore);
    setInput(&wb, QueryInputMode::Vector, QStringLiteral("[0.12, -0.4, 0.33]"));
    run(&wb); // fails on purpose: the inline error
    return save(&wb, dir, QStringLiteral("error")) ? 0 : 1;
}
