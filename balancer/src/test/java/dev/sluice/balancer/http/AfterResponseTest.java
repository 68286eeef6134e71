package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.route.EngineState;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.common.net.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code http-after-response} and {@code http-request auth} on the balancer's own answers, driven
 * through a frontend's HTTP/1.1 pipeline on an {@link EmbeddedChannel}: rule replies, the 401 of
 * {@code auth}, and built-in error pages, which are raw bytes rewritten only when rules exist.
 */
class AfterResponseTest {

    private static final String CONFIG = """
            defaults
              mode http
              timeout connect 1s
              timeout client 5s
              timeout server 5s
            userlist L
              user bob insecure-password pw
            frontend fe
              bind 127.0.0.1:18197
              http-request return status 200 content-type text/plain string hello if { path /hello }
              http-request auth realm Inside unless { http_auth(L) }
              use_backend empty if { path /empty }
              default_backend be
              http-after-response set-header X-After fe
              http-after-response add-header X-Status %[status]
              http-after-response set-status 410 if { status 503 }
            backend be
              http-after-response set-header X-Backend be
              server s 127.0.0.1:9
            backend empty
            """;

    private static HttpFrontend frontend(String config) {
        LoadResult loaded = ConfigLoader.parse("a.cfg", config, Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        RuntimePlan plan = Compiler.compile(loaded.config().orElseThrow()).plan();
        Map<String, Backend> backends = new HashMap<>();
        for (BackendPlan backend : plan.backends()) {
            backends.put(backend.name(), new Backend(backend));
        }
        return new HttpFrontend(plan.frontends().getFirst(), backends,
                new EngineState(backends, Map.of(), "fe", null), 16_384, Transport.NIO);
    }

    /** Everything the client got for {@code request}. */
    private static String exchange(String config, String request) {
        EmbeddedChannel channel = new EmbeddedChannel();
        frontend(config).initClient(channel);
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        Object part;
        while ((part = channel.readOutbound()) != null) {
            ByteBuf bytes = (ByteBuf) part;
            out.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        channel.finishAndReleaseAll();
        return out.toString();
    }

    private static String get(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
    }

    @Test
    void aRuleReplyGetsTheFrontendsRules() {
        String out = exchange(CONFIG, get("/hello", ""));
        assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
        assertTrue(out.contains("\r\nX-After: fe\r\n") && out.contains("\r\nX-Status: 200\r\n"), out);
        assertFalse(out.contains("X-Backend"), "no backend was chosen: " + out);
        assertTrue(out.endsWith("\r\n\r\nhello"), out);
    }

    @Test
    void authAnswers401WithTheRealmAndHaproxysPage() {
        String out = exchange(CONFIG, get("/private", "Authorization: Basic Ym9iOndyb25n\r\n"));
        assertTrue(out.startsWith("HTTP/1.1 401 Unauthorized\r\n"), out);
        assertTrue(out.contains("\r\nwww-authenticate: Basic realm=\"Inside\"\r\n"), out);
        assertTrue(out.contains("\r\nX-Status: 401\r\n"), out);
        assertTrue(out.endsWith("\r\n\r\n<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password "
                + "to access this content.\n</body></html>\n"), out);
    }

    @Test
    void aBuiltInErrorPageIsRewritten() {
        String out = exchange(CONFIG, get("/empty", "Authorization: Basic Ym9iOnB3\r\n"));
        assertTrue(out.startsWith("HTTP/1.1 410 Gone\r\n"), out);
        assertTrue(out.contains("\r\nX-After: fe\r\n") && out.contains("\r\nX-Status: 503\r\n"), out);
        assertTrue(out.contains("\r\nconnection: close\r\n"), out);
        String body = out.substring(out.indexOf("\r\n\r\n") + 4);
        assertTrue(out.contains("\r\ncontent-length: " + body.length() + "\r\n"), out);
        assertTrue(body.startsWith("<html><body><h1>503 Service Unavailable</h1>"), body);
    }

    @Test
    void aMalformedRequestsPageIsRewrittenWithoutARequest() {
        String out = exchange(CONFIG, "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 400 Bad Request\r\n"), out);
        assertTrue(out.contains("\r\nX-After: fe\r\n") && out.contains("\r\nX-Status: 400\r\n"), out);
    }

    @Test
    void withoutRulesThePageGoesOutAsBuilt() {
        String config = CONFIG.replaceAll("(?m)^  http-after-response.*\n", "");
        String out = exchange(config, get("/empty", "Authorization: Basic Ym9iOnB3\r\n"));
        assertEquals(new String(ErrorPages.builtIn(503), StandardCharsets.ISO_8859_1), out);
    }
}
