#include "TlsDiagnosis.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>

#include <algorithm>

namespace mx {

namespace {

bool mentions(const QString &text, std::initializer_list<const char *> needles)
{
    for (const char *n : needles)
        if (text.contains(QLatin1String(n), Qt::CaseInsensitive))
            return true;
    return false;
}

QString subjectOf(const QSslCertificate &c)
{
    const QStringList cn = c.subjectInfo(QSslCertificate::CommonName);
    return cn.isEmpty() ? c.subjectDisplayName() : cn.join(QStringLiteral(", "));
}

QString namesOf(const QSslCertificate &c)
{
    QStringList names;
    const auto alt = c.subjectAlternativeNames();
    for (auto it = alt.cbegin(); it != alt.cend(); ++it)
        names.append(it.value());
    if (names.isEmpty())
        names = c.subjectInfo(QSslCertificate::CommonName);
    return names.join(QStringLiteral(", "));
}

MilvusError with(const MilvusError &original, const QString &reason)
{
    MilvusError e = original;
    e.reason = reason;
    e.detail =
        original.reason + (original.detail.isEmpty() ? QString() : QStringLiteral(" | ") + original.detail);
    return e;
}

} // namespace

MilvusError diagnoseTlsFailure(const ConnectionConfig &config, const MilvusError &original)
{
    if (original.kind != ErrorKind::Transport)
        return original;
    const QString text = original.reason + QLatin1Char(' ') + original.detail;
    if (mentions(text, {"connection refused", "http1.x", "resolve"}) ||
        !mentions(text,
                  {"ssl", "tls", "handshake", "certificate", "socket closed", "peer name", "connection reset",
                   "end of tcp stream", "endpoint read failed", "endpoint write failed"}))
        return original;
    const auto parsed = parseMilvusUri(config.uri);
    if (!parsed || !QSslSocket::supportsSsl())
        return original;
    const QString target = parsed->target();
    const QString expectedName =
        config.tls.serverNameOverride.isEmpty() ? parsed->host : config.tls.serverNameOverride;
    const bool hasClientCert = !config.tls.clientCertFile.isEmpty();

    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    if (!config.tls.caFile.isEmpty())
        conf.setCaCertificates(QSslCertificate::fromPath(config.tls.caFile));
    conf.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (hasClientCert) {
        const auto certs = QSslCertificate::fromPath(config.tls.clientCertFile);
        if (!certs.isEmpty())
            conf.setLocalCertificate(certs.first());
        QFile keyFile(config.tls.clientKeyFile);
        if (keyFile.open(QIODevice::ReadOnly))
            conf.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        if (conf.privateKey().isNull() && keyFile.seek(0))
            conf.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    }
    conf.setAllowedNextProtocols({QByteArrayLiteral("h2")});

    QSslSocket socket;
    socket.setSslConfiguration(conf);
    socket.setPeerVerifyName(expectedName);
    socket.connectToHostEncrypted(parsed->host, quint16(parsed->port));
    const bool encrypted = socket.waitForEncrypted(4000);
    const QList<QSslError> errors = socket.sslHandshakeErrors();
    const QString caName = config.tls.caFile.isEmpty()
                               ? QStringLiteral("the system's trusted CAs")
                               : QStringLiteral("the CA file '%1'").arg(config.tls.caFile);
    // OpenSSL reports several errors for one chain (an expired CA also leaves the leaf unverifiable):
    // the most specific cause first.
    QList<QSslError> ordered = errors;
    const auto rank = [](QSslError::SslError e) {
        switch (e) {
        case QSslError::CertificateExpired:
        case QSslError::CertificateNotYetValid:
            return 0;
        case QSslError::HostNameMismatch:
            return 1;
        default:
            return 2;
        }
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](const QSslError &a, const QSslError &b) {
        return rank(a.error()) < rank(b.error());
    });
    const QList<QSslCertificate> caFileCerts =
        config.tls.caFile.isEmpty() ? QList<QSslCertificate>() : QSslCertificate::fromPath(config.tls.caFile);
    QStringList verifyErrorList;
    for (const QSslError &err : ordered)
        verifyErrorList.append(err.errorString());
    const QString verifyErrors = verifyErrorList.join(QStringLiteral("; "));
    for (const QSslError &err : ordered) {
        const QSslCertificate cert = err.certificate();
        switch (err.error()) {
        case QSslError::CertificateExpired:
            // The server's own certificate (the leaf) or one above it (an intermediate, or the CA the
            // server sends): different people renew them.
            if (!cert.isNull() && cert == socket.peerCertificate())
                return with(original,
                            QStringLiteral("TLS handshake with %1 failed: the server's own certificate '%2' "
                                           "expired on %3 (the server must be given a renewed certificate)")
                                .arg(target, subjectOf(cert), cert.expiryDate().toString(Qt::ISODate)));
            return with(
                original,
                QStringLiteral(
                    "TLS handshake with %1 failed: the certificate '%2' in the server's chain expired "
                    "on %3 (renew the server's certificate)")
                    .arg(target, subjectOf(cert), cert.expiryDate().toString(Qt::ISODate)));
        case QSslError::CertificateNotYetValid:
            return with(
                original,
                QStringLiteral("TLS handshake with %1 failed: the certificate '%2' is not valid before %3 "
                               "(check this machine's clock)")
                    .arg(target, subjectOf(cert), cert.effectiveDate().toString(Qt::ISODate)));
        case QSslError::HostNameMismatch:
            return with(
                original,
                QStringLiteral("TLS handshake with %1 failed: the server's certificate is for '%2', not '%3' "
                               "(connect by one of its names, or set the expected server name)")
                    .arg(target, namesOf(cert), expectedName));
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateSignatureFailed:
        case QSslError::CertificateUntrusted: {
            // Qt leaves expired CA certificates out of the trust store: an issuer that "cannot be found"
            // may be an expired certificate in the CA file.
            const QStringList issuer = cert.issuerInfo(QSslCertificate::CommonName);
            for (const QSslCertificate &ca : caFileCerts)
                if (!issuer.isEmpty() && ca.subjectInfo(QSslCertificate::CommonName) == issuer &&
                    ca.expiryDate() < QDateTime::currentDateTimeUtc())
                    return with(original,
                                QStringLiteral("TLS handshake with %1 failed: the CA certificate '%2' that "
                                               "issued the server's certificate expired on %3 (renew the "
                                               "CA certificate in '%4')")
                                    .arg(target, issuer.join(QStringLiteral(", ")),
                                         ca.expiryDate().toString(Qt::ISODate), config.tls.caFile));
        }
            return with(original,
                        QStringLiteral(
                            "TLS handshake with %1 failed: the server's certificate '%2' (issued by '%3') is "
                            "not signed by %4 (use the CA that signed it) [%5]")
                            .arg(target, subjectOf(cert),
                                 cert.issuerInfo(QSslCertificate::CommonName).join(QStringLiteral(", ")),
                                 caName, verifyErrors));
        default:
            break;
        }
    }
    // The server's certificate is fine. A server that wants a client certificate refuses after the
    // handshake (TLS 1.3): read once to get its alert.
    QString refusal;
    if (encrypted) {
        socket.write(QByteArrayLiteral("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        socket.waitForBytesWritten(1000);
        socket.waitForReadyRead(2000);
        socket.readAll();
        if (socket.state() != QAbstractSocket::ConnectedState ||
            socket.error() != QAbstractSocket::UnknownSocketError)
            refusal = socket.errorString();
        else
            return original;
    } else {
        refusal = socket.errorString();
    }
    if (mentions(refusal + QLatin1Char(' ') + text,
                 {"certificate required", "alert certificate required", "handshake failure",
                  "bad certificate", "closed", "unknown ca"})) {
        if (!hasClientCert)
            return with(
                original,
                QStringLiteral("TLS handshake with %1 failed: the server requires a client certificate "
                               "(mutual TLS) and none is configured (set the client "
                               "certificate and key in the TLS options) [%2]")
                    .arg(target, refusal));
        const auto mine = QSslCertificate::fromPath(config.tls.clientCertFile);
        if (!mine.isEmpty() && mine.first().expiryDate() < QDateTime::currentDateTimeUtc())
            return with(original,
                        QStringLiteral("TLS handshake with %1 failed: the server rejected the client "
                                       "certificate '%2': it expired on %3 (renew it) [%4]")
                            .arg(target, config.tls.clientCertFile,
                                 mine.first().expiryDate().toString(Qt::ISODate), refusal));
        return with(original,
                    QStringLiteral("TLS handshake with %1 failed: the server rejected the client certificate "
                                   "'%2': it is not signed by a CA the server trusts [%3]")
                        .arg(target, config.tls.clientCertFile, refusal));
    }
    return original;
}

} // namespace mx
