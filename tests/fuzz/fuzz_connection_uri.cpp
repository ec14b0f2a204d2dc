// Connection URIs as a user types or pastes them: parseMilvusUri, then the channel target.

#include "ConnectionConfig.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mx;
    const QString uri = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto parsed = parseMilvusUri(uri, &error);
    if (parsed) {
        (void)parsed->target();
    } else if (error.isEmpty()) {
        __builtin_trap(); // a refusal must say why
    }
    return 0;
}
