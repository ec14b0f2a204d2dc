#pragma once

#include "ConnectionConfig.h"
#include "MilvusError.h"

namespace mx {

// gRPC reports most failed TLS handshakes alike ("certificate verify failed", "socket closed"). On that
// error path only, this repeats the handshake with Qt's TLS (same CA file, client certificate and
// expected name) and names the cause: an untrusted CA, an expired certificate, a certificate for
// another host, a missing or rejected client certificate. Blocking (a few seconds at most): never on
// the GUI thread. Returns `original` unchanged when it is not a TLS failure or nothing better is found.
MilvusError diagnoseTlsFailure(const ConnectionConfig &config, const MilvusError &original);

} // namespace mx
