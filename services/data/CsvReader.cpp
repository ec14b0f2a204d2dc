#include "CsvReader.h"

#include <QIODevice>

namespace mx {

namespace {
constexpr qint64 kChunk = 256 * 1024;
}

CsvReader::CsvReader(QIODevice *device, char delimiter)
    : m_device(device)
    , m_delimiter(delimiter)
{}

bool CsvReader::fill()
{
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    const QByteArray chunk = m_device->read(kChunk);
    if (chunk.isEmpty())
        return false;
    m_buffer.append(chunk);
    if (!m_started) {
        m_started = true;
        if (m_buffer.startsWith("\xEF\xBB\xBF")) {
            m_buffer.remove(0, 3);
            m_consumed += 3;
        }
    }
    return true;
}

bool CsvReader::next(CsvRecord &record)
{
    record.fields.clear();
    record.quoted.clear();
    if (!m_error.isEmpty())
        return false;
    QByteArray field;
    bool quoted = false;   // the current field started with a quote
    bool inQuotes = false; // inside the quoted part
    bool any = false;      // the record has at least one character
    m_recordLine = m_line;
    const auto endField = [&] {
        record.fields.append(QString::fromUtf8(field));
        record.quoted.append(quoted);
        field.clear();
        quoted = false;
    };
    for (;;) {
        if (m_pos >= m_buffer.size() && !fill()) {
            if (inQuotes) {
                m_error = QStringLiteral("line %1: a quoted field is not closed before the end of the file")
                              .arg(m_recordLine);
                return false;
            }
            if (!any)
                return false;
            endField();
            return true;
        }
        const char c = m_buffer.at(m_pos++);
        ++m_consumed;
        if (inQuotes) {
            if (c == '"') {
                if (m_pos >= m_buffer.size())
                    fill();
                if (m_pos < m_buffer.size() && m_buffer.at(m_pos) == '"') {
                    field.append('"');
                    ++m_pos;
                    ++m_consumed;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == '\n')
                    ++m_line;
                field.append(c);
            }
            continue;
        }
        if (c == '\r')
            continue; // CRLF: the LF ends the record
        if (c == '\n') {
            ++m_line;
            if (!any) {
                m_recordLine = m_line;
                continue; // blank line
            }
            endField();
            return true;
        }
        any = true;
        if (c == m_delimiter) {
            endField();
        } else if (c == '"' && field.isEmpty() && !quoted) {
            quoted = true;
            inQuotes = true;
        } else {
            field.append(c);
        }
    }
}

} // namespace mx
