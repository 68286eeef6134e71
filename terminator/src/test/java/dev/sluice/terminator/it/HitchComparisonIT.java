package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bytes a backend receives before the client's data are the ones hitch 1.7 sends for the same
 * client and the same options (ports masked: each side listens on its own and the client's port
 * differs per connection).
 */
class HitchComparisonIT extends LoopbackFixture {
    /** Offsets of the source and destination ports in a PROXY v2 header for TCP over IPv4. */
    private static final int V2_IPV4_PORTS = 24;

    @Test
    void proxyV2WithTls12AlpnAndSni() throws Exception {
        compare(List.of("--write-proxy-v2", "--alpn-protos=h2,http/1.1"),
                List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-alpn", "http/1.1"));
    }

    @Test
    void proxyV2WithTls13() throws Exception {
        compare(List.of("--write-proxy-v2", "--alpn-protos=h2,http/1.1"),
                List.of("-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-alpn", "h2"));
    }

    @Test
    void proxyV2WithoutAlpn() throws Exception {
        compare(List.of("--write-proxy"), List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"));
    }

    @Test
    void proxyV1() throws Exception {
        compare(List.of("--write-proxy-v1"), List.of());
    }

    @Test
    void writeIp() throws Exception {
        compare(List.of("--write-ip"), List.of());
    }

    private void compare(List<String> options, List<String> clientOptions) throws Exception {
        String ours = masked(headerFrom(false, options, clientOptions));
        String hitch = masked(headerFrom(true, options, clientOptions));
        assertEquals(hitch, ours, "what hitch sent (expected) and what we sent differ");
    }

    private byte[] headerFrom(boolean hitch, List<String> options, List<String> clientOptions) throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess server = start(hitch, port, backend.port(), options)) {
            ExternalProcess.run("openssl", sClient(port, clientOptions.toArray(String[]::new)), WAIT);
            byte[] raw = backend.next(WAIT).rawAfterClose(WAIT);
            if (raw.length == 0) {
                throw new AssertionError("nothing reached the backend\n" + server.describe());
            }
            return raw;
        }
    }

    private static ExternalProcess start(boolean hitch, int port, int backendPort, List<String> options) {
        List<String> command = new ArrayList<>();
        if (hitch) {
            command.addAll(List.of(Sluice.tool("hitch"), "--user=nobody"));
        } else {
            command.addAll(Sluice.command("terminator"));
        }
        command.add("--frontend=[127.0.0.1]:" + port);
        command.add("--backend=[127.0.0.1]:" + backendPort);
        command.addAll(options);
        command.add(pem.toString());
        return ExternalProcess.start(hitch ? "hitch" : "terminator", command).awaitListening("127.0.0.1", port, START);
    }

    /** The header part with ports zeroed, as hex (v2, write-ip) or text (v1). */
    private static String masked(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (text.startsWith("PROXY ")) {
            return text.substring(0, text.indexOf("\r\n") + 2).replaceAll(" \\d+ \\d+\r\n$", " SPORT DPORT\r\n");
        }
        if (raw.length >= 16 && raw[12] == 0x21) {
            int length = 16 + ((raw[14] & 0xff) << 8 | (raw[15] & 0xff));
            byte[] header = java.util.Arrays.copyOf(raw, length);
            if (raw[13] == 0x11) {
                java.util.Arrays.fill(header, V2_IPV4_PORTS, V2_IPV4_PORTS + 4, (byte) 0);
            }
            return HexFormat.of().formatHex(header);
        }
        return HexFormat.of().formatHex(raw);
    }
}
