package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ServerProtocol;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code proto h1|h2} on {@code server} and {@code default-server}, and what goes with it or is refused. */
class ServerProtocolConfigTest {

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

    private static String refusal(String backendBody) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "backend b\n" + backendBody + FRONT, Map.of());
        assertFalse(result.isValid());
        return result.render();
    }

    private static ServerProtocol protocol(BackendPlan backend, int server) {
        return backend.servers().get(server).connections().protocol();
    }

    @Test
    void serversSpeakHttp1UnlessToldOtherwise() {
        assertEquals(ServerProtocol.HTTP1, protocol(backend("    server s 127.0.0.1:80\n"), 0));
        assertEquals(ServerProtocol.HTTP1, protocol(backend("    server s 127.0.0.1:80 proto h1\n"), 0));
    }

    @Test
    void protoH2OnAServerLine() {
        BackendPlan plan = backend("    server s 127.0.0.1:80 proto h2\n    server t 127.0.0.1:81\n");
        assertEquals(ServerProtocol.H2, protocol(plan, 0));
        assertEquals(ServerProtocol.HTTP1, protocol(plan, 1));
    }

    @Test
    void protoH2OnDefaultServerIsInheritedAndOverridable() {
        BackendPlan plan = backend("    default-server proto h2\n    server s 127.0.0.1:80\n"
                + "    server t 127.0.0.1:81 proto h1\n");
        assertEquals(ServerProtocol.H2, protocol(plan, 0));
        assertEquals(ServerProtocol.HTTP1, protocol(plan, 1));
    }

    @Test
    void otherMuxesAreRefusedWithAReason() {
        String fcgi = refusal("    server s 127.0.0.1:80 proto fcgi\n");
        assertTrue(fcgi.contains("t.cfg:7") && fcgi.contains("'proto': 'fcgi' is not supported (FastCGI"), fcgi);
        String none = refusal("    server s 127.0.0.1:80 proto none\n");
        assertTrue(none.contains("'proto none' is a mode tcp mux"), none);
        String unknown = refusal("    server s 127.0.0.1:80 proto h3\n");
        assertTrue(unknown.contains("'proto' expects 'h1' or 'h2' (got 'h3')"), unknown);
        String missing = refusal("    server s 127.0.0.1:80 proto\n");
        assertTrue(missing.contains("'proto' expects an argument"), missing);
    }

    @Test
    void aPrivatePerClientHeaderCannotRideASharedH2Connection() {
        String refused = refusal("    server s 127.0.0.1:80 proto h2 send-proxy\n");
        assertTrue(refused.contains("t.cfg:7") && refused.contains("'proto h2' cannot be combined with 'send-proxy'"),
                refused);
        String inherited = refusal("    default-server send-proxy-v2\n    server s 127.0.0.1:80 proto h2\n");
        assertTrue(inherited.contains("t.cfg:8") && inherited.contains("cannot be combined"), inherited);
    }

    @Test
    void wsAndCheckProtoAreRefusedWithTheirReasons() {
        String ws = refusal("    server s 127.0.0.1:80 proto h2 ws h2\n");
        assertTrue(ws.contains("'ws' is not supported yet (WebSocket over HTTP/2 (RFC 8441"), ws);
        String check = refusal("    server s 127.0.0.1:80 proto h2 check check-proto h2\n");
        assertTrue(check.contains("'check-proto' is not supported yet (health checks speak TCP or HTTP/1.1"), check);
    }

    @Test
    void modeTcpRefusesAnHttpMux() {
        LoadResult result = ConfigLoader.parse("t.cfg", """
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                listen l
                    bind 127.0.0.1:18999
                    server s 127.0.0.1:80 proto h2
                """, Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:8") && result.render().contains("'proto h2' is not usable for "
                + "server 's' in mode tcp"), result.render());
    }
}
