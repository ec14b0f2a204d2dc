#include "GrpcChannel.h"

#include "MilvusError.h"

#include <QFile>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <absl/synchronization/mutex.h>

namespace mx {

namespace {

std::string readPem(const QString &path, const QString &what)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Connect"),
                   QStringLiteral("cannot read the %1 file '%2': %3").arg(what, path, f.errorString()));
    const QByteArray data = f.readAll();
    if (!data.contains("-----BEGIN"))
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Connect"),
                   QStringLiteral("the %1 file '%2' is not PEM").arg(what, path));
    return data.toStdString();
}

} // namespace

std::shared_ptr<grpc::Channel> createMilvusChannel(const ConnectionConfig &config)
{
    QString uriError;
    const auto parsed = parseMilvusUri(config.uri, &uriError);
    if (!parsed)
        throwError(ErrorKind::InvalidArgument, QStringLiteral("Connect"), uriError);

    // Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock detection on (a debug
    // feature that aborts on a suspected cycle): every lock gRPC takes updates a lock graph, 10% of a
    // bare Search call's instructions (130,000 -> 116,400 on the standalone, bench/client_wait_cost.sh).
    // Release builds of Abseil, like the one in pymilvus's grpcio, have it off. Process-wide and
    // idempotent, so it is set with each channel, before any of its locks.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(config.maxMessageBytes);
    args.SetMaxSendMessageSize(config.maxMessageBytes);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, int(config.keepaliveTime.count()));
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, int(config.keepaliveTimeout.count()));
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    // Fail fast and visibly instead of waiting a long backoff after the server went away.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    // Each client gets its own subchannel instead of sharing one across clients in this process, so
    // separate connections (and the load tester's pools) really are separate TCP connections.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetString(GRPC_ARG_PRIMARY_USER_AGENT_STRING, "milvus-explorer");

    std::shared_ptr<grpc::ChannelCredentials> creds;
    if (parsed->tls || config.tls.enabled) {
        grpc::SslCredentialsOptions ssl;
        if (!config.tls.caFile.isEmpty())
            ssl.pem_root_certs = readPem(config.tls.caFile, QStringLiteral("CA certificate"));
        if (!config.tls.clientCertFile.isEmpty() || !config.tls.clientKeyFile.isEmpty()) {
            if (config.tls.clientCertFile.isEmpty() || config.tls.clientKeyFile.isEmpty())
                throwError(
                    ErrorKind::InvalidArgument, QStringLiteral("Connect"),
                    QStringLiteral("a client certificate needs both the certificate and the key file"));
            ssl.pem_cert_chain = readPem(config.tls.clientCertFile, QStringLiteral("client certificate"));
            ssl.pem_private_key = readPem(config.tls.clientKeyFile, QStringLiteral("client key"));
        }
        if (!config.tls.serverNameOverride.isEmpty())
            args.SetSslTargetNameOverride(config.tls.serverNameOverride.toStdString());
        creds = grpc::SslCredentials(ssl);
    } else {
        creds = grpc::InsecureChannelCredentials();
    }
    return grpc::CreateCustomChannel(parsed->target().toStdString(), creds, args);
}

} // namespace mx
