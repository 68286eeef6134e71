package dev.sluice.balancer.backend;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.acl.SampleSink;
import dev.sluice.balancer.lb.PickContext;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Turns the value of a {@code balance hash EXPR} expression into the bytes that are hashed, as HAProxy's cast
 * to binary does: a string's characters (one byte each), an integer or boolean as 8 bytes big-endian, an IPv4
 * address as its 4 bytes, an IPv6 address as its 16. The bytes go into the {@link PickContext}'s own buffer, so
 * nothing is allocated per request. One instance per event loop ({@link #fill}); used only during one evaluation.
 */
public final class HashKeySink implements SampleSink {
    private static final FastThreadLocal<HashKeySink> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected HashKeySink initialValue() {
            return new HashKeySink();
        }
    };

    private static final int LONG_BYTES = 8;
    private static final int V4_BYTES = 4;
    private static final int V6_BYTES = 16;

    private PickContext target;

    /**
     * Evaluates {@code expression} over {@code view} into {@code context}'s key (HTTP and tcp mode alike); when
     * the expression yields nothing the key stays unset and the algorithm falls back to round robin.
     */
    public static void fill(PickContext context, SampleExpression expression, RequestView view) {
        expression.evaluate(view, PER_LOOP.get().into(context));
    }

    /** Aims the next evaluation at {@code context}. */
    HashKeySink into(PickContext context) {
        this.target = context;
        return this;
    }

    @Override
    public boolean string(CharSequence chars, int from, int to) {
        int length = to - from;
        byte[] key = target.keyBuffer(length);
        for (int i = 0; i < length; i++) {
            key[i] = (byte) chars.charAt(from + i);
        }
        target.key(key, length);
        return true;
    }

    @Override
    public boolean integer(long value) {
        byte[] key = target.keyBuffer(LONG_BYTES);
        putLong(key, 0, value);
        target.key(key, LONG_BYTES);
        return true;
    }

    @Override
    public boolean ip(IpAddress address) {
        if (address.v4()) {
            byte[] key = target.keyBuffer(V4_BYTES);
            int bits = address.v4Bits();
            for (int i = 0; i < V4_BYTES; i++) {
                key[i] = (byte) (bits >>> (24 - 8 * i));
            }
            target.key(key, V4_BYTES);
        } else {
            byte[] key = target.keyBuffer(V6_BYTES);
            putLong(key, 0, address.hi());
            putLong(key, LONG_BYTES, address.lo());
            target.key(key, V6_BYTES);
        }
        return true;
    }

    @Override
    public boolean bool(boolean value) {
        return integer(value ? 1 : 0);
    }

    private static void putLong(byte[] to, int at, long value) {
        for (int i = 0; i < LONG_BYTES; i++) {
            to[at + i] = (byte) (value >>> (56 - 8 * i));
        }
    }
}
