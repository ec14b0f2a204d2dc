#include "EmbeddingSettings.h"

#include "HttpEmbeddingProvider.h"
#include "LocalEmbeddingProvider.h"

#include <QSettings>

namespace mx {

namespace {
const QString kGroup = QStringLiteral("search/embedding");
}

QString EmbeddingSettings::secretKey() const
{
    return QStringLiteral("embedding-api-key:%1").arg(baseUrl.trimmed());
}

EmbeddingSettings EmbeddingSettings::load()
{
    EmbeddingSettings s;
    QSettings settings;
    settings.beginGroup(kGroup);
    s.kind = settings.value(QStringLiteral("kind")).toString() == QLatin1String("http") ? Kind::OpenAiHttp
                                                                                        : Kind::LocalLexical;
    s.baseUrl = settings.value(QStringLiteral("baseUrl"), s.baseUrl).toString();
    s.model = settings.value(QStringLiteral("model"), s.model).toString();
    s.dimensions = settings.value(QStringLiteral("dimensions"), s.dimensions).toInt();
    s.maxRetries = settings.value(QStringLiteral("maxRetries"), s.maxRetries).toInt();
    s.timeoutMs = settings.value(QStringLiteral("timeoutMs"), s.timeoutMs).toInt();
    return s;
}

void EmbeddingSettings::save() const
{
    QSettings settings;
    settings.beginGroup(kGroup);
    settings.setValue(QStringLiteral("kind"),
                      kind == Kind::OpenAiHttp ? QStringLiteral("http") : QStringLiteral("local"));
    settings.setValue(QStringLiteral("baseUrl"), baseUrl);
    settings.setValue(QStringLiteral("model"), model);
    settings.setValue(QStringLiteral("dimensions"), dimensions);
    settings.setValue(QStringLiteral("maxRetries"), maxRetries);
    settings.setValue(QStringLiteral("timeoutMs"), timeoutMs);
}

std::shared_ptr<EmbeddingProvider> EmbeddingSettings::createProvider(int fieldDimension,
                                                                     const QString &apiKey) const
{
    if (kind == Kind::LocalLexical)
        return std::make_shared<LocalEmbeddingProvider>(
            fieldDimension > 0 ? fieldDimension : LocalEmbeddingProvider::DefaultDimension);
    HttpEmbeddingProvider::Config config;
    config.baseUrl = baseUrl.trimmed();
    config.model = model.trimmed();
    config.apiKey = apiKey;
    if (dimensions > 0)
        config.dimensions = dimensions;
    config.maxRetries = maxRetries;
    config.timeout = std::chrono::milliseconds(timeoutMs);
    return std::make_shared<HttpEmbeddingProvider>(config);
}

} // namespace mx
