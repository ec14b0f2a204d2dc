#pragma once

#include "MilvusError.h"
#include <QWidget>

#include <memory>

class QLabel;
class QListWidget;
class QPushButton;

namespace mx {

class MilvusClient;

// One collection's aliases: list, create, move an alias of another collection here (AlterAlias, after
// a confirmation naming where it points now) and drop (confirmed). Emits aliasesChanged so the
// navigator and overview can refresh. Widgets: aliasesList, errorLabel, createAliasButton,
// moveAliasButton, dropAliasButton.
class AliasesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AliasesPanel(QWidget *parent = nullptr);

    void setConnection(std::shared_ptr<MilvusClient> client);
    // Reloads when visible, else when next shown.
    void setCollection(const QString &collection, const QString &database = {});
    void refresh();
    QStringList aliases() const;
    bool isBusy() const { return m_pending > 0; }

signals:
    void aliasesChanged(const QString &collection);

protected:
    void showEvent(QShowEvent *e) override;

private:
    void showError(const MilvusError &e);
    void create();
    void move();
    void drop();

    std::shared_ptr<MilvusClient> m_client;
    QString m_collection;
    QString m_database;
    bool m_stale = false;
    int m_pending = 0;
    quint64 m_generation = 0;
    QListWidget *m_list = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_move = nullptr;
    QPushButton *m_drop = nullptr;
};

} // namespace mx
