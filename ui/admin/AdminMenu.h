#pragma once

#include <functional>
#include <memory>

class QMainWindow;
class QTabWidget;

namespace mx {

class MilvusClient;

// The "Administration" menu of the main window: "Users and roles" and "System" open (or show) a tab
// of their own in `tabs`, on the connection `client()` returns then (nothing when not connected).
// The tabs' objectNames are usersRolesTab and systemTab; the actions' usersRolesAction, systemAction.
void installAdminMenu(QMainWindow *window, QTabWidget *tabs,
                      std::function<std::shared_ptr<MilvusClient>()> client);

} // namespace mx
