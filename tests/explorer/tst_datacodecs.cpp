// The pieces of the data services that need no server: CSV and JSON readers, value checks, cursor
// expressions and ordering, cell text.

#include "CellCodec.h"
#include "ColumnBuilder.h"
#include "CsvReader.h"
#include "JsonRowReader.h"
#include "PkCursor.h"
#include "RecordConverter.h"
#include "TestSupport.h"

#include <QBuffer>
#include <QJsonArray>

namespace mx {

namespace {

FieldSchema field(const QString &name, DataType type, QMap<QString, QString> params = {})
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    f.typeParams = std::move(params);
    return f;
}

QList<CsvRecord> readCsv(const QByteArray &bytes, QString *error = nullptr)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    CsvReader reader(&buffer);
    QList<CsvRecord> out;
    CsvRecord r;
    while (reader.next(r))
        out.append(r);
    if (error)
        *error = reader.errorString();
    return out;
}

} // namespace

class TestDataCodecs : public QObject
{
    Q_OBJECT

private slots:
    void csvReader_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<QStringList>>("expected");
        QTest::newRow("simple") << QByteArray("a,b\n1,2\n") << QList<QStringList>{{"a", "b"}, {"1", "2"}};
        QTest::newRow("crlf, no final newline")
            << QByteArray("a,b\r\n1,2") << QList<QStringList>{{"a", "b"}, {"1", "2"}};
        QTest::newRow("quoted delimiter, quote, newline")
            << QByteArray("x\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n")
            << QList<QStringList>{{"x"}, {"a,b"}, {"say \"hi\""}, {"two\nlines"}};
        QTest::newRow("bom and blank lines")
            << QByteArray("\xEF\xBB\xBFh\n\n1\n\n") << QList<QStringList>{{"h"}, {"1"}};
        QTest::newRow("empty cells") << QByteArray("a,b,c\n,\"\",\n")
                                     << QList<QStringList>{{"a", "b", "c"}, {"", "", ""}};
        QTest::newRow("utf8") << QByteArray("k\ncafé 日本\n") << QList<QStringList>{{"k"}, {"café 日本"}};
    }

    void csvReader()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<QStringList>, expected);
        QString error;
        const QList<CsvRecord> records = readCsv(input, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QList<QStringList> got;
        for (const auto &r : records)
            got.append(r.fields);
        QCOMPARE(got, expected);
    }

    void csvQuotedEmptyIsNotNull()
    {
        const QList<CsvRecord> records = readCsv("a,b\n,\"\"\n");
        QCOMPARE(records.size(), 2);
        QCOMPARE(records.at(1).quoted, (QList<bool>{false, true}));
    }

    void csvUnclosedQuoteIsAnError()
    {
        QString error;
        readCsv("a\n\"open\n", &error);
        QVERIFY2(error.contains(QLatin1String("line 2")), qPrintable(error));
    }

    void csvAcrossChunks()
    {
        // Records longer than the reader's chunk, with quotes on the chunk edges.
        QByteArray big = "v\n";
        QStringList expected;
        for (int i = 0; i < 40; ++i) {
            const QString cell = QString(20000 + i, QLatin1Char('x')) + QStringLiteral("\"q\",");
            expected.append(cell);
            QByteArray quoted = cell.toUtf8();
            quoted.replace("\"", "\"\"");
            big += '"' + quoted + "\"\n";
        }
        const QList<CsvRecord> records = readCsv(big);
        QCOMPARE(records.size(), 41);
        for (int i = 0; i < 40; ++i)
            QCOMPARE(records.at(i + 1).fields.first(), expected.at(i));
    }

    void jsonReader_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("rows");
        QTest::addColumn<QString>("error");
        QTest::newRow("array") << QByteArray(" [ {\"a\":1}, {\"a\":\"}\"} ,{\"b\":[1,{\"c\":2}]} ] ") << 3
                               << QString();
        QTest::newRow("lines") << QByteArray("{\"a\":1}\n{\"a\":2}\n\n{\"a\":\"x\\\"}\"}\n") << 3
                               << QString();
        QTest::newRow("empty array") << QByteArray("[]") << 0 << QString();
        QTest::newRow("empty file") << QByteArray("") << 0 << QString();
        QTest::newRow("not an object")
            << QByteArray("[{\"a\":1}, 5]") << 1 << QStringLiteral("row 2 is not a JSON object");
        QTest::newRow("unclosed") << QByteArray("[{\"a\":1}, {\"a\":") << 1 << QStringLiteral("row 2");
        QTest::newRow("bad json") << QByteArray("{\"a\":1}\n{\"a\":tru}\n") << 1
                                  << QStringLiteral("row 2 is not valid JSON");
    }

    void jsonReader()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, rows);
        QFETCH(QString, error);
        QBuffer buffer;
        buffer.setData(input);
        buffer.open(QIODevice::ReadOnly);
        JsonRowReader reader(&buffer);
        QJsonObject row;
        int n = 0;
        while (reader.next(row))
            ++n;
        QCOMPARE(n, rows);
        if (error.isEmpty())
            QVERIFY2(reader.errorString().isEmpty(), qPrintable(reader.errorString()));
        else
            QVERIFY2(reader.errorString().startsWith(error), qPrintable(reader.errorString()));
    }

    void columnBuilderRejects_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("why");
        QTest::newRow("int64 text") << int(DataType::Int64) << "abc"
                                    << "'abc' is not an INT64";
        QTest::newRow("int64 fraction") << int(DataType::Int64) << "1.5"
                                        << "'1.5' is not an INT64";
        QTest::newRow("int8 range") << int(DataType::Int8) << "200"
                                    << "'200' is not an INT8";
        QTest::newRow("double") << int(DataType::Double) << "oops"
                                << "'oops' is not a DOUBLE";
        QTest::newRow("bool") << int(DataType::Bool) << "maybe"
                              << "'maybe' is not a BOOL (true or false)";
        QTest::newRow("vector dim") << int(DataType::FloatVector) << "[1,2,3]"
                                    << "the vector has 3 dimensions, the field has 4";
        QTest::newRow("vector text") << int(DataType::FloatVector) << "[1,2,\"x\",4]"
                                     << "vector element 2 ('x') is not a finite FLOAT";
        QTest::newRow("varchar length") << int(DataType::VarChar) << "ééé"
                                        << "'ééé' is 6 bytes long, more than max_length 5";
        QTest::newRow("json") << int(DataType::Json) << "{nope"
                              << "'{nope' is not a JSON";
        QTest::newRow("array capacity") << int(DataType::Array) << "[1,2,3]"
                                        << "the array has 3 elements, more than max_capacity 2";
        QTest::newRow("array element") << int(DataType::Array) << "[1,\"two\"]"
                                       << "element 1: 'two' is not an INT64";
        QTest::newRow("sparse empty") << int(DataType::SparseFloatVector) << "{}"
                                      << "the sparse vector is empty";
        QTest::newRow("missing") << int(DataType::Int64) << ""
                                 << "a value is required";
    }

    void columnBuilderRejects()
    {
        QFETCH(int, type);
        QFETCH(QString, text);
        QFETCH(QString, why);
        FieldSchema f = field(QStringLiteral("f"), DataType(type),
                              {{QStringLiteral("dim"), QStringLiteral("4")},
                               {QStringLiteral("max_length"), QStringLiteral("5")},
                               {QStringLiteral("max_capacity"), QStringLiteral("2")}});
        f.elementType = DataType::Int64;
        ColumnBuilder b(f);
        QString got;
        QVERIFY(!b.appendText(text, false, &got));
        QVERIFY2(got.startsWith(why), qPrintable(got));
        QCOMPARE(b.rowCount(), 0);
        QCOMPARE(b.take().rowCount(), 0); // a rejected value leaves nothing behind
    }

    void columnBuilderAccepts()
    {
        ColumnBuilder ints(field(QStringLiteral("i"), DataType::Int64));
        QString why;
        QVERIFY(ints.appendText(QStringLiteral(" 9223372036854775807 "), false, &why));
        QVERIFY(ints.appendJson(QJsonValue(qint64(-9223372036854775807LL - 1)), &why));
        QVERIFY(ints.appendJson(QJsonValue(QStringLiteral("42")), &why)); // quoted int64 from JSON tools
        QCOMPARE(std::get<QList<qint64>>(ints.take().data),
                 (QList<qint64>{9223372036854775807LL, -9223372036854775807LL - 1, 42}));

        FieldSchema nullable =
            field(QStringLiteral("n"), DataType::VarChar, {{QStringLiteral("max_length"), "8"}});
        nullable.nullable = true;
        ColumnBuilder s(nullable);
        QVERIFY(s.appendText(QString(), false, &why)); // NULL
        QVERIFY(s.appendText(QString(), true, &why));  // ""
        const FieldColumn c = s.take();
        QCOMPARE(c.valid, (QList<bool>{false, true}));
        QCOMPARE(std::get<QStringList>(c.data).at(1), QString());

        ColumnBuilder sparse(field(QStringLiteral("s"), DataType::SparseFloatVector));
        QVERIFY(sparse.appendText(QStringLiteral(R"({"7": 0.5, "2": 1.25})"), false, &why));
        const SparseVector sv = std::get<QList<SparseVector>>(sparse.take().data).first();
        QCOMPARE(sv.indices, (QList<quint32>{2, 7})); // sorted by index
        QCOMPARE(sv.values, (QList<float>{1.25f, 0.5f}));
    }

    // BINARY_VECTOR cells: the array of dim / 8 packed bytes, in and out (CSV and JSON alike).
    void binaryVectorCells()
    {
        const FieldSchema f =
            field(QStringLiteral("b"), DataType::BinaryVector, {{QStringLiteral("dim"), "16"}});
        ColumnBuilder b(f);
        QString why;
        QVERIFY2(b.appendText(QStringLiteral("[15, 160]"), false, &why), qPrintable(why));
        QVERIFY2(b.appendJson(QJsonArray{255, 0}, &why), qPrintable(why));
        for (const QString &bad :
             {QStringLiteral("[15]"), QStringLiteral("[256, 0]"), QStringLiteral("[-1, 0]"),
              QStringLiteral("[1.5, 0]"), QStringLiteral("\"ab\"")}) {
            QVERIFY2(!b.appendText(bad, false, &why), qPrintable(bad));
            QVERIFY2(why.contains(QLatin1String("BINARY_VECTOR")) || why.contains(QLatin1String("0 to 255")),
                     qPrintable(why));
        }
        const FieldColumn c = b.take();
        QCOMPARE(c.rowCount(), qsizetype(2));
        QCOMPARE(std::get<BinaryVectors>(c.data).bytes, QByteArray("\x0f\xa0\xff\x00", 4));
        QCOMPARE(cellJson(c, 0), QByteArray("[15,160]"));
        QCOMPARE(cellJson(c, 1), QByteArray("[255,0]"));
    }

    void recordConverterNamesRowAndField()
    {
        CollectionSchema schema = test::richSchema(4);
        RecordConverter converter(schema);
        QVERIFY(converter.setCsvHeader({"id", "vec", "title", "score", "meta", "tags", "$meta"}).isEmpty());
        CsvRecord good{{"1", "[1,2,3,4]", "t", "0.5", "{}", "[1]", R"({"k":1})"}, QList<bool>(7, false)};
        CsvRecord bad{{"abc", "[1,2,3,4]", "t", "0.5", "{}", "[1]", "{}"}, QList<bool>(7, false)};
        RowError error;
        QVERIFY(converter.addCsv(1, good, &error));
        QVERIFY(!converter.addCsv(1234, bad, &error));
        QCOMPARE(error.message, QStringLiteral("row 1234, field 'id': 'abc' is not an INT64"));
        QCOMPARE(error.row, qint64(1234));
        QCOMPARE(error.field, QStringLiteral("id"));
        const QList<FieldColumn> columns = converter.takeColumns();
        for (const auto &c : columns)
            QCOMPARE(c.rowCount(), qsizetype(1)); // the bad row left nothing in any column

        RecordConverter missing(schema);
        const QStringList problems = missing.setCsvHeader({"id", "title"});
        QVERIFY2(problems.join('|').contains(QLatin1String("no column for field 'vec'")),
                 qPrintable(problems.join('|')));
    }

    void cursorExpressions_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QVariant>("last");
        QTest::addColumn<QString>("expected");
        QTest::newRow("int, no filter") << int(DataType::Int64) << "" << QVariant(qint64(-5)) << "pk > -5";
        QTest::newRow("int, filter") << int(DataType::Int64) << "a > 1 or b < 2" << QVariant(qint64(7))
                                     << "(a > 1 or b < 2) and pk > 7";
        QTest::newRow("string escapes")
            << int(DataType::VarChar) << "" << QVariant(QStringLiteral("a\"b\\c\nd\te"))
            << "pk > \"a\\\"b\\\\c\\nd\\te\"";
        QTest::newRow("first page") << int(DataType::VarChar) << " x == 1 " << QVariant() << "x == 1";
    }

    void cursorExpressions()
    {
        QFETCH(int, type);
        QFETCH(QString, filter);
        QFETCH(QVariant, last);
        QFETCH(QString, expected);
        PkCursor cursor(field(QStringLiteral("pk"), DataType(type)), filter);
        if (last.isValid()) {
            QueryResult page;
            page.columns.append(DataType(type) == DataType::Int64
                                    ? FieldColumn::int64s(QStringLiteral("pk"), {last.toLongLong()})
                                    : FieldColumn::varchars(QStringLiteral("pk"), {last.toString()}));
            cursor.advance(page);
        }
        QCOMPARE(cursor.nextFilter(), expected);
        const QueryRequest r = cursor.nextRequest(QStringLiteral("c"), {QStringLiteral("x")}, 10);
        QVERIFY(r.iterator);
        QCOMPARE(r.limit, qint64(10));
        QCOMPARE(r.outputFields, (QStringList{QStringLiteral("pk"), QStringLiteral("x")}));
    }

    void cursorSortsPagesAndEndsOnEmpty()
    {
        PkCursor cursor(field(QStringLiteral("k"), DataType::VarChar), {});
        QueryResult page;
        // UTF-16 puts U+E000 after the surrogate pair of U+1F600; UTF-8 (the server) puts it before.
        const QString emoji = QStringLiteral("😀");
        const QString privateUse(QChar(0xE000));
        page.columns = {FieldColumn::varchars(QStringLiteral("k"), {emoji, QStringLiteral("b"), privateUse}),
                        FieldColumn::int64s(QStringLiteral("n"), {1, 2, 3})};
        cursor.advance(page);
        QCOMPARE(std::get<QStringList>(page.columns.at(0).data),
                 (QStringList{QStringLiteral("b"), privateUse, emoji}));
        QCOMPARE(std::get<QList<qint64>>(page.columns.at(1).data), (QList<qint64>{2, 3, 1}));
        QCOMPARE(cursor.lastKey().toString(), emoji);
        QVERIFY(!cursor.atEnd());
        QueryResult empty;
        cursor.advance(empty);
        QVERIFY(cursor.atEnd());
    }

    void cellText()
    {
        QCOMPARE(floatText(0.1f), QByteArray("0.1"));
        QCOMPARE(doubleText(0.1), QByteArray("0.1"));
        QCOMPARE(floatText(-1.5e-7f), QByteArray("-1.5e-07"));
        FieldColumn vec = FieldColumn::floatVectors(QStringLiteral("v"), 2, {0.1f, -2.0f});
        QCOMPARE(cellJson(vec, 0), QByteArray("[0.1,-2]"));
        FieldColumn json = FieldColumn::json(QStringLiteral("j"), {QJsonObject{{"a", 1}}});
        // JSON cells as the server sent them: its spacing, key order and big integers kept.
        std::get<QList<QByteArray>>(json.data)[0] = "{ \"z\" : [1, 2], \"a\": 4611686018427387905 }";
        QCOMPARE(cellJson(json, 0), QByteArray(R"({ "z" : [1, 2], "a": 4611686018427387905 })"));
        FieldColumn s = FieldColumn::varchars(QStringLiteral("s"), {QStringLiteral("q\"\n\x01")});
        QCOMPARE(cellJson(s, 0), QByteArray("\"q\\\"\\n\\u0001\""));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestDataCodecs)
#include "tst_datacodecs.moc"
