package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.HttpReuse;
import dev.sluice.balancer.runtime.ProxyLine;
import dev.sluice.balancer.runtime.ServerConnections;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code send-proxy}, {@code send-proxy-v2}, {@code proxy-v2-options}, {@code check-send-proxy},
 * {@code pool-max-conn}, {@code pool-purge-delay}, {@code max-reuse} and {@code http-reuse}: from text to plans,
 * and the refusals with their file:line.
 */
class ServerConnectionsConfigTest {

    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            """;
    private static final String FRONT = """
            frontend f
                bind 127.0.0.1:18999
                default_backend b
            """;

    private static BackendPlan backend(String backendBody) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "backend b\n" + backendBody + FRONT, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan().backend("b");
    }

    private static ServerConnections server(String backendBody) {
        return backend(backendBody).servers().getFirst().connections();
    }

    private static String refusal(String backendBody) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "backend b\n" + backendBody + FRONT, Map.of());
        assertFalse(result.isValid());
        return result.render();
    }

    @Test
    void defaultsAreHaproxys() {
        ServerConnections connections = server("    server s 127.0.0.1:80\n");
        assertEquals(ServerConnections.DEFAULTS, connections);
        assertEquals(Duration.ofSeconds(5), connections.poolPurgeDelay());
        assertEquals(HttpReuse.SAFE, backend("    server s 127.0.0.1:80\n").reuse());
        assertFalse(connections.privateToClient());
    }

    @Test
    void sendProxyVersions() {
        assertEquals(1, server("    server s 127.0.0.1:80 send-proxy\n").proxyLine().version());
        assertEquals(2, server("    server s 127.0.0.1:80 send-proxy-v2\n").proxyLine().version());
        assertEquals(2, server("    server s 127.0.0.1:80 send-proxy send-proxy-v2\n").proxyLine().version(),
                "v2 wins when both are set, as in HAProxy");
        assertTrue(server("    server s 127.0.0.1:80 send-proxy\n").privateToClient());
    }

    @Test
    void defaultServerSettingsAreInheritedAndCancelled() {
        assertEquals(2, server("    default-server send-proxy-v2\n    server s 127.0.0.1:80\n").proxyLine().version());
        assertEquals(0, server("    default-server send-proxy-v2\n    server s 127.0.0.1:80 no-send-proxy-v2\n")
                .proxyLine().version());
        assertEquals(0, server("    default-server send-proxy\n    server s 127.0.0.1:80 no-send-proxy\n")
                .proxyLine().version());
        assertEquals(ProxyLine.NONE, server("    default-server send-proxy\n    server s 127.0.0.1:80 no-send-proxy\n")
                .proxyLine());
    }

    @Test
    void proxyV2OptionsAndSslShortcuts() {
        ProxyLine line = server("    server s 127.0.0.1:80 send-proxy-v2 proxy-v2-options authority,crc32c,ssl-cipher\n")
                .proxyLine();
        assertEquals(new ProxyLine(2, true, false, true, true, true), line);
        assertEquals(new ProxyLine(2, true, false, false, false, false),
                server("    server s 127.0.0.1:80 send-proxy-v2-ssl\n").proxyLine());
        assertEquals(new ProxyLine(2, true, true, false, false, false),
                server("    server s 127.0.0.1:80 send-proxy-v2-ssl-cn\n").proxyLine());
        assertEquals(0, server("    server s 127.0.0.1:80 proxy-v2-options ssl\n").proxyLine().version(),
                "proxy-v2-options adds to send-proxy-v2, it does not enable it");
    }

    @Test
    void poolAndReuseSettings() {
        ServerConnections connections = server(
                "    server s 127.0.0.1:80 pool-max-conn 7 pool-purge-delay 250 max-reuse 3 check-send-proxy\n");
        assertEquals(7, connections.poolMaxConn());
        assertEquals(Duration.ofMillis(250), connections.poolPurgeDelay());
        assertEquals(3, connections.maxReuse());
        assertTrue(connections.checkSendProxy());
        assertEquals(-1, server("    server s 127.0.0.1:80 pool-max-conn -1 max-reuse -1\n").poolMaxConn());
        assertTrue(server("    server s 127.0.0.1:80 pool-max-conn 0\n").keepsNoIdle());
        assertTrue(server("    server s 127.0.0.1:80 pool-purge-delay 0\n").keepsNoIdle());
    }

    @Test
    void httpReuseModesFromDefaultsAndBackend() {
        assertEquals(HttpReuse.NEVER, backend("    http-reuse never\n    server s 127.0.0.1:80\n").reuse());
        assertEquals(HttpReuse.ALWAYS, backend("    http-reuse always\n    server s 127.0.0.1:80\n").reuse());
        assertEquals(HttpReuse.AGGRESSIVE, backend("    http-reuse aggressive\n    server s 127.0.0.1:80\n").reuse());
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD.replace("mode http\n", "mode http\n    http-reuse never\n")
                + "backend b\n    server s 127.0.0.1:80\n" + FRONT, Map.of());
        assertTrue(result.isValid(), result.render());
        assertEquals(HttpReuse.NEVER, Compiler.compile(result.config().orElseThrow()).plan().backend("b").reuse());
    }

    @Test
    void refusalsNameTheLineAndTheReason() {
        String unsupported = refusal("    server s 127.0.0.1:80 send-proxy-v2 proxy-v2-options ssl,cert-sig\n");
        assertTrue(unsupported.contains("t.cfg:7"), unsupported);
        assertTrue(unsupported.contains("'cert-sig' is not supported"), unsupported);
        String uniqueId = refusal("    server s 127.0.0.1:80 proxy-v2-options unique-id\n");
        assertTrue(uniqueId.contains("unique-id-format"), uniqueId);
        String unknown = refusal("    server s 127.0.0.1:80 proxy-v2-options sni\n");
        assertTrue(unknown.contains("unknown option 'sni'"), unknown);
        String badCount = refusal("    server s 127.0.0.1:80 pool-max-conn -2\n");
        assertTrue(badCount.contains("t.cfg:7") && badCount.contains("pool-max-conn"), badCount);
        String badTime = refusal("    server s 127.0.0.1:80 pool-purge-delay soon\n");
        assertTrue(badTime.contains("t.cfg:7"), badTime);
        String missing = refusal("    server s 127.0.0.1:80 max-reuse\n");
        assertTrue(missing.contains("'max-reuse' expects an argument"), missing);
        String mode = refusal("    http-reuse sometimes\n    server s 127.0.0.1:80\n");
        assertTrue(mode.contains("t.cfg:7") && mode.contains("'http-reuse' expects"), mode);
        LoadResult onFrontend = ConfigLoader.parse("t.cfg", HEAD + "backend b\n    server s 127.0.0.1:80\n"
                + FRONT + "    http-reuse always\n", Map.of());
        assertTrue(onFrontend.render().contains("http-reuse"), "a frontend's http-reuse is reported: "
                + onFrontend.render());
    }
}
