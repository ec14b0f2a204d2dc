#pragma once

#include <QException>
#include <QString>

namespace mx {

// Every failure a service call can end with. A failure never looks like an empty result.
enum class ErrorKind
{
    Transport,       // could not reach the server / connection broken / TLS handshake failed
    GrpcStatus,      // the gRPC layer answered with a non-OK status (e.g. UNAUTHENTICATED, UNIMPLEMENTED)
    Milvus,          // gRPC OK, but Milvus reported a non-zero status code
    Http,            // an HTTP service answered with an error status
    Timeout,         // the call's deadline passed
    Cancelled,       // the caller cancelled the call
    InvalidArgument, // the request was rejected before it was sent
    Inconsistent,    // the server's answers disagree (e.g. an export read another row count than count(*))
    PermissionDenied // the server refused: the signed-in user lacks the privilege (RBAC)
};

QString errorKindName(ErrorKind kind);

struct MilvusError
{
    ErrorKind kind = ErrorKind::Transport;
    QString operation;  // RPC or operation name, e.g. "Search"
    int grpcCode = 0;   // grpc::StatusCode; 0 when not applicable
    int milvusCode = 0; // common.Status.code
    int legacyCode = 0; // common.Status.error_code (ErrorCode enum)
    int httpStatus = 0; // for Http
    QString reason;     // what the server (or transport) said, verbatim
    QString detail;     // extra diagnostics (gRPC debug string, server detail)

    // One sentence a user understands, naming the operation and the cause.
    QString message() const;
};

// True for a Milvus status that is an authorization refusal: the legacy PermissionDenied error code,
// merr's privilege code 1401, or 2.3's "permission deny" wording.
bool isPermissionRefusal(int milvusCode, int legacyCode, const QString &reason);

// The exception that carries a MilvusError through QFuture (onFailed) and out of blocking calls.
class MilvusException : public QException
{
public:
    explicit MilvusException(MilvusError error);
    const MilvusError &error() const { return m_error; }
    const char *what() const noexcept override { return m_what.constData(); }
    void raise() const override { throw *this; }
    MilvusException *clone() const override { return new MilvusException(*this); }

private:
    MilvusError m_error;
    QByteArray m_what;
};

[[noreturn]] void throwError(ErrorKind kind, const QString &operation, const QString &reason);

// Extracts the MilvusError from an exception caught from a future or blocking call; anything that is
// not a MilvusException becomes a Transport error with its what() text.
MilvusError errorFromException(const std::exception_ptr &e);

} // namespace mx
