// mx::VectorStore against a local server (Milvus Lite or the standalone): every operation in its blocking and
// its async form on twin collections fed the same inputs, which must give identical answers; typed errors for
// bad input; cancellation; many async adds on a fresh store creating its collection once.

#include "ExprLiteral.h"
#include "FixtureEmbeddings.h"
#include "Mmr.h"
#include "StoreCodec.h"
#include "TestSupport.h"
#include "VectorStore.h"

#include <QtConcurrent/QtConcurrentRun>

namespace mx {

using test::await;
using test::expectError;

namespace {
constexpr int kDim = 8;

QStringList tutorialTexts(int n, int first = 0)
{
    QStringList out;
    for (int i = first; i < first + n; ++i)
        out.append(QStringLiteral("This is test document %1 with some content").arg(i));
    return out;
}

QList<QVariantMap> tutorialMetadata(int n, int first = 0)
{
    QList<QVariantMap> out;
    for (int i = first; i < first + n; ++i)
        out.append({{QStringLiteral("id"), QStringLiteral("doc_%1").arg(i)},
                    {QStringLiteral("score"), double(i) / 7.0},
                    {QStringLiteral("category"), QStringLiteral("cat_%1").arg(i % 5)}});
    return out;
}

QList<Document> documents(int n, int first, const QString &idPrefix)
{
    QList<Document> out;
    const QStringList texts = tutorialTexts(n, first);
    const QList<QVariantMap> metas = tutorialMetadata(n, first);
    for (int i = 0; i < n; ++i)
        out.append(Document{texts.at(i), metas.at(i),
                            idPrefix.isEmpty() ? QString() : idPrefix + QString::number(first + i)});
    return out;
}
} // namespace

class TestVectorStore : public QObject
{
    Q_OBJECT

    test::TestServer m_server;
    std::shared_ptr<MilvusClient> m_client;
    std::shared_ptr<test::FixtureEmbeddings> m_embeddings;
    // Twin stores with the same 20 documents: one filled and read with the blocking forms, one with the
    // async.
    VectorStore m_blocking;
    VectorStore m_async;

    VectorStore store(const QString &prefix, VectorStoreConfig config = {})
    {
        config.collectionName = test::uniqueName(prefix);
        return VectorStore(m_client, m_embeddings, config);
    }

    // Auto ids: Milvus Lite numbers them per collection, the full server from its clock, so twin collections
    // give the same document different keys. A key is compared by its identity in its own store instead: the
    // position of the document it was assigned to, in the order of the store's adds.
    QHash<QString, QHash<qint64, qsizetype>> m_positions;

    void remember(const VectorStore &s, const QVariantList &keys)
    {
        auto &positions = m_positions[s.config().collectionName];
        for (const auto &k : keys) {
            if (k.typeId() == QMetaType::LongLong)
                positions.insert(k.toLongLong(), positions.size());
        }
    }

    // An unknown key stays itself, so it differs from the twin's.
    QVariant identity(const VectorStore &s, const QVariant &key) const
    {
        if (key.typeId() != QMetaType::LongLong)
            return key;
        const auto positions = m_positions.value(s.config().collectionName);
        const auto it = positions.constFind(key.toLongLong());
        return it == positions.cend() ? key : QVariant(QStringLiteral("#%1").arg(*it));
    }

    QVariantList identities(const VectorStore &s, QVariantList keys) const
    {
        for (auto &k : keys)
            k = identity(s, k);
        return keys;
    }
    std::optional<QVariantList> identities(const VectorStore &s, std::optional<QVariantList> keys) const
    {
        if (keys)
            keys = identities(s, *keys);
        return keys;
    }
    Document identities(const VectorStore &s, Document d) const
    {
        const QVariant pk = d.metadata.value(QStringLiteral("pk"));
        if (pk.typeId() != QMetaType::LongLong)
            return d;
        if (d.id == pk.toString()) // Document.id is the key too
            d.id = identity(s, pk).toString();
        d.metadata.insert(QStringLiteral("pk"), identity(s, pk));
        return d;
    }
    QList<Document> identities(const VectorStore &s, QList<Document> docs) const
    {
        for (auto &d : docs)
            d = identities(s, d);
        return docs;
    }
    QList<ScoredDocument> identities(const VectorStore &s, QList<ScoredDocument> docs) const
    {
        for (auto &d : docs)
            d.document = identities(s, d.document);
        return docs;
    }

    // Each form on its own twin; both answers must be the same (auto ids by identity).
    template<typename T, typename Sync, typename Async>
    T same(Sync sync, Async async)
    {
        const T blocking = sync(m_blocking);
        const T viaAsync = await(async(m_async));
        if (!(identities(m_blocking, blocking) == identities(m_async, viaAsync)))
            QTest::qFail("the blocking and the async form answered differently", __FILE__, __LINE__);
        return blocking;
    }

    // The same failure from both forms; returns it.
    template<typename Sync, typename Async>
    MilvusError sameError(const VectorStore &s, Sync sync, Async async)
    {
        const MilvusError b = expectError([&] { sync(s); });
        const MilvusError a = expectError([&] { await(async(s)); });
        if (a.kind != b.kind || a.milvusCode != b.milvusCode)
            QTest::qFail(
                qPrintable(QStringLiteral("forms failed differently: %1 / %2").arg(b.message(), a.message())),
                __FILE__, __LINE__);
        return b;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_client = std::shared_ptr<MilvusClient>(m_server.client().release());
        m_embeddings = std::make_shared<test::FixtureEmbeddings>(kDim);
        m_blocking = store(QStringLiteral("vs_b"));
        m_async = store(QStringLiteral("vs_a"));
        const QVariantList b = m_blocking.addTexts(tutorialTexts(20), tutorialMetadata(20));
        const QVariantList a = await(m_async.addTextsAsync(tutorialTexts(20), tutorialMetadata(20)));
        QCOMPARE(b.size(), 20);
        remember(m_blocking, b);
        remember(m_async, a);
        QCOMPARE(identities(m_async, a), identities(m_blocking, b));
        QCOMPARE(b.first().typeId(), QMetaType::LongLong); // no ids given: auto ids, as langchain-milvus
        QCOMPARE(a.first().typeId(), QMetaType::LongLong);
        // Server-assigned keys: Milvus Lite counts per collection (both stores get the same), the full server
        // derives them from its clock (unique across collections). Either way they are distinct.
        const auto distinct = [](const QVariantList &ids) {
            QSet<qint64> keys;
            for (const QVariant &id : ids)
                keys.insert(id.toLongLong());
            return keys.size();
        };
        QCOMPARE(distinct(b), 20);
        QCOMPARE(distinct(a), 20);
    }

    void schemaFollowsLangchainMilvus()
    {
        const auto d = m_client->describeCollection({m_blocking.config().collectionName});
        QStringList names;
        for (const auto &f : d.schema.fields)
            names.append(f.name);
        QCOMPARE(names, (QStringList{"text", "pk", "vector", "category", "id", "score"}));
        QCOMPARE(d.schema.field("pk")->type, DataType::Int64);
        QVERIFY(d.schema.field("pk")->autoId);
        QCOMPARE(d.schema.field("text")->maxLength(), 65535);
        QCOMPARE(d.schema.field("vector")->dim(), kDim);
        QCOMPARE(d.schema.field("score")->type, DataType::Double);
        QCOMPARE(d.schema.field("category")->type, DataType::VarChar);
        // Milvus Lite reports every collection as Strong (it ignores levels): check what the store asks for.
        const auto request =
            detail::createCollectionRequest(m_blocking.config(), true, kDim, tutorialMetadata(1).first());
        QCOMPARE(request.consistency, ConsistencyLevel::Session);
        QCOMPARE(request.schema.fields.size(), d.schema.fields.size());
        const auto indexes = m_client->describeIndex({m_blocking.config().collectionName, "vector"});
        QCOMPARE(indexes.size(), 1);
        QCOMPARE(indexes.first().indexType(), QStringLiteral("AUTOINDEX"));
        QCOMPARE(indexes.first().metricType(), QStringLiteral("L2"));
        QVERIFY(m_blocking.hasCollection());
    }

    void addTextsWithIdsAndTypes()
    {
        VectorStore b = store(QStringLiteral("typed_b")), a = store(QStringLiteral("typed_a"));
        const QStringList texts{"alpha", "beta", "gamma"};
        const QList<QVariantMap> metas{
            {{"flag", true}, {"n", 1}, {"x", 0.0}, {"j", QVariantMap{{"k", 1}}}},
            {{"flag", false}, {"n", 2}, {"x", 0.5}, {"j", QVariantMap{{"k", 2}}}},
            {{"flag", true}, {"n", 3}, {"x", 1.5}, {"j", QVariantMap{}}, {"dropped", 1}}};
        AddOptions o;
        o.ids = {"a1", "a2", "a3"};
        QCOMPARE(b.addTexts(texts, metas, o), o.ids);
        QCOMPARE(await(a.addTextsAsync(texts, metas, o)), o.ids);
        const auto d = m_client->describeCollection({b.config().collectionName});
        QCOMPARE(d.schema.field("pk")->type, DataType::VarChar);
        QCOMPARE(d.schema.field("flag")->type, DataType::Bool);
        QCOMPARE(d.schema.field("n")->type, DataType::Int64);
        QCOMPARE(d.schema.field("x")->type, DataType::Double); // 0.0 is a float: the first value decides
        QCOMPARE(d.schema.field("j")->type, DataType::Json);
        QVERIFY(!d.schema.field("dropped")); // not in the first metadata: no field, and dropped on insert
        const auto rows = b.searchByMetadata(QStringLiteral("n == 3"));
        QCOMPARE(rows, await(a.searchByMetadataAsync(QStringLiteral("n == 3"))));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().pageContent, QStringLiteral("gamma"));
        QCOMPARE(rows.first().id, QStringLiteral("a3"));
        QVERIFY(!rows.first().metadata.contains("dropped"));
        // The collection's keys are strings given by the caller: an add without ids is refused, not sent.
        QCOMPARE(sameError(
                     b, [](const VectorStore &s) { s.addTexts({"delta"}); },
                     [](const VectorStore &s) { return s.addTextsAsync({"delta"}); })
                     .kind,
                 ErrorKind::InvalidArgument);
    }

    void opensAnExistingCollection()
    {
        // A second store on the same collection reads its layout from Milvus, in either form.
        VectorStoreConfig config = m_blocking.config();
        const VectorStore blocking(m_client, m_embeddings, config);
        blocking.open();
        const VectorStore viaAsync(m_client, m_embeddings, config);
        await(viaAsync.openAsync());
        QVERIFY(blocking.hasCollection() && viaAsync.hasCollection());
        const QString q = tutorialTexts(1, 9).first();
        QCOMPARE(blocking.similaritySearchWithScore(q), m_blocking.similaritySearchWithScore(q));
        QCOMPARE(await(viaAsync.similaritySearchWithScoreAsync(q)), m_blocking.similaritySearchWithScore(q));

        // A collection without an index gets langchain-milvus's default one (AUTOINDEX, L2) when opened.
        const QString bare = test::uniqueName(QStringLiteral("bare"));
        auto create = detail::createCollectionRequest(config, true, kDim, {});
        create.collection = bare;
        create.schema.name = bare;
        m_client->createCollection(create);
        config.collectionName = bare;
        await(VectorStore(m_client, m_embeddings, config).openAsync());
        const auto indexes = m_client->describeIndex({bare, "vector"});
        QCOMPARE(indexes.size(), 1);
        QCOMPARE(indexes.first().metricType(), QStringLiteral("L2"));

        // drop_old starts over.
        config.dropOld = true;
        VectorStore(m_client, m_embeddings, config).open();
        QVERIFY(!m_client->hasCollection({bare}));
    }

    void addDocumentsUsesDocumentIds()
    {
        VectorStoreConfig dynamic;
        dynamic.enableDynamicField = true;
        VectorStore b = store(QStringLiteral("docs_b"), dynamic),
                    a = store(QStringLiteral("docs_a"), dynamic);
        const QList<Document> docs = documents(5, 0, QStringLiteral("d"));
        QCOMPARE(b.addDocuments(docs), (QVariantList{"d0", "d1", "d2", "d3", "d4"}));
        QCOMPARE(await(a.addDocumentsAsync(docs)), (QVariantList{"d0", "d1", "d2", "d3", "d4"}));
        // Explicit ids win over the documents' own.
        AddOptions o;
        o.ids = {"x5", "x6"};
        QCOMPARE(b.addDocuments(documents(2, 5, QStringLiteral("d")), o), o.ids);
        QCOMPARE(await(a.addDocumentsAsync(documents(2, 5, QStringLiteral("d")), o)), o.ids);
        // Dynamic metadata comes back whole.
        const auto hits = b.similaritySearch(docs.at(2).pageContent, {1});
        QCOMPARE(hits, await(a.similaritySearchAsync(docs.at(2).pageContent, {1})));
        QCOMPARE(hits.size(), 1);
        QVariantMap want = docs.at(2).metadata;
        want.insert("pk", "d2");
        QCOMPARE(hits.first().metadata, want);
    }

    void addEmbeddings()
    {
        VectorStore b = store(QStringLiteral("emb_b")), a = store(QStringLiteral("emb_a"));
        const QStringList texts = tutorialTexts(4);
        QList<Embedding> vectors;
        for (const auto &t : texts)
            vectors.append(test::FixtureEmbeddings::derive(t, kDim));
        const int before = m_embeddings->calls();
        const QVariantList ids = b.addEmbeddings(texts, vectors);
        const QVariantList viaAsync = await(a.addEmbeddingsAsync(texts, vectors));
        remember(b, ids);
        remember(a, viaAsync);
        QCOMPARE(identities(a, viaAsync), identities(b, ids));
        QCOMPARE(identities(b, ids), (QVariantList{"#0", "#1", "#2", "#3"})); // four new auto ids
        QCOMPARE(m_embeddings->calls(), before); // the vectors were given: nothing embedded
        QCOMPARE(b.similaritySearchWithScoreByVector(vectors.at(1), {1}).first().document.pageContent,
                 texts.at(1));
        QCOMPARE(b.addEmbeddings({}, {}), QVariantList{});
    }

    void similaritySearch()
    {
        const QString q = tutorialTexts(1, 7).first();
        const auto docs =
            same<QList<Document>>([&](const VectorStore &s) { return s.similaritySearch(q); },
                                  [&](const VectorStore &s) { return s.similaritySearchAsync(q); });
        QCOMPARE(docs.size(), 4); // k defaults to 4
        QCOMPARE(docs.first().pageContent, q);
        QCOMPARE(docs.first().metadata.value("id"), QVariant("doc_7"));
        QVERIFY(docs.first().metadata.contains("pk"));
        QVERIFY(!docs.first().metadata.contains("vector"));
        QVERIFY(!docs.first().metadata.contains("text"));

        SearchOptions filtered;
        filtered.k = 10;
        filtered.expr = QStringLiteral("category == 'cat_2'");
        const auto only =
            same<QList<Document>>([&](const VectorStore &s) { return s.similaritySearch(q, filtered); },
                                  [&](const VectorStore &s) { return s.similaritySearchAsync(q, filtered); });
        QCOMPARE(only.size(), 4);
        for (const auto &d : only)
            QCOMPARE(d.metadata.value("category"), QVariant("cat_2"));
    }

    void similaritySearchByVector()
    {
        const Embedding v = test::FixtureEmbeddings::derive(QStringLiteral("somewhere else"), kDim);
        const auto docs = same<QList<Document>>(
            [&](const VectorStore &s) { return s.similaritySearchByVector(v, {6}); },
            [&](const VectorStore &s) { return s.similaritySearchByVectorAsync(v, {6}); });
        QCOMPARE(docs.size(), 6);
    }

    void similaritySearchWithScore()
    {
        const QString q = tutorialTexts(1, 3).first();
        const auto hits = same<QList<ScoredDocument>>(
            [&](const VectorStore &s) { return s.similaritySearchWithScore(q, {20}); },
            [&](const VectorStore &s) { return s.similaritySearchWithScoreAsync(q, {20}); });
        QCOMPARE(hits.size(), 20);
        QCOMPARE(hits.first().document.pageContent, q);
        QCOMPARE(hits.first().score, 0.0); // raw squared L2 distance, as langchain-milvus returns it
        for (int i = 1; i < hits.size(); ++i)
            QVERIFY(hits.at(i - 1).score <= hits.at(i).score);
        // The raw score is the squared L2 distance between the stored and the query vectors.
        const Embedding qv = test::FixtureEmbeddings::derive(q, kDim);
        const Embedding hv = test::FixtureEmbeddings::derive(hits.at(5).document.pageContent, kDim);
        double d2 = 0;
        for (int k = 0; k < kDim; ++k)
            d2 += double(qv.at(k) - hv.at(k)) * double(qv.at(k) - hv.at(k));
        QVERIFY(qAbs(hits.at(5).score - d2) < 1e-5);
    }

    void similaritySearchWithScoreByVector()
    {
        const Embedding v = test::FixtureEmbeddings::derive(tutorialTexts(1, 11).first(), kDim);
        SearchOptions o;
        o.k = 3;
        o.expr = QStringLiteral("score > 1.0");
        const auto hits = same<QList<ScoredDocument>>(
            [&](const VectorStore &s) { return s.similaritySearchWithScoreByVector(v, o); },
            [&](const VectorStore &s) { return s.similaritySearchWithScoreByVectorAsync(v, o); });
        QCOMPARE(hits.size(), 3);
        QCOMPARE(hits.first().document.metadata.value("id"), QVariant("doc_11"));
    }

    void maxMarginalRelevanceSearch()
    {
        const QString q = tutorialTexts(1, 4).first();
        MmrOptions o;
        o.k = 5;
        o.fetchK = 12;
        const auto docs = same<QList<Document>>(
            [&](const VectorStore &s) { return s.maxMarginalRelevanceSearch(q, o); },
            [&](const VectorStore &s) { return s.maxMarginalRelevanceSearchAsync(q, o); });
        QCOMPARE(docs.size(), 5);
        QCOMPARE(docs.first().pageContent, q); // the most similar is always picked first
        // lambda 1 is plain similarity order (by cosine): the same documents as a search when vectors differ.
        o.lambdaMult = 1.0;
        const auto plain = m_blocking.maxMarginalRelevanceSearch(q, o);
        QCOMPARE(plain.size(), 5);
        QCOMPARE(plain.first().pageContent, q);
    }

    void maxMarginalRelevanceSearchByVector()
    {
        const Embedding v = test::FixtureEmbeddings::derive(QStringLiteral("diverse"), kDim);
        MmrOptions o;
        o.k = 3;
        o.fetchK = 20;
        o.lambdaMult = 0.2;
        const auto docs = same<QList<Document>>(
            [&](const VectorStore &s) { return s.maxMarginalRelevanceSearchByVector(v, o); },
            [&](const VectorStore &s) { return s.maxMarginalRelevanceSearchByVectorAsync(v, o); });
        QCOMPARE(docs.size(), 3);
    }

    void searchByMetadata()
    {
        const auto docs = same<QList<Document>>(
            [&](const VectorStore &s) { return s.searchByMetadata(QStringLiteral("category == 'cat_1'")); },
            [&](const VectorStore &s) {
                return s.searchByMetadataAsync(QStringLiteral("category == 'cat_1'"));
            });
        QCOMPARE(docs.size(), 4);
        // As langchain-milvus: every schema field is metadata, the vector and the text included.
        QCOMPARE(docs.first().metadata.value("vector").toList().size(), kDim);
        QCOMPARE(docs.first().metadata.value("text").toString(), docs.first().pageContent);
        const auto few = same<QList<Document>>(
            [&](const VectorStore &s) { return s.searchByMetadata(QStringLiteral("pk > 0"), {"id"}, 3); },
            [&](const VectorStore &s) {
                return s.searchByMetadataAsync(QStringLiteral("pk > 0"), {"id"}, 3);
            });
        QCOMPARE(few.size(), 3);
        QCOMPARE(QStringList(few.first().metadata.keys()), (QStringList{"id", "pk", "text"}));
    }

    void getPks()
    {
        const auto pks = same<std::optional<QVariantList>>(
            [&](const VectorStore &s) { return s.getPks(QStringLiteral("category == 'cat_0'")); },
            [&](const VectorStore &s) { return s.getPksAsync(QStringLiteral("category == 'cat_0'")); });
        QVERIFY(pks.has_value());
        QCOMPARE(pks->size(), 4);
        VectorStore missing = store(QStringLiteral("never_created"));
        QCOMPARE(missing.getPks(QStringLiteral("pk > 0")), std::nullopt);
        QCOMPARE(await(missing.getPksAsync(QStringLiteral("pk > 0"))), std::nullopt);
        QCOMPARE(missing.similaritySearch(QStringLiteral("anything")), QList<Document>{});
        QCOMPARE(await(missing.maxMarginalRelevanceSearchAsync(QStringLiteral("anything"))),
                 QList<Document>{});
        QCOMPARE(await(missing.searchByMetadataAsync(QStringLiteral("pk > 0"))), QList<Document>{});
    }

    void deleteByIdsAndExpression()
    {
        VectorStore b = store(QStringLiteral("del_b")), a = store(QStringLiteral("del_a"));
        const QVariantList ids = b.addTexts(tutorialTexts(10), tutorialMetadata(10));
        const QVariantList asyncIds = await(a.addTextsAsync(tutorialTexts(10), tutorialMetadata(10)));
        remember(b, ids);
        remember(a, asyncIds);
        QCOMPARE(identities(a, asyncIds), identities(b, ids));
        b.deleteDocuments(ids.mid(0, 3));
        await(a.deleteDocumentsAsync(asyncIds.mid(0, 3)));
        b.deleteDocuments({}, QStringLiteral("category == 'cat_4'"));
        await(a.deleteDocumentsAsync({}, QStringLiteral("category == 'cat_4'")));
        const auto left = b.getPks(QStringLiteral("pk > 0"));
        QCOMPARE(identities(a, await(a.getPksAsync(QStringLiteral("pk > 0")))), identities(b, left));
        QCOMPARE(left->size(), 5); // 10 - 3 - {doc_4, doc_9}
        QVERIFY(!left->contains(ids.at(0)) && !left->contains(ids.at(4)));
        // Neither ids nor an expression: refused before anything is sent.
        QCOMPARE(sameError(
                     b, [](const VectorStore &s) { s.deleteDocuments({}); },
                     [](const VectorStore &s) { return s.deleteDocumentsAsync({}); })
                     .kind,
                 ErrorKind::InvalidArgument);
    }

    // Ids that need escaping in the `pk in [...]` expressions the store builds (delete by ids, the MMR
    // vector fetch) and in a caller's get_pks filter.
    void awkwardIds()
    {
        VectorStore b = store(QStringLiteral("awk_b")), a = store(QStringLiteral("awk_a"));
        const QStringList keys = test::awkwardKeys();
        QStringList texts;
        for (qsizetype i = 0; i < keys.size(); ++i)
            texts.append(QStringLiteral("awkward document %1").arg(i));
        AddOptions o;
        for (const QString &k : keys)
            o.ids.append(k);
        QCOMPARE(b.addTexts(texts, {}, o), o.ids);
        QCOMPARE(await(a.addTextsAsync(texts, {}, o)), o.ids);
        const auto sorted = [](std::optional<QVariantList> l) {
            QStringList out;
            for (const auto &v : l.value_or(QVariantList{}))
                out.append(v.toString());
            out.sort();
            return out;
        };
        QStringList expected = keys;
        expected.sort();
        const QString everyKey = exprInList(QStringLiteral("pk"), o.ids);
        QCOMPARE(sorted(b.getPks(everyKey)), expected);
        QCOMPARE(sorted(await(a.getPksAsync(everyKey))), expected);
        for (const QString &k : keys) {
            const QString one = QStringLiteral("pk == %1").arg(exprStringLiteral(k));
            QCOMPARE(sorted(b.getPks(one)), QStringList{k});
        }
        MmrOptions mmr;
        mmr.k = 4;
        mmr.fetchK = int(keys.size());
        const auto picked = b.maxMarginalRelevanceSearch(texts.at(3), mmr);
        QCOMPARE(picked, await(a.maxMarginalRelevanceSearchAsync(texts.at(3), mmr)));
        QCOMPARE(picked.size(), 4);
        QCOMPARE(picked.first().id, QVariant(keys.at(3)));

        const QVariantList gone = o.ids.mid(0, keys.size() / 2);
        b.deleteDocuments(gone);
        await(a.deleteDocumentsAsync(gone));
        QStringList left = keys.mid(keys.size() / 2);
        left.sort();
        QCOMPARE(sorted(b.getPks(QStringLiteral("pk != \"\""))), left);
        QCOMPARE(sorted(await(a.getPksAsync(QStringLiteral("pk != \"\"")))), left);
    }

    // A read right after a delete sees it, also when the store's last timed write is long past: Milvus 2.3.5
    // answers Delete with timestamp 0, which names no Session guarantee.
    void deleteSeenLongAfterTheAdd()
    {
        VectorStore b = store(QStringLiteral("late_b")), a = store(QStringLiteral("late_a"));
        const QVariantList ids = b.addTexts(tutorialTexts(6), tutorialMetadata(6));
        QCOMPARE(await(a.addTextsAsync(tutorialTexts(6), tutorialMetadata(6))).size(), 6);
        QTest::qWait(10500); // past the client's read-your-writes window for the adds
        QCOMPARE(b.deleteDocuments(ids.mid(0, 2)), 2);
        QCOMPARE(b.getPks(QStringLiteral("pk > 0"))->size(), 4);
        const QVariantList asyncIds = *await(a.getPksAsync(QStringLiteral("pk > 0")));
        QCOMPARE(await(a.deleteDocumentsAsync(asyncIds.mid(0, 2))), 2);
        QCOMPARE(await(a.getPksAsync(QStringLiteral("pk > 0")))->size(), 4);
    }

    void upsert()
    {
        VectorStoreConfig dynamic;
        dynamic.enableDynamicField = true;
        VectorStore b = store(QStringLiteral("ups_b"), dynamic), a = store(QStringLiteral("ups_a"), dynamic);
        QCOMPARE(await(a.addDocumentsAsync(documents(4, 0, "u"))), b.addDocuments(documents(4, 0, "u")));
        QList<Document> changed{Document{"rewritten zero", {{"category", "new"}}, {}},
                                Document{"brand new", {{"category", "new"}}, {}}};
        AddOptions o;
        o.ids = {"u0", "u9"};
        QCOMPARE(b.upsert(changed, o), o.ids);
        QCOMPARE(await(a.upsertAsync(changed, o)), o.ids);
        const auto rows = b.searchByMetadata(QStringLiteral("pk in ['u0', 'u9']"), {"pk", "category"});
        QCOMPARE(await(a.searchByMetadataAsync(QStringLiteral("pk in ['u0', 'u9']"), {"pk", "category"})),
                 rows);
        QCOMPARE(rows.size(), 2);
        for (const auto &r : rows)
            QCOMPARE(r.metadata.value("category"), QVariant("new"));
        // Of the dynamic field only the keys asked for (the full server sends them all, pymilvus drops the
        // others).
        const auto picked = b.searchByMetadata(QStringLiteral("pk == 'u2'"), {"pk", "category"});
        QCOMPARE(await(a.searchByMetadataAsync(QStringLiteral("pk == 'u2'"), {"pk", "category"})), picked);
        QCOMPARE(picked.size(), 1);
        QCOMPARE(picked.first().metadata.keys(), QStringList({"category", "pk", "text"}));
        QCOMPARE(b.getPks(QStringLiteral("pk != ''"))->size(), 5);
        // The documents' own ids are used when no ids are given.
        QList<Document> own{Document{"own id text", {{"category", "own"}}, "u1"}};
        QCOMPARE(b.upsert(own), QVariantList{"u1"});
        QCOMPARE(await(a.upsertAsync(own)), QVariantList{"u1"});
        QCOMPARE(b.getPks(QStringLiteral("pk != ''"))->size(), 5);
    }

    void upsertWithoutIdsAdds()
    {
        // langchain-milvus's blocking upsert raises TypeError here after adding; both forms just add.
        const QList<Document> docs{
            Document{"upserted without ids", {{"id", "doc_x"}, {"score", 0.5}, {"category", "cat_x"}}, {}}};
        const QVariantList ids = m_blocking.upsert(docs);
        const QVariantList asyncIds = await(m_async.upsertAsync(docs));
        remember(m_blocking, ids);
        remember(m_async, asyncIds);
        QCOMPARE(identities(m_async, asyncIds), identities(m_blocking, ids));
        QCOMPARE(ids.size(), 1);
        QCOMPARE(m_blocking.deleteDocuments(ids), 1);
        QCOMPARE(await(m_async.deleteDocumentsAsync(asyncIds)), 1);
    }

    void fromTexts()
    {
        VectorStoreConfig b, a;
        b.collectionName = test::uniqueName(QStringLiteral("from_b"));
        a.collectionName = test::uniqueName(QStringLiteral("from_a"));
        b.dropOld = a.dropOld = true;
        const VectorStore sb =
            VectorStore::fromTexts(m_client, m_embeddings, tutorialTexts(6), tutorialMetadata(6), {}, b);
        const VectorStore sa = await(VectorStore::fromTextsAsync(m_client, m_embeddings, tutorialTexts(6),
                                                                 tutorialMetadata(6), {}, a));
        QVERIFY(sb.hasCollection() && sa.hasCollection());
        // from_texts returns no keys: learn them from the rows, in key order (both servers number one insert
        // in ascending order).
        for (const VectorStore &s : {sb, sa}) {
            QVariantList keys = *s.getPks(QStringLiteral("pk > 0"));
            std::sort(keys.begin(), keys.end(),
                      [](const QVariant &x, const QVariant &y) { return x.toLongLong() < y.toLongLong(); });
            remember(s, keys);
        }
        QCOMPARE(m_positions.value(sb.config().collectionName).size(), 6);
        QCOMPARE(identities(sa, sa.similaritySearchWithScore(tutorialTexts(1, 2).first())),
                 identities(sb, sb.similaritySearchWithScore(tutorialTexts(1, 2).first())));
        // With ids: string keys; drop_old starts over.
        const VectorStore again =
            VectorStore::fromTexts(m_client, m_embeddings, {"one", "two"}, {}, {"k1", "k2"}, b);
        QCOMPARE(again.getPks(QStringLiteral("pk != ''")), (QVariantList{"k1", "k2"}));
    }

    void manyAsyncAddsOnAFreshStore()
    {
        // The tutorial's async add: one aadd_documents per document, all in flight on a fresh store.
        VectorStore s = store(QStringLiteral("burst"));
        QList<QFuture<QVariantList>> inFlight;
        for (int i = 0; i < 25; ++i)
            inFlight.append(s.addDocumentsAsync(documents(1, i, {})));
        QSet<qint64> ids;
        for (auto &f : inFlight) {
            const QVariantList one = await(f);
            QCOMPARE(one.size(), 1);
            ids.insert(one.first().toLongLong());
        }
        QCOMPARE(ids.size(), 25);
        QCOMPARE(s.getPks(QStringLiteral("pk > 0"))->size(), 25);
    }

    void errors()
    {
        // Empty query text: refused before embedding.
        QCOMPARE(sameError(
                     m_blocking, [](const VectorStore &s) { s.similaritySearch(QStringLiteral("  ")); },
                     [](const VectorStore &s) { return s.similaritySearchAsync(QString()); })
                     .kind,
                 ErrorKind::InvalidArgument);
        QCOMPARE(sameError(
                     m_blocking, [](const VectorStore &s) { s.maxMarginalRelevanceSearch(QString()); },
                     [](const VectorStore &s) { return s.maxMarginalRelevanceSearchAsync(QString()); })
                     .kind,
                 ErrorKind::InvalidArgument);
        // Wrong vector dimension: searches and writes.
        const Embedding wrong(kDim + 3, 0.5f);
        const MilvusError dim = sameError(
            m_blocking, [&](const VectorStore &s) { s.similaritySearchByVector(wrong); },
            [&](const VectorStore &s) { return s.similaritySearchByVectorAsync(wrong); });
        QCOMPARE(dim.kind, ErrorKind::InvalidArgument);
        QVERIFY2(dim.reason.contains(QLatin1String("dimension")), qPrintable(dim.reason));
        QCOMPARE(sameError(
                     m_blocking, [&](const VectorStore &s) { s.maxMarginalRelevanceSearchByVector(wrong); },
                     [&](const VectorStore &s) { return s.maxMarginalRelevanceSearchByVectorAsync(wrong); })
                     .kind,
                 ErrorKind::InvalidArgument);
        QCOMPARE(sameError(
                     m_blocking, [&](const VectorStore &s) { s.addEmbeddings({"x"}, {wrong}); },
                     [&](const VectorStore &s) { return s.addEmbeddingsAsync({"x"}, {wrong}); })
                     .kind,
                 ErrorKind::InvalidArgument);
        // Malformed filters: Milvus's parser error, typed, from every operation that takes one.
        const QString bad = QStringLiteral("category === ");
        SearchOptions filtered;
        filtered.expr = bad;
        for (const MilvusError &e :
             {sameError(
                  m_blocking,
                  [&](const VectorStore &s) { s.similaritySearch(QStringLiteral("q"), filtered); },
                  [&](const VectorStore &s) {
                      return s.similaritySearchAsync(QStringLiteral("q"), filtered);
                  }),
              sameError(
                  m_blocking, [&](const VectorStore &s) { s.getPks(bad); },
                  [&](const VectorStore &s) { return s.getPksAsync(bad); }),
              sameError(
                  m_blocking, [&](const VectorStore &s) { s.searchByMetadata(bad); },
                  [&](const VectorStore &s) { return s.searchByMetadataAsync(bad); }),
              sameError(
                  m_blocking, [&](const VectorStore &s) { s.deleteDocuments({}, bad); },
                  [&](const VectorStore &s) { return s.deleteDocumentsAsync({}, bad); })}) {
            QCOMPARE(e.kind, ErrorKind::Milvus);
            QVERIFY2(e.milvusCode != 0, qPrintable(e.message()));
        }
        // Metadata whose type cannot make a field; ids of the wrong kind; too few metadata entries.
        VectorStore fresh = store(QStringLiteral("bad_meta"));
        QCOMPARE(sameError(
                     fresh,
                     [](const VectorStore &s) {
                         s.addTexts({"t"}, {{{"list", QVariantList{1, 2}}}});
                     },
                     [](const VectorStore &s) {
                         return s.addTextsAsync({"t"}, {{{"list", QVariantList{1, 2}}}});
                     })
                     .kind,
                 ErrorKind::InvalidArgument);
        QVERIFY(!m_client->hasCollection({fresh.config().collectionName}));
        AddOptions numeric;
        numeric.ids = {1, 2};
        QCOMPARE(sameError(
                     fresh,
                     [&](const VectorStore &s) {
                         s.addTexts({"t1", "t2"}, {}, numeric);
                     },
                     [&](const VectorStore &s) {
                         return s.addTextsAsync({"t1", "t2"}, {}, numeric);
                     })
                     .kind,
                 ErrorKind::InvalidArgument);
        QCOMPARE(sameError(
                     m_blocking,
                     [](const VectorStore &s) {
                         s.addTexts({"t1", "t2"}, {{}});
                     },
                     [](const VectorStore &s) {
                         return s.addTextsAsync({"t1", "t2"}, {{}});
                     })
                     .kind,
                 ErrorKind::InvalidArgument);
        // A null handle fails typed too.
        QCOMPARE(expectError([] { VectorStore().getPks(QStringLiteral("pk > 0")); }).kind,
                 ErrorKind::InvalidArgument);
        QCOMPARE(expectError([] { await(VectorStore().getPksAsync(QStringLiteral("pk > 0"))); }).kind,
                 ErrorKind::InvalidArgument);
    }

    void cancellation()
    {
        SearchOptions o;
        o.call.cancel = CancelToken::create();
        o.call.cancel->cancel();
        QCOMPARE(sameError(
                     m_blocking, [&](const VectorStore &s) { s.similaritySearch(QStringLiteral("q"), o); },
                     [&](const VectorStore &s) { return s.similaritySearchAsync(QStringLiteral("q"), o); })
                     .kind,
                 ErrorKind::Cancelled);
        AddOptions add;
        add.call.cancel = o.call.cancel;
        const auto before = m_blocking.getPks(QStringLiteral("pk > 0"))->size();
        QCOMPARE(sameError(
                     m_blocking, [&](const VectorStore &s) { s.addTexts({"never stored"}, {}, add); },
                     [&](const VectorStore &s) { return s.addTextsAsync({"never stored"}, {}, add); })
                     .kind,
                 ErrorKind::Cancelled);
        QCOMPARE(m_blocking.getPks(QStringLiteral("pk > 0"))->size(), before);
        // Cancelled while in flight: many async searches, the token cancelled from another thread.
        SearchOptions live;
        live.call.cancel = CancelToken::create();
        QList<QFuture<QList<Document>>> inFlight;
        for (int i = 0; i < 50; ++i)
            inFlight.append(m_async.similaritySearchAsync(tutorialTexts(1, i % 20).first(), live));
        QtConcurrent::run([token = live.call.cancel] { token->cancel(); }).waitForFinished();
        int cancelled = 0;
        for (auto &f : inFlight) {
            const MilvusError e = expectError([&] { await(f); });
            if (e.kind == ErrorKind::Cancelled)
                ++cancelled;
            else
                QCOMPARE(e.milvusCode, -999999); // finished before the cancel: no error at all
        }
        QVERIFY(cancelled > 0);
    }

    void mmrAlgorithm()
    {
        // Expected orders from langchain_milvus.vectorstores.milvus.maximal_marginal_relevance on the same
        // input. A zero vector scores 0 for both terms, which beats a near duplicate (negative) at lambda
        // 0.5.
        const QList<float> q{1, 0};
        const QList<QList<float>> c{{1, 0.1f}, {1, 0.11f}, {0.6f, 0.8f}, {0, 0}};
        QCOMPARE(maximalMarginalRelevance(q, c, 0.5, 3), (QList<int>{0, 3, 1}));
        QCOMPARE(maximalMarginalRelevance(q, c, 1.0, 3), (QList<int>{0, 1, 2}));
        QCOMPARE(maximalMarginalRelevance(q, c, 0.5, 4), (QList<int>{0, 3, 1, 2}));
        QCOMPARE(maximalMarginalRelevance(q, c.mid(0, 3), 0.5, 3), (QList<int>{0, 1, 2}));
        QCOMPARE(maximalMarginalRelevance(q, c, 0.0, 4), (QList<int>{0, 3, 2, 1}));
        QCOMPARE(maximalMarginalRelevance(q, c, 0.5, 0), QList<int>{});
        QCOMPARE(maximalMarginalRelevance(q, {}, 0.5, 4), QList<int>{});
        QCOMPARE(cosineSimilarity({{0, 0}}, {{1, 0}}).first().first(), 0.0); // zero norm: 0, not NaN
        QCOMPARE(VectorStore::relevanceScore("L2", 1.0), std::optional<double>(0.75));
        QCOMPARE(VectorStore::relevanceScore("COSINE", 0.0), std::optional<double>(0.5));
        QCOMPARE(VectorStore::relevanceScore("BM25", 1.0), std::nullopt);
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestVectorStore)
#include "tst_vectorstore.moc"
