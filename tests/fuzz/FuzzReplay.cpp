// main() of a fuzz target in the normal build: runs LLVMFuzzerTestOneInput over every file of the corpus
// directories (or files) given, without libFuzzer, so the seeds and every past finding replay as a plain
// ctest. Exits non-zero when a directory is empty or missing (a replay that runs nothing proves nothing).

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 files = 0;
    for (int i = 1; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]);
        QStringList paths;
        if (QFileInfo(arg).isDir()) {
            QDirIterator it(arg, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                paths.append(it.next());
        } else if (QFileInfo::exists(arg)) {
            paths.append(arg);
        }
        if (paths.isEmpty()) {
            std::fprintf(stderr, "replay: nothing to run in %s\n", argv[i]);
            return 2;
        }
        paths.sort();
        for (const QString &path : paths) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "replay: cannot read %s\n", qPrintable(path));
                return 2;
            }
            const QByteArray bytes = f.readAll();
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()),
                                   size_t(bytes.size()));
            ++files;
        }
    }
    std::printf("replay: %lld inputs ran without a crash\n", files);
    return files > 0 ? 0 : 2;
}
