#include "TestCerts.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace mx::test {

namespace {

bool openssl(const QString &dir, const QStringList &args, QString *error)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("openssl %1 failed: %2 %3")
                         .arg(args.join(QLatin1Char(' ')), p.errorString(), QString::fromUtf8(p.readAll()));
        return false;
    }
    return true;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

bool TestCerts::generate(const QString &directory, QString *error)
{
    dir = directory;
    QDir d(dir);
    const auto p = [&](const char *name) { return d.filePath(QString::fromLatin1(name)); };
    caCert = p("ca.pem");
    caKey = p("ca.key");
    otherCaCert = p("other-ca.pem");
    expiredCaCert = p("ca-expired.pem");
    serverCert = p("server.pem");
    serverKey = p("server.key");
    serverExpiredCert = p("server-expired.pem");
    serverExpiredKey = p("server-expired.key");
    clientCert = p("client.pem");
    clientKey = p("client.key");
    clientOtherCert = p("client-other.pem");
    clientOtherKey = p("client-other.key");
    clientExpiredCert = p("client-expired.pem");
    clientExpiredKey = p("client-expired.key");
    writeFile(p("server.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                               "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
                               "authorityKeyIdentifier=keyid\n");
    writeFile(p("client.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                               "extendedKeyUsage=clientAuth\n");
    writeFile(p("ca.ext"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
                           "subjectKeyIdentifier=hash\n");
    const QString subjCa = QStringLiteral("/CN=Milvus Explorer Test CA");
    const QStringList rsa{QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes")};
    auto selfSigned = [&](const QString &key, const QString &cert, const QString &subj) {
        return openssl(dir,
                       QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + rsa +
                           QStringList{QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                                       QStringLiteral("-subj"), subj, QStringLiteral("-days"),
                                       QStringLiteral("30"), QStringLiteral("-addext"),
                                       QStringLiteral("basicConstraints=critical,CA:TRUE"),
                                       QStringLiteral("-addext"),
                                       QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
                       error);
    };
    // Server certificates name their issuer by key id only, so the expired copy of the CA (same name,
    // same key) is found as the issuer and its expiry is what verification reports.
    // A certificate for `subj` with a new key, signed by caCert/caKey, valid `days` (-1: expired).
    auto signedBy = [&](const QString &key, const QString &cert, const QString &subj, const QString &ca,
                        const QString &caKeyFile, const QString &ext, int days) {
        const QString csr = cert + QStringLiteral(".csr");
        return openssl(dir,
                       QStringList{QStringLiteral("req"), QStringLiteral("-new")} + rsa +
                           QStringList{QStringLiteral("-keyout"), key, QStringLiteral("-out"), csr,
                                       QStringLiteral("-subj"), subj},
                       error) &&
               openssl(dir,
                       {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                        QStringLiteral("-CA"), ca, QStringLiteral("-CAkey"), caKeyFile,
                        QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), cert,
                        QStringLiteral("-days"), QString::number(days), QStringLiteral("-extfile"), ext},
                       error);
    };
    const QString otherKey = p("other-ca.key");
    return selfSigned(caKey, caCert, subjCa) &&
           selfSigned(otherKey, otherCaCert, QStringLiteral("/CN=Some Other CA")) &&
           // The same name and key as the CA, expired: x509 -days -1 ends its validity before it starts.
           openssl(dir,
                   {QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-key"), caKey,
                    QStringLiteral("-out"), p("ca-expired.csr"), QStringLiteral("-subj"), subjCa},
                   error) &&
           openssl(dir,
                   {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                    p("ca-expired.csr"), QStringLiteral("-signkey"), caKey, QStringLiteral("-out"),
                    expiredCaCert, QStringLiteral("-days"), QStringLiteral("-1"), QStringLiteral("-extfile"),
                    p("ca.ext")},
                   error) &&
           signedBy(serverKey, serverCert, QStringLiteral("/CN=localhost"), caCert, caKey, p("server.ext"),
                    30) &&
           signedBy(serverExpiredKey, serverExpiredCert, QStringLiteral("/CN=localhost"), caCert, caKey,
                    p("server.ext"), -1) &&
           signedBy(clientKey, clientCert, QStringLiteral("/CN=milvus-explorer-client"), caCert, caKey,
                    p("client.ext"), 30) &&
           signedBy(clientOtherKey, clientOtherCert, QStringLiteral("/CN=stranger"), otherCaCert, otherKey,
                    p("client.ext"), 30) &&
           signedBy(clientExpiredKey, clientExpiredCert, QStringLiteral("/CN=expired-client"), caCert, caKey,
                    p("client.ext"), -1);
}

} // namespace mx::test
