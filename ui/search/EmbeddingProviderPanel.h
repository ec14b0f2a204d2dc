#pragma once

#include "EmbeddingSettings.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QWidget;

namespace mx {

class SecretStore;

// The embedding provider for text queries: the offline lexical default (said to be not semantic) or an
// OpenAI-compatible HTTP server. Settings persist in QSettings as soon as they change; the API key goes
// to the keychain (SecretStore) when edited and is read back from it, asynchronously, never to QSettings.
class EmbeddingProviderPanel : public QWidget
{
    Q_OBJECT
public:
    // `secrets` may be null: the key is then kept for this session only.
    explicit EmbeddingProviderPanel(SecretStore *secrets, QWidget *parent = nullptr);

    EmbeddingSettings settings() const;
    QString apiKey() const;

signals:
    void settingsChanged();

private:
    void updateForKind();
    void persist();
    void storeKey();
    void loadKey();

    SecretStore *m_secrets;
    QComboBox *m_kind;
    QLabel *m_note;
    QWidget *m_httpBox;
    QLineEdit *m_baseUrl;
    QLineEdit *m_model;
    QSpinBox *m_dimensions;
    QLineEdit *m_apiKey;
    QSpinBox *m_retries;
    QSpinBox *m_timeout;
    QLabel *m_keyState;
    quint64 m_keyGeneration = 0;
};

} // namespace mx
