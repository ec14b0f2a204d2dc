#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTimer>

#include <vector>

namespace mx {

// Measures how long the GUI thread's event loop goes without serving a 1 ms precise timer: each gap
// between consecutive timeouts minus the 1 ms period is one "stall" sample. A replot, a table refresh
// or anything else that holds the GUI thread shows up as a long gap. GUI thread only.
class LoadTestStallProbe : public QObject
{
    Q_OBJECT
public:
    struct Summary
    {
        qint64 samples = 0;
        double p50Ms = 0;
        double p99Ms = 0;
        double p999Ms = 0;
        double maxMs = 0;
        qint64 over16Ms = 0; // stalls longer than one 60 Hz frame
        double seconds = 0;
        QList<QPair<double, double>> worst; // the 5 longest: (seconds since start, stall ms)
    };

    explicit LoadTestStallProbe(QObject *parent = nullptr);
    void start();
    Summary stop();

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = -1;
    std::vector<double> m_stallsMs;
    std::vector<double> m_atSeconds;
};

} // namespace mx
