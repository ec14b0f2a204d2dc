#pragma once

#include "EmbeddingProvider.h"

#include <QString>

#include <memory>

namespace mx {

// The workbench's choice of embedding provider, as persisted in QSettings. The API key is not part of it:
// it lives in the keychain (SecretStore) under secretKey().
struct EmbeddingSettings
{
    enum class Kind
    {
        LocalLexical, // LocalEmbeddingProvider: hashed character n-grams, not semantic
        OpenAiHttp    // HttpEmbeddingProvider: any OpenAI-compatible /v1/embeddings server
    };

    Kind kind = Kind::LocalLexical;
    QString baseUrl = QStringLiteral("http://localhost:11434");
    QString model = QStringLiteral("nomic-embed-text");
    int dimensions = 0; // 0: the model's own
    int maxRetries = 5;
    int timeoutMs = 30000;

    // The keychain entry of the API key for this base URL.
    QString secretKey() const;

    static EmbeddingSettings load(); // from QSettings (defaults when nothing is stored)
    void save() const;               // to QSettings; never writes a key

    // A provider for these settings. The local provider is built with `fieldDimension` so that its vectors
    // fit the field searched. Throws MilvusException(InvalidArgument) for unusable HTTP settings.
    std::shared_ptr<EmbeddingProvider> createProvider(int fieldDimension, const QString &apiKey) const;

    bool operator==(const EmbeddingSettings &) const = default;
};

} // namespace mx
