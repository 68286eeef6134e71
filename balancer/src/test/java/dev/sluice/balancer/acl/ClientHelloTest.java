package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The ClientHello reader on hellos captured from openssl and curl, cut short, and broken. */
class ClientHelloTest {

    static byte[] capture(String name) {
        try (InputStream in = ClientHelloTest.class.getResourceAsStream("/clienthello/" + name + ".hex")) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ClientHello parse(byte[] bytes) {
        return ClientHello.parse(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }

    private static String text(byte[] bytes, int from, int length) {
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }

    @Test
    void opensslWithServerName() {
        byte[] b = capture("openssl-sni-a");
        ClientHello hello = parse(b);
        assertEquals(ClientHello.Status.HELLO, hello.status);
        assertEquals("a.example", text(b, hello.sniFrom, hello.sniLength));
        assertTrue(hello.supportedGroups);
        assertTrue(hello.sessionTicket);
        assertEquals(-1, hello.alpnFrom);
    }

    @Test
    void opensslWithoutServerName() {
        ClientHello hello = parse(capture("openssl-no-sni"));
        assertEquals(ClientHello.Status.HELLO, hello.status);
        assertEquals(-1, hello.sniFrom);
    }

    @Test
    void tls12WithAlpn() {
        byte[] b = capture("openssl-tls12-alpn");
        ClientHello hello = parse(b);
        assertEquals("www.b.example", text(b, hello.sniFrom, hello.sniLength));
        assertEquals("\u0002h2\u0008http/1.1", text(b, hello.alpnFrom, hello.alpnLength));
    }

    @Test
    void curl() {
        byte[] b = capture("curl-alpn");
        ClientHello hello = parse(b);
        assertEquals("a.example", text(b, hello.sniFrom, hello.sniLength));
        assertTrue(text(b, hello.alpnFrom, hello.alpnLength).contains("http/1.1"));
    }

    @Test
    void everyPrefixIsNotYet() {
        for (String name : new String[] {"openssl-sni-a", "openssl-no-sni", "openssl-tls12-alpn", "curl-alpn"}) {
            byte[] b = capture(name);
            for (int n = 0; n < b.length; n++) {
                ByteBuf buf = Unpooled.wrappedBuffer(b, 0, n);
                assertSame(ClientHello.TOO_SHORT, ClientHello.parse(buf, 0, n), name + " cut at " + n);
            }
        }
    }

    @Test
    void bytesAfterTheRecordDoNotMatter() {
        byte[] b = capture("openssl-sni-a");
        byte[] longer = new byte[b.length + 7];
        System.arraycopy(b, 0, longer, 0, b.length);
        assertEquals(ClientHello.Status.HELLO, parse(longer).status);
    }

    @Test
    void readsOnlyFromItsBase() {
        byte[] b = capture("openssl-sni-a");
        ByteBuf buf = Unpooled.buffer().writeBytes(new byte[] {9, 9, 9}).writeBytes(b);
        ClientHello hello = ClientHello.parse(buf, 3, b.length);
        assertEquals("a.example", text(b, hello.sniFrom, hello.sniLength));
    }

    @Test
    void notAHandshake() {
        assertSame(ClientHello.NOT_HELLO, parse("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertSame(ClientHello.NOT_HELLO, parse(new byte[] {0x17}));
    }

    @Test
    void malformedLengthsAreRefused() {
        byte[] b = capture("openssl-sni-a");
        // version 2.0 in the record header
        assertSame(ClientHello.NOT_HELLO, parse(patch(b, 1, 2)));
        // a handshake message that is not a ClientHello (ServerHello = 2)
        assertSame(ClientHello.NOT_HELLO, parse(patch(b, 5, 2)));
        // the hello claims more than its record: split over records, unreadable from the first
        assertSame(ClientHello.NOT_HELLO, parse(patch(b, 8, b[8] + 1)));
        // session id longer than 32
        assertSame(ClientHello.NOT_HELLO, parse(patch(b, 5 + 4 + 34, 33)));
        // record longer than TLS allows
        assertSame(ClientHello.NOT_HELLO, parse(patch(patch(b, 3, 0x48), 4, 1)));
        // the extensions block length disagrees with the message
        int extensions = extensionsAt(b);
        assertSame(ClientHello.NOT_HELLO, parse(patch(b, extensions + 1, (b[extensions + 1] & 0xff) + 1)));
    }

    @Test
    void serverNameListOverrunIsRefused() {
        byte[] b = capture("openssl-sni-a");
        int sni = indexOf(b, "a.example".getBytes(StandardCharsets.US_ASCII));
        // the name's own length (2 bytes before it) reaches past its list
        assertSame(ClientHello.NOT_HELLO, parse(patch(b, sni - 1, 40)));
    }

    @Test
    void helloTypeAndVersion() {
        byte[] b = capture("openssl-sni-a");
        Payload p = new Payload();
        p.update(Unpooled.wrappedBuffer(b), 16384, false);
        assertEquals(1, ClientHello.helloType(p));
        assertEquals(0x30001, ClientHello.recordVersion(p));
        p.update(Unpooled.wrappedBuffer(b, 0, 8), 16384, false);
        assertEquals(-1, ClientHello.helloType(p));
        assertEquals(-1, ClientHello.recordVersion(p));
        p.update(Unpooled.wrappedBuffer("SSH-2.0-x\r\n".getBytes(StandardCharsets.US_ASCII)), 16384, false);
        assertEquals(-2, ClientHello.helloType(p));
        assertEquals(-2, ClientHello.recordVersion(p));
        p.update(Unpooled.EMPTY_BUFFER, 16384, false);
        assertEquals(-1, ClientHello.helloType(p));
        assertFalse(p.isFinal());
    }

    private static int extensionsAt(byte[] b) {
        int p = 5 + 4 + 2 + 32;
        p += 1 + (b[p] & 0xff);
        p += 2 + ((b[p] & 0xff) << 8 | (b[p + 1] & 0xff));
        p += 1 + (b[p] & 0xff);
        return p;
    }

    private static byte[] patch(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
