#include "EmbeddingTestServer.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTest>

namespace mx::test {

EmbeddingTestServer::~EmbeddingTestServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool EmbeddingTestServer::start(QString *error)
{
    m_process.setProgram(QStringLiteral(MX_PYTHON3));
    m_process.setArguments({QStringLiteral(MX_EMBEDDING_SERVER_SCRIPT), QStringLiteral("0")});
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(m_process.program(), m_process.errorString());
        return false;
    }
    QByteArray out;
    QElapsedTimer clock;
    clock.start();
    while (!out.contains('\n') && clock.elapsed() < 15000 && m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(200);
        out += m_process.readAllStandardOutput();
    }
    const QByteArray line = out.left(out.indexOf('\n')).trimmed();
    if (!line.startsWith("PORT ")) {
        *error = QStringLiteral("the embedding server did not report its port: %1 %2")
                     .arg(QString::fromUtf8(out), QString::fromUtf8(m_process.readAllStandardError()));
        return false;
    }
    m_port = line.mid(5).toInt();
    return m_port > 0;
}

QJsonObject EmbeddingTestServer::call(const QByteArray &verb, const QString &path)
{
    QNetworkRequest request(QUrl(baseUrl() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply =
        m_network.sendCustomRequest(request, verb, verb == "POST" ? QByteArray("{}") : QByteArray());
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        reply->abort();
    const QJsonObject result = reply->isFinished() && reply->error() == QNetworkReply::NoError
                                   ? QJsonDocument::fromJson(reply->readAll()).object()
                                   : QJsonObject();
    reply->deleteLater();
    return result;
}

QJsonObject EmbeddingTestServer::stats()
{
    return call("GET", QStringLiteral("/stats"));
}

bool EmbeddingTestServer::reset()
{
    return call("POST", QStringLiteral("/reset")).value(QLatin1String("ok")).toBool();
}

} // namespace mx::test
