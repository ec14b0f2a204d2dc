// Renders each dialog filled with realistic values into PNGs (docs/screenshots/dialog-*.png):
//   mx_dialog_screenshots <output directory>
// Runs offscreen unless QT_QPA_PLATFORM says otherwise; values are set through the same widgets the
// tests drive, so a screenshot shows what a user would see.

#include "ConfirmDestructiveDialog.h"
#include "CreateCollectionDialog.h"
#include "CreateIndexDialog.h"
#include "DeleteByExpressionDialog.h"
#include "FieldTableEditor.h"
#include "SimpleNameDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

#include <cstdio>

namespace {

using namespace mx;

bool save(QWidget *dialog, const QDir &dir, const QString &name)
{
    dialog->show();
    dialog->activateWindow();
    if (!QTest::qWaitForWindowExposed(dialog))
        return false;
    QTest::qWait(50); // let layouts and deferred deletes settle
    const QString path = dir.filePath(QStringLiteral("dialog-%1.png").arg(name));
    const bool ok = dialog->grab().save(path);
    std::printf("%s %s (%dx%d)\n", ok ? "wrote" : "FAILED", qPrintable(path), dialog->width(),
                dialog->height());
    return ok;
}

FieldSchema field(const QString &name, DataType type, QMap<QString, QString> params = {})
{
    FieldSchema f;
    f.name = name;
    f.type = type;
    f.typeParams = params;
    return f;
}

CollectionSchema articlesSchema()
{
    CollectionSchema s;
    s.name = QStringLiteral("articles");
    s.enableDynamicField = true;
    FieldSchema id = field(QStringLiteral("id"), DataType::Int64);
    id.isPrimaryKey = true;
    id.autoId = true;
    FieldSchema title = field(QStringLiteral("title"), DataType::VarChar, {{"max_length", "512"}});
    title.description = QStringLiteral("Headline");
    FieldSchema category = field(QStringLiteral("category"), DataType::VarChar, {{"max_length", "64"}});
    category.isPartitionKey = true;
    FieldSchema rating = field(QStringLiteral("rating"), DataType::Float);
    rating.nullable = true;
    rating.defaultValue = 0.0f;
    FieldSchema tags =
        field(QStringLiteral("tags"), DataType::Array, {{"max_capacity", "16"}, {"max_length", "64"}});
    tags.elementType = DataType::VarChar;
    FieldSchema published = field(QStringLiteral("published_at"), DataType::Int64);
    published.description = QStringLiteral("Unix seconds");
    FieldSchema embedding = field(QStringLiteral("embedding"), DataType::FloatVector, {{"dim", "768"}});
    embedding.description = QStringLiteral("all-mpnet-base-v2");
    s.fields = {id,
                embedding,
                title,
                field(QStringLiteral("body"), DataType::VarChar, {{"max_length", "65535"}}),
                category,
                published,
                rating,
                tags,
                field(QStringLiteral("meta"), DataType::Json)};
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <output directory> [--dark]\n", argv[0]);
        return 2;
    }
    if (argc > 2 && qstrcmp(argv[2], "--dark") == 0) {
        // A dark Fusion palette, to check that the red text and the red button stay legible.
        QApplication::setStyle(QStringLiteral("Fusion"));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
        QApplication::setPalette(dark);
    }
    QDir dir(QString::fromLocal8Bit(argv[1]));
    if (!dir.mkpath(QStringLiteral(".")))
        return 1;
    bool ok = true;

    {
        CreateCollectionDialog dlg;
        dlg.setDatabaseName(QStringLiteral("default"));
        CreateCollectionRequest r;
        r.collection = QStringLiteral("articles");
        r.schema = articlesSchema();
        r.schema.description = QStringLiteral("News articles with their embeddings");
        r.numPartitions = 16;
        dlg.setRequest(r);
        ok = save(&dlg, dir, QStringLiteral("create-collection")) && ok;

        // The same editor with mistakes in it: what the red text looks like.
        r.collection = QStringLiteral("news-articles");
        r.schema.fields[2].name = QStringLiteral("body");
        r.schema.fields[3].typeParams.remove(QStringLiteral("max_length"));
        r.schema.fields[1].typeParams[QStringLiteral("dim")] = QStringLiteral("40000");
        dlg.findChild<QLineEdit *>(QStringLiteral("collectionNameEdit"))->setProperty("touched", true);
        dlg.setRequest(r);
        ok = save(&dlg, dir, QStringLiteral("create-collection-errors")) && ok;
    }
    {
        CollectionSchema s = articlesSchema();
        CreateIndexDialog dlg(QStringLiteral("articles"), s, {QStringLiteral("title")});
        dlg.setMilvusLite(true);
        dlg.findChild<QComboBox *>(QStringLiteral("indexTypeCombo"))->setCurrentText(QStringLiteral("HNSW"));
        dlg.findChild<QSpinBox *>(QStringLiteral("param_M"))->setValue(32);
        dlg.findChild<QLineEdit *>(QStringLiteral("indexNameEdit"))
            ->setText(QStringLiteral("embedding_hnsw"));
        ok = save(&dlg, dir, QStringLiteral("create-index")) && ok;
    }
    {
        ConfirmDestructiveDialog dlg(
            QStringLiteral("Drop collection"),
            ConfirmDestructiveDialog::describe(QStringLiteral("Drop"), QStringLiteral("collection"),
                                               QStringLiteral("articles"), QStringLiteral("default"), 12000),
            QStringLiteral("articles"));
        dlg.findChild<QLineEdit *>(QStringLiteral("confirmNameEdit"))->setText(QStringLiteral("articles"));
        ok = save(&dlg, dir, QStringLiteral("confirm-drop")) && ok;
    }
    {
        std::unique_ptr<SimpleNameDialog> dlg(SimpleNameDialog::renameCollection(
            QStringLiteral("articles"), {QStringLiteral("articles"), QStringLiteral("products")}));
        dlg->setName(QStringLiteral("articles_2024"));
        ok = save(dlg.get(), dir, QStringLiteral("rename-collection")) && ok;
        std::unique_ptr<SimpleNameDialog> db(SimpleNameDialog::createDatabase({QStringLiteral("default")}));
        db->findChild<QLineEdit *>(QStringLiteral("nameEdit"))->setProperty("touched", true);
        db->setName(QStringLiteral("2024-analytics"));
        ok = save(db.get(), dir, QStringLiteral("create-database-error")) && ok;
    }
    {
        DeleteByExpressionDialog dlg(QStringLiteral("articles"));
        dlg.setDatabaseName(QStringLiteral("default"));
        dlg.setFieldNames({QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("category"),
                           QStringLiteral("published_at"), QStringLiteral("rating"), QStringLiteral("tags")});
        dlg.setExpression(QStringLiteral("category == \"obsolete\" and published_at < 1704067200"));
        dlg.requestPreview();
        dlg.setPreviewCount(1284);
        ok = save(&dlg, dir, QStringLiteral("delete-by-expression")) && ok;
        dlg.okButton()->click();
        if (ConfirmDestructiveDialog *confirm = dlg.confirmationDialog()) {
            confirm->findChild<QLineEdit *>(QStringLiteral("confirmNameEdit"))->setText(QStringLiteral("12"));
            ok = save(confirm, dir, QStringLiteral("delete-confirm")) && ok;
            confirm->reject();
        } else {
            ok = false;
        }
    }
    return ok ? 0 : 1;
}
