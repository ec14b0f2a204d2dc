#include "SimpleNameDialog.h"

#include "MilvusNames.h"
#include "ValidationLabel.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace mx {

SimpleNameDialog::SimpleNameDialog(const QString &title, const QString &message, const QString &what,
                                   QWidget *parent)
    : ActionDialog(Style::Normal, parent)
    , m_what(what)
{
    setObjectName(QStringLiteral("simpleNameDialog"));
    setWindowTitle(title);
    m_message = new QLabel(message, content());
    m_message->setObjectName(QStringLiteral("messageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    contentLayout()->addWidget(m_message);
    m_edit = new QLineEdit(content());
    m_edit->setObjectName(QStringLiteral("nameEdit"));
    m_edit->setMaxLength(kMaxMilvusNameLength + 1);
    m_edit->setAccessibleName(tr("%1 name").arg(what));
    m_message->setBuddy(m_edit);
    contentLayout()->addWidget(m_edit);
    m_error = new ValidationLabel(QStringLiteral("nameError"), content());
    contentLayout()->addWidget(m_error);
    auto *rules =
        new QLabel(tr("Letters, digits and underscores; starts with a letter or an underscore; at most "
                      "%1 characters.")
                       .arg(kMaxMilvusNameLength),
                   content());
    rules->setWordWrap(true);
    rules->setEnabled(false); // secondary text
    contentLayout()->addWidget(rules);
    contentLayout()->addStretch(1);

    connect(m_edit, &QLineEdit::textEdited, this, [this] { m_edit->setProperty("touched", true); });
    connect(m_edit, &QLineEdit::textChanged, this, &SimpleNameDialog::revalidate);
    revalidate();
    m_edit->setFocus();
    fitToContents(440);
}

SimpleNameDialog *SimpleNameDialog::renameCollection(const QString &collection, const QStringList &existing,
                                                     QWidget *parent)
{
    auto *d =
        new SimpleNameDialog(tr("Rename collection"), tr("New name for collection '%1':").arg(collection),
                             tr("collection"), parent);
    d->setActionText(tr("Rename"));
    d->setExistingNames(existing);
    d->setCurrentName(collection);
    d->setName(collection);
    return d;
}

SimpleNameDialog *SimpleNameDialog::createPartition(const QString &collection, const QStringList &existing,
                                                    QWidget *parent)
{
    auto *d =
        new SimpleNameDialog(tr("Create partition"), tr("Name of the new partition of '%1':").arg(collection),
                             tr("partition"), parent);
    d->setActionText(tr("Create"));
    d->setExistingNames(existing);
    return d;
}

SimpleNameDialog *SimpleNameDialog::createDatabase(const QStringList &existing, QWidget *parent)
{
    auto *d =
        new SimpleNameDialog(tr("Create database"), tr("Name of the new database:"), tr("database"), parent);
    d->setActionText(tr("Create"));
    d->setExistingNames(existing);
    return d;
}

QString SimpleNameDialog::name() const
{
    return m_edit->text().trimmed();
}

void SimpleNameDialog::setName(const QString &name)
{
    m_edit->setText(name);
    m_edit->selectAll(); // typing replaces it, as in a file manager's rename
}

void SimpleNameDialog::setExistingNames(const QStringList &names)
{
    m_existing = names;
    revalidate();
}

void SimpleNameDialog::setCurrentName(const QString &name)
{
    m_currentName = name;
    revalidate();
}

void SimpleNameDialog::revalidate()
{
    const QString n = name();
    m_problem = milvusNameProblem(n, m_what);
    if (m_problem.isEmpty() && !m_currentName.isEmpty() && n == m_currentName)
        m_problem = tr("Enter a new name; this is the current one.");
    else if (m_problem.isEmpty() && m_existing.contains(n))
        m_problem = tr("A %1 named '%2' already exists.").arg(m_what, n);
    // The empty field and the unchanged name need no red text: the disabled button says enough.
    const bool quiet = !m_edit->property("touched").toBool() && (n.isEmpty() || n == m_currentName);
    m_error->setMessage(quiet ? QString() : m_problem);
    setInputValid(m_problem.isEmpty());
    okButton()->setToolTip(m_problem);
}

} // namespace mx
