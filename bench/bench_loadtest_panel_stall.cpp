// GUI-thread stalls of the real LoadTestPanel while it charts (1) a replay at 10,000 ops/s through the
// same RunSnapshot path the engine uses and (2) a live run against Milvus Lite at whatever rate it
// sustains. Prints a table and writes JSON. Not a ctest test; see docs/benchmarks-loadtest-panel.md.
//
//   bench_loadtest_panel_stall [--seconds 10] [--rate 10000] [--live-seconds 10] [--concurrency 8]
//                              [--uri URI | (embedded Milvus Lite)] [--no-live] [--json FILE]
//                              [--screenshot FILE]
#include "LoadTestConfigForm.h"
#include "LoadTestPanel.h"
#include "LoadTestStallProbe.h"
#include "ReplaySnapshotSource.h"
#include "Session.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace mx;

namespace {

struct Row
{
    QString scenario;
    double opsPerSecond = 0;
    int redraws = 0;
    LoadTestStallProbe::Summary stalls;
    double redrawMaxMs = 0; // the longest single redraw of the panel (GUI-thread work of its own)
    double redrawMeanMs = 0;
    double redrawCpuMaxMs = 0; // the longest redraw in GUI-thread CPU time (wall minus preemption)
};

QJsonObject toJson(const Row &r)
{
    return {{QStringLiteral("scenario"), r.scenario},
            {QStringLiteral("opsPerSecond"), r.opsPerSecond},
            {QStringLiteral("redraws"), r.redraws},
            {QStringLiteral("redrawMeanMs"), r.redrawMeanMs},
            {QStringLiteral("redrawMaxMs"), r.redrawMaxMs},
            {QStringLiteral("redrawCpuMaxMs"), r.redrawCpuMaxMs},
            {QStringLiteral("seconds"), r.stalls.seconds},
            {QStringLiteral("samples"), r.stalls.samples},
            {QStringLiteral("stallP50Ms"), r.stalls.p50Ms},
            {QStringLiteral("stallP99Ms"), r.stalls.p99Ms},
            {QStringLiteral("stallP999Ms"), r.stalls.p999Ms},
            {QStringLiteral("stallMaxMs"), r.stalls.maxMs},
            {QStringLiteral("stallsOver16Ms"), r.stalls.over16Ms},
            {QStringLiteral("p99Under16Ms"), r.stalls.p99Ms < 16.0}};
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // history goes to a test location, not the user's
    QCommandLineParser p;
    p.addHelpOption();
    const QCommandLineOption seconds({QStringLiteral("seconds")}, QStringLiteral("Replay length."),
                                     QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption rate({QStringLiteral("rate")}, QStringLiteral("Replay ops/s."),
                                  QStringLiteral("r"), QStringLiteral("10000"));
    const QCommandLineOption liveSeconds({QStringLiteral("live-seconds")}, QStringLiteral("Live run length."),
                                         QStringLiteral("s"), QStringLiteral("10"));
    const QCommandLineOption concurrency({QStringLiteral("concurrency")},
                                         QStringLiteral("Live run: async search, at most C in flight."),
                                         QStringLiteral("c"), QStringLiteral("8"));
    const QCommandLineOption uri({QStringLiteral("uri")},
                                 QStringLiteral("Milvus URI (default: embedded Lite)."),
                                 QStringLiteral("uri"));
    const QCommandLineOption noLive({QStringLiteral("no-live")}, QStringLiteral("Replay only."));
    const QCommandLineOption json({QStringLiteral("json")}, QStringLiteral("Write the figures here."),
                                  QStringLiteral("file"));
    const QCommandLineOption shot({QStringLiteral("screenshot")},
                                  QStringLiteral("Grab the panel at the end of the replay into this PNG."),
                                  QStringLiteral("file"));
    p.addOptions({seconds, rate, liveSeconds, concurrency, uri, noLive, json, shot});
    p.process(app);

    QTemporaryDir dir;
    Session session;
    LoadTestPanel panel(&session);
    panel.setHistoryStore(RunHistoryStore(dir.filePath(QStringLiteral("history"))));
    panel.resize(1500, 950);
    panel.show();
    if (!QTest::qWaitForWindowExposed(&panel))
        std::fprintf(stderr, "the panel was not exposed\n");
    QList<Row> rows;

    { // 1. Replay.
        ReplaySnapshotSource::Options o;
        o.rate = p.value(rate).toDouble();
        o.phaseSeconds = 2;
        o.totalSeconds = p.value(seconds).toDouble();
        auto replay = std::make_shared<ReplaySnapshotSource>(ReplaySnapshotSource::synthesize(), o);
        QSignalSpy done(&panel, &LoadTestPanel::watchFinished);
        LoadTestStallProbe probe;
        const int redraws = panel.redrawCount();
        const double spentBefore = panel.redrawTotalMs();
        panel.watch(replay);
        probe.start();
        replay->start();
        done.wait(int(o.totalSeconds * 1000) + 30000);
        Row r{QStringLiteral("replay %1 ops/s").arg(o.rate), o.rate, panel.redrawCount() - redraws,
              probe.stop()};
        r.redrawMaxMs = panel.redrawMaxMs();
        r.redrawCpuMaxMs = panel.redrawCpuMaxMs();
        r.redrawMeanMs = r.redraws ? (panel.redrawTotalMs() - spentBefore) / r.redraws : 0;
        rows << r;
        if (p.isSet(shot))
            panel.grab().save(p.value(shot));
    }

    if (!p.isSet(noLive)) { // 2. Live against Milvus Lite.
        if (p.isSet(uri)) {
            ConnectionConfig cfg;
            cfg.uri = p.value(uri);
            session.connectTo(cfg);
        } else {
            LocalServer::Options so; // Milvus Lite, as when these figures were first taken
            so.dataDir = dir.filePath(QStringLiteral("lite"));
            session.connectEmbedded(so);
        }
        if (!QTest::qWaitFor([&] { return session.state() == Session::State::Connected; }, 120000)) {
            std::fprintf(stderr, "could not connect: %s\n", qPrintable(session.lastError().message()));
            return 3;
        }
        LoadTestPlan plan;
        RunSpec s;
        s.op = OpKind::Search;
        s.mode = LoadMode::Bounded;
        s.concurrency = p.value(concurrency).toInt();
        s.count = 0;
        s.durationMs = qint64(p.value(liveSeconds).toDouble() * 1000);
        s.sharedStore = true;
        plan.runs << s;
        QSignalSpy done(&panel, &LoadTestPanel::runFinished);
        LoadTestStallProbe probe;
        const int redraws = panel.redrawCount();
        const double spentBefore = panel.redrawTotalMs();
        if (!panel.start(plan)) {
            std::fprintf(stderr, "could not start: %s\n", qPrintable(panel.statusText()));
            return 3;
        }
        probe.start(); // includes store setup: the GUI must stay live through it too
        done.wait(int(s.durationMs) + 300000);
        const LoadTestReport &report = panel.lastReport();
        double ops = 0;
        if (!report.runs.isEmpty() && !report.runs[0].phases.isEmpty())
            ops = report.runs[0].phases[0].throughput();
        Row r{QStringLiteral("live search bounded c=%1").arg(s.concurrency), ops,
              panel.redrawCount() - redraws, probe.stop()};
        r.redrawMaxMs = panel.redrawMaxMs(); // since the panel was made: includes the replay's
        r.redrawCpuMaxMs = panel.redrawCpuMaxMs();
        r.redrawMeanMs = r.redraws ? (panel.redrawTotalMs() - spentBefore) / r.redraws : 0;
        rows << r;
        session.disconnectFromServer();
    }

    std::printf("%-28s %8s %8s %8s %8s %8s %8s %8s %8s %7s %9s %9s\n", "scenario", "ops/s", "redraws",
                "seconds", "p50 ms", "p99 ms", "p99.9 ms", "max ms", ">16 ms", "redraw", "redraw", "redraw");
    std::printf("%-28s %8s %8s %8s %8s %8s %8s %8s %8s %7s %9s %9s\n", "", "", "", "", "stall", "stall",
                "stall", "stall", "stalls", "mean ms", "max ms", "cpu max");
    QJsonArray all;
    for (const Row &r : rows) {
        std::printf("%-28s %8.0f %8d %8.1f %8.3f %8.3f %8.3f %8.3f %8lld %7.2f %9.2f %9.2f\n",
                    qPrintable(r.scenario), r.opsPerSecond, r.redraws, r.stalls.seconds, r.stalls.p50Ms,
                    r.stalls.p99Ms, r.stalls.p999Ms, r.stalls.maxMs, r.stalls.over16Ms, r.redrawMeanMs,
                    r.redrawMaxMs, r.redrawCpuMaxMs);
        QJsonObject o = toJson(r);
        QJsonArray worst;
        for (const auto &[at, ms] : r.stalls.worst)
            worst.append(QJsonArray{at, ms});
        o.insert(QStringLiteral("worstStalls"), worst); // [seconds since start, ms]
        all.append(o);
    }
    const QJsonObject out{{QStringLiteral("benchmark"), QStringLiteral("loadtest_panel_stall")},
                          {QStringLiteral("platform"), QGuiApplication::platformName()},
                          {QStringLiteral("results"), all}};
    if (p.isSet(json)) {
        QFile f(p.value(json));
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(out).toJson()) < 0)
            return 2;
    } else {
        std::printf("%s", QJsonDocument(out).toJson().constData());
    }
    bool ok = true;
    for (const Row &r : rows)
        ok = ok && r.stalls.p99Ms < 16.0;
    return ok ? 0 : 1;
}
