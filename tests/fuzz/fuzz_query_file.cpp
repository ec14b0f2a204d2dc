// The search workbench's query inputs: a queries file (JSON lines of texts and vectors) and the pasted
// vector text (one JSON array or an array of arrays). Bad input is InvalidArgument, nothing else.

#include "MilvusError.h"
#include "QueryInputs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mx;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    try {
        (void)parseQueryLines(bytes);
    } catch (const MilvusException &e) {
        if (e.error().kind != ErrorKind::InvalidArgument)
            __builtin_trap();
    }
    try {
        (void)parseQueryVectors(QString::fromUtf8(bytes));
    } catch (const MilvusException &e) {
        if (e.error().kind != ErrorKind::InvalidArgument)
            __builtin_trap();
    }
    return 0;
}
