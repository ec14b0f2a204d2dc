// milvus-loadtest: the load tester's headless command line. Everything is in LoadTestCli.

#include "LoadTestCli.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("milvus-loadtest"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MX_VERSION_STRING));
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (!args.isEmpty() && args.first() == QLatin1String("merge"))
        return mx::LoadTestCli::merge(args.mid(1));
    return mx::LoadTestCli().run(args);
}
