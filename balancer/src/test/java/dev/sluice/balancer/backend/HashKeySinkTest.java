package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.lb.PickContext;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bytes {@code balance hash} hashes for each sample type, as HAProxy's cast to binary makes them. */
class HashKeySinkTest {

    /** Reads back the key the sink handed over, through the context's own buffer. */
    private static byte[] keyOf(PickContext context, int length) {
        return Arrays.copyOf(context.keyBuffer(0), length);
    }

    @Test
    void aStringIsItsCharactersOneByteEach() {
        PickContext context = new PickContext();
        new HashKeySink().into(context).string("xxuser-42yy", 2, 9);
        assertArrayEquals("user-42".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), keyOf(context, 7));
    }

    @Test
    void anIntegerIsEightBytesBigEndian() {
        PickContext context = new PickContext();
        new HashKeySink().into(context).integer(0x0102030405060708L);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, keyOf(context, 8));
        new HashKeySink().into(context).bool(true);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, keyOf(context, 8));
    }

    @Test
    void addressesAreTheirNetworkBytes() throws Exception {
        PickContext context = new PickContext();
        HashKeySink sink = new HashKeySink().into(context);
        sink.ip(IpAddress.of(InetAddress.getByName("192.0.2.7")));
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 7}, keyOf(context, 4));
        InetAddress v6 = InetAddress.getByName("2001:db8::1:2");
        sink.ip(IpAddress.of(v6));
        assertArrayEquals(v6.getAddress(), keyOf(context, 16));
    }

    @Test
    void aLongKeyGrowsTheContextsBufferOnce() {
        PickContext context = new PickContext();
        String key = "k".repeat(1000);
        new HashKeySink().into(context).string(key, 0, key.length());
        byte[] buffer = context.keyBuffer(0);
        assertEquals(true, buffer.length >= 1000);
        new HashKeySink().into(context).string(key, 0, 10);
        assertEquals(buffer, context.keyBuffer(0), "the same buffer is reused");
    }
}
