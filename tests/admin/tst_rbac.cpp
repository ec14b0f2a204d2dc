// Users, roles and privileges against the real server: on the standalone (authorization on) an admin
// creates a user and a role with read-only privileges on one collection; signed in as that user the app
// browses and searches it, is refused with the typed permission error on insert and drop, and its
// admin views are disabled with the reason; after a revoke the same user is refused reading. On Milvus
// Lite (no RBAC) every call ends with a typed error and the capability says why.

#include "AdminClient.h"
#include "AdminTestUtil.h"
#include "PrivilegeCatalog.h"
#include "ServerCapabilities.h"
#include "TestSupport.h"
#include "UserAccess.h"
#include "UsersRolesPanel.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

namespace mx {

using namespace mx::test;

class TstRbac : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void liteRefusesRbac();
    void adminCreatesUserAndRole();
    void userBrowsesAndSearches();
    void userRefusedWriting();
    void userAccessSaysWhy();
    void panelAsAdminEnablesManagement();
    void panelAsUserDisabledWithReason();
    void userChangesOwnPassword();
    void revokeRefusesReading();
    void dropRoleAndDeleteUser();

private:
    ConnectionConfig userConfig() const;
    std::unique_ptr<MilvusClient> userClient() const;

    TestServer m_server;
    std::unique_ptr<MilvusClient> m_root;
    std::unique_ptr<AdminClient> m_admin;
    QString m_collection, m_other;
    QString m_user, m_role;
    QString m_password = QStringLiteral("Ro-pass-1234");
};

void TstRbac::initTestCase()
{
    QString error;
    QVERIFY2(m_server.start(&error), qPrintable(error));
    m_root = m_server.client();
    m_admin = std::make_unique<AdminClient>(*m_root);
    m_user = uniqueName(QStringLiteral("reader"));
    m_role = uniqueName(QStringLiteral("ro"));
    if (!isStandalone())
        return;
    m_collection = createLoadedCollection(*m_root, QStringLiteral("rbac_ro"), 8, 50);
    m_other = createLoadedCollection(*m_root, QStringLiteral("rbac_other"), 8, 10);
}

void TstRbac::cleanupTestCase()
{
    m_admin.reset();
    m_root.reset();
}

ConnectionConfig TstRbac::userConfig() const
{
    ConnectionConfig cfg = m_server.config(std::chrono::milliseconds(20000));
    cfg.user = m_user;
    cfg.password = m_password;
    cfg.token.clear();
    return cfg;
}

std::unique_ptr<MilvusClient> TstRbac::userClient() const
{
    return std::make_unique<MilvusClient>(userConfig());
}

void TstRbac::liteRefusesRbac()
{
    const ServerCapabilities caps = ServerCapabilities::fromVersion(m_root->getVersion());
    if (isStandalone()) {
        QVERIFY(caps.has(ServerCapabilities::Feature::Rbac));
        return;
    }
    QVERIFY(!caps.lacks(ServerCapabilities::Feature::Rbac).isEmpty());
    // Milvus Lite answers every RBAC call with gRPC UNIMPLEMENTED: a typed error, never an empty list.
    const MilvusError users = expectError([&] { m_admin->listUsers(); });
    QCOMPARE(users.kind, ErrorKind::GrpcStatus);
    QCOMPARE(users.grpcCode, 12);
    const MilvusError create = expectError([&] { m_admin->createRole({m_role}); });
    QCOMPARE(create.kind, ErrorKind::GrpcStatus);
    const MilvusError async = expectError([&] { await(m_admin->listRolesAsync()); });
    QCOMPARE(async.kind, ErrorKind::GrpcStatus);
    // What the UI shows: RBAC unavailable, with the capability's reason.
    const UserAccess access = await(UserAccess::load(
        std::shared_ptr<const AdminClient>(new AdminClient(*m_root)), {}, caps.displayName()));
    QVERIFY(!access.rbacAvailable);
    QVERIFY2(access.manageReason().contains(QLatin1String("no users, roles or privileges")),
             qPrintable(access.manageReason()));
    QVERIFY(!access.allowed(QStringLiteral("Collection"), QStringLiteral("x"), QStringLiteral("Search")));
}

void TstRbac::adminCreatesUserAndRole()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no RBAC: liteRefusesRbac asserts the refusal");
    // Both forms of each call.
    m_admin->createUser({m_user, m_password});
    await(m_admin->createRoleAsync({m_role}));
    for (const Grant &g : privileges::readOnlyOnCollection(m_role, m_collection))
        m_admin->grant({g});
    await(m_admin->addUserToRoleAsync({m_user, m_role}));

    QVERIFY(m_admin->listUserNames().contains(m_user));
    QVERIFY(await(m_admin->listUserNamesAsync()).contains(QStringLiteral("root")));
    const QList<UserInfo> users = m_admin->listUsers({m_user});
    QCOMPARE(users.size(), 1);
    QCOMPARE(users.first().roles, QStringList{m_role});
    const QList<RoleInfo> roles = await(m_admin->listRolesAsync({m_role}));
    QCOMPARE(roles.size(), 1);
    QCOMPARE(roles.first().users, QStringList{m_user});
    QVERIFY(m_admin->listRoles().size() >= 3); // admin, public and ours

    const QList<Grant> grants = m_admin->listGrants({m_role});
    for (const Grant &want : privileges::readOnlyOnCollection(m_role, m_collection))
        QVERIFY2(grants.contains(want), qPrintable(want.privilege));
    QCOMPARE(grants.size(), privileges::readOnlyOnCollection(m_role, m_collection).size());
    QCOMPARE(grants.first().grantor, QStringLiteral("root"));

    // A duplicate user is the server's typed refusal, not a silent success.
    const MilvusError dup = expectError([&] { m_admin->createUser({m_user, m_password}); });
    QCOMPARE(dup.kind, ErrorKind::Milvus);
    // Refused before it is sent.
    QCOMPARE(expectError([&] {
                 m_admin->createUser({QStringLiteral("x"), {}});
             }).kind,
             ErrorKind::InvalidArgument);
}

void TstRbac::userBrowsesAndSearches()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no RBAC");
    auto user = userClient();
    QVERIFY(user->listCollections().contains(m_collection));
    const CollectionDescription desc = user->describeCollection({m_collection});
    QCOMPARE(desc.collectionName, m_collection);
    QCOMPARE(user->getLoadState({m_collection}), LoadState::Loaded);

    QueryRequest count;
    count.collection = m_collection;
    count.outputFields = {QStringLiteral("count(*)")};
    const QueryResult counted = user->query(count);
    QCOMPARE(counted.columns.first().value(0).toLongLong(), qint64(50));

    SearchRequest search;
    search.collection = m_collection;
    search.vectors = FloatVectors{8, vectorFor(7, 8)};
    search.topK = 5;
    const SearchResults mine = await(user->searchAsync(search));
    const SearchResults roots = m_root->search(search);
    QCOMPARE(mine.queries.size(), 1);
    QCOMPARE(mine.queries.first().size(), 5);
    QCOMPARE(mine.queries.first().first().id, roots.queries.first().first().id);
}

void TstRbac::userRefusedWriting()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no RBAC");
    auto user = userClient();
    const MilvusError insert = expectError([&] { user->insert({m_collection, {}, richRows(8, 1000, 2)}); });
    QCOMPARE(insert.kind, ErrorKind::PermissionDenied);
    QVERIFY2(insert.message().contains(QLatin1String("permission denied")), qPrintable(insert.message()));
    QVERIFY2(insert.reason.contains(QLatin1String("Insert")), qPrintable(insert.reason));
    QCOMPARE(errorKindName(insert.kind), QStringLiteral("permission denied"));

    const MilvusError drop = expectError([&] { await(user->dropCollectionAsync({m_collection})); });
    QCOMPARE(drop.kind, ErrorKind::PermissionDenied);
    QVERIFY(m_root->hasCollection({m_collection}));

    // Another collection: no privilege on it at all.
    SearchRequest search;
    search.collection = m_other;
    search.vectors = FloatVectors{8, vectorFor(1, 8)};
    QCOMPARE(expectError([&] { user->search(search); }).kind, ErrorKind::PermissionDenied);

    // Administration is refused too.
    AdminClient userAdmin(*user);
    QCOMPARE(expectError([&] { userAdmin.createRole({QStringLiteral("nope")}); }).kind,
             ErrorKind::PermissionDenied);
    QCOMPARE(expectError([&] { userAdmin.listRoles(); }).kind, ErrorKind::PermissionDenied);
}

void TstRbac::userAccessSaysWhy()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no RBAC");
    auto user = userClient();
    auto admin = std::make_shared<const AdminClient>(*user);
    const UserAccess access = await(UserAccess::load(admin, m_user, QStringLiteral("Milvus")));
    QVERIFY(access.rbacAvailable);
    QCOMPARE(access.roles, QStringList{m_role});
    QVERIFY2(access.grantsError.isEmpty(), qPrintable(access.grantsError));
    QVERIFY(!access.isAdmin());
    QVERIFY(access.allowed(QStringLiteral("Collection"), m_collection, QStringLiteral("Search")));
    QVERIFY(!access.allowed(QStringLiteral("Collection"), m_collection, QStringLiteral("Insert")));
    QVERIFY(!access.allowed(QStringLiteral("Collection"), m_other, QStringLiteral("Search")));
    const QString why = access.reason(QStringLiteral("Collection"), m_collection, QStringLiteral("Insert"));
    QVERIFY2(why.contains(m_user) && why.contains(m_role) && why.contains(QLatin1String("Insert")),
             qPrintable(why));
    QVERIFY2(access.manageReason().contains(QLatin1String("admin role")), qPrintable(access.manageReason()));

    const UserAccess rootAccess =
        await(UserAccess::load(std::make_shared<const AdminClient>(*m_root), QStringLiteral("root"), {}));
    QVERIFY(rootAccess.isAdmin());
    QVERIFY(rootAccess.manageReason().isEmpty());
}

void TstRbac::panelAsAdminEnablesManagement()
{
    UsersRolesPanel panel;
    panel.resize(1000, 640);
    panel.show();
    std::shared_ptr<MilvusClient> root = m_server.client();
    panel.setConnection(root, m_server.config().user);
    QVERIFY(QTest::qWaitFor([&] { return !panel.isBusy(); }, 30000));
    auto *createUser = panel.findChild<QPushButton *>(QStringLiteral("createUserButton"));
    QVERIFY(createUser);
    auto *users = panel.findChild<QTableView *>(QStringLiteral("usersTable"));
    QVERIFY(users);
    if (!isStandalone()) {
        QVERIFY(!createUser->isEnabled());
        QVERIFY2(createUser->toolTip().contains(QLatin1String("no users, roles or privileges")),
                 qPrintable(createUser->toolTip()));
        auto *banner = panel.findChild<QLabel *>(QStringLiteral("accessBanner"));
        QVERIFY(banner && banner->text().contains(QLatin1String("no users, roles or privileges")));
        return;
    }
    QVERIFY(createUser->isEnabled());
    QVERIFY(users->model()->rowCount() >= 2); // root and ours
    bool found = false;
    for (int r = 0; r < users->model()->rowCount(); ++r)
        found |= users->model()->index(r, 0).data().toString() == m_user;
    QVERIFY(found);
    // The grant editor offers the server's privilege names for the chosen object type.
    auto *type = panel.findChild<QComboBox *>(QStringLiteral("grantObjectType"));
    auto *privilege = panel.findChild<QComboBox *>(QStringLiteral("grantPrivilege"));
    QVERIFY(type && privilege);
    type->setCurrentText(QStringLiteral("User"));
    QCOMPARE(privilege->count(), 2);
    type->setCurrentText(QStringLiteral("Collection"));
    QVERIFY(privilege->findText(QStringLiteral("Search")) >= 0);
    // Selecting a role lists its grants.
    auto *roles = panel.findChild<QTableView *>(QStringLiteral("rolesTable"));
    auto *grants = panel.findChild<QTableView *>(QStringLiteral("grantsTable"));
    for (int r = 0; r < roles->model()->rowCount(); ++r)
        if (roles->model()->index(r, 0).data().toString() == m_role)
            roles->selectRow(r);
    QVERIFY(QTest::qWaitFor(
        [&] {
            return grants->model()->rowCount() ==
                   privileges::readOnlyOnCollection(m_role, m_collection).size();
        },
        10000));
    grabAndSave(panel, QStringLiteral("users-roles"));
}

void TstRbac::panelAsUserDisabledWithReason()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no RBAC: panelAsAdminEnablesManagement asserts the disabled panel");
    UsersRolesPanel panel;
    panel.show();
    std::shared_ptr<MilvusClient> user = userClient();
    panel.setConnection(user, m_user);
    QVERIFY(QTest::qWaitFor([&] { return !panel.isBusy(); }, 30000));
    for (const char *name : {"createUserButton", "deleteUserButton", "createRoleButton", "dropRoleButton",
                             "bindButton", "grantButton", "revokeButton"}) {
        auto *b = panel.findChild<QPushButton *>(QString::fromLatin1(name));
        QVERIFY2(b, name);
        QVERIFY2(!b->isEnabled(), name);
        QVERIFY2(b->toolTip().contains(QLatin1String("admin role")), qPrintable(b->toolTip()));
    }
    // Changing one's own password stays possible.
    auto *own = panel.findChild<QPushButton *>(QStringLiteral("changePasswordButton"));
    QVERIFY(own && own->isEnabled());
    auto *banner = panel.findChild<QLabel *>(QStringLiteral("accessBanner"));
    QVERIFY(banner);
    QVERIFY2(banner->text().contains(m_user) && banner->text().contains(m_role), qPrintable(banner->text()));
    grabAndSave(panel, QStringLiteral("users-roles-restricted"));
}

void TstRbac::userChangesOwnPassword()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no RBAC");
    auto user = userClient();
    AdminClient self(*user);
    const QString fresh = QStringLiteral("Ro-pass-5678");
    self.updatePassword({m_user, m_password, fresh});
    const QString old = m_password;
    m_password = fresh;
    QVERIFY(userClient()->listCollections().contains(m_collection));
    m_password = old;
    const MilvusError stale = expectError([&] { userClient()->listCollections(); });
    QCOMPARE(stale.kind, ErrorKind::GrpcStatus);
    QVERIFY2(stale.reason.contains(QLatin1String("authentication failed")), qPrintable(stale.reason));
    m_password = fresh;
}

void TstRbac::revokeRefusesReading()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no RBAC");
    for (const Grant &g : privileges::readOnlyOnCollection(m_role, m_collection))
        await(m_admin->revokeAsync({g}));
    QVERIFY(m_admin->listGrants({m_role}).isEmpty());
    auto user = userClient();
    SearchRequest search;
    search.collection = m_collection;
    search.vectors = FloatVectors{8, vectorFor(7, 8)};
    // The server caches privileges for a moment: wait until the revoke is in force.
    MilvusError refused;
    QVERIFY(QTest::qWaitFor(
        [&] {
            refused = expectError([&] { user->search(search); });
            return refused.kind == ErrorKind::PermissionDenied;
        },
        15000));
    QueryRequest query;
    query.collection = m_collection;
    query.filter = QStringLiteral("id >= 0");
    query.limit = 3;
    QCOMPARE(expectError([&] { user->query(query); }).kind, ErrorKind::PermissionDenied);
    // Describing stays allowed: every user has the built-in public role, which 2.3 grants
    // DescribeCollection and ShowCollections on every collection.
    QCOMPARE(user->describeCollection({m_collection}).collectionName, m_collection);
}

void TstRbac::dropRoleAndDeleteUser()
{
    if (!isStandalone())
        QSKIP("Milvus Lite has no RBAC");
    m_admin->removeUserFromRole({m_user, m_role});
    QVERIFY(m_admin->listUsers({m_user}).first().roles.isEmpty());
    await(m_admin->dropRoleAsync({m_role}));
    for (const RoleInfo &r : m_admin->listRoles())
        QVERIFY(r.name != m_role);
    await(m_admin->deleteUserAsync({m_user}));
    QVERIFY(!m_admin->listUserNames().contains(m_user));
    QCOMPARE(expectError([&] { userClient()->listCollections(); }).kind, ErrorKind::GrpcStatus);
}

} // namespace mx

MX_TEST_MAIN_WITH_OWN_SETTINGS(mx::TstRbac, "tst_rbac")

#include "tst_rbac.moc"
