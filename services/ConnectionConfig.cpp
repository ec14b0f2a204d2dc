#include "ConnectionConfig.h"

#include <QUrl>

namespace mx {

QByteArray ConnectionConfig::authorizationHeader() const
{
    QString credential = token;
    if (credential.isEmpty() && !user.isEmpty())
        credential = user + QLatin1Char(':') + password;
    if (credential.isEmpty())
        return {};
    return credential.toUtf8().toBase64();
}

QString ParsedUri::target() const
{
    const bool ipv6 = host.contains(QLatin1Char(':'));
    return (ipv6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(host).arg(port);
}

std::optional<ParsedUri> parseMilvusUri(const QString &uriIn, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<ParsedUri> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QString uri = uriIn.trimmed();
    if (uri.isEmpty())
        return fail(QStringLiteral("the URI is empty"));
    if (!uri.contains(QStringLiteral("://")))
        uri.prepend(QStringLiteral("http://"));
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid())
        return fail(QStringLiteral("'%1' is not a valid URI: %2").arg(uriIn, url.errorString()));
    const QString scheme = url.scheme().toLower();
    ParsedUri out;
    if (scheme == QLatin1String("https") || scheme == QLatin1String("grpcs"))
        out.tls = true;
    else if (scheme != QLatin1String("http") && scheme != QLatin1String("grpc") &&
             scheme != QLatin1String("tcp"))
        return fail(QStringLiteral("unsupported scheme '%1' (use http://, https://, grpc:// or host:port)")
                        .arg(scheme));
    out.host = url.host();
    if (out.host.isEmpty())
        return fail(QStringLiteral("'%1' has no host").arg(uriIn));
    const int defaultPort = (out.tls && url.host().endsWith(QLatin1String(".zillizcloud.com"))) ? 443 : 19530;
    out.port = url.port(defaultPort);
    if (out.port <= 0 || out.port > 65535)
        return fail(QStringLiteral("port %1 is out of range").arg(out.port));
    return out;
}

} // namespace mx
