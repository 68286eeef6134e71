package dev.sluice.common.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls Sluice needs, bound once through the FFM API (no native library of ours).
 * Every call captures errno so failures can say why. Linux only.
 */
final class Libc {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;
    /** {@code sizeof(struct sockaddr_un)}: a 2-byte family and a 108-byte path. */
    static final int SOCKADDR_UN_SIZE = 110;
    static final int SUN_PATH_OFFSET = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SCHED_SETAFFINITY = bind("sched_setaffinity",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle SCHED_GETAFFINITY = bind("sched_getaffinity",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle SOCKET = bind("socket",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SENDTO = bind("sendto",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                  ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle KILL = bind("kill",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = bind("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static final MethodHandle SETGROUPS = bind("setgroups",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle SETGID = bind("setgid",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETUID = bind("setuid",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle GETPWNAM = bind("getpwnam",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle GETGRNAM = bind("getgrnam",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle GETRLIMIT = bind("getrlimit",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle SETRLIMIT = bind("setrlimit",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    /** {@code RLIMIT_NOFILE} on Linux; {@code struct rlimit} is two 64-bit values (soft, hard). */
    static final int RLIMIT_NOFILE = 7;

    private Libc() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }

    /** A failed libc call: the function's name and errno. */
    static final class NativeException extends Exception {
        final int errno;

        NativeException(String function, int errno) {
            super(function + " failed: errno " + errno + " (" + describe(errno) + ")");
            this.errno = errno;
        }

        private static String describe(int errno) {
            return switch (errno) {
                case 1 -> "EPERM";
                case 2 -> "ENOENT";
                case 3 -> "ESRCH";
                case 13 -> "EACCES";
                case 14 -> "EFAULT";
                case 22 -> "EINVAL";
                case 111 -> "ECONNREFUSED";
                default -> "see errno(3)";
            };
        }
    }

    static void schedSetaffinity(int pid, MemorySegment mask) throws NativeException {
        affinityCall(SCHED_SETAFFINITY, "sched_setaffinity", pid, mask);
    }

    static void schedGetaffinity(int pid, MemorySegment mask) throws NativeException {
        affinityCall(SCHED_GETAFFINITY, "sched_getaffinity", pid, mask);
    }

    private static void affinityCall(MethodHandle call, String name, int pid, MemorySegment mask) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) call.invokeExact(state, pid, mask.byteSize(), mask);
            check(name, rc, state);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(name + " could not be called", e);
        }
    }

    static void kill(int pid, int signal) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) KILL.invokeExact(state, pid, signal);
            check("kill", rc, state);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("kill could not be called", e);
        }
    }

    /** Sends one datagram on a new AF_UNIX socket to {@code address} (a filled sockaddr_un). */
    static void sendUnixDatagram(MemorySegment address, int addressLength, MemorySegment payload) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            check("socket", fd, state);
            try {
                long sent = (long) SENDTO.invokeExact(state, fd, payload, payload.byteSize(), MSG_NOSIGNAL,
                                                      address, addressLength);
                check("sendto", (int) Math.max(sent, -1), state);
            } finally {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libc call failed", e);
        }
    }

    /** setgroups(0, NULL): drops every supplementary group. */
    static void clearGroups() throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check("setgroups", (int) SETGROUPS.invokeExact(state, 0L, MemorySegment.NULL), state);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("setgroups could not be called", e);
        }
    }

    static void setgid(int gid) throws NativeException {
        idCall(SETGID, "setgid", gid);
    }

    static void setuid(int uid) throws NativeException {
        idCall(SETUID, "setuid", uid);
    }

    private static void idCall(MethodHandle call, String name, int id) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            check(name, (int) call.invokeExact(state, id), state);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(name + " could not be called", e);
        }
    }

    /**
     * getpwnam/getgrnam: the entry's int at {@code offset} (an id), or -1 when there is no such
     * name. glibc returns a static buffer, read at once.
     */
    static int nameToId(boolean user, String name, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment entry = user ? (MemorySegment) GETPWNAM.invokeExact(state, arena.allocateFrom(name))
                    : (MemorySegment) GETGRNAM.invokeExact(state, arena.allocateFrom(name));
            if (entry.equals(MemorySegment.NULL)) {
                return -1;
            }
            return entry.reinterpret(offset + Integer.BYTES).get(ValueLayout.JAVA_INT, offset);
        } catch (Throwable e) {
            throw new IllegalStateException((user ? "getpwnam" : "getgrnam") + " could not be called", e);
        }
    }

    /** getrlimit: {soft, hard}. */
    static long[] getrlimit(int resource) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment limit = arena.allocate(2 * Long.BYTES, Long.BYTES);
            check("getrlimit", (int) GETRLIMIT.invokeExact(state, resource, limit), state);
            return new long[] {limit.get(ValueLayout.JAVA_LONG, 0), limit.get(ValueLayout.JAVA_LONG, Long.BYTES)};
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("getrlimit could not be called", e);
        }
    }

    static void setrlimit(int resource, long soft, long hard) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment limit = arena.allocate(2 * Long.BYTES, Long.BYTES);
            limit.set(ValueLayout.JAVA_LONG, 0, soft);
            limit.set(ValueLayout.JAVA_LONG, Long.BYTES, hard);
            check("setrlimit", (int) SETRLIMIT.invokeExact(state, resource, limit), state);
        } catch (NativeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("setrlimit could not be called", e);
        }
    }

    private static void check(String function, int rc, MemorySegment state) throws NativeException {
        if (rc < 0) {
            throw new NativeException(function, (int) ERRNO.get(state, 0L));
        }
    }
}
