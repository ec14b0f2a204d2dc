#pragma once

#include "LocalServer.h"

namespace mx {

// milvus-loadtest --embedded on a machine without the local servers: offers to create the per-user
// environment (VenvBootstrap) before the server starts. assumeYes (--install-servers / --yes) installs
// without asking; otherwise it asks on a terminal and declines without one. Runs an event loop on the
// calling (main) thread while pip works; Ctrl-C cancels. Returns true when the server can now be found.
bool ensureLocalServer(LocalServer::Kind kind, bool assumeYes, bool quiet);

} // namespace mx
