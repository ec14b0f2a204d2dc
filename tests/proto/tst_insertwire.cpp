// Our InsertRequest for rows with NULLs and missing defaulted fields against the one pymilvus 2.6.9's own
// request builder (Prepare.row_insert_param) makes for the same schema and rows: every FieldData equal,
// message for message. The rows go through RecordConverter, the path import and sample data take.
// Needs the venv python (MILVUS_EXPLORER_VENV), no server.

#include "ProtoConvert.h"
#include "RecordConverter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <google/protobuf/util/message_differencer.h>

namespace mx {

namespace pb = proto::pb;

namespace {

FieldSchema field(const QString &name, DataType type, QMap<QString, QString> params = {})
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    f.typeParams = std::move(params);
    return f;
}

FieldSchema nullable(FieldSchema f)
{
    f.nullable = true;
    return f;
}

FieldSchema defaulted(FieldSchema f, QVariant value)
{
    f.defaultValue = std::move(value);
    return f;
}

CollectionSchema wireSchema()
{
    CollectionSchema s;
    s.name = QStringLiteral("wire");
    s.enableDynamicField = true;
    FieldSchema id = field(QStringLiteral("id"), DataType::Int64);
    id.isPrimaryKey = true;
    FieldSchema arr = field(QStringLiteral("arr"), DataType::Array, {{QStringLiteral("max_capacity"), "4"}});
    arr.elementType = DataType::Int64;
    const QMap<QString, QString> len{{QStringLiteral("max_length"), QStringLiteral("32")}};
    s.fields = {id,
                field(QStringLiteral("vec"), DataType::FloatVector, {{QStringLiteral("dim"), "2"}}),
                nullable(field(QStringLiteral("n"), DataType::Int32)),
                nullable(field(QStringLiteral("s"), DataType::VarChar, len)),
                nullable(field(QStringLiteral("b"), DataType::Bool)),
                nullable(field(QStringLiteral("f"), DataType::Float)),
                nullable(field(QStringLiteral("big"), DataType::Int64)),
                nullable(field(QStringLiteral("j"), DataType::Json)),
                nullable(arr),
                defaulted(field(QStringLiteral("d"), DataType::Double), 1.5),
                defaulted(field(QStringLiteral("t"), DataType::VarChar, len), QStringLiteral("dflt")),
                defaulted(nullable(field(QStringLiteral("i16"), DataType::Int16)), 7)};
    return s;
}

// Rows with values, explicit NULLs and missing keys. JSON objects with sorted keys: import writes a JSON
// cell through QJsonObject, which sorts them (pymilvus keeps the caller's order).
QJsonArray wireRows()
{
    return QJsonDocument::fromJson(R"([
        {"id": 1, "vec": [0.5, -1], "n": 3, "s": "x", "b": true, "f": 0.25, "big": 9007199254740993,
         "j": {"a": 1, "b": [true, null]}, "arr": [1, 2], "d": 2.5, "t": "given", "i16": -2, "extra": "dyn"},
        {"id": 2, "vec": [1, 2], "n": null, "s": null, "b": null, "f": null, "big": null, "j": null,
         "arr": null, "d": null, "t": null, "i16": null},
        {"id": 3, "vec": [3, 4]},
        {"id": 4, "vec": [5, 6], "n": 0, "s": "", "b": false, "big": -1, "j": {}, "arr": [],
         "t": "only t", "more": {"k": 1}},
        {"id": 5, "vec": [7, 8], "j": [1, "two", 2.5], "s": "日本 😀", "d": 0}
    ])")
        .array();
}

QByteArray pymilvusRequest(const pb::schema::CollectionSchema &schema, const QJsonArray &rows, QString *error)
{
    const QString venv = qEnvironmentVariable("MILVUS_EXPLORER_VENV");
    if (venv.isEmpty()) {
        *error = QStringLiteral("MILVUS_EXPLORER_VENV is not set (the venv with pymilvus)");
        return {};
    }
    QProcess python;
    python.start(venv + QStringLiteral("/bin/python"),
                 {QStringLiteral(MX_SOURCE_DIR "/tests/proto/pymilvus_insert_request.py")});
    if (!python.waitForStarted(10000)) {
        *error = python.errorString();
        return {};
    }
    const QByteArray schemaBytes = QByteArray::fromStdString(schema.SerializeAsString());
    const QJsonObject spec{{QStringLiteral("collection"), QStringLiteral("wire")},
                           {QStringLiteral("schema"), QString::fromLatin1(schemaBytes.toBase64())},
                           {QStringLiteral("rows"), rows}};
    python.write(QJsonDocument(spec).toJson(QJsonDocument::Compact));
    python.closeWriteChannel();
    if (!python.waitForFinished(60000) || python.exitCode() != 0) {
        *error = QString::fromUtf8(python.readAllStandardError());
        return {};
    }
    return QByteArray::fromBase64(python.readAllStandardOutput());
}

} // namespace

class TestInsertWire : public QObject
{
    Q_OBJECT

private slots:
    void nullsAndDefaultsAsPymilvusBuildsThem()
    {
        const CollectionSchema schema = wireSchema();
        const QJsonArray rows = wireRows();
        RecordConverter converter(schema);
        for (qsizetype i = 0; i < rows.size(); ++i) {
            RowError error;
            QVERIFY2(converter.addJson(i + 1, rows.at(i).toObject(), &error), qPrintable(error.message));
        }
        InsertRequest ours{QStringLiteral("wire"), {}, converter.takeColumns(), {}};
        pb::milvus::InsertRequest ourRequest;
        proto::toProto(ours, &ourRequest);

        pb::schema::CollectionSchema schemaProto;
        proto::toProto(schema, &schemaProto);
        QString error;
        const QByteArray theirBytes = pymilvusRequest(schemaProto, rows, &error);
        QVERIFY2(!theirBytes.isEmpty(), qPrintable(error));
        pb::milvus::InsertRequest theirRequest;
        QVERIFY(theirRequest.ParseFromArray(theirBytes.constData(), int(theirBytes.size())));

        QCOMPARE(ourRequest.num_rows(), theirRequest.num_rows());
        QCOMPARE(ourRequest.collection_name(), theirRequest.collection_name());
        QCOMPARE(ourRequest.fields_data_size(), theirRequest.fields_data_size());
        for (const auto &theirs : theirRequest.fields_data()) {
            const pb::schema::FieldData *match = nullptr;
            for (const auto &o : ourRequest.fields_data())
                if (o.field_name() == theirs.field_name())
                    match = &o;
            QVERIFY2(match, theirs.field_name().c_str());
            std::string diff;
            google::protobuf::util::MessageDifferencer differ;
            differ.ReportDifferencesToString(&diff);
            // We also name an array's element type, which pymilvus leaves unset; both servers take either.
            differ.IgnoreField(pb::schema::ArrayArray::descriptor()->FindFieldByName("element_type"));
            if (!differ.Compare(theirs, *match))
                QFAIL(qPrintable(
                    QStringLiteral("field '%1' differs from pymilvus's:\n%2\npymilvus:\n%3\nours:\n%4")
                        .arg(QString::fromStdString(theirs.field_name()), QString::fromStdString(diff),
                             QString::fromStdString(theirs.DebugString()),
                             QString::fromStdString(match->DebugString()))));
        }
        // The nullable columns really are compact: a value only for the valid rows.
        for (const auto &f : ourRequest.fields_data()) {
            if (f.field_name() == "n") {
                QCOMPARE(f.valid_data_size(), 5);
                QCOMPARE(f.scalars().int_data().data_size(), 2);
            }
        }
    }
};

} // namespace mx

QTEST_GUILESS_MAIN(mx::TestInsertWire)
#include "tst_insertwire.moc"
