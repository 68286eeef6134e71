package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.dispatch.RetryCause;
import dev.sluice.balancer.persist.StickyState;
import dev.sluice.balancer.route.ConnectionFacts;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One request's attempts: the rules' server, the parts kept for a replay (by reference), the retries left. */
class AttemptsTest {
    private static final int BUFSIZE = 4096;

    private final EmbeddedChannel client = new EmbeddedChannel();
    private final ConnectionFacts facts = new ConnectionFacts(client, null);
    private final Attempts attempts = new Attempts();

    @AfterEach
    void close() {
        attempts.end();
        client.finishAndReleaseAll();
    }

    private static Backend backend(String lines) {
        LoadResult result = ConfigLoader.parse("t.cfg", """
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                backend b
                    retries 2
                """ + lines + """
                    server s1 127.0.0.1:9001 cookie a disabled
                    server s2 127.0.0.1:9002 cookie b
                frontend f
                    bind 127.0.0.1:18174
                    default_backend b
                """, Map.of());
        assertTrue(result.isValid(), result.render());
        return new Backend(Compiler.compile(result.config().orElseThrow()).plan().backends().getFirst());
    }

    private static HttpRequest request(String path, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static HttpContent body(String text, boolean last) {
        var bytes = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
        return last ? new DefaultLastHttpContent(bytes) : new DefaultHttpContent(bytes);
    }

    /** What the server connection does with a part written to it: its encoder sends and releases it. */
    private static void written(HttpContent part) {
        part.release();
    }

    @Test
    void aSentRequestIsReplayedByReferenceUntilTheResponseStarts() {
        Backend backend = backend("    retry-on 503\n");
        attempts.begin(backend, request("/"), facts, new StickyState(), BUFSIZE);
        HttpContent first = body("hello ", false);
        HttpContent last = body("world", true);
        attempts.sending(first);
        written(first);
        assertFalse(attempts.retriesStatus(503, false), "not before the whole request was sent");
        attempts.sending(last);
        written(last);
        assertEquals(1, first.refCnt(), "kept, not copied");
        assertTrue(attempts.retriesStatus(503, false));
        assertFalse(attempts.retriesStatus(502, false));
        assertFalse(attempts.retriesStatus(503, true), "http-request disable-l7-retry");
        assertFalse(attempts.retriesAfterSending(RetryCause.EMPTY_RESPONSE, false), "not in retry-on");

        EmbeddedChannel server = new EmbeddedChannel();
        assertTrue(attempts.replay(server));
        server.flush(); // the exchange flushes after the head and the replayed parts
        HttpContent again = server.readOutbound();
        assertEquals("hello ", again.content().toString(StandardCharsets.US_ASCII));
        again.release();
        LastHttpContent lastAgain = server.readOutbound();
        assertEquals("world", lastAgain.content().toString(StandardCharsets.US_ASCII));
        lastAgain.release();
        assertFalse(server.finish());

        attempts.responseStarted();
        assertEquals(0, first.refCnt());
        assertEquals(0, last.refCnt());
        assertFalse(attempts.retriesStatus(503, false), "no replay once a response is on its way");
    }

    @Test
    void aRequestLargerThanTheBufferIsNeverKept() {
        Backend backend = backend("    retry-on empty-response\n");
        attempts.begin(backend, request("/"), facts, new StickyState(), BUFSIZE);
        HttpContent big = body("x".repeat(BUFSIZE), true);
        attempts.sending(big);
        written(big);
        assertEquals(0, big.refCnt());
        assertFalse(attempts.retriesAfterSending(RetryCause.EMPTY_RESPONSE, false));
        assertFalse(attempts.replay(new EmbeddedChannel()));
    }

    @Test
    void nothingIsKeptWithoutRetriesAfterSending() {
        Backend backend = backend("");
        attempts.begin(backend, request("/"), facts, new StickyState(), BUFSIZE);
        HttpContent part = body("x", true);
        attempts.sending(part);
        written(part);
        assertEquals(0, part.refCnt());
        assertTrue(attempts.retriesConnect(), "conn-failure is the default");
    }

    @Test
    void retriesRunOut() {
        Backend backend = backend("    retry-on conn-failure\n");
        attempts.begin(backend, request("/"), facts, new StickyState(), BUFSIZE);
        Server s2 = backend.server("s2");
        assertTrue(attempts.retriesConnect());
        assertFalse(attempts.retry(backend, s2), "no option redispatch: the same server");
        assertTrue(attempts.retriesConnect());
        attempts.retry(backend, s2);
        assertFalse(attempts.retriesConnect());
    }

    @Test
    void useServerSkipsADownServerUnlessPersistenceIsForced() {
        Backend backend = backend("""
                    cookie SRV insert indirect
                    use-server s1 if { hdr(x-use) s1 }
                    use-server s2 if { hdr(x-use) s1 }
                    force-persist if { hdr(x-force) 1 }
                    ignore-persist if { hdr(x-ignore) 1 }
                """);
        Server s1 = backend.server("s1");
        Server s2 = backend.server("s2");
        assertSame(s2, attempts.begin(backend, request("/", "x-use", "s1"), facts, new StickyState(), BUFSIZE),
                "s1 is in maintenance: the next rule");
        assertSame(s1, attempts.begin(backend, request("/", "x-use", "s1", "x-force", "1"), facts,
                new StickyState(), BUFSIZE));
        Server taken = attempts.takeAssigned(backend, s1);
        assertSame(s1, taken, "forced: a slot on the server in maintenance");
        taken.giveBack();
    }

    @Test
    void cookiesOfDownServersNeedForcedPersistence() {
        Backend backend = backend("""
                    cookie SRV insert indirect
                    force-persist if { hdr(x-force) 1 }
                    ignore-persist if { hdr(x-ignore) 1 }
                """);
        Server s1 = backend.server("s1");
        Server s2 = backend.server("s2");
        assertNull(attempts.begin(backend, request("/", "cookie", "SRV=a"), facts, new StickyState(), BUFSIZE));
        assertSame(s1, attempts.begin(backend, request("/", "cookie", "SRV=a", "x-force", "1"), facts,
                new StickyState(), BUFSIZE));
        Server taken = attempts.takeAssigned(backend, s1);
        assertSame(s1, taken, "a forced request takes a slot on the down server");
        taken.giveBack();
        assertSame(s2, attempts.begin(backend, request("/", "cookie", "SRV=b"), facts, new StickyState(), BUFSIZE));
        assertTrue(attempts.cookiesApply());
        HttpRequest ignored = request("/", "cookie", "SRV=b", "x-ignore", "1");
        assertNull(attempts.begin(backend, ignored, facts, new StickyState(), BUFSIZE));
        assertFalse(attempts.cookiesApply(), "ignore-persist: no cookie is set either");
        assertFalse(ignored.headers().contains("cookie"), "the indirect cookie is still removed, as HAProxy does");
    }
}
