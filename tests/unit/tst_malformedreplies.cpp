// Replies of a broken or hostile server (lengths that disagree, impossible dimensions, negative or huge
// counts): decoding refuses them with a typed error (Inconsistent, "malformed reply") before anything
// indexes into them. Found by fuzz_server_reply (tests/fuzz); the seeds replay in fuzzreplay_server_reply.

#include "MilvusError.h"
#include "ProtoConvert.h"

#include <QTest>

#include <functional>

using Decode = std::function<void()>;
Q_DECLARE_METATYPE(Decode)

namespace mx {

namespace pb = ::milvus::proto;

namespace {

pb::milvus::QueryResults threeRows()
{
    pb::milvus::QueryResults m;
    m.set_primary_field_name("id");
    auto *id = m.add_fields_data();
    id->set_field_name("id");
    id->set_type(pb::schema::DataType::Int64);
    for (qint64 i : {1, 2, 3})
        id->mutable_scalars()->mutable_long_data()->add_data(i);
    auto *vec = m.add_fields_data();
    vec->set_field_name("vec");
    vec->set_type(pb::schema::DataType::FloatVector);
    vec->mutable_vectors()->set_dim(2);
    for (int i = 0; i < 6; ++i)
        vec->mutable_vectors()->mutable_float_vector()->add_data(float(i));
    auto *title = m.add_fields_data();
    title->set_field_name("title");
    title->set_type(pb::schema::DataType::VarChar);
    for (const char *t : {"a", "b", "c"})
        title->mutable_scalars()->mutable_string_data()->add_data(t);
    return m;
}

} // namespace

class TestMalformedReplies : public QObject
{
    Q_OBJECT

private slots:
    void wellFormedStillReads()
    {
        const QueryResult r = proto::fromProto(threeRows());
        QCOMPARE(r.rowCount(), 3);
        QCOMPARE(r.columns.size(), 3);
    }

    void refused_data()
    {
        QTest::addColumn<Decode>("decode");
        QTest::addColumn<QString>("says");
        QTest::newRow("query: a column shorter than the others") << Decode([] {
            auto m = threeRows();
            m.mutable_fields_data(2)->mutable_scalars()->mutable_string_data()->mutable_data()->RemoveLast();
            proto::fromProto(m);
        }) << QStringLiteral("field 'title' has 2 rows, but field 'id' has 3");
        QTest::newRow("query: vectors of dimension 0") << Decode([] {
            auto m = threeRows();
            m.mutable_fields_data(1)->mutable_vectors()->set_dim(0);
            proto::fromProto(m);
        }) << QStringLiteral("dimension 0");
        QTest::newRow("query: a dimension no server allows") << Decode([] {
            auto m = threeRows();
            m.mutable_fields_data(1)->mutable_vectors()->set_dim(1 << 30);
            proto::fromProto(m);
        }) << QStringLiteral("dimension 1073741824");
        QTest::newRow("query: floats that are not whole vectors") << Decode([] {
            auto m = threeRows();
            m.mutable_fields_data(1)->mutable_vectors()->set_dim(4);
            proto::fromProto(m);
        }) << QStringLiteral("do not make whole vectors");
        QTest::newRow("field: nullable, neither compact nor one value per row") << Decode([] {
            pb::schema::FieldData f;
            f.set_field_name("n");
            f.set_type(pb::schema::DataType::Int64);
            f.mutable_scalars()->mutable_long_data()->add_data(1);
            f.mutable_scalars()->mutable_long_data()->add_data(2);
            for (bool v : {true, false, false, false})
                f.add_valid_data(v);
            proto::fromProto(f);
        }) << QStringLiteral("2 values for 4 rows of which 1 are not NULL");
        QTest::newRow("field: nullable vectors spreading past any reply") << Decode([] {
            pb::schema::FieldData f;
            f.set_field_name("v");
            f.set_type(pb::schema::DataType::FloatVector);
            f.mutable_vectors()->set_dim(32768);
            f.mutable_vectors()->mutable_float_vector()->mutable_data()->Resize(32768, 0.0f);
            f.add_valid_data(true);
            for (int i = 0; i < 4096; ++i)
                f.add_valid_data(false);
            proto::fromProto(f);
        }) << QStringLiteral("more than a reply can hold");
        QTest::newRow("field: binary vectors of a bit count that is not whole bytes") << Decode([] {
            pb::schema::FieldData f;
            f.set_field_name("b");
            f.set_type(pb::schema::DataType::BinaryVector);
            f.mutable_vectors()->set_dim(12);
            f.mutable_vectors()->set_binary_vector(std::string(3, '\x01'));
            proto::fromProto(f);
        }) << QStringLiteral("12 bits");
        QTest::newRow("search: a negative hit count") << Decode([] {
            pb::schema::SearchResultData m;
            m.add_topks(-5);
            m.mutable_ids()->mutable_int_id()->add_data(1);
            m.add_scores(0.5f);
            proto::fromProto(m);
        }) << QStringLiteral("query 0 claims -5 hits");
    }

    void refused()
    {
        QFETCH(Decode, decode);
        QFETCH(QString, says);
        try {
            decode();
        } catch (const MilvusException &e) {
            QCOMPARE(e.error().kind, ErrorKind::Inconsistent);
            QVERIFY2(e.error().message().contains(QLatin1String("malformed reply")),
                     qPrintable(e.error().message()));
            QVERIFY2(e.error().message().contains(says), qPrintable(e.error().message()));
            return;
        }
        QFAIL("decoded without an error");
    }

    // A huge hit count is cut to what the reply holds: nothing is reserved on the server's say-so.
    void hugeHitCountIsCutShort()
    {
        pb::schema::SearchResultData m;
        m.add_topks(qint64(1) << 62);
        for (qint64 id : {1, 2})
            m.mutable_ids()->mutable_int_id()->add_data(id);
        m.add_scores(0.1f);
        m.add_scores(0.2f);
        const SearchResults r = proto::fromProto(m);
        QCOMPARE(r.queries.size(), 1);
        QCOMPARE(r.queries.first().size(), 2);
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestMalformedReplies)
#include "tst_malformedreplies.moc"
