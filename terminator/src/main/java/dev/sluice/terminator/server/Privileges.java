package dev.sluice.terminator.server;

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
 * hitch's --user/--group: after the listeners are bound, switch the whole process (glibc applies
 * setuid/setgid to every thread) to an unprivileged user, through Java's FFM API. Linux/glibc
 * layouts: {@code struct passwd} has pw_uid at byte 16 and pw_gid at 20; {@code struct group}
 * has gr_gid at 16.
 */
@SuppressWarnings("restricted") // FFM downcalls: the launcher passes --enable-native-access
public final class Privileges {
    private static final long PW_UID_OFFSET = 16;
    private static final long PW_GID_OFFSET = 20;
    private static final long GR_GID_OFFSET = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Privileges() {
    }

    /** Checks that the user and group exist, without switching (for --test). */
    public static void check(String user, String group) throws PrivilegeException {
        if (user != null || group != null) {
            ids(user, group);
        }
    }

    /** Switches to the user and group; does nothing when neither is given. */
    static void drop(String user, String group) throws PrivilegeException {
        if (user == null && group == null) {
            return;
        }
        int[] ids = ids(user, group);
        int uid = ids[0];
        int gid = ids[1];
        try (Arena arena = Arena.ofConfined()) {
            // Order matters: drop supplementary groups and the group while we may still, then the user.
            if (uid >= 0) {
                call("setgroups", arena, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                     0L, MemorySegment.NULL);
            }
            call("setgid", arena, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), gid);
            if (uid >= 0) {
                call("setuid", arena, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), uid);
            }
        }
    }

    /** The uid (-1: none given) and gid (the user's, or the group's when given) to switch to. */
    private static int[] ids(String user, String group) throws PrivilegeException {
        try (Arena arena = Arena.ofConfined()) {
            int gid = -1;
            int uid = -1;
            if (user != null) {
                MemorySegment passwd = lookup("getpwnam", user, arena);
                if (passwd.equals(MemorySegment.NULL)) {
                    throw new PrivilegeException("user '" + user + "' does not exist");
                }
                passwd = passwd.reinterpret(PW_GID_OFFSET + 4);
                uid = passwd.get(ValueLayout.JAVA_INT, PW_UID_OFFSET);
                gid = passwd.get(ValueLayout.JAVA_INT, PW_GID_OFFSET);
            }
            if (group != null) {
                MemorySegment entry = lookup("getgrnam", group, arena);
                if (entry.equals(MemorySegment.NULL)) {
                    throw new PrivilegeException("group '" + group + "' does not exist");
                }
                gid = entry.reinterpret(GR_GID_OFFSET + 4).get(ValueLayout.JAVA_INT, GR_GID_OFFSET);
            }
            return new int[] {uid, gid};
        }
    }

    private static MemorySegment lookup(String function, String name, Arena arena) throws PrivilegeException {
        MethodHandle handle = LINKER.downcallHandle(LINKER.defaultLookup().find(function).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try {
            return (MemorySegment) handle.invokeExact(arena.allocateFrom(name));
        } catch (Throwable e) {
            throw new PrivilegeException(function + "(" + name + ") failed: " + e);
        }
    }

    private static void call(String function, Arena arena, FunctionDescriptor descriptor, Object... args)
            throws PrivilegeException {
        MethodHandle handle = LINKER.downcallHandle(LINKER.defaultLookup().find(function).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
        MemorySegment state = arena.allocate(CALL_STATE);
        Object[] withState = new Object[args.length + 1];
        withState[0] = state;
        System.arraycopy(args, 0, withState, 1, args.length);
        int result;
        try {
            result = (int) handle.invokeWithArguments(withState);
        } catch (Throwable e) {
            throw new PrivilegeException(function + " failed: " + e);
        }
        if (result != 0) {
            int errno = (int) ERRNO.get(state, 0L);
            throw new PrivilegeException(function + java.util.Arrays.toString(args) + " failed with errno " + errno
                    + (errno == 1 ? " (EPERM: only root may switch user or group)" : ""));
        }
    }

    /** The user or group cannot be used; the message says which and why. */
    public static final class PrivilegeException extends Exception {
        private static final long serialVersionUID = 1L;

        PrivilegeException(String message) {
            super(message);
        }
    }
}
