// The query workbench driven end to end through its widgets against a Milvus Lite of its own, in every
// mode: text (local provider), vector (nq = 1 and > 1), entity id, a queries file, score and relevance
// for L2 and COSINE, plain similarity, MMR (k, fetch_k and lambda change the result as they should),
// metadata query and primary keys; output fields and partitions; filter completion; history and saved
// searches persisted and restored; CSV and JSON export.

#include "Mmr.h"
#include "SearchResultModel.h"
#include "SearchTargetPanel.h"
#include "SearchWorkbench.h"
#include "ServerCapabilities.h"
#include "TestSupport.h"
#include "WorkbenchTestSupport.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCompleter>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

namespace mx {

using namespace test;

class TestSearchWorkbench : public QObject
{
    Q_OBJECT

    TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    QString m_docs;    // texts embedded with the local provider, COSINE
    QString m_rich;    // richSchema, L2, with a partition p1 holding ids 1000..1004
    QString m_richCos; // richSchema, COSINE
    QTemporaryDir m_files;
    static constexpr int kTextDim = 64;
    static constexpr int kDim = 8;

    std::unique_ptr<SearchWorkbench> open(const QString &collection)
    {
        auto wb = std::make_unique<SearchWorkbench>(m_client, nullptr);
        wb->resize(1400, 850);
        wb->show();
        wb->activateWindow();
        if (!QTest::qWaitForWindowActive(wb.get()))
            return nullptr;
        wb->setCollection(QString(), collection);
        if (!waitUntilReady(wb.get(), collection))
            return nullptr;
        return wb;
    }

    static QVariantList expectedIdsOf(const QList<qint64> &ids)
    {
        QVariantList out;
        for (qint64 id : ids)
            out << id;
        return out;
    }

    static QSet<qint64> idSet(const QVariantList &ids)
    {
        QSet<qint64> out;
        for (const auto &id : ids)
            out.insert(id.toLongLong());
        return out;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = std::shared_ptr<MilvusClient>(m_server.client());
        m_docs = createTextCollection(*m_client, QStringLiteral("docs"), kTextDim, QStringLiteral("COSINE"));
        m_rich = createRichCollection(*m_client, QStringLiteral("rich"), kDim, 200, QStringLiteral("L2"));
        m_richCos =
            createRichCollection(*m_client, QStringLiteral("richcos"), kDim, 200, QStringLiteral("COSINE"));
        m_client->createPartition(PartitionRequest{m_rich, QStringLiteral("p1")});
        m_client->insert(InsertRequest{m_rich, QStringLiteral("p1"), richRows(kDim, 1000, 5), {}});
    }

    // A panel deleted while the server's answer is queued for it (arrived, not yet delivered) drops the
    // answer: no handler runs on the half-destroyed panel. One did (onCanceled, reached from ~QWidget),
    // and emitted loadingChanged from it: UBSan's report in the ASan run, docs/sanitizers.md.
    void answerQueuedForADeletedPanelIsDropped()
    {
        auto *panel = new SearchTargetPanel;
        bool deleting = false;
        int signalsWhileDeleting = 0;
        QObject observer;
        connect(panel, &SearchTargetPanel::loadingChanged, &observer,
                [&](bool) { signalsWhileDeleting += deleting ? 1 : 0; });
        panel->setClient(m_client); // lists the collections
        QVERIFY(panel->isLoading());
        // No event loop runs here: the answer arrives on a gRPC thread and waits in the panel's queue.
        QThread::msleep(500);
        deleting = true;
        delete panel;
        QCOMPARE(signalsWhileDeleting, 0);
    }

    void textSearchWithTheLocalProvider()
    {
        auto wb = open(m_docs);
        QVERIFY(wb);
        QVERIFY(child<QComboBox>(wb.get(), "providerCombo")
                    ->currentText()
                    .contains(QStringLiteral("not semantic")));
        QVERIFY(child<QLabel>(wb.get(), "providerNote")->text().contains(QStringLiteral("not semantic")));
        setMode(wb.get(), ResultMode::WithScore);
        setInput(wb.get(), QueryInputMode::Text, QStringLiteral("apple pie with a cinnamon crust"));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));

        const SearchOutcome &o = wb->resultModel()->outcome();
        QCOMPARE(o.rows.size(), 10);
        QCOMPARE(o.rows.first().id.toLongLong(), 0); // "Apple pie recipe with cinnamon ..."
        QCOMPARE(o.rows.first().fields.value(QStringLiteral("category")).toString(),
                 QStringLiteral("cooking"));
        QVERIFY(o.rows.first()
                    .fields.value(QStringLiteral("text"))
                    .toString()
                    .startsWith(QStringLiteral("Apple pie")));
        QVERIFY(o.embeddingMs.has_value());
        QVERIFY(*o.embeddingMs >= 0 && o.milvusMs > 0 && o.totalMs >= o.milvusMs);
        QCOMPARE(o.metric, QStringLiteral("COSINE"));
        const QString status = wb->statusText();
        QVERIFY2(status.contains(QStringLiteral("10 hits")) && status.contains(QStringLiteral("embedding")) &&
                     status.contains(QStringLiteral("Milvus")),
                 qPrintable(status));
        QVERIFY(wb->errorText().isEmpty());
        // The detail pane shows the selected (first) hit as JSON.
        const QString detail = child<QPlainTextEdit>(wb.get(), "hitDetail")->toPlainText();
        QVERIFY2(detail.contains(QStringLiteral("\"Apple pie recipe")), qPrintable(detail));
    }

    void vectorSearchOneAndSeveralQueries()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        setMode(wb.get(), ResultMode::WithScore);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(vectorFor(17, kDim)));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const SearchOutcome &one = wb->resultModel()->outcome();
        QCOMPARE(one.nq, 1);
        QCOMPARE(one.rows.first().id.toLongLong(), 17);
        QVERIFY(*one.rows.first().distance < 1e-4);
        QVERIFY(!one.embeddingMs.has_value());
        QVERIFY(!wb->statusText().contains(QStringLiteral("embedding")));

        setInput(
            wb.get(), QueryInputMode::Vector,
            QStringLiteral("[%1, %2]").arg(vectorJson(vectorFor(17, kDim)), vectorJson(vectorFor(42, kDim))));
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const SearchOutcome &two = wb->resultModel()->outcome();
        QCOMPARE(two.nq, 2);
        QCOMPARE(two.rows.size(), 20);
        QCOMPARE(resultIds(wb.get(), 0).first().toLongLong(), 17);
        QCOMPARE(resultIds(wb.get(), 1).first().toLongLong(), 42);
        auto *model = wb->resultModel();
        QCOMPARE(model->data(model->index(10, 0)).toInt(), 2); // the query column is 1-based
        QVERIFY(wb->statusText().contains(QStringLiteral("for 2 queries")));
    }

    void searchByAnEntitysId()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        setMode(wb.get(), ResultMode::WithScore);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(vectorFor(33, kDim)));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const QVariantList byVector = resultIds(wb.get());

        setInput(wb.get(), QueryInputMode::EntityId, QStringLiteral("33"));
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(resultIds(wb.get()), byVector);
        QCOMPARE(resultIds(wb.get()).first().toLongLong(), 33);
        QVERIFY(*wb->resultModel()->outcome().rows.first().distance < 1e-4);
    }

    void severalQueriesFromAFile()
    {
        const QString path = m_files.filePath(QStringLiteral("queries.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(vectorJson(vectorFor(5, kDim)).toUtf8() + "\n");
        file.write("{\"vector\": " + vectorJson(vectorFor(6, kDim)).toUtf8() + "}\n\n");
        file.write("\"document 7\"\n");
        file.write("plain words as a query\n");
        file.close();

        auto wb = open(m_rich);
        QVERIFY(wb);
        setMode(wb.get(), ResultMode::WithScore);
        setSpin(wb.get(), "topKSpin", 3);
        setInput(wb.get(), QueryInputMode::File, path);
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const SearchOutcome &o = wb->resultModel()->outcome();
        QCOMPARE(o.nq, 4);
        QCOMPARE(o.rows.size(), 12);
        QCOMPARE(resultIds(wb.get(), 0).first().toLongLong(), 5);
        QCOMPARE(resultIds(wb.get(), 1).first().toLongLong(), 6);
        QCOMPARE(resultIds(wb.get(), 2).size(), 3);
        QCOMPARE(resultIds(wb.get(), 3).size(), 3);
        QVERIFY(o.embeddingMs.has_value()); // two of the lines were texts
    }

    void relevanceFollowsTheMetric_data()
    {
        QTest::addColumn<bool>("cosine");
        QTest::newRow("L2: 1 - d/4, ascending distance") << false;
        QTest::newRow("COSINE: (s + 1)/2, descending similarity") << true;
    }
    void relevanceFollowsTheMetric()
    {
        QFETCH(bool, cosine);
        auto wb = open(cosine ? m_richCos : m_rich);
        QVERIFY(wb);
        setMode(wb.get(), ResultMode::WithScore);
        setSpin(wb.get(), "topKSpin", 20);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(vectorFor(1234, kDim))); // not a stored vector
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const SearchOutcome &o = wb->resultModel()->outcome();
        QCOMPARE(o.metric, cosine ? QStringLiteral("COSINE") : QStringLiteral("L2"));
        QCOMPARE(o.rows.size(), 20);
        auto *model = wb->resultModel();
        QCOMPARE(model->headerData(model->distanceColumn(), Qt::Horizontal).toString(),
                 cosine ? QStringLiteral("Similarity (COSINE)") : QStringLiteral("Distance (L2)"));
        for (int i = 0; i < o.rows.size(); ++i) {
            const double d = *o.rows.at(i).distance;
            const double expected = cosine ? (d + 1.0) / 2.0 : 1.0 - d / 4.0;
            QVERIFY(o.rows.at(i).relevance.has_value());
            QVERIFY2(qAbs(*o.rows.at(i).relevance - expected) < 1e-12, qPrintable(QString::number(d)));
            QCOMPARE(model->data(model->index(i, model->relevanceColumn())).toString(),
                     QString::number(expected, 'f', 4));
            if (i > 0) {
                const double previous = *o.rows.at(i - 1).distance;
                QVERIFY(cosine ? previous >= d : previous <= d);
            }
        }
        // Distance and relevance move in opposite directions for L2 and together for COSINE, so in both the
        // most relevant hit comes first.
        QVERIFY(*o.rows.first().relevance >= *o.rows.last().relevance);
    }

    void similarityShowsIdsAndFieldsOnly()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(vectorFor(77, kDim)));
        setMode(wb.get(), ResultMode::WithScore);
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const QVariantList withScore = resultIds(wb.get());
        setMode(wb.get(), ResultMode::Similarity);
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(resultIds(wb.get()), withScore);
        auto *model = wb->resultModel();
        QCOMPARE(model->distanceColumn(), -1);
        QCOMPARE(model->headerData(3, Qt::Horizontal).toString(), QStringLiteral("title"));
        QCOMPARE(model->columnCount(), 3 + int(model->outcome().fieldColumns.size()));
        QVERIFY(model->outcome().fieldColumns.contains(QStringLiteral("source"))); // dynamic field, expanded
    }

    void mmrReRanksWithKFetchKAndLambda()
    {
        auto wb = open(m_richCos);
        QVERIFY(wb);
        const QList<float> query = vectorFor(10, kDim);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(query));
        setMode(wb.get(), ResultMode::WithScore);
        setSpin(wb.get(), "topKSpin", 5);
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const QVariantList similar = resultIds(wb.get());
        QCOMPARE(similar.size(), 5);

        setMode(wb.get(), ResultMode::Mmr);
        setSpin(wb.get(), "fetchKSpin", 20);
        setSpin(wb.get(), "lambdaSpin", 1.0); // relevance only: for COSINE the plain similarity order
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(resultIds(wb.get()), similar);
        QVERIFY(wb->resultModel()->outcome().rerankMs.has_value());
        QVERIFY(wb->statusText().contains(QStringLiteral("MMR")));

        // lambda 0: diversity only. The expected picks come from the project's MMR on the same candidates.
        SearchRequest r;
        r.collection = m_richCos;
        r.vectors.dim = kDim;
        r.vectors.values = query;
        r.topK = 20;
        const SearchResults fetched = m_client->search(r);
        QList<QList<float>> candidates;
        for (const auto &hit : fetched.queries.first())
            candidates << vectorFor(hit.id.toLongLong(), kDim);
        QVariantList expected;
        for (int i : maximalMarginalRelevance(query, candidates, 0.0, 5))
            expected << fetched.queries.first().at(i).id;
        setSpin(wb.get(), "lambdaSpin", 0.0);
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(resultIds(wb.get()), expected);
        QVERIFY(resultIds(wb.get()) != similar);
        QCOMPARE(resultIds(wb.get()).first(), similar.first()); // MMR always starts with the nearest

        // fetch_k = k: the same five candidates, only re-ordered.
        setSpin(wb.get(), "fetchKSpin", 5);
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(idSet(resultIds(wb.get())), idSet(similar));

        // k = 3 out of fetch_k = 20.
        setSpin(wb.get(), "fetchKSpin", 20);
        setSpin(wb.get(), "topKSpin", 3);
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(resultIds(wb.get()), expected.mid(0, 3));
        // Ranks restart at 1 and relevance is still the metric's mapping of each hit's own score.
        for (const auto &row : wb->resultModel()->outcome().rows)
            QVERIFY(qAbs(*row.relevance - (*row.distance + 1) / 2) < 1e-12);
    }

    void metadataQueryRunsTheFilterOnly()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        setMode(wb.get(), ResultMode::Metadata);
        QVERIFY(!child<QTabWidget>(wb.get(), "queryTabs")->isEnabled());
        setText(child<QLineEdit>(wb.get(), "filterEdit"), QStringLiteral("id < 5"));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const SearchOutcome &o = wb->resultModel()->outcome();
        QCOMPARE(idSet(resultIds(wb.get())), (QSet<qint64>{0, 1, 2, 3, 4}));
        QCOMPARE(o.nq, 0);
        QCOMPARE(wb->resultModel()->distanceColumn(), -1);
        for (const auto &row : o.rows)
            QCOMPARE(row.fields.value(QStringLiteral("title")).toString(),
                     QStringLiteral("document %1").arg(row.id.toLongLong()));
        QVERIFY(wb->statusText().startsWith(QStringLiteral("5 entities")));

        // Without a filter the limit applies.
        setText(child<QLineEdit>(wb.get(), "filterEdit"), QString());
        setSpin(wb.get(), "topKSpin", 7);
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(wb->resultModel()->rowCount(), 7);
    }

    void primaryKeysOnly()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        setMode(wb.get(), ResultMode::PrimaryKeys);
        setText(child<QLineEdit>(wb.get(), "filterEdit"),
                QStringLiteral("id in [3, 4, 5] or title == \"document 150\""));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(idSet(resultIds(wb.get())), (QSet<qint64>{3, 4, 5, 150}));
        QCOMPARE(wb->resultModel()->columnCount(), 3);
    }

    void outputFieldsAndPartitions()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        auto *fields = child<QListWidget>(wb.get(), "outputFieldList");
        for (int i = 0; i < fields->count(); ++i)
            fields->item(i)->setCheckState(
                fields->item(i)->data(Qt::UserRole) == QStringLiteral("title") ? Qt::Checked : Qt::Unchecked);
        auto *partitions = child<QListWidget>(wb.get(), "partitionList");
        const auto p1 = partitions->findItems(QStringLiteral("p1"), Qt::MatchExactly);
        QCOMPARE(p1.size(), 1);
        p1.first()->setCheckState(Qt::Checked);
        setMode(wb.get(), ResultMode::WithScore);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(vectorFor(1002, kDim)));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const SearchOutcome &o = wb->resultModel()->outcome();
        QCOMPARE(o.fieldColumns, QStringList{QStringLiteral("title")});
        QCOMPARE(idSet(resultIds(wb.get())), (QSet<qint64>{1000, 1001, 1002, 1003, 1004}));
        QCOMPARE(resultIds(wb.get()).first().toLongLong(), 1002);
    }

    void filterCompletesFieldNames()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        auto *filter = child<QLineEdit>(wb.get(), "filterEdit");
        auto *completer = filter->findChild<QCompleter *>();
        QVERIFY(completer);
        setText(filter, QStringLiteral("id > 3 and sc"));
        QVERIFY(QTest::qWaitFor([&] { return completer->popup()->isVisible(); }, 2000));
        QCOMPARE(completer->currentCompletion(), QStringLiteral("score"));
        QTest::keyClick(completer->popup(), Qt::Key_Down);
        QTest::keyClick(completer->popup(), Qt::Key_Return);
        QCOMPARE(filter->text(), QStringLiteral("id > 3 and score"));
        QTest::keyClicks(filter, QStringLiteral(" > 9.8"));
        setMode(wb.get(), ResultMode::PrimaryKeys);
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(idSet(resultIds(wb.get())), (QSet<qint64>{99, 199}));
    }

    void historyAndSavedSearchesPersist()
    {
        {
            auto wb = open(m_rich);
            QVERIFY(wb);
            setMode(wb.get(), ResultMode::WithScore);
            setSpin(wb.get(), "topKSpin", 7);
            setText(child<QLineEdit>(wb.get(), "filterEdit"), QStringLiteral("id > 3"));
            setInput(wb.get(), QueryInputMode::Text, QStringLiteral("document 12"));
            QString error;
            QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
            setInput(wb.get(), QueryInputMode::Vector, vectorJson(vectorFor(9, kDim)));
            setSpin(wb.get(), "topKSpin", 4);
            QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));

            // Saved under a name typed into the dialog.
            QTimer::singleShot(0, this, [] {
                // Without a dialog the save below never returns and the test times out: that is the failure.
                if (!QTest::qWaitFor(
                        [] { return qobject_cast<QInputDialog *>(QApplication::activeModalWidget()); }, 5000))
                    return;
                if (auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
                    dialog->setTextValue(QStringLiteral("nearest to nine"));
                    dialog->accept();
                }
            });
            QTest::mouseClick(child<QWidget>(wb.get(), "saveSearchButton"), Qt::LeftButton);
        }
        // A new workbench (as after a restart) reads both back from QSettings.
        auto wb = open(m_rich);
        QVERIFY(wb);
        auto *history = child<QListWidget>(wb.get(), "historyList");
        QVERIFY(history->count() >= 2);
        QVERIFY2(history->item(0)->text().contains(QStringLiteral("vector")),
                 qPrintable(history->item(0)->text()));
        QVERIFY2(history->item(1)->text().contains(QStringLiteral("\"document 12\"")),
                 qPrintable(history->item(1)->text()));
        QVERIFY(history->item(1)->text().contains(QStringLiteral("where id > 3")));

        QTest::mouseClick(history->viewport(), Qt::LeftButton, {},
                          history->visualItemRect(history->item(1)).center());
        QCOMPARE(child<QTabWidget>(wb.get(), "queryTabs")->currentIndex(), int(QueryInputMode::Text));
        QCOMPARE(child<QPlainTextEdit>(wb.get(), "queryTextEdit")->toPlainText(),
                 QStringLiteral("document 12"));
        QCOMPARE(child<QSpinBox>(wb.get(), "topKSpin")->value(), 7);
        QCOMPARE(child<QLineEdit>(wb.get(), "filterEdit")->text(), QStringLiteral("id > 3"));
        QCOMPARE(wb->currentSpec().resultMode, ResultMode::WithScore);
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error)); // the restored inputs run as they did
        QCOMPARE(wb->resultModel()->rowCount(), 7);

        auto *saved = child<QListWidget>(wb.get(), "savedList");
        QCOMPARE(saved->count(), 1);
        QVERIFY(saved->item(0)->text().startsWith(QStringLiteral("nearest to nine")));
        child<QTabWidget>(wb.get(), "historyTabs")->setCurrentIndex(1);
        QTest::mouseClick(saved->viewport(), Qt::LeftButton, {},
                          saved->visualItemRect(saved->item(0)).center());
        QCOMPARE(child<QTabWidget>(wb.get(), "queryTabs")->currentIndex(), int(QueryInputMode::Vector));
        QCOMPARE(child<QSpinBox>(wb.get(), "topKSpin")->value(), 4);
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(resultIds(wb.get()).first().toLongLong(), 9);

        // A saved search of another collection switches to it and applies the target details (here: only
        // "title" as output) once that collection's schema has arrived.
        auto *fields = child<QListWidget>(wb.get(), "outputFieldList");
        for (int i = 0; i < fields->count(); ++i)
            fields->item(i)->setCheckState(
                fields->item(i)->data(Qt::UserRole) == QStringLiteral("title") ? Qt::Checked : Qt::Unchecked);
        QTimer::singleShot(0, this, [] {
            if (!QTest::qWaitFor(
                    [] { return qobject_cast<QInputDialog *>(QApplication::activeModalWidget()); }, 5000))
                return;
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            dialog->setTextValue(QStringLiteral("titles only"));
            dialog->accept();
        });
        QTest::mouseClick(child<QWidget>(wb.get(), "saveSearchButton"), Qt::LeftButton);
        QCOMPARE(saved->count(), 2);
        wb->setCollection(QString(), m_richCos);
        QVERIFY(waitUntilReady(wb.get(), m_richCos));
        QVERIFY(child<QListWidget>(wb.get(), "outputFieldList")->item(0)->checkState() == Qt::Unchecked);
        const auto titlesOnly = saved->findItems(QStringLiteral("titles only"), Qt::MatchStartsWith);
        QCOMPARE(titlesOnly.size(), 1);
        QTest::mouseClick(saved->viewport(), Qt::LeftButton, {},
                          saved->visualItemRect(titlesOnly.first()).center());
        QVERIFY(waitUntilReady(wb.get(), m_rich));
        QCOMPARE(wb->currentSpec().outputFields, QStringList{QStringLiteral("title")});
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QCOMPARE(wb->resultModel()->outcome().spec.collection, m_rich);
        QCOMPARE(wb->resultModel()->outcome().fieldColumns, QStringList{QStringLiteral("title")});
    }

    void offsetParamsAndConsistency()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        setMode(wb.get(), ResultMode::WithScore);
        setSpin(wb.get(), "topKSpin", 6);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(vectorFor(21, kDim)));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const QVariantList firstSix = resultIds(wb.get());

        setSpin(wb.get(), "offsetSpin", 2);
        setText(child<QLineEdit>(wb.get(), "searchParamsEdit"), QStringLiteral("{\"nprobe\": 8}"));
        QVERIFY(pick(child<QComboBox>(wb.get(), "consistencyCombo"), int(ConsistencyLevel::Strong)));
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const SearchOutcome &o = wb->resultModel()->outcome();
        QCOMPARE(o.spec.consistency, std::optional(ConsistencyLevel::Strong));
        QCOMPARE(o.spec.offset, 2);
        QCOMPARE(resultIds(wb.get()).mid(0, 4), firstSix.mid(2, 4));
    }

    void metricOverride()
    {
        // The index is L2; Milvus Lite searches with the metric asked for, and relevance follows it. The full
        // server searches with the index's metric only: there the other metrics are not offered.
        auto wb = open(m_rich);
        QVERIFY(wb);
        const ServerCapabilities caps = ServerCapabilities::fromVersion(m_client->getVersion());
        wb->setCapabilities(caps);
        if (caps.flavor == ServerCapabilities::Flavor::Milvus) {
            auto *combo = child<QComboBox>(wb.get(), "metricCombo");
            auto *model = qobject_cast<QStandardItemModel *>(combo->model());
            QTRY_VERIFY(combo->itemText(0).contains(QLatin1String("L2"))); // the index's metric is known
            for (int i = 1; i < combo->count(); ++i) {
                const bool isIndexMetric = combo->itemData(i).toString() == QLatin1String("L2");
                QCOMPARE(model->item(i)->isEnabled(), isIndexMetric);
                if (!isIndexMetric)
                    QVERIFY(model->item(i)->toolTip().contains(QLatin1String("index's metric")));
            }
            return;
        }
        QVERIFY(pick(child<QComboBox>(wb.get(), "metricCombo"), QStringLiteral("IP")));
        setMode(wb.get(), ResultMode::WithScore);
        const QList<float> query = vectorFor(4321, kDim);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(query));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        const SearchOutcome &o = wb->resultModel()->outcome();
        QCOMPARE(o.metric, QStringLiteral("IP"));
        const auto dot = [&](qint64 id) {
            const QList<float> v = vectorFor(id, kDim);
            double sum = 0;
            for (int k = 0; k < kDim; ++k)
                sum += double(query.at(k)) * double(v.at(k));
            return sum;
        };
        qint64 best = 0;
        for (qint64 id = 0; id < 200; ++id)
            best = dot(id) > dot(best) ? id : best;
        for (qint64 id = 1000; id < 1005; ++id)
            best = dot(id) > dot(best) ? id : best;
        QCOMPARE(o.rows.first().id.toLongLong(), best);
        for (const auto &row : o.rows) {
            QVERIFY(qAbs(*row.distance - dot(row.id.toLongLong())) < 1e-4);
            QVERIFY(qAbs(*row.relevance - (*row.distance + 1) / 2) < 1e-12);
        }
    }

    void exportsCsvAndJson()
    {
        auto wb = open(m_rich);
        QVERIFY(wb);
        setMode(wb.get(), ResultMode::WithScore);
        setSpin(wb.get(), "topKSpin", 5);
        setInput(wb.get(), QueryInputMode::Vector, vectorJson(vectorFor(8, kDim)));
        QString error;
        QVERIFY2(runSearch(wb.get(), &error), qPrintable(error));
        QVERIFY(child<QWidget>(wb.get(), "exportButton")->isEnabled());

        const QString csvPath = m_files.filePath(QStringLiteral("results.csv"));
        await(wb->exportTo(csvPath));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 6);
        QVERIFY2(lines.at(0).startsWith("query,rank,id,distance,relevance,title,score,meta,tags"),
                 lines.at(0).constData());
        QVERIFY2(lines.at(1).startsWith("1,1,8,0,1,document 8,"), lines.at(1).constData());

        const QString jsonPath = m_files.filePath(QStringLiteral("results.json"));
        await(wb->exportTo(jsonPath));
        QFile jf(jsonPath);
        QVERIFY(jf.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(jf.readAll()).object();
        QCOMPARE(json.value(QLatin1String("collection")).toString(), m_rich);
        QCOMPARE(json.value(QLatin1String("metric")).toString(), QStringLiteral("L2"));
        const QJsonArray results = json.value(QLatin1String("results")).toArray();
        QCOMPARE(results.size(), 5);
        const QJsonObject first = results.at(0).toObject();
        QCOMPARE(first.value(QLatin1String("id")).toInteger(), 8);
        QCOMPARE(first.value(QLatin1String("rank")).toInt(), 1);
        QCOMPARE(first.value(QLatin1String("relevance")).toDouble(), 1.0);
        QCOMPARE(first.value(QLatin1String("fields")).toObject().value(QLatin1String("title")).toString(),
                 QStringLiteral("document 8"));
        QVERIFY(json.value(QLatin1String("timing_ms")).toObject().value(QLatin1String("milvus")).toDouble() >
                0);
    }
};

} // namespace mx

MX_TEST_MAIN_WITH_OWN_SETTINGS(mx::TestSearchWorkbench, "tst_searchworkbench")

#include "tst_searchworkbench.moc"
