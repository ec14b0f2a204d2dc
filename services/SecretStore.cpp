#include "SecretStore.h"

#include <QEventLoop>
#include <QPromise>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

namespace mx {

namespace {
bool isBackendProblem(QKeychain::Error e)
{
    return e == QKeychain::NoBackendAvailable || e == QKeychain::NotImplemented ||
           e == QKeychain::OtherError || e == QKeychain::AccessDenied;
}
} // namespace

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{}

void SecretStore::forceSessionOnly(const QString &why)
{
    fallBack(why);
}

void SecretStore::fallBack(const QString &why)
{
    if (m_sessionOnly)
        return;
    m_sessionOnly = true;
    m_problem = why;
    emit sessionOnlyChanged(true, why);
}

QFuture<QString> SecretStore::read(const QString &key)
{
    auto promise = std::make_shared<QPromise<QString>>();
    promise->start();
    QFuture<QString> future = promise->future();
    if (m_sessionOnly) {
        promise->addResult(m_session.value(key));
        promise->finish();
        return future;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // a plaintext fallback is exactly what we must not do
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, promise, key](QKeychain::Job *j) {
        auto *rj = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (rj->error() == QKeychain::NoError) {
            promise->addResult(rj->textData());
        } else {
            if (isBackendProblem(rj->error()))
                fallBack(rj->errorString());
            promise->addResult(m_session.value(key));
        }
        promise->finish();
    });
    job->start();
    return future;
}

QFuture<void> SecretStore::write(const QString &key, const QString &secret)
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    QFuture<void> future = promise->future();
    m_session.insert(key, secret); // also the answer while the keychain is slow or absent
    if (m_sessionOnly) {
        promise->finish();
        return future;
    }
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    ++m_pending;
    connect(job, &QKeychain::Job::finished, this, [this, promise](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError && isBackendProblem(j->error()))
            fallBack(j->errorString());
        promise->finish();
        if (--m_pending == 0)
            emit pendingDone();
    });
    job->start();
    return future;
}

QFuture<void> SecretStore::remove(const QString &key)
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    QFuture<void> future = promise->future();
    m_session.remove(key);
    if (m_sessionOnly) {
        promise->finish();
        return future;
    }
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    ++m_pending;
    connect(job, &QKeychain::Job::finished, this, [this, promise](QKeychain::Job *) {
        promise->finish();
        if (--m_pending == 0)
            emit pendingDone();
    });
    job->start();
    return future;
}

bool SecretStore::finishPending(int limitMs)
{
    if (m_pending == 0)
        return true;
    QEventLoop loop;
    connect(this, &SecretStore::pendingDone, &loop, &QEventLoop::quit);
    QTimer::singleShot(limitMs, &loop, &QEventLoop::quit);
    loop.exec();
    return m_pending == 0;
}

} // namespace mx
