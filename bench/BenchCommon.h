#pragma once

// What bench_client and bench_raw_grpc share: the query vectors and the CPU clock they measure with.

#include "TestVectors.h"

#include <QList>

#include <sys/resource.h>

namespace mx::bench {

// The query vectors: test::vectorFor (tests/support/TestVectors.h, the LCG bench/client_bench.py shares).
using test::vectorFor;

// CPU time (user + system) of every thread of this process, in microseconds.
inline double processCpuUs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

} // namespace mx::bench
