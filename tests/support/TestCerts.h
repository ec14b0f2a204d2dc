#pragma once

#include <QString>

namespace mx::test {

// Throw-away PKI for native-TLS tests, made with the openssl command line in `dir`:
//   ca            the CA that signs the server's and the client's certificates
//   otherCa       an unrelated CA (a client trusting it gets "not signed by")
//   expiredCa     the same CA name and key as `ca`, but expired: a client trusting it sees an expired
//                 certificate in the server's chain
//   server        CN localhost, SAN DNS:localhost and IP:127.0.0.1, signed by ca
//   serverExpired the same names, signed by ca, expired (a server that kept an old certificate)
//   client        signed by ca (mutual TLS); clientOther signed by otherCa; clientExpired by ca, expired
struct TestCerts
{
    QString dir;
    QString caCert, caKey, otherCaCert, expiredCaCert;
    QString serverCert, serverKey, serverExpiredCert, serverExpiredKey;
    QString clientCert, clientKey, clientOtherCert, clientOtherKey, clientExpiredCert, clientExpiredKey;

    // False with *error (openssl's output) when a step fails.
    bool generate(const QString &directory, QString *error);
};

} // namespace mx::test
