#include "JsonRowReader.h"

#include <QIODevice>
#include <QJsonDocument>

namespace mx {

namespace {
constexpr qint64 kChunk = 256 * 1024;

bool isBlank(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
} // namespace

JsonRowReader::JsonRowReader(QIODevice *device)
    : m_device(device)
{}

bool JsonRowReader::fill()
{
    if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    const QByteArray chunk = m_device->read(kChunk);
    if (chunk.isEmpty())
        return false;
    const bool first = m_consumed == 0 && m_buffer.isEmpty();
    m_buffer.append(chunk);
    if (first && m_buffer.startsWith("\xEF\xBB\xBF")) {
        m_buffer.remove(0, 3);
        m_consumed += 3;
    }
    return true;
}

bool JsonRowReader::peek(char *c)
{
    for (;;) {
        while (m_pos < m_buffer.size() && isBlank(m_buffer.at(m_pos))) {
            ++m_pos;
            ++m_consumed;
        }
        if (m_pos < m_buffer.size()) {
            *c = m_buffer.at(m_pos);
            return true;
        }
        if (!fill())
            return false;
    }
}

void JsonRowReader::fail(const QString &why)
{
    m_error = why;
    m_mode = Mode::Done;
}

bool JsonRowReader::next(QJsonObject &row)
{
    if (m_mode == Mode::Done)
        return false;
    char c = 0;
    if (m_mode == Mode::Unknown) {
        if (!peek(&c)) {
            m_mode = Mode::Done;
            return false; // an empty file has no rows
        }
        if (c == '[') {
            m_mode = Mode::Array;
            ++m_pos;
            ++m_consumed;
        } else if (c == '{') {
            m_mode = Mode::Lines;
        } else {
            fail(QStringLiteral("the file is neither a JSON array of objects nor JSON Lines"));
            return false;
        }
    }
    const qint64 rowNumber = m_rows + 1;
    if (!peek(&c)) {
        if (m_mode == Mode::Array)
            fail(QStringLiteral("row %1: the JSON array is not closed before the end of the file")
                     .arg(rowNumber));
        else
            m_mode = Mode::Done;
        return false;
    }
    if (m_mode == Mode::Array && m_rows > 0) {
        if (c == ',') {
            ++m_pos;
            ++m_consumed;
            if (!peek(&c)) {
                fail(QStringLiteral("row %1: the JSON array is not closed before the end of the file")
                         .arg(rowNumber));
                return false;
            }
        } else if (c != ']') {
            fail(QStringLiteral("row %1: expected ',' or ']' after row %2").arg(rowNumber).arg(m_rows));
            return false;
        }
    }
    if (m_mode == Mode::Array && c == ']') {
        ++m_pos;
        ++m_consumed;
        m_mode = Mode::Done;
        return false;
    }
    if (c != '{') {
        fail(QStringLiteral("row %1 is not a JSON object").arg(rowNumber));
        return false;
    }
    // Cut out the object: count braces outside strings.
    qsizetype i = m_pos;
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (;;) {
        if (i >= m_buffer.size()) {
            const qsizetype offset = i - m_pos;
            if (!fill()) {
                fail(QStringLiteral("row %1: the JSON object is not closed before the end of the file")
                         .arg(rowNumber));
                return false;
            }
            i = m_pos + offset;
            continue;
        }
        const char ch = m_buffer.at(i++);
        if (inString) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                inString = false;
        } else if (ch == '"') {
            inString = true;
        } else if (ch == '{' || ch == '[') {
            ++depth;
        } else if (ch == '}' || ch == ']') {
            if (--depth == 0)
                break;
        }
    }
    const QByteArray text = m_buffer.mid(m_pos, i - m_pos);
    m_consumed += i - m_pos;
    m_pos = i;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(QStringLiteral("row %1 is not valid JSON: %2").arg(rowNumber).arg(error.errorString()));
        return false;
    }
    row = doc.object();
    ++m_rows;
    return true;
}

} // namespace mx
