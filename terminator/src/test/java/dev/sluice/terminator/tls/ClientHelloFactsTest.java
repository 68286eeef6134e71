package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** ClientHello bodies built byte by byte (RFC 8446 4.1.2), one test per fact and malformation. */
class ClientHelloFactsTest {
    private static final ClientHelloFacts.SuiteSet ECDSA_GCM = code -> code == 0xC02B;

    private static ByteBuf hello(int[] suites, ByteBuf extensions) {
        ByteBuf out = Unpooled.buffer();
        out.writeShort(0x0303).writeZero(32).writeByte(0);
        out.writeShort(suites.length * 2);
        for (int suite : suites) {
            out.writeShort(suite);
        }
        out.writeByte(1).writeByte(0);
        if (extensions != null) {
            out.writeShort(extensions.readableBytes()).writeBytes(extensions);
            extensions.release();
        }
        return out;
    }

    private static ByteBuf extensions(String sni, int[] sigalgs, boolean tls13) {
        ByteBuf out = Unpooled.buffer();
        if (sni != null) {
            byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
            out.writeShort(0).writeShort(name.length + 5).writeShort(name.length + 3).writeByte(0)
                    .writeShort(name.length).writeBytes(name);
        }
        if (sigalgs != null) {
            out.writeShort(13).writeShort(sigalgs.length * 2 + 2).writeShort(sigalgs.length * 2);
            for (int sigalg : sigalgs) {
                out.writeShort(sigalg);
            }
        }
        if (tls13) {
            out.writeShort(43).writeShort(5).writeByte(4).writeShort(0x0304).writeShort(0x0303);
        }
        return out;
    }

    private static ClientHelloFacts parse(ByteBuf hello) {
        try {
            return ClientHelloFacts.parse(hello, ECDSA_GCM);
        } finally {
            hello.release();
        }
    }

    @Test
    void readsTheServerName() {
        assertEquals("www.example", parse(hello(new int[] {0x1301}, extensions("www.example", null, true)))
                .serverName());
    }

    @Test
    void tls13ClientWithP256SignaturesAcceptsAP256Certificate() {
        ClientHelloFacts facts = parse(hello(new int[] {0x1301}, extensions(null, new int[] {0x0804, 0x0403}, true)));
        assertTrue(facts.offersTls13());
        assertTrue(facts.acceptsEcdsa(0x0403, true));
        assertFalse(facts.acceptsEcdsa(0x0503, true));
    }

    @Test
    void tls13ClientWithOnlyRsaSignaturesRefusesEcdsa() {
        ClientHelloFacts facts = parse(hello(new int[] {0x1301, 0xC02B},
                extensions(null, new int[] {0x0804, 0x0401}, true)));
        assertFalse(facts.acceptsEcdsa(0x0403, true));
    }

    @Test
    void tls12NeedsAnEcdsaSuiteWeEnable() {
        ClientHelloFacts rsaOnly = parse(hello(new int[] {0xC02F}, extensions(null, new int[] {0x0403}, false)));
        assertFalse(rsaOnly.acceptsEcdsa(0x0403, true));
        ClientHelloFacts ecdsa = parse(hello(new int[] {0xC02F, 0xC02B}, extensions(null, new int[] {0x0403}, false)));
        assertTrue(ecdsa.acceptsEcdsa(0x0403, true));
    }

    @Test
    void tls13ClientAgainstATls12OnlyServerIsJudgedBySuites() {
        ClientHelloFacts facts = parse(hello(new int[] {0x1301, 0xC02F},
                extensions(null, new int[] {0x0403}, true)));
        assertTrue(facts.acceptsEcdsa(0x0403, true));
        assertFalse(facts.acceptsEcdsa(0x0403, false));
    }

    @Test
    void tls12WithoutSignatureAlgorithmsDefaultsToTheSuite() {
        assertTrue(parse(hello(new int[] {0xC02B}, null)).acceptsEcdsa(0x0403, true));
    }

    @Test
    void malformedHellosGiveNull() {
        ByteBuf shortHello = Unpooled.buffer().writeShort(0x0303).writeZero(10);
        assertNull(parse(shortHello));
        ByteBuf badSuites = Unpooled.buffer().writeShort(0x0303).writeZero(32).writeByte(0).writeShort(200);
        assertNull(parse(badSuites));
        ByteBuf ext = Unpooled.buffer().writeShort(0).writeShort(500);
        assertNull(parse(hello(new int[] {0x1301}, ext)));
        assertNull(ClientHelloFacts.parse(null, ECDSA_GCM));
    }

    @Test
    void anOversizedOrEmptyHostNameIsIgnored() {
        assertNull(parse(hello(new int[] {0x1301}, extensions("", null, true))).serverName());
        assertNull(parse(hello(new int[] {0x1301}, extensions("a".repeat(256), null, true))).serverName());
    }
}
