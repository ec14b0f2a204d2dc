#pragma once

// The test's own OpenAI-compatible embeddings server (embedding_server.py on a free loopback port),
// with its /stats and /reset endpoints.

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QString>

namespace mx::test {

class EmbeddingTestServer
{
public:
    EmbeddingTestServer() = default;
    ~EmbeddingTestServer();

    // Starts the server; false with *error filled when it does not print its port in time.
    bool start(QString *error);
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    // GET /stats and POST /reset; spin the calling thread's event loop; an empty object on failure.
    QJsonObject stats();
    bool reset();

private:
    QJsonObject call(const QByteArray &verb, const QString &path);

    QProcess m_process;
    int m_port = 0;
    QNetworkAccessManager m_network;
};

} // namespace mx::test
