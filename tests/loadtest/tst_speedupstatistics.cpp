// The statistics behind the tutorial table, against values computed independently (Simpson
// integration of the Student t density in Python) and textbook quantiles.

#include "SpeedupStatistics.h"
#include "TutorialPreset.h"

#include <QTest>

#include <cmath>

namespace mx {

class TestSpeedupStatistics : public QObject
{
    Q_OBJECT

    static bool near(double a, double b, double tol = 1e-6)
    {
        return std::abs(a - b) <= tol * std::max(1.0, std::abs(b));
    }

private slots:
    void meanIntervalOfDurationsStaysPositive()
    {
        // Two very different runs: the t interval (df 1) would reach far below zero seconds.
        const MeanEstimate e = SpeedupStatistics::mean({0.01, 0.2});
        QCOMPARE(e.low, 0.0);
        QVERIFY(e.high > 1.0);
        // Signed data keeps its full interval.
        const MeanEstimate signedData = SpeedupStatistics::mean({-0.5, 0.7});
        QVERIFY(signedData.low < -1.0);
    }

    void tQuantiles_data()
    {
        QTest::addColumn<double>("df");
        QTest::addColumn<double>("q975");
        QTest::addColumn<double>("cdfAt2");
        QTest::newRow("df 1") << 1.0 << 12.706204736174698 << 0.8524163823495685;
        QTest::newRow("df 2") << 2.0 << 4.302652729911275 << 0.9082482904638727;
        QTest::newRow("df 4") << 4.0 << 2.7764451051977987 << 0.9419417382415967;
        QTest::newRow("df 5.5 (Welch)") << 5.5 << 2.501858617589157 << 0.9516228048844031;
        QTest::newRow("df 10") << 10.0 << 2.2281388519649385 << 0.9633059826146273;
        QTest::newRow("df 30") << 30.0 << 2.0422724563012373 << 0.9726874775185179;
    }

    void tQuantiles()
    {
        QFETCH(double, df);
        QFETCH(double, q975);
        QFETCH(double, cdfAt2);
        QVERIFY2(near(SpeedupStatistics::studentTQuantile(0.975, df), q975, 1e-8),
                 qPrintable(QString::number(SpeedupStatistics::studentTQuantile(0.975, df), 'g', 17)));
        QVERIFY(near(SpeedupStatistics::studentTCdf(2.0, df), cdfAt2, 1e-9));
        QVERIFY(near(SpeedupStatistics::studentTQuantile(0.025, df), -q975, 1e-8));
        QCOMPARE(SpeedupStatistics::studentTQuantile(0.5, df), 0.0);
    }

    void speedupIntervalOnKnownData()
    {
        const QList<double> sync{5.0, 5.5, 6.0, 5.2};
        const QList<double> async{1.0, 1.2, 1.4};
        const SpeedupEstimate e = SpeedupStatistics::ratioOfMeans(sync, async);
        QVERIFY(e.hasInterval);
        QVERIFY(near(e.ratio, 4.520833333333333, 1e-12));
        QVERIFY(near(e.df, 2.70019444054851, 1e-9));
        QVERIFY2(near(e.low, 3.1743806815922935), qPrintable(QString::number(e.low, 'g', 17)));
        QVERIFY2(near(e.high, 6.4384004559673516), qPrintable(QString::number(e.high, 'g', 17)));
        QVERIFY(e.low < e.ratio && e.ratio < e.high);
        // Log-scale interval: symmetric around the ratio in ratio terms.
        QVERIFY(near(e.ratio / e.low, e.high / e.ratio, 1e-12));
    }

    void meanInterval()
    {
        const MeanEstimate m = SpeedupStatistics::mean({5.0, 5.5, 6.0, 5.2});
        QCOMPARE(m.n, 4);
        QVERIFY(near(m.mean, 5.425, 1e-12));
        QVERIFY(near(m.low, 4.732924628032171));
        QVERIFY(near(m.high, 6.117075371967829));
    }

    void degenerateCases()
    {
        const SpeedupEstimate one = SpeedupStatistics::ratioOfMeans({4.0}, {2.0});
        QVERIFY(!one.hasInterval);
        QCOMPARE(one.ratio, 2.0);
        QVERIFY(one.note.contains(QLatin1String("2 repeats")));
        const SpeedupEstimate exact = SpeedupStatistics::ratioOfMeans({4.0, 4.0}, {2.0, 2.0});
        QVERIFY(exact.hasInterval);
        QCOMPARE(exact.low, 2.0);
        QCOMPARE(exact.high, 2.0);
        const SpeedupEstimate none = SpeedupStatistics::ratioOfMeans({}, {1.0});
        QVERIFY(!none.hasInterval);
        QCOMPARE(none.ratio, 0.0);
    }

    void tutorialPlanHasTheTutorialsShape_data()
    {
        QTest::addColumn<bool>("faithful");
        QTest::newRow("clean") << false;
        QTest::newRow("faithful") << true;
    }

    void tutorialPlanHasTheTutorialsShape()
    {
        QFETCH(bool, faithful);
        using V = TutorialPreset::Variant;
        const LoadTestPlan plan = TutorialPreset::plan(2, {10, 100}, 1000, faithful ? V::Faithful : V::Clean);
        QCOMPARE(plan.preset,
                 faithful ? QStringLiteral("tutorial-faithful") : QStringLiteral("tutorial-clean"));
        QVERIFY(TutorialPreset::isPreset(plan.preset));
        QVERIFY(TutorialPreset::isPreset(QStringLiteral("tutorial"))); // old reports
        QCOMPARE(plan.runs.size(), 3 * 2 * 2 * 2);         // ops x counts x repeats x {async, sync}
        QCOMPARE(plan.runs.first().mode, LoadMode::Async); // the tutorial runs async first
        if (faithful) {
            // Its order: async 10, async 100, then sync 10, sync 100; one store per mode for both counts.
            const QList<QPair<LoadMode, qint64>> order{
                {LoadMode::Async, 10}, {LoadMode::Async, 100}, {LoadMode::Sync, 10}, {LoadMode::Sync, 100}};
            for (int i = 0; i < 4; ++i) {
                QCOMPARE(plan.runs.at(i).mode, order[i].first);
                QCOMPARE(plan.runs.at(i).count, order[i].second);
            }
            QCOMPARE(plan.runs.at(0).storeGroup, plan.runs.at(1).storeGroup);
            QVERIFY(plan.runs.at(1).storeGroup != plan.runs.at(2).storeGroup);
        } else {
            QCOMPARE(plan.runs.at(1).mode, LoadMode::Sync);
        }
        for (const RunSpec &s : plan.runs) {
            QCOMPARE(s.k, 3);
            QCOMPARE(s.batch, 1);
            QVERIFY(s.count == 10 || s.count == 100);
            QCOMPARE(s.effectiveStoreDocs(), s.op == OpKind::Add ? 0 : 1000);
            QCOMPARE(s.storeGroup.isEmpty(), !faithful); // clean: a fresh store per run
            QCOMPARE(s.sharedStore, false);
            QCOMPARE(s.warmupOps, faithful ? 0 : TutorialPreset::kCleanWarmupOps);
            QCOMPARE(s.setupTimed, faithful && s.op == OpKind::Add);
            QCOMPARE(s.deleteExactDocs, faithful && s.op == OpKind::Delete);
            QCOMPARE(s.outputFields.has_value(), faithful);
        }
        QVERIFY(plan.validate().isEmpty());
        // An explicit warm-up is honoured by both.
        const LoadTestPlan warm = TutorialPreset::plan(1, {10}, 1000, faithful ? V::Faithful : V::Clean, 7);
        for (const RunSpec &s : warm.runs)
            QCOMPARE(s.warmupOps, qint64(7));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestSpeedupStatistics)
#include "tst_speedupstatistics.moc"
