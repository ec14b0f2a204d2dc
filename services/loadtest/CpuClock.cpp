#include "CpuClock.h"

#include <chrono>

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

} // namespace mx
