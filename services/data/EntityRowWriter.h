#pragma once

#include "DataFileFormat.h"
#include "MilvusTypes.h"

#include <QByteArray>
#include <QStringList>

namespace mx {

// Encodes query pages as CSV or JSON text (see DataFileFormat.h for the layouts). Fields are written
// in the order given (the exporter puts the primary key first); the dynamic field, when included, is
// a "$meta" CSV column or top-level keys of each JSON row. Pure, not thread-safe (keeps a row count).
class EntityRowWriter
{
public:
    EntityRowWriter(DataFileFormat format, QStringList fieldNames, bool includeDynamic);

    QByteArray header() const;
    // Every row of the page, in page order. Throws MilvusException(InvalidArgument) when a listed field
    // is missing from the page.
    QByteArray encode(const QueryResult &page);
    QByteArray footer() const;

    // One CSV cell: quoted when it holds a delimiter, quote, line break or edge blank, or is empty.
    static QByteArray csvQuote(const QByteArray &cell);

private:
    DataFileFormat m_format;
    QStringList m_fields;
    bool m_includeDynamic;
    qint64 m_rowsWritten = 0;
};

} // namespace mx
