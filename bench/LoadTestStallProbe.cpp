#include "LoadTestStallProbe.h"

#include <algorithm>
#include <cmath>

namespace mx {

LoadTestStallProbe::LoadTestStallProbe(QObject *parent)
    : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(1);
    connect(&m_timer, &QTimer::timeout, this, &LoadTestStallProbe::tick);
}

void LoadTestStallProbe::start()
{
    m_stallsMs.clear();
    m_stallsMs.reserve(1 << 16);
    m_atSeconds.clear();
    m_atSeconds.reserve(1 << 16);
    m_lastNs = -1;
    m_clock.start();
    m_timer.start();
}

void LoadTestStallProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    if (m_lastNs >= 0) {
        m_stallsMs.push_back(std::max(0.0, double(now - m_lastNs) / 1e6 - 1.0));
        m_atSeconds.push_back(double(m_lastNs) / 1e9);
    }
    m_lastNs = now;
}

LoadTestStallProbe::Summary LoadTestStallProbe::stop()
{
    m_timer.stop();
    Summary s;
    s.seconds = double(m_clock.nsecsElapsed()) / 1e9;
    s.samples = qint64(m_stallsMs.size());
    if (m_stallsMs.empty())
        return s;
    std::vector<size_t> order(m_stallsMs.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    const size_t top = std::min<size_t>(5, order.size());
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [&](size_t a, size_t b) { return m_stallsMs[a] > m_stallsMs[b]; });
    for (size_t i = 0; i < top; ++i)
        s.worst.append({m_atSeconds[order[i]], m_stallsMs[order[i]]});
    std::vector<double> v = m_stallsMs;
    std::sort(v.begin(), v.end());
    auto rank = [&](double p) { // nearest rank
        const auto i = size_t(std::ceil(p / 100.0 * double(v.size())));
        return v[std::clamp<size_t>(i, 1, v.size()) - 1];
    };
    s.p50Ms = rank(50);
    s.p99Ms = rank(99);
    s.p999Ms = rank(99.9);
    s.maxMs = v.back();
    s.over16Ms = std::count_if(v.begin(), v.end(), [](double x) { return x > 16.0; });
    return s;
}

} // namespace mx
