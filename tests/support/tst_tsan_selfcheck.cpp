// TSan builds only: a thread that has started a child process (as every server test does, through
// QProcess) must still be checked by TSan. Starts /bin/true with QProcess while a second thread exists,
// then races on purpose between the main thread and a new thread. ctest passes this test only when
// TSan reports that race (PASS_REGULAR_EXPRESSION in tests/CMakeLists.txt): without TsanCloneShim.cpp
// (or with MX_TSAN_NO_CLONE_SHIM=1) TSan stays silent after the QProcess, and the test fails.

#include <QCoreApplication>
#include <QProcess>

#include <chrono>
#include <cstdio>
#include <thread>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // TSan's fork hook only switches itself off for a multi-threaded process.
    std::thread idle([] { std::this_thread::sleep_for(std::chrono::milliseconds(500)); });
    QProcess child;
    child.start(QStringLiteral("/bin/true"), {});
    if (!child.waitForFinished(10000)) {
        std::fprintf(stderr, "selfcheck: /bin/true did not run\n");
        return 2;
    }
    int shared = 0;
    std::thread racer([&shared] { shared = 1; }); // the planted race: no ordering with the write below
    shared = 2;
    racer.join();
    idle.join();
    std::printf("selfcheck: planted race done (%d); TSan must have reported it above\n", shared);
    return 0;
}
