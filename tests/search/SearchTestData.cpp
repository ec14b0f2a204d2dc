#include "SearchTestData.h"

#include "LocalEmbeddingProvider.h"
#include "TestSupport.h"

namespace mx::test {

QList<SampleDocument> sampleDocuments()
{
    const auto doc = [](const char *text, const char *category) {
        return SampleDocument{QString::fromUtf8(text), QString::fromLatin1(category)};
    };
    return {
        doc("Apple pie recipe with cinnamon and a buttery lattice crust", "cooking"),
        doc("Classic apple crumble: oats, brown sugar and baked apples", "cooking"),
        doc("How to bake sourdough bread with a crisp crust", "cooking"),
        doc("Tomato soup with roasted garlic and fresh basil", "cooking"),
        doc("Pancake batter: flour, eggs, milk and a pinch of salt", "cooking"),
        doc("Slow-cooked beef stew with carrots and red wine", "cooking"),
        doc("The Apollo 11 mission landed the first humans on the Moon", "space"),
        doc("Mars rovers search for signs of ancient water", "space"),
        doc("The James Webb Space Telescope observes in the infrared", "space"),
        doc("Saturn's rings are made of ice and rock particles", "space"),
        doc("A solar eclipse happens when the Moon blocks the Sun", "space"),
        doc("Rocket engines burn propellant to produce thrust", "space"),
        doc("Vector databases index embeddings for similarity search", "software"),
        doc("HNSW graphs give fast approximate nearest neighbour search", "software"),
        doc("Qt widgets and signals make desktop apps responsive", "software"),
        doc("gRPC streams protobuf messages over HTTP/2", "software"),
        doc("Unit tests catch regressions before a release", "software"),
        doc("A hash map looks up keys in constant time on average", "software"),
        doc("The marathon runner paced the race at four minutes per kilometre", "sport"),
        doc("A penalty kick decided the football final", "sport"),
        doc("Tennis players serve faster on grass courts", "sport"),
        doc("The cycling team climbed the mountain stage in the rain", "sport"),
        doc("Swimmers train breathing drills for the 400 metre freestyle", "sport"),
        doc("Chess openings: the Sicilian defence and the queen's gambit", "sport"),
    };
}

QString createTextCollection(MilvusClient &client, const QString &prefix, int dim, const QString &metric)
{
    const QString name = uniqueName(prefix);
    CollectionSchema schema;
    FieldSchema id;
    id.name = QStringLiteral("id");
    id.type = DataType::Int64;
    id.isPrimaryKey = true;
    FieldSchema text;
    text.name = QStringLiteral("text");
    text.type = DataType::VarChar;
    text.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("1024"));
    FieldSchema category;
    category.name = QStringLiteral("category");
    category.type = DataType::VarChar;
    category.typeParams.insert(QStringLiteral("max_length"), QStringLiteral("64"));
    FieldSchema vec;
    vec.name = QStringLiteral("vec");
    vec.type = DataType::FloatVector;
    vec.typeParams.insert(QStringLiteral("dim"), QString::number(dim));
    schema.fields = {id, text, category, vec};
    client.createCollection(CreateCollectionRequest{name, schema});

    QList<qint64> ids;
    QStringList texts;
    QStringList categories;
    QList<float> flat;
    const auto docs = sampleDocuments();
    for (qsizetype i = 0; i < docs.size(); ++i) {
        ids << i;
        texts << docs.at(i).text;
        categories << docs.at(i).category;
        flat << LocalEmbeddingProvider::embed(docs.at(i).text, dim);
    }
    client.insert(InsertRequest{name,
                                {},
                                {FieldColumn::int64s(QStringLiteral("id"), ids),
                                 FieldColumn::varchars(QStringLiteral("text"), texts),
                                 FieldColumn::varchars(QStringLiteral("category"), categories),
                                 FieldColumn::floatVectors(QStringLiteral("vec"), dim, flat)},
                                {}});
    indexAndLoad(client, name, QStringLiteral("vec"), metric);
    return name;
}

QString createRichCollection(MilvusClient &client, const QString &prefix, int dim, int n,
                             const QString &metric)
{
    const QString name = uniqueName(prefix);
    CreateCollectionRequest create;
    create.collection = name;
    create.schema = richSchema(dim);
    client.createCollection(create);
    client.insert(InsertRequest{name, {}, richRows(dim, 0, n), {}});
    indexAndLoad(client, name, QStringLiteral("vec"), metric);
    return name;
}

} // namespace mx::test
