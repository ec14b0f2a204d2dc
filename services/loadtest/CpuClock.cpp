#include "CpuClock.h"

#include <QDir>
#include <QFile>

#include <chrono>

#include <unistd.h>

#include <pthread.h>
#include <sys/resource.h>

namespace mx {

namespace {

qint64 usage(int who)
{
    rusage ru{};
    if (getrusage(who, &ru) != 0)
        return 0;
    auto ns = [](const timeval &tv) {
        return qint64(tv.tv_sec) * 1000000000LL + qint64(tv.tv_usec) * 1000LL;
    };
    return ns(ru.ru_utime) + ns(ru.ru_stime);
}

} // namespace

qint64 CpuClock::steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 CpuClock::threadCpuNs()
{
    return usage(RUSAGE_THREAD);
}

qint64 CpuClock::processCpuNs()
{
    return usage(RUSAGE_SELF);
}

clockid_t CpuClock::currentThreadClock()
{
    clockid_t id = CLOCK_THREAD_CPUTIME_ID;
    pthread_getcpuclockid(pthread_self(), &id);
    return id;
}

qint64 CpuClock::clockNs(clockid_t clock)
{
    timespec ts{};
    if (clock_gettime(clock, &ts) != 0)
        return -1;
    return qint64(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

QList<CpuClock::ThreadTime> CpuClock::threadTimes()
{
    static const double kNsPerTick = 1e9 / double(std::max(1L, sysconf(_SC_CLK_TCK)));
    QList<ThreadTime> out;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(tasks.filePath(tid) + QStringLiteral("/stat"));
        if (!f.open(QIODevice::ReadOnly))
            continue; // the thread ended meanwhile
        const QByteArray line = f.readAll();
        // "tid (comm) state ppid ..." where comm may hold spaces and parentheses: split at the last ')'.
        const qsizetype open = line.indexOf('(');
        const qsizetype close = line.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        // After the comm: state(0) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(11)
        // stime(12)
        if (fields.size() < 13)
            continue;
        ThreadTime t;
        t.tid = tid.toLongLong();
        t.name = QString::fromUtf8(line.mid(open + 1, close - open - 1));
        t.cpuNs = qint64(double(fields.at(11).toLongLong() + fields.at(12).toLongLong()) * kNsPerTick);
        // schedstat's first field is the time on CPU in ns: far finer than stat's clock ticks.
        QFile sched(tasks.filePath(tid) + QStringLiteral("/schedstat"));
        if (sched.open(QIODevice::ReadOnly)) {
            bool ok = false;
            const qint64 ns = sched.readAll().split(' ').value(0).toLongLong(&ok);
            if (ok && ns > 0)
                t.cpuNs = ns;
        }
        out.append(t);
    }
    return out;
}

bool CpuClock::isGrpcThread(const QString &name)
{
    // "mx-calls": each client's completion-queue thread (services/RpcCall), where async answers are read
    // and handled. gRPC 1.51's own: "nexting_thread" runs the callback API's completion queues,
    // "event_engine"/"default-executo" its I/O, plus timer and resolver threads.
    static const char *const kPrefixes[] = {"mx-calls",      "grpc",          "nexting_thread",
                                            "default-execu", "resolver-exec", "event_engine",
                                            "timer_manager", "global-execu",  "executor"};
    for (const char *p : kPrefixes)
        if (name.startsWith(QLatin1String(p)))
            return true;
    return false;
}

bool CpuClock::isEmbedderThread(const QString &name)
{
    // Thread names are cut at 15 characters: "mx-local-embedd", "mx-http-embeddi".
    return name.startsWith(QLatin1String("mx-local-embed")) ||
           name.startsWith(QLatin1String("mx-http-embed"));
}

qint64 CpuClock::currentThreadId()
{
    return qint64(gettid());
}

void CpuClock::nameCurrentThread(const char *name)
{
    pthread_setname_np(pthread_self(), name); // at most 15 characters
}

int CpuClock::onlineCpus()
{
    return int(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
}

} // namespace mx
