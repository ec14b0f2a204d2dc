#pragma once

#include "ConnectionConfig.h"

#include <grpcpp/channel.h>

#include <memory>

namespace mx {

// Creates the gRPC channel for a connection: TLS (system roots, custom CA, client certificate,
// server-name override), keepalive and message size limits. Throws MilvusException(InvalidArgument)
// for a bad URI or unreadable certificate files. Does not connect: gRPC connects lazily.
std::shared_ptr<grpc::Channel> createMilvusChannel(const ConnectionConfig &config);

} // namespace mx
