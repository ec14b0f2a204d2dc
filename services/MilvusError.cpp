#include "MilvusError.h"

namespace mx {

QString errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Transport:
        return QStringLiteral("transport");
    case ErrorKind::GrpcStatus:
        return QStringLiteral("gRPC status");
    case ErrorKind::Milvus:
        return QStringLiteral("Milvus");
    case ErrorKind::Http:
        return QStringLiteral("HTTP");
    case ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::InvalidArgument:
        return QStringLiteral("invalid argument");
    case ErrorKind::Inconsistent:
        return QStringLiteral("inconsistent");
    case ErrorKind::PermissionDenied:
        return QStringLiteral("permission denied");
    }
    return QStringLiteral("unknown");
}

QString MilvusError::message() const
{
    const QString op = operation.isEmpty() ? QStringLiteral("Request") : operation;
    switch (kind) {
    case ErrorKind::Milvus:
        return QStringLiteral("%1 failed: %2 (Milvus code %3)")
            .arg(op, reason)
            .arg(milvusCode ? milvusCode : legacyCode);
    case ErrorKind::GrpcStatus:
        return QStringLiteral("%1 failed: %2 (gRPC status %3)").arg(op, reason).arg(grpcCode);
    case ErrorKind::Http:
        return QStringLiteral("%1 failed: HTTP %2: %3").arg(op).arg(httpStatus).arg(reason);
    case ErrorKind::PermissionDenied:
        return QStringLiteral("%1 refused: permission denied: %2").arg(op, reason);
    case ErrorKind::Timeout:
    case ErrorKind::Cancelled:
    case ErrorKind::Transport:
    case ErrorKind::InvalidArgument:
    case ErrorKind::Inconsistent:
        return QStringLiteral("%1 failed: %2").arg(op, reason);
    }
    return reason;
}

bool isPermissionRefusal(int milvusCode, int legacyCode, const QString &reason)
{
    constexpr int kLegacyPermissionDenied = 3; // common.ErrorCode
    // merr's ErrPrivilegeNotPermitted; not 1400 (ErrPrivilegeNotAuthenticated), which 2.3 also answers for
    // a wrong old password: that is an authentication failure, not a missing privilege.
    constexpr int kNotPermitted = 1401;
    return legacyCode == kLegacyPermissionDenied || milvusCode == kNotPermitted ||
           reason.contains(QLatin1String("permission deny"), Qt::CaseInsensitive) ||
           reason.contains(QLatin1String("privilege not permitted"), Qt::CaseInsensitive);
}

MilvusException::MilvusException(MilvusError error)
    : m_error(std::move(error))
    , m_what(m_error.message().toUtf8())
{}

void throwError(ErrorKind kind, const QString &operation, const QString &reason)
{
    MilvusError e;
    e.kind = kind;
    e.operation = operation;
    e.reason = reason;
    throw MilvusException(std::move(e));
}

MilvusError errorFromException(const std::exception_ptr &e)
{
    try {
        std::rethrow_exception(e);
    } catch (const MilvusException &ex) {
        return ex.error();
    } catch (const std::exception &ex) {
        MilvusError err;
        err.reason = QString::fromUtf8(ex.what());
        return err;
    } catch (...) {
        MilvusError err;
        err.reason = QStringLiteral("unknown error");
        return err;
    }
}

} // namespace mx
