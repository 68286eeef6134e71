package dev.sluice.common.os;

/**
 * The process's open-file limit (RLIMIT_NOFILE), for HAProxy's {@code ulimit-n}: read and set
 * through FFM. Raising the hard limit needs CAP_SYS_RESOURCE; lowering it is for good.
 */
public final class OpenFileLimit {

    private OpenFileLimit() {
    }

    /** {soft, hard} now. */
    public static long[] current() throws LimitException {
        try {
            return Libc.getrlimit(Libc.RLIMIT_NOFILE);
        } catch (Libc.NativeException e) {
            throw new LimitException("cannot read the open-file limit: " + e.getMessage());
        }
    }

    /**
     * Sets both the soft and the hard limit to {@code files}, as HAProxy does, so a later
     * setrlimit cannot undo it silently.
     */
    public static void set(long files) throws LimitException {
        if (files < 1) {
            throw new IllegalArgumentException("files: " + files + " (expected: >= 1)");
        }
        try {
            Libc.setrlimit(Libc.RLIMIT_NOFILE, files, files);
        } catch (Libc.NativeException e) {
            long[] now = current();
            throw new LimitException("cannot set the open-file limit to " + files + " (soft " + now[0] + ", hard "
                    + now[1] + " now): " + e.getMessage()
                    + (e.errno == 1 ? "; above the hard limit only CAP_SYS_RESOURCE may raise it" : ""));
        }
    }

    /** The limit cannot be read or set; the message says the figures and why. */
    public static final class LimitException extends Exception {
        private static final long serialVersionUID = 1L;

        public LimitException(String message) {
            super(message);
        }
    }
}
