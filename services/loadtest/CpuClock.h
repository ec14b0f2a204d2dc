#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

#include <ctime>

namespace mx {

// Clocks the load tester measures with. All return nanoseconds; all are callable from any thread.
class CpuClock
{
public:
    static qint64 steadyNowNs();  // monotonic wall clock, the time base of every latency
    static qint64 threadCpuNs();  // getrusage(RUSAGE_THREAD): CPU (user + system) of the calling thread
    static qint64 processCpuNs(); // getrusage(RUSAGE_SELF): CPU of every thread of this process
    // A clock another thread can read to sample the calling thread's CPU time (pthread_getcpuclockid).
    static clockid_t currentThreadClock();
    static qint64 clockNs(clockid_t clock); // -1 when the clock cannot be read

    // CPU time of every thread of this process, from /proc/self/task/*/schedstat (ns), or stat (utime +
    // stime in clock ticks, 10 ms) where schedstat is missing: the way to split the process's CPU by
    // who used it.
    struct ThreadTime
    {
        qint64 tid = 0;
        QString name; // comm, at most 15 characters
        qint64 cpuNs = 0;
    };
    static QList<ThreadTime> threadTimes();
    // gRPC's own threads (its executor, event engine, timer and resolver threads), by name.
    static bool isGrpcThread(const QString &name);
    // The embedders' threads ("mx-local-embeddings" pool, "mx-http-embeddings"), by name.
    static bool isEmbedderThread(const QString &name);
    static qint64 currentThreadId(); // the kernel's id (gettid), as in threadTimes()
    static int onlineCpus();
    static void nameCurrentThread(const char *name); // shows in threadTimes() (and top, gdb)
};

} // namespace mx
