// bench_entity_paging: responsiveness of the Data tab (ui/DataView: QTableView over EntityTableModel)
// over a large collection, measured with the real widgets (QT_QPA_PLATFORM=offscreen by default).
//
//   bench_entity_paging [--data-dir DIR | --uri URI] [--rows 1000000] [--dim 8] [--pages 200]
//                       [--page-size 200] [--repeats 5] [--json out.json]
//
// 1. Ensures collection "bench_paging_<rows>" of `rows` rows (id INT64, vec FLOAT_VECTOR(dim), title
//    VARCHAR, score DOUBLE), inserting in batches of 10,000 when missing (Milvus Lite keeps it in
//    --data-dir between runs), indexed and loaded.
// 2. First page on screen: from constructing the DataView (which calls setCollection) until the first
//    paint of the table's viewport after the first page arrived has finished. GUI-thread busy time in
//    that span (construction plus the GUI thread's top-level QApplication::notify() calls) is the client
//    time on the GUI thread; the rest is waiting (server, network, gRPC threads).
// 3. Paging stall: every 16 ms frame scrolls to the bottom (fetchMore) or back half a page (a repaint),
//    until `pages` pages were appended; a 1 ms Qt::PreciseTimer on the GUI thread records the gap
//    between consecutive timeouts; stall = gap - 1 ms.

#include "DataView.h"
#include "EntityTableModel.h"
#include "LocalServer.h"
#include "MilvusClient.h"
#include "MilvusError.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QSysInfo>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QtConcurrent>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <sys/resource.h>
#include <vector>

namespace mx {
namespace {

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

qint64 procStatusKb(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray k(key);
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(k))
            return line.mid(k.size()).trimmed().split(' ').first().toLongLong();
    return -1;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p / 100.0 * double(v.size() - 1) + 0.5))];
}

// Spins the event loop until the future finishes (the server process and its pipes keep being served).
template<typename T>
T waitFor(QFuture<T> future)
{
    QEventLoop loop;
    QFutureWatcher<T> watcher;
    QObject::connect(&watcher, &QFutureWatcher<T>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    if (!future.isFinished())
        loop.exec();
    if constexpr (std::is_void_v<T>)
        future.waitForFinished();
    else
        return future.result();
}

// GUI-thread busy time: the sum (and the longest) of the GUI thread's top-level QApplication::notify()
// calls: every timer, posted call (future continuation), input, layout and paint event goes through it.
class BusyMeter
{
public:
    void enter()
    {
        if (m_depth++ == 0)
            m_since = m_clock.nsecsElapsed();
    }
    void leave()
    {
        if (--m_depth == 0) {
            const qint64 span = m_clock.nsecsElapsed() - m_since;
            m_busy += span;
            m_maxSpan = std::max(m_maxSpan, span);
        }
    }
    void reset()
    {
        if (!m_clock.isValid())
            m_clock.start();
        m_busy = 0;
        m_maxSpan = 0;
        m_since = m_clock.nsecsElapsed(); // the caller's own work counts, as if inside an event
    }
    qint64 busyNs() const { return m_busy + (m_depth > 0 ? m_clock.nsecsElapsed() - m_since : 0); }
    qint64 maxSpanNs() const { return m_maxSpan; }

private:
    QElapsedTimer m_clock;
    qint64 m_busy = 0;
    qint64 m_maxSpan = 0;
    qint64 m_since = 0;
    int m_depth = 0;
};

// Voluntary (blocked) and involuntary (preempted) context switches of the calling thread.
QPair<long, long> threadSwitches()
{
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return {u.ru_nvcsw, u.ru_nivcsw};
}

long threadMajorFaults()
{
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return u.ru_majflt;
}

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Also records which events took longer than a frame (16 ms), with the GUI thread's CPU time in them:
// wall time much above CPU time means the thread was waiting or descheduled, not working.
class BenchApp : public QApplication
{
public:
    using QApplication::QApplication;
    BusyMeter busy;
    bool recordLong = false;
    QMap<QString, QPair<int, double>> longEvents; // "Class/event type" -> count, max wall ms
    QList<QPair<double, double>> longSpans;       // wall ms, CPU ms
    long voluntarySwitches = 0;                   // in those events: the thread blocked
    long involuntarySwitches = 0;                 // in those events: the thread was preempted
    long majorFaults = 0;                         // in those events: pages read from disk
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        const bool top = m_depth++ == 0;
        const qint64 wall0 = top ? m_clock.nsecsElapsed() : 0;
        const qint64 cpu0 = top ? threadCpuNs() : 0;
        const QPair<long, long> sw0 = top ? threadSwitches() : QPair<long, long>{};
        const long faults0 = top ? threadMajorFaults() : 0;
        const QString what = top && recordLong
                                 ? QStringLiteral("%1/%2")
                                       .arg(QString::fromLatin1(receiver->metaObject()->className()))
                                       .arg(int(event->type()))
                                 : QString();
        busy.enter();
        const bool r = QApplication::notify(receiver, event);
        busy.leave();
        --m_depth;
        if (top && recordLong) {
            const double wall = ms(m_clock.nsecsElapsed() - wall0);
            if (wall > 16.0) {
                auto &e = longEvents[what];
                e.first++;
                e.second = std::max(e.second, wall);
                longSpans.append({wall, ms(threadCpuNs() - cpu0)});
                const QPair<long, long> sw = threadSwitches();
                voluntarySwitches += sw.first - sw0.first;
                involuntarySwitches += sw.second - sw0.second;
                majorFaults += threadMajorFaults() - faults0;
            }
        }
        return r;
    }

private:
    int m_depth = 0;
    QElapsedTimer m_clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
};

struct Setup
{
    bool created = false;
    double insertS = 0;
    double indexLoadS = 0;
};

Setup ensureCollection(const MilvusClient &c, const QString &name, qint64 rows, int dim)
{
    Setup s;
    if (c.hasCollection({name})) {
        QueryRequest count;
        count.collection = name;
        count.outputFields = {QStringLiteral("count(*)")};
        try {
            c.loadCollection({name});
            const QueryResult r = c.query(count);
            if (!r.columns.isEmpty() && r.columns.first().value(0).toLongLong() == rows)
                return s;
        } catch (const MilvusException &) {
        }
        c.dropCollection({name});
    }
    s.created = true;
    CollectionSchema schema;
    FieldSchema id{.name = QStringLiteral("id"), .type = DataType::Int64, .isPrimaryKey = true};
    FieldSchema vec{.name = QStringLiteral("vec"), .type = DataType::FloatVector};
    vec.typeParams.insert(QStringLiteral("dim"), QString::number(dim));
    FieldSchema title{.name = QStringLiteral("title"), .type = DataType::VarChar};
    title.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("64"));
    FieldSchema score{.name = QStringLiteral("score"), .type = DataType::Double};
    schema.fields = {id, vec, title, score};
    c.createCollection({.collection = name, .schema = schema});
    QElapsedTimer t;
    t.start();
    constexpr int kBatch = 10000;
    quint64 state = 42;
    for (qint64 first = 0; first < rows; first += kBatch) {
        const int n = int(std::min<qint64>(kBatch, rows - first));
        QList<qint64> ids;
        QList<float> flat;
        QStringList titles;
        QList<double> scores;
        for (int r = 0; r < n; ++r) {
            ids.append(first + r);
            for (int k = 0; k < dim; ++k) {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                flat.append(float(double(state >> 40) / double(1ULL << 24)) * 2.0f - 1.0f);
            }
            titles.append(QStringLiteral("row %1").arg(first + r));
            scores.append(double((first + r) % 1000) / 10.0);
        }
        c.insert({.collection = name,
                  .columns = {FieldColumn::int64s(QStringLiteral("id"), ids),
                              FieldColumn::floatVectors(QStringLiteral("vec"), dim, flat),
                              FieldColumn::varchars(QStringLiteral("title"), titles),
                              FieldColumn::doubles(QStringLiteral("score"), scores)}});
        if ((first / kBatch) % 10 == 9)
            std::fprintf(stderr, "  inserted %lld rows (%.0f s)\n", qlonglong(first + n),
                         t.elapsed() / 1000.0);
    }
    c.flush({{name}});
    s.insertS = t.elapsed() / 1000.0;
    t.restart();
    c.createIndex({.collection = name,
                   .fieldName = QStringLiteral("vec"),
                   .indexType = QStringLiteral("FLAT"),
                   .metricType = QStringLiteral("L2")});
    c.loadCollection({name});
    s.indexLoadS = t.elapsed() / 1000.0;
    return s;
}

struct FirstPage
{
    double totalMs = 0;   // DataView constructed .. first rows painted
    double guiBusyMs = 0; // GUI-thread busy in that span (client time on the GUI thread)
    double constructMs = 0;
    double pageArrivedMs = 0;
};

FirstPage measureFirstPage(std::shared_ptr<MilvusClient> client, const QString &name, BusyMeter &busy,
                           std::unique_ptr<DataView> *keep)
{
    FirstPage fp;
    QElapsedTimer clock;
    QEventLoop loop;
    bool waitingPaint = false;
    bool done = false;
    QObject filterOwner;
    busy.reset();
    clock.start();
    busy.enter(); // construction and show() are GUI-thread work outside any event
    auto view = std::make_unique<DataView>(client, QString(), name);
    fp.constructMs = ms(clock.nsecsElapsed());
    view->resize(1200, 800);
    view->show();
    busy.leave();
    struct PaintFilter : QObject
    {
        std::function<void()> onPaint;
        bool eventFilter(QObject *, QEvent *e) override
        {
            if (e->type() == QEvent::Paint && onPaint)
                onPaint();
            return false;
        }
    } filter;
    filter.onPaint = [&] {
        if (!waitingPaint || done)
            return;
        done = true;
        // The paint runs right after this filter returns; the next loop iteration sees it finished.
        QTimer::singleShot(0, &loop, [&] {
            fp.totalMs = ms(clock.nsecsElapsed());
            fp.guiBusyMs = ms(busy.busyNs());
            loop.quit();
        });
    };
    view->table()->viewport()->installEventFilter(&filter);
    QObject::connect(view->model(), &EntityTableModel::pageLoaded, &filterOwner, [&](int rows) {
        if (rows > 0 && !waitingPaint) {
            waitingPaint = true;
            fp.pageArrivedMs = ms(clock.nsecsElapsed());
        }
    });
    QObject::connect(view->model(), &EntityTableModel::errorOccurred, &loop, [&](const QString &m) {
        std::fprintf(stderr, "model error: %s\n", qPrintable(m));
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    view->table()->viewport()->removeEventFilter(&filter);
    *keep = std::move(view);
    return fp;
}

QJsonObject measurePaging(DataView &view, int pages, BusyMeter &busy)
{
    EntityTableModel *model = view.model();
    QTableView *table = view.table();
    QScrollBar *bar = table->verticalScrollBar();
    const int pagesBefore = model->rowCount() > 0 ? 1 : 0;
    int pagesLoaded = pagesBefore;
    std::vector<double> stalls;
    stalls.reserve(200000);
    std::vector<double> pageIntervals;
    QElapsedTimer clock;
    QEventLoop loop;
    qint64 lastTick = -1;
    qint64 lastPage = 0;

    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastTick >= 0)
            stalls.push_back(std::max(0.0, ms(now - lastTick) - 1.0));
        lastTick = now;
    });
    QTimer frame;
    frame.setTimerType(Qt::PreciseTimer);
    frame.setInterval(16);
    QObject::connect(&frame, &QTimer::timeout, [&] {
        if (bar->value() == bar->maximum())
            bar->setValue(std::max(0, bar->maximum() - bar->pageStep() / 2)); // a repaint
        else
            bar->setValue(bar->maximum()); // the bottom: QAbstractItemView calls fetchMore()
    });
    QMetaObject::Connection c1 = QObject::connect(model, &EntityTableModel::pageLoaded, [&](int rows) {
        const qint64 now = clock.nsecsElapsed();
        pageIntervals.push_back(ms(now - lastPage));
        lastPage = now;
        if (rows > 0)
            ++pagesLoaded;
        if (rows == 0 || pagesLoaded - pagesBefore >= pages)
            loop.quit();
    });
    QObject::connect(model, &EntityTableModel::errorOccurred, &loop, [&](const QString &m) {
        std::fprintf(stderr, "model error: %s\n", qPrintable(m));
        loop.quit();
    });
    const int rowsBefore = model->rowCount();
    busy.reset();
    clock.start();
    tick.start();
    frame.start();
    QTimer::singleShot(30 * 60 * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    const double secs = double(clock.nsecsElapsed()) / 1e9;
    tick.stop();
    frame.stop();
    QObject::disconnect(c1);
    int over16 = 0;
    for (double s : stalls)
        over16 += s > 16.0;
    const int rowsPaged = model->rowCount() - rowsBefore;
    return {{"pages", pagesLoaded - pagesBefore},
            {"rows_paged", rowsPaged},
            {"rows_in_view", model->rowCount()},
            {"seconds", secs},
            {"rows_per_s", rowsPaged / secs},
            {"page_interval_p50_ms", percentile(pageIntervals, 50)},
            {"ticks", int(stalls.size())},
            {"stall_p50_ms", percentile(stalls, 50)},
            {"stall_p99_ms", percentile(stalls, 99)},
            {"stall_max_ms", stalls.empty() ? 0.0 : *std::max_element(stalls.begin(), stalls.end())},
            {"stalls_over_16ms", over16},
            {"gui_busy_share", ms(busy.busyNs()) / 1000.0 / secs},
            {"gui_longest_busy_span_ms", ms(busy.maxSpanNs())}};
}

// Reference: the same first-page query issued with the blocking client (server + decode, no GUI).
QJsonObject serverReference(const MilvusClient &c, const QString &name, int pageSize)
{
    std::vector<double> describe, loadState, page;
    for (int i = 0; i < 10; ++i) {
        QElapsedTimer t;
        t.start();
        c.describeCollection({name});
        describe.push_back(ms(t.nsecsElapsed()));
        t.restart();
        c.getLoadState({name});
        loadState.push_back(ms(t.nsecsElapsed()));
        t.restart();
        QueryRequest q;
        q.collection = name;
        q.filter = QStringLiteral("id >= 0");
        q.outputFields = {QStringLiteral("*")};
        q.limit = pageSize;
        q.iterator = true;
        c.query(q);
        page.push_back(ms(t.nsecsElapsed()));
    }
    return {{"describe_p50_ms", percentile(describe, 50)},
            {"load_state_p50_ms", percentile(loadState, 50)},
            {"query_page_p50_ms", percentile(page, 50)}};
}

int run(BenchApp &app, const QCommandLineParser &p)
{
    const qint64 rows = p.value("rows").toLongLong();
    const int dim = p.value("dim").toInt();
    const int pages = p.value("pages").toInt();
    const int pageSize = p.value("page-size").toInt();
    const int repeats = p.value("repeats").toInt();
    const QString name = QStringLiteral("bench_paging_%1").arg(rows);

    LocalServer server;
    QString uri = p.value("uri");
    ConnectionConfig cfg;
    QElapsedTimer t;
    t.start();
    if (uri.isEmpty()) {
        LocalServer::Options o;
        o.dataDir = p.value("data-dir");
        o.startTimeoutMs = 300000;
        QDir().mkpath(o.dataDir);
        cfg = waitFor(server.start(o)).config;
        uri = cfg.uri;
    }
    const double serverStartS = t.elapsed() / 1000.0;
    cfg.uri = uri;
    cfg.defaultTimeout = std::chrono::milliseconds(600000);
    auto client = std::make_shared<MilvusClient>(cfg);
    std::fprintf(stderr, "server %s up in %.1f s; ensuring %lld rows...\n", qPrintable(uri), serverStartS,
                 qlonglong(rows));
    const Setup setup =
        waitFor(QtConcurrent::run([&] { return ensureCollection(*client, name, rows, dim); }));
    const QJsonObject ref =
        waitFor(QtConcurrent::run([&] { return serverReference(*client, name, pageSize); }));

    BusyMeter &busy = app.busy;
    QJsonArray firstPages;
    std::vector<double> totals, guiBusy;
    std::unique_ptr<DataView> view;
    for (int i = 0; i < repeats; ++i) {
        view.reset();
        app.processEvents();
        const FirstPage fp = measureFirstPage(client, name, busy, &view);
        firstPages.append(QJsonObject{{"total_ms", fp.totalMs},
                                      {"gui_busy_ms", fp.guiBusyMs},
                                      {"construct_ms", fp.constructMs},
                                      {"page_arrived_ms", fp.pageArrivedMs}});
        totals.push_back(fp.totalMs);
        guiBusy.push_back(fp.guiBusyMs);
    }
    view->model()->setPageSize(pageSize);
    const qint64 rssBefore = procStatusKb("VmRSS:");
    app.recordLong = true;
    const QJsonObject paging = measurePaging(*view, pages, busy);
    app.recordLong = false;
    QJsonArray longEvents;
    for (auto it = app.longEvents.cbegin(); it != app.longEvents.cend(); ++it)
        longEvents.append(QJsonObject{{"event", it.key()}, {"count", it->first}, {"max_ms", it->second}});
    double longWall = 0, longCpu = 0;
    for (const auto &span : app.longSpans) {
        longWall += span.first;
        longCpu += span.second;
    }
    const QJsonObject out{
        {"collection", name},
        {"rows", rows},
        {"dim", dim},
        {"page_size", pageSize},
        {"qt", QString::fromLatin1(qVersion())},
        {"platform", QGuiApplication::platformName()},
        {"setup", QJsonObject{{"created", setup.created},
                              {"insert_s", setup.insertS},
                              {"index_load_s", setup.indexLoadS},
                              {"server_start_s", serverStartS}}},
        {"server_reference", ref},
        {"first_page", QJsonObject{{"runs", firstPages},
                                   {"total_p50_ms", percentile(totals, 50)},
                                   {"gui_busy_p50_ms", percentile(guiBusy, 50)},
                                   {"total_max_ms", *std::max_element(totals.begin(), totals.end())},
                                   {"gui_busy_max_ms", *std::max_element(guiBusy.begin(), guiBusy.end())}}},
        {"paging", paging},
        {"events_over_16ms", QJsonObject{{"by_receiver_and_type", longEvents},
                                         {"count", int(app.longSpans.size())},
                                         {"wall_ms_sum", longWall},
                                         {"thread_cpu_ms_sum", longCpu},
                                         {"voluntary_context_switches", qint64(app.voluntarySwitches)},
                                         {"involuntary_context_switches", qint64(app.involuntarySwitches)},
                                         {"major_page_faults", qint64(app.majorFaults)}}},
        {"rss_mb", QJsonObject{{"before_paging", rssBefore / 1024.0},
                               {"after_paging", procStatusKb("VmRSS:") / 1024.0},
                               {"peak", procStatusKb("VmHWM:") / 1024.0}}}};

    std::printf("| measure | value | target |\n|---|---:|---|\n");
    std::printf("| rows in collection | %lld (dim %d; %s) | |\n", qlonglong(rows), dim,
                setup.created ? qPrintable(QStringLiteral("inserted now in %1 s, index+load %2 s")
                                               .arg(setup.insertS, 0, 'f', 1)
                                               .arg(setup.indexLoadS, 0, 'f', 1))
                              : "existing");
    std::printf("| first page on screen, wall (p50 / max of %d) | %.1f / %.1f ms | |\n", repeats,
                percentile(totals, 50), *std::max_element(totals.begin(), totals.end()));
    std::printf("| first page, GUI-thread client time (p50 / max) | %.1f / %.1f ms | < 200 ms |\n",
                percentile(guiBusy, 50), *std::max_element(guiBusy.begin(), guiBusy.end()));
    std::printf(
        "| server reference: describe / load state / one page (blocking, p50) | %.1f / %.1f / %.1f ms | |\n",
        ref["describe_p50_ms"].toDouble(), ref["load_state_p50_ms"].toDouble(),
        ref["query_page_p50_ms"].toDouble());
    std::printf("| paged while scrolling | %d pages, %d rows in %.1f s (%.0f rows/s) | |\n",
                paging["pages"].toInt(), paging["rows_paged"].toInt(), paging["seconds"].toDouble(),
                paging["rows_per_s"].toDouble());
    std::printf(
        "| GUI stall p50 / p99 / max (1 ms timer, %d ticks) | %.2f / %.2f / %.2f ms | p99 < 16 ms |\n",
        paging["ticks"].toInt(), paging["stall_p50_ms"].toDouble(), paging["stall_p99_ms"].toDouble(),
        paging["stall_max_ms"].toDouble());
    std::printf("| stalls > 16 ms | %d | |\n", paging["stalls_over_16ms"].toInt());
    std::printf("| GUI thread busy share / longest busy span | %.1f %% / %.1f ms | |\n",
                100.0 * paging["gui_busy_share"].toDouble(), paging["gui_longest_busy_span_ms"].toDouble());
    std::printf("| GUI events > 16 ms: count, wall sum / GUI-thread CPU sum; context switches in them "
                "(blocked / preempted); major page faults | %d, %.0f / %.0f ms; %ld / %ld; %ld | |\n",
                int(app.longSpans.size()), longWall, longCpu, app.voluntarySwitches, app.involuntarySwitches,
                app.majorFaults);
    std::printf("| RSS before / after paging / peak | %.0f / %.0f / %.0f MB | |\n", rssBefore / 1024.0,
                procStatusKb("VmRSS:") / 1024.0, procStatusKb("VmHWM:") / 1024.0);
    const QByteArray json = QJsonDocument(out).toJson(QJsonDocument::Indented);
    if (p.isSet("json")) {
        QFile f(p.value("json"));
        if (f.open(QIODevice::WriteOnly))
            f.write(json);
    }
    std::printf("\n%s\n", json.constData());
    std::fflush(stdout);
    view.reset();
    client.reset();
    server.stop();
    return 0;
}

} // namespace
} // namespace mx

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("MILVUS_EXPLORER_VENV"))
        qputenv("MILVUS_EXPLORER_VENV", MX_BENCH_VENV_DIR);
    mx::BenchApp app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOptions({{"data-dir", "Milvus Lite data directory (kept between runs)", "dir",
                   QDir::tempPath() + QStringLiteral("/mx-bench-paging")},
                  {"uri", "use this server instead of starting Milvus Lite", "uri"},
                  {"rows", "rows in the collection", "n", "1000000"},
                  {"dim", "vector dimension", "n", "8"},
                  {"pages", "pages to append while scrolling", "n", "200"},
                  {"page-size", "rows per page while scrolling", "n", "200"},
                  {"repeats", "first-page measurements", "n", "5"},
                  {"json", "write the JSON result to this file", "file"}});
    p.process(app);
    try {
        return mx::run(app, p);
    } catch (const mx::MilvusException &e) {
        std::fprintf(stderr, "bench_entity_paging: %s\n", qPrintable(e.error().message()));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_entity_paging: %s\n", e.what());
    }
    return 1;
}
