// exprStringLiteral / exprLiteral / exprInList: the one way expression literals are written. Table-driven;
// the server-side half (the server reads every literal back to the same key) is in tst_dataservices,
// tst_entitytablemodel and tst_vectorstore.

#include "ExprLiteral.h"

#include <QTest>

namespace mx {

class TestExprLiteral : public QObject
{
    Q_OBJECT

private slots:
    void stringLiteral_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QString() << QStringLiteral("\"\"");
        QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("\"abc\"");
        QTest::newRow("double quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \\\"hi\\\"\"");
        QTest::newRow("single quote kept") << QStringLiteral("it's") << QStringLiteral("\"it's\"");
        QTest::newRow("backslash") << QStringLiteral("a\\b") << QStringLiteral("\"a\\\\b\"");
        QTest::newRow("backslash before quote") << QStringLiteral("\\\"") << QStringLiteral("\"\\\\\\\"\"");
        QTest::newRow("trailing backslash") << QStringLiteral("x\\") << QStringLiteral("\"x\\\\\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\\nb\"");
        QTest::newRow("carriage return") << QStringLiteral("a\rb") << QStringLiteral("\"a\\rb\"");
        QTest::newRow("tab") << QStringLiteral("a\tb") << QStringLiteral("\"a\\tb\"");
        // Milvus Lite refuses \u escapes; both servers take other control characters as they are.
        QTest::newRow("bell kept") << QStringLiteral("a\x07"
                                                     "b")
                                   << QStringLiteral("\"a\x07"
                                                     "b\"");
        QTest::newRow("unit separator kept") << QStringLiteral("\x1f") << QStringLiteral("\"\x1f\"");
        QTest::newRow("delete kept") << QStringLiteral("\x7f") << QStringLiteral("\"\x7f\"");
        QTest::newRow("nul kept") << QString(QChar(0)) << QLatin1Char('"') + QChar(0) + QLatin1Char('"');
        QTest::newRow("latin-1 and CJK kept")
            << QStringLiteral("café 日本") << QStringLiteral("\"café 日本\"");
        QTest::newRow("beyond the BMP kept as is")
            << QStringLiteral("😀\U0010FFFF") << QStringLiteral("\"😀\U0010FFFF\"");
        QTest::newRow("expression syntax stays inside")
            << QStringLiteral("\" or 1 == 1 or \"\"") << QStringLiteral("\"\\\" or 1 == 1 or \\\"\\\"\"");
    }

    void stringLiteral()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(exprStringLiteral(text), expected);
    }

    void literal_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("string") << QVariant(QStringLiteral("a\"b")) << QStringLiteral("\"a\\\"b\"");
        QTest::newRow("int64 beyond 2^53")
            << QVariant(qint64(9007199254740993LL)) << QStringLiteral("9007199254740993");
        QTest::newRow("int64 min") << QVariant(std::numeric_limits<qint64>::min())
                                   << QStringLiteral("-9223372036854775808");
        QTest::newRow("int") << QVariant(-7) << QStringLiteral("-7");
        QTest::newRow("uint64 max") << QVariant(std::numeric_limits<quint64>::max())
                                    << QStringLiteral("18446744073709551615");
        QTest::newRow("bool") << QVariant(true) << QStringLiteral("true");
    }

    void literal()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, expected);
        QCOMPARE(exprLiteral(value), expected);
    }

    void inList()
    {
        QCOMPARE(exprInList(QStringLiteral("pk"), {}), QStringLiteral("pk in []"));
        QCOMPARE(exprInList(QStringLiteral("pk"), {qint64(1), qint64(2)}), QStringLiteral("pk in [1, 2]"));
        QCOMPARE(exprInList(QStringLiteral("k"), {QStringLiteral("a,b"), QStringLiteral("]\n")}),
                 QStringLiteral("k in [\"a,b\", \"]\\n\"]"));
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestExprLiteral)
#include "tst_exprliteral.moc"
