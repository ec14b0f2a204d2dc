// TSan builds only (MX_SANITIZE=thread; tests/CMakeLists.txt adds this file to every test executable).
//
// Qt 6.4's QProcess starts a child with forkfd's vforkfd(), i.e. glibc clone(CLONE_VM | CLONE_VFORK):
// the child shares the parent's memory until it execs. libtsan 12 intercepts clone() and runs its
// fork-child hook in that child; for a multi-threaded process the hook switches race detection off for
// the rest of the child's life ("we cannot reasonably function after a fork") by raising the ignore
// counters of the calling thread's state, which, memory being shared, is the PARENT thread's state. So
// after a test's first server start (a QProcess) TSan ignored every access of the test thread, which is
// the GUI thread of the model tests, and reported nothing about it; with die_after_fork=1 (TSan's
// default) it killed the test process instead. See docs/sanitizers.md, "Third pass (TSan)".
//
// This definition of clone() takes precedence over libtsan's (the executable comes first in symbol
// lookup): a clone that shares memory goes straight to glibc, so TSan's fork hooks do not run in it
// (the child only sets up its descriptors and execs); any other clone goes to libtsan's interceptor.
// MX_TSAN_NO_CLONE_SHIM=1 sends every clone to libtsan, to show the blindness (tst_tsan_selfcheck).

#include <dlfcn.h>
#include <sched.h>
#include <sys/types.h>

#include <cstdarg>
#include <cstdlib>

extern "C" int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    pid_t *parentTid = va_arg(ap, pid_t *);
    void *tls = va_arg(ap, void *);
    pid_t *childTid = va_arg(ap, pid_t *);
    va_end(ap);
    using Clone = int (*)(int (*)(void *), void *, int, void *, ...);
    static const Clone viaTsan = reinterpret_cast<Clone>(dlsym(RTLD_NEXT, "clone"));
    static const Clone glibc = [] {
        void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
        return libc ? reinterpret_cast<Clone>(dlsym(libc, "clone")) : nullptr;
    }();
    static const bool shimOff = std::getenv("MX_TSAN_NO_CLONE_SHIM") != nullptr;
    const Clone target = (flags & CLONE_VM) && glibc && !shimOff ? glibc : viaTsan;
    return target(fn, stack, flags, arg, parentTid, tls, childTid);
}
