package dev.sluice.balancer.acl;

/**
 * Base sinks for stages that want one type and cast the others the way HAProxy's sample casts do.
 * Casting an integer or an address to a string formats into a per-thread buffer (no garbage);
 * casting a string to an address allocates the {@link IpAddress}.
 */
final class Sinks {

    private static final ThreadLocal<StringBuilder> FORMAT = ThreadLocal.withInitial(() -> new StringBuilder(48));

    private Sinks() {
    }

    static boolean formatInteger(long value, SampleSink to) {
        StringBuilder b = FORMAT.get();
        b.setLength(0);
        b.append(value);
        return to.string(b, 0, b.length());
    }

    /** Wants strings. */
    abstract static class OfString implements SampleSink {
        @Override
        public boolean integer(long value) {
            return formatInteger(value, this);
        }

        @Override
        public boolean ip(IpAddress address) {
            String s = address.toString();
            return string(s, 0, s.length());
        }

        @Override
        public boolean bool(boolean value) {
            return integer(value ? 1 : 0);
        }
    }

    /**
     * Wants integers; a non-empty string is cast as HAProxy does (its leading integer, 0 when it has
     * none, see {@link Text#castInteger}), an IPv4 address becomes its 32-bit value.
     */
    abstract static class OfInteger implements SampleSink {
        @Override
        public boolean string(CharSequence chars, int from, int to) {
            return from < to && integer(Text.castInteger(chars, from, to));
        }

        @Override
        public boolean ip(IpAddress address) {
            return address.v4() && integer(address.v4Bits() & 0xffff_ffffL);
        }

        @Override
        public boolean bool(boolean value) {
            return integer(value ? 1 : 0);
        }
    }

    /** Wants addresses; a string is parsed, an integer is taken as an IPv4 address. */
    abstract static class OfIp implements SampleSink {
        @Override
        public boolean string(CharSequence chars, int from, int to) {
            IpAddress a = IpAddress.parse(chars, from, to);
            return a != null && ip(a);
        }

        @Override
        public boolean integer(long value) {
            return ip(IpAddress.ofV4((int) value));
        }

        @Override
        public boolean bool(boolean value) {
            return false;
        }
    }
}
