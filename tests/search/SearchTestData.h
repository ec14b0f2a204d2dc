#pragma once

// Collections made for searching, shared by the search service's tests and the workbench's widget tests:
// texts embedded with the local provider, and richSchema rows under a chosen metric. Widget-free.

#include "MilvusClient.h"

#include <QList>
#include <QString>

namespace mx::test {

// Short texts on a few topics, with a category each, for text search.
struct SampleDocument
{
    QString text;
    QString category;
};
QList<SampleDocument> sampleDocuments();

// id INT64 (0..n-1), text VARCHAR, category VARCHAR, vec FLOAT_VECTOR(dim) =
// LocalEmbeddingProvider::embed(text); FLAT index with `metric`, loaded.
QString createTextCollection(MilvusClient &client, const QString &prefix, int dim, const QString &metric);
// richSchema(dim) with n richRows, FLAT index with `metric`, loaded.
QString createRichCollection(MilvusClient &client, const QString &prefix, int dim, int n,
                             const QString &metric);

} // namespace mx::test
