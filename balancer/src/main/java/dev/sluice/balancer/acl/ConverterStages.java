package dev.sluice.balancer.acl;

import java.util.function.UnaryOperator;

/**
 * Building blocks of the converters beyond the first seven: a converter made from a stage factory,
 * the input casts HAProxy 2.6 applies before a converter that wants an integer or binary sample,
 * per-thread scratch buffers and variable reads. Binary samples travel as strings of ISO-8859-1
 * chars (one char per byte), as binary fetches already do.
 */
final class ConverterStages {

    private ConverterStages() {
    }

    /** A converter whose stage is {@code stage.apply(next)}; stages must be stateless (they are shared). */
    static Converters.Converter of(String name, SampleType output, boolean readsRequest,
            UnaryOperator<SampleSink> stage) {
        return new Converters.Converter(name, output) {
            @Override
            boolean readsRequest() {
                return readsRequest;
            }

            @Override
            SampleSink chain(SampleSink next) {
                return stage.apply(next);
            }
        };
    }

    /** A per-thread builder owned by one converter, so a chain of converters never shares one. */
    static final class Scratch {
        private final ThreadLocal<StringBuilder> buffer = ThreadLocal.withInitial(() -> new StringBuilder(64));

        StringBuilder take() {
            StringBuilder b = buffer.get();
            b.setLength(0);
            return b;
        }
    }

    /**
     * Wants binary: a string as its bytes, an integer as 8 big-endian bytes, an address as its 4 or
     * 16 network-order bytes, as HAProxy's casts to binary do.
     */
    abstract static class OfBinary implements SampleSink {
        private static final ThreadLocal<StringBuilder> RAW = ThreadLocal.withInitial(() -> new StringBuilder(16));

        @Override
        public boolean integer(long value) {
            StringBuilder b = RAW.get();
            b.setLength(0);
            appendBytes(b, value, Long.BYTES);
            return string(b, 0, b.length());
        }

        @Override
        public boolean ip(IpAddress address) {
            StringBuilder b = RAW.get();
            b.setLength(0);
            if (address.v4()) {
                appendBytes(b, address.v4Bits(), Integer.BYTES);
            } else {
                appendBytes(b, address.hi(), Long.BYTES);
                appendBytes(b, address.lo(), Long.BYTES);
            }
            return string(b, 0, b.length());
        }

        @Override
        public boolean bool(boolean value) {
            return integer(value ? 1 : 0);
        }
    }

    static void appendBytes(StringBuilder b, long value, int count) {
        for (int shift = (count - 1) * Byte.SIZE; shift >= 0; shift -= Byte.SIZE) {
            b.append((char) ((value >>> shift) & 0xff));
        }
    }

    /** A variable's value as text (an integer in decimal, an address in its usual form), or null when unset. */
    static String variableText(String name) {
        Variables vars = ConverterRequest.variables();
        Object v = vars == null ? null : vars.get(name);
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b ? "1" : "0";
            default -> v.toString();
        };
    }

    /** Checks a variable name argument; {@code message} is HAProxy's sentence for a bad one. */
    static String variableArgument(String name, String argument, String message) {
        if (argument.isEmpty()) {
            throw AclException.invalid("invalid args in converter '" + name + "' : missing variable name.");
        }
        if (Variables.checkName(argument) != null) {
            throw AclException.invalid("invalid args in converter '" + name + "' : " + message);
        }
        return argument;
    }
}
