#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

class QIODevice;

namespace mx {

// Streams row objects out of a JSON file without loading it whole: either one top-level array of
// objects ("[{...},{...}]", what the exporter writes) or JSON Lines / concatenated objects, told apart
// by the first non-blank character. Each object is cut out by a small scanner (depth, strings,
// escapes) and parsed on its own, so memory stays at one chunk plus one row.
// Not thread-safe; the device must stay open while reading.
class JsonRowReader
{
public:
    explicit JsonRowReader(QIODevice *device);

    // The next row; false at the end of input or on malformed input (then errorString() is set and
    // names the row).
    bool next(QJsonObject &row);
    QString errorString() const { return m_error; }
    qint64 bytesConsumed() const { return m_consumed; }
    qint64 rowsRead() const { return m_rows; }

private:
    bool fill();
    bool peek(char *c); // next non-blank character, not consumed; false at the end of input
    void fail(const QString &why);

    QIODevice *m_device;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_consumed = 0;
    qint64 m_rows = 0;
    enum class Mode
    {
        Unknown,
        Array,
        Lines,
        Done
    } m_mode = Mode::Unknown;
    QString m_error;
};

} // namespace mx
