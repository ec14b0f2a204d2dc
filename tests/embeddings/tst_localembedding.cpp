// LocalEmbeddingProvider: golden vectors (computed by an independent Python implementation of the
// documented algorithm), determinism, normalisation, the empty-text rule, dimensions, and the async
// forms against the blocking ones.

#include "LocalEmbeddingProvider.h"
#include "MilvusError.h"
#include "TestSupport.h"

#include <QTest>

#include <cmath>
#include <utility>
#include <vector>

namespace mx {

namespace {

using Golden = std::vector<std::pair<int, float>>; // the non-zero components

double norm(const Embedding &v)
{
    double s = 0;
    for (float x : v)
        s += double(x) * x;
    return std::sqrt(s);
}

} // namespace

class TestLocalEmbedding : public QObject
{
    Q_OBJECT

private slots:
    void golden_data();
    void golden();
    void deterministicAndCaseInsensitive();
    void lowercasingIsPerCodePoint();
    void normalised_data();
    void normalised();
    void emptyTextIsE0();
    void dimension_data();
    void dimension();
    void rejectsBadDimension();
    void describesItself();
    void asyncMatchesBlocking();
    void cancelledToken();
    void largeBatchAsync();
};

void TestLocalEmbedding::golden_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("dim");
    QTest::addColumn<Golden>("expected");

    // Generated with a ten-line Python version of the algorithm in LocalEmbeddingProvider.h
    // (str.lower, code points, UTF-8, FNV-1a 64, h % dim, sign from bit 63, L2 in double, float32).
    const float a = 0.208514407f;
    QTest::newRow("ascii") << QStringLiteral("Hello, World") << 384
                           << Golden{{15, -a},  {21, a},   {37, a},   {43, a},   {46, a},   {53, -a},
                                     {64, a},   {103, -a}, {116, -a}, {119, -a}, {120, -a}, {146, -a},
                                     {158, a},  {165, a},  {167, a},  {194, a},  {208, -a}, {216, a},
                                     {244, -a}, {246, -a}, {269, -a}, {288, -a}, {294, a}};
    // Non-ASCII: two-byte UTF-8 (ö, ß) and a code point outside the BMP (a surrogate pair in QString).
    const float b = 0.142857149f;
    QTest::newRow("unicode") << QStringLiteral("Milvus vector DB \U0001F680 Größe") << 384
                             << Golden{{1, -b},   {11, b},   {17, -b},  {31, -b},  {37, b},
                                       {42, b},   {54, -b},  {76, b},   {84, -b},  {86, -b},
                                       {89, -b},  {104, b},  {105, -b}, {111, -b}, {131, b},
                                       {142, -b}, {151, -b}, {155, b},  {162, b},  {169, b},
                                       {171, -b}, {211, b},  {219, -b}, {230, b},  {237, -b},
                                       {247, b},  {248, -b}, {252, -b}, {255, -b}, {261, b},
                                       {263, -b}, {273, -b}, {275, -b}, {278, b},  {281, -b},
                                       {290, b},  {297, b},  {298, -b}, {304, -b}, {315, -b},
                                       {333, -b}, {335, b},  {340, b},  {345, b},  {347, 0.285714298f},
                                       {349, b}};
    // " ab ": two 3-grams and one 4-gram.
    const float c = 0.577350259f;
    QTest::newRow("shortest") << QStringLiteral("ab") << 384 << Golden{{56, c}, {62, -c}, {328, -c}};
    // A small dimension: collisions add up (±2 components).
    QTest::newRow("dim16") << QStringLiteral("Hello, World") << 16
                           << Golden{{0, -0.242535621f}, {4, -0.485071242f}, {5, 0.485071242f},
                                     {7, -0.242535621f}, {11, 0.242535621f}, {13, -0.242535621f},
                                     {14, 0.485071242f}, {15, -0.242535621f}};
}

void TestLocalEmbedding::golden()
{
    QFETCH(QString, text);
    QFETCH(int, dim);
    QFETCH(Golden, expected);

    const Embedding v = LocalEmbeddingProvider::embed(text, dim);
    QCOMPARE(v.size(), dim);
    std::vector<float> want(size_t(dim), 0.0f);
    for (const auto &[index, value] : expected)
        want[size_t(index)] = value;
    for (int i = 0; i < dim; ++i) {
        // Bit-exact: the parity test with the Python implementation depends on it.
        QVERIFY2(v[i] == want[size_t(i)], qPrintable(QStringLiteral("component %1: got %2, expected %3")
                                                         .arg(i)
                                                         .arg(double(v[i]), 0, 'g', 9)
                                                         .arg(double(want[size_t(i)]), 0, 'g', 9)));
    }
}

void TestLocalEmbedding::deterministicAndCaseInsensitive()
{
    const QString text = QStringLiteral("The quick brown fox jumps over the lazy dog");
    LocalEmbeddingProvider one;
    LocalEmbeddingProvider two;
    QCOMPARE(one.embedQuery(text), two.embedQuery(text));
    QCOMPARE(one.embedQuery(text), one.embedQuery(text));
    QCOMPARE(one.embedQuery(text.toUpper()), one.embedQuery(text));
    QVERIFY(one.embedQuery(text) != one.embedQuery(QStringLiteral("The quick brown cat")));
}

void TestLocalEmbedding::lowercasingIsPerCodePoint()
{
    // QString::toLower has no Final_Sigma rule (documented in the header for the Python side): a
    // word-final capital sigma lowers to U+03C3, not U+03C2.
    QCOMPARE(LocalEmbeddingProvider::embed(QStringLiteral("ΟΔΟΣ"), 384),
             LocalEmbeddingProvider::embed(QStringLiteral("οδοσ"), 384));
    QVERIFY(LocalEmbeddingProvider::embed(QStringLiteral("ΟΔΟΣ"), 384) !=
            LocalEmbeddingProvider::embed(QStringLiteral("οδος"), 384));
}

void TestLocalEmbedding::normalised_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("dim");
    QTest::newRow("one char") << QStringLiteral("a") << 384;
    QTest::newRow("sentence") << QStringLiteral("Vector databases index embeddings.") << 384;
    QTest::newRow("repetitive") << QString(QStringLiteral("abc ")).repeated(500) << 384;
    QTest::newRow("cjk") << QStringLiteral("向量数据库") << 384;
    QTest::newRow("dim 1") << QStringLiteral("anything at all") << 1;
}

void TestLocalEmbedding::normalised()
{
    QFETCH(QString, text);
    QFETCH(int, dim);
    const Embedding v = LocalEmbeddingProvider::embed(text, dim);
    QCOMPARE(v.size(), dim);
    QVERIFY2(std::abs(norm(v) - 1.0) < 1e-6, qPrintable(QString::number(norm(v), 'g', 12)));
}

void TestLocalEmbedding::emptyTextIsE0()
{
    // "  " has 2 code points, so no n-gram: the result is e0, never a zero vector.
    const Embedding v = LocalEmbeddingProvider::embed(QString(), 384);
    Embedding e0(384, 0.0f);
    e0[0] = 1.0f;
    QCOMPARE(v, e0);
    // One character already gives a 3-gram (" a "), so it is not e0.
    QVERIFY(LocalEmbeddingProvider::embed(QStringLiteral("a"), 384) != e0);
}

void TestLocalEmbedding::dimension_data()
{
    QTest::addColumn<int>("dim");
    QTest::newRow("default") << 0;
    QTest::newRow("7") << 7;
    QTest::newRow("1536") << 1536;
}

void TestLocalEmbedding::dimension()
{
    QFETCH(int, dim);
    const auto provider =
        dim == 0 ? std::make_unique<LocalEmbeddingProvider>() : std::make_unique<LocalEmbeddingProvider>(dim);
    const int expected = dim == 0 ? 384 : dim;
    QCOMPARE(provider->dimension(), expected);
    QCOMPARE(provider->embedQuery(QStringLiteral("milvus")).size(), expected);
    const auto docs = provider->embedDocuments({QStringLiteral("a b c"), QString()});
    QCOMPARE(docs.size(), 2);
    QCOMPARE(docs[0].size(), expected);
    QCOMPARE(docs[1].size(), expected);
    QCOMPARE(docs[0], LocalEmbeddingProvider::embed(QStringLiteral("a b c"), expected));
}

void TestLocalEmbedding::rejectsBadDimension()
{
    const MilvusError e = test::expectError([] { LocalEmbeddingProvider p(0); });
    QCOMPARE(e.kind, ErrorKind::InvalidArgument);
    QVERIFY2(e.reason.contains(QLatin1String("at least 1")), qPrintable(e.reason));
}

void TestLocalEmbedding::describesItself()
{
    LocalEmbeddingProvider p;
    QCOMPARE(p.name(), QStringLiteral("Local lexical (hashed n-grams)"));
    QVERIFY(!p.isSemantic());
}

void TestLocalEmbedding::asyncMatchesBlocking()
{
    LocalEmbeddingProvider p(128);
    const QStringList texts{QStringLiteral("alpha"), QStringLiteral("beta gamma"), QString(),
                            QStringLiteral("Ünïcödé ✓")};
    const QList<Embedding> blocking = p.embedDocuments(texts);
    const QList<Embedding> async = test::await(p.embedDocumentsAsync(texts), 10000);
    QCOMPARE(async.size(), texts.size());
    QCOMPARE(async, blocking);
    QCOMPARE(test::await(p.embedQueryAsync(texts[1]), 10000), p.embedQuery(texts[1]));
    QCOMPARE(test::await(p.embedDocumentsAsync({}), 10000), QList<Embedding>());
}

void TestLocalEmbedding::cancelledToken()
{
    LocalEmbeddingProvider p;
    CallOptions options;
    options.cancel = CancelToken::create();
    options.cancel->cancel();
    const QStringList texts{QStringLiteral("x"), QStringLiteral("y")};

    QCOMPARE(test::expectError([&] { p.embedDocuments(texts, options); }).kind, ErrorKind::Cancelled);
    QCOMPARE(test::expectError([&] { p.embedQuery(texts[0], options); }).kind, ErrorKind::Cancelled);
    QCOMPARE(test::expectError([&] { test::await(p.embedDocumentsAsync(texts, options), 10000); }).kind,
             ErrorKind::Cancelled);
    QCOMPARE(test::expectError([&] { test::await(p.embedQueryAsync(texts[0], options), 10000); }).kind,
             ErrorKind::Cancelled);
    // A cancelled call with nothing to embed is still a failure, not an empty result.
    QCOMPARE(test::expectError([&] { test::await(p.embedDocumentsAsync({}, options), 10000); }).kind,
             ErrorKind::Cancelled);
}

void TestLocalEmbedding::largeBatchAsync()
{
    LocalEmbeddingProvider p;
    QStringList texts;
    for (int i = 0; i < 2000; ++i)
        texts << QStringLiteral("document number %1 about vectors").arg(i);
    const QList<Embedding> vectors = test::await(p.embedDocumentsAsync(texts), 30000);
    QCOMPARE(vectors.size(), texts.size());
    QCOMPARE(vectors[1234], LocalEmbeddingProvider::embed(texts[1234], 384));
    QVERIFY(vectors[0] != vectors[1]);
}

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestLocalEmbedding)
#include "tst_localembedding.moc"
