package dev.sluice.common.os;

/**
 * Giving up root after the listening sockets are bound: hitch's {@code --user/--group} and
 * HAProxy's {@code user/group/uid/gid}. The switch applies to the whole process (glibc hands
 * setuid/setgid to every thread), through Java's FFM API. Linux/glibc layouts:
 * {@code struct passwd} has pw_uid at byte 16 and pw_gid at 20; {@code struct group} has gr_gid
 * at 16.
 */
public final class Privileges {
    private static final long PW_UID_OFFSET = 16;
    private static final long PW_GID_OFFSET = 20;
    private static final long GR_GID_OFFSET = 16;
    private static final int EPERM = 1;

    private Privileges() {
    }

    /**
     * Who to become: {@link #KEEP} (-1) for an id that stays as it is.
     *
     * @param uid the user id to switch to
     * @param gid the group id to switch to; supplementary groups are dropped with it
     */
    public record Identity(int uid, int gid) {
        public static final int KEEP = -1;
        public static final Identity UNCHANGED = new Identity(KEEP, KEEP);

        public Identity {
            if (uid < KEEP || gid < KEEP) {
                throw new IllegalArgumentException("uid/gid: " + uid + "/" + gid + " (expected: >= 0, or -1 to keep)");
            }
        }

        public boolean changes() {
            return uid != KEEP || gid != KEEP;
        }
    }

    /** The uid of user {@code name}. */
    public static int userId(String name) throws PrivilegeException {
        int uid = Libc.nameToId(true, name, PW_UID_OFFSET);
        if (uid < 0) {
            throw new PrivilegeException("user '" + name + "' does not exist");
        }
        return uid;
    }

    /** The gid of group {@code name}. */
    public static int groupId(String name) throws PrivilegeException {
        int gid = Libc.nameToId(false, name, GR_GID_OFFSET);
        if (gid < 0) {
            throw new PrivilegeException("group '" + name + "' does not exist");
        }
        return gid;
    }

    /** Checks that the user and group exist, without switching (for --test). */
    public static void check(String user, String group) throws PrivilegeException {
        hitchIdentity(user, group);
    }

    /**
     * hitch's rule: the user's own primary group unless a group is given. Does nothing when
     * neither is given.
     */
    public static void drop(String user, String group) throws PrivilegeException {
        drop(hitchIdentity(user, group));
    }

    /**
     * Switches to {@code identity}, in the only order that works: supplementary groups and the
     * group while we still may, then the user. Fails with EPERM's explanation when not root.
     */
    public static void drop(Identity identity) throws PrivilegeException {
        try {
            if (identity.gid() != Identity.KEEP) {
                Libc.clearGroups();
                Libc.setgid(identity.gid());
            }
            if (identity.uid() != Identity.KEEP) {
                Libc.setuid(identity.uid());
            }
        } catch (Libc.NativeException e) {
            throw new PrivilegeException("cannot switch to uid " + identity.uid() + " gid " + identity.gid() + ": "
                    + e.getMessage() + (e.errno == EPERM ? " (only root may switch user or group)" : ""));
        }
    }

    private static Identity hitchIdentity(String user, String group) throws PrivilegeException {
        int uid = Identity.KEEP;
        int gid = Identity.KEEP;
        if (user != null) {
            uid = userId(user);
            gid = Libc.nameToId(true, user, PW_GID_OFFSET);
        }
        if (group != null) {
            gid = groupId(group);
        }
        return new Identity(uid, gid);
    }

    /** The user or group cannot be used; the message says which and why. */
    public static final class PrivilegeException extends Exception {
        private static final long serialVersionUID = 1L;

        public PrivilegeException(String message) {
            super(message);
        }
    }
}
