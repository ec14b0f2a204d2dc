#pragma once

// What bench_client and bench_raw_grpc share: the query vectors and the CPU clock they measure with.

#include <QList>

#include <sys/resource.h>

namespace mx::bench {

// Deterministic pseudo-random vector i (the same 64-bit LCG as bench/client_bench.py: values in [-1, 1)).
inline QList<float> vectorFor(qint64 i, int dim)
{
    quint64 state = quint64(i) * 6364136223846793005ULL + 1442695040888963407ULL;
    QList<float> v;
    v.reserve(dim);
    for (int k = 0; k < dim; ++k) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        v.append(float(double(state >> 40) / double(1ULL << 24)) * 2.0f - 1.0f);
    }
    return v;
}

// CPU time (user + system) of every thread of this process, in microseconds.
inline double processCpuUs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

} // namespace mx::bench
