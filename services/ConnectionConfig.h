#pragma once

#include <QString>

#include <chrono>
#include <optional>

namespace mx {

struct TlsOptions
{
    bool enabled = false;
    QString caFile;             // PEM roots; empty means the system roots
    QString clientCertFile;     // PEM client certificate chain (mutual TLS)
    QString clientKeyFile;      // PEM client private key
    QString serverNameOverride; // expected name in the server certificate (SNI / verification)
};

// Everything needed to open one connection. Secrets live here only in memory.
struct ConnectionConfig
{
    QString uri = QStringLiteral("http://127.0.0.1:19530");
    QString dbName; // empty: the server's "default"
    QString token;  // API key / "user:password" token; takes precedence over user/password
    QString user;
    QString password;
    TlsOptions tls; // also switched on by an https:// URI
    std::chrono::milliseconds defaultTimeout{30000};
    std::chrono::milliseconds keepaliveTime{55000};
    std::chrono::milliseconds keepaliveTimeout{20000};
    int maxMessageBytes = 512 * 1024 * 1024;

    // The value of the "authorization" metadata (base64 of token or user:password); empty when none.
    QByteArray authorizationHeader() const;
};

struct ParsedUri
{
    QString host;
    int port = 19530;
    bool tls = false;
    QString target() const; // "host:port" as gRPC wants it
};

// Accepts http://, https://, grpc://, grpcs://, tcp://, unix-less "host:port" and bare hosts.
// Returns nullopt with an explanation in *error for anything else.
std::optional<ParsedUri> parseMilvusUri(const QString &uri, QString *error = nullptr);

} // namespace mx
