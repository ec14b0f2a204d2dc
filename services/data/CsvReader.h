#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

class QIODevice;

namespace mx {

struct CsvRecord
{
    QList<QString> fields;
    QList<bool> quoted; // per field: was it in double quotes (tells "" from an empty, NULL cell)
};

// A streaming RFC 4180 reader: reads the device in chunks, so a file of any size costs one chunk
// plus one record of memory. Quoted fields may hold delimiters, quotes ("") and line breaks; CRLF
// and LF both end a record; a UTF-8 byte order mark is skipped; blank lines are skipped.
// Not thread-safe; the device must stay open while reading.
class CsvReader
{
public:
    explicit CsvReader(QIODevice *device, char delimiter = ',');

    // The next record; false at the end of input or on malformed input (then errorString() is set).
    bool next(CsvRecord &record);
    QString errorString() const { return m_error; }
    qint64 bytesConsumed() const { return m_consumed; }
    // 1-based number of the physical line the last record started on (for messages).
    qint64 lineNumber() const { return m_recordLine; }

private:
    bool fill();

    QIODevice *m_device;
    char m_delimiter;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_consumed = 0;
    qint64 m_line = 1;
    qint64 m_recordLine = 0;
    bool m_started = false;
    QString m_error;
};

} // namespace mx
