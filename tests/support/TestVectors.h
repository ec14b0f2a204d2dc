#pragma once

// The deterministic vectors of the tests and the benchmarks (header-only, no Qt Test: bench/ uses it
// too, and bench/client_bench.py computes the same values in Python).

#include <QList>

namespace mx::test {

// Vector i of dimension `dim`: a small 64-bit LCG, deterministic across platforms, values in [-1, 1).
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

} // namespace mx::test
