#pragma once

// Shared helpers for the Qt Test executables: a real local Milvus (Milvus Lite or the Milvus standalone,
// chosen by MX_TEST_SERVER=lite|standalone, which ctest sets per label) on free loopback ports, waiting
// on futures without blocking the event loop, and small data builders.

#include "LocalServer.h"
#include "MilvusClient.h"
#include "MilvusError.h"
#include "TestVectors.h"

#include <QFuture>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

// main() for a widget test whose QSettings live in a temporary directory of its own, set before anything
// reads settings (history, profiles, provider choices must not leak between tests or into the user's).
#define MX_TEST_MAIN_WITH_OWN_SETTINGS(TestClass, appName)                                                   \
    int main(int argc, char **argv)                                                                          \
    {                                                                                                        \
        QTemporaryDir config;                                                                                \
        qputenv("XDG_CONFIG_HOME", config.path().toUtf8());                                                  \
        QApplication app(argc, argv);                                                                        \
        QApplication::setOrganizationName(QStringLiteral("MilvusExplorerTest"));                             \
        QApplication::setApplicationName(QStringLiteral(appName));                                           \
        TestClass t;                                                                                         \
        return QTest::qExec(&t, argc, argv);                                                                 \
    }

namespace mx::test {

// Spins the event loop until the future finishes (or the timeout passes: then QFAIL-style abort).
template<typename T>
bool waitForFuture(const QFuture<T> &future, int timeoutMs = 60000)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, timeoutMs);
}

// Waits and returns the result; rethrows the future's exception (MilvusException).
template<typename T>
T await(QFuture<T> future, int timeoutMs = 60000)
{
    if (!waitForFuture(future, timeoutMs))
        throwError(ErrorKind::Timeout, QStringLiteral("test"),
                   QStringLiteral("future did not finish in time"));
    if constexpr (std::is_void_v<T>)
        future.waitForFinished(); // rethrows
    else
        return future.result(); // rethrows
}

// Runs fn and returns the MilvusError it throws; fails the test if it does not throw.
template<typename Fn>
MilvusError expectError(Fn fn)
{
    try {
        fn();
    } catch (const MilvusException &e) {
        return e.error();
    }
    MilvusError none;
    none.reason = QStringLiteral("<no error was raised>");
    none.kind = ErrorKind::InvalidArgument;
    none.operation = QStringLiteral("<none>");
    none.milvusCode = -999999;
    return none;
}

// The kind of local server this test run uses: $MX_TEST_SERVER ("lite" or "standalone"; default lite).
LocalServer::Kind testServerKind();
bool isStandalone();

// A local server of the test's own (kind: testServerKind()), in a temporary data directory. The
// standalone's binaries are unpacked once per build tree and shared; its root password lives in the
// data directory (no keychain in tests).
class TestServer
{
public:
    TestServer();
    explicit TestServer(LocalServer::Kind kind);
    ~TestServer();
    // Starts (or restarts, on the same port and data) the server; false with *error filled when it does
    // not come up.
    bool start(QString *error = nullptr);
    void stop(); // waits until it has stopped
    LocalServer::Kind kind() const { return m_kind; }
    QString uri() const { return m_server->uri(); }
    // How to reach it, credentials included (the standalone always runs with authorization on).
    ConnectionConfig config(std::chrono::milliseconds timeout = std::chrono::milliseconds(60000)) const;
    // "user:password" for --token-env style command lines; empty for Milvus Lite.
    QString token() const;
    QString dataDir() const { return m_dir.path(); }
    LocalServer &server() { return *m_server; }
    // The standalone's own TLS for the next start() (LocalServer::Options::tls).
    void setTls(const LocalServer::TlsSetup &tls) { m_tls = tls; }
    std::unique_ptr<MilvusClient>
    client(std::chrono::milliseconds timeout = std::chrono::milliseconds(60000)) const;

private:
    LocalServer::Kind m_kind;
    QTemporaryDir m_dir;
    std::unique_ptr<LocalServer> m_server;
    int m_port = 0;
    LocalServer::TlsSetup m_tls;
};

// A unique collection name for this test run.
QString uniqueName(const QString &prefix);

// Schema: int64 "id" primary key (not auto), float vector "vec" of `dim`, VARCHAR "title", DOUBLE
// "score", JSON "meta", ARRAY<INT64> "tags", dynamic field enabled.
CollectionSchema richSchema(int dim);
// Deterministic rows for richSchema: ids [firstId, firstId + n), vectors from a fixed generator.
QList<FieldColumn> richRows(int dim, qint64 firstId, int n, bool withDynamic = true);
// vectorFor(i, dim): TestVectors.h.

// Loads the collection and waits until the server says it is loaded (the full server's LoadCollection
// returns before; Milvus Lite's when done). Throws MilvusException on failure or after timeoutMs.
void loadAndWait(MilvusClient &client, const QString &collection, int timeoutMs = 120000);
// Creates a FLAT index (metric L2 unless given) on `field`, then loadAndWait: the full server loads only
// indexed collections.
void indexAndLoad(MilvusClient &client, const QString &collection,
                  const QString &field = QStringLiteral("vec"), const QString &metric = QStringLiteral("L2"));

// Creates, indexes (FLAT, L2) and loads a richSchema collection with n rows; returns its name.
QString createLoadedCollection(MilvusClient &client, const QString &prefix, int dim, int n);

// Primary-key strings that break naive quoting in expressions: both quote characters, backslashes,
// line breaks, tabs, other control characters, non-ASCII inside and beyond the BMP.
QStringList awkwardKeys();
// Creates (Strong consistency), fills, indexes (FLAT, L2) and loads a collection with a VARCHAR primary
// key "key" (max_length 64) and a FLOAT_VECTOR "vec" of dimension 2, one row per key; returns its name.
QString createKeyedCollection(MilvusClient &client, const QString &prefix, const QStringList &keys);

} // namespace mx::test
