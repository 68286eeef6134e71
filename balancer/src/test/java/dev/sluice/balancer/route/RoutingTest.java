package dev.sluice.balancer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.front.ClientAddress;
import dev.sluice.balancer.front.ConnectionLimit;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.runtime.UseBackendRule;
import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.common.proxy.SslInfo;
import dev.sluice.common.proxy.Tlv;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The router over the engine's view of a request: rule order, defaults, and what each fetch reads. */
class RoutingTest {

    private final AclScope scope = new AclCompiler(Path.of("."), ProxyCatalog.ANY).scope("fe");

    private Condition condition(String text) {
        return scope.condition(Arrays.asList(text.split(" ")));
    }

    private static FrontendPlan frontend(String defaultBackend, UseBackendRule... rules) {
        return new FrontendPlan("fe", Mode.HTTP, List.of(BindPlan.of(new InetSocketAddress("127.0.0.1", 0))), 0,
                defaultBackend, List.of(rules), ForwardFor.DISABLED, Timeouts.NONE, Map.of());
    }

    private static HttpRequest request(String uri, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static ConnectionFacts facts(EmbeddedChannel channel, HttpRequest request) {
        ConnectionFacts facts = new ConnectionFacts(channel, new EngineState(Map.of(), Map.of(), "fe", null));
        facts.request(request);
        return facts;
    }

    @Test
    void theFirstMatchingRuleWinsElseTheDefault() {
        Router<String> router = new Router<>(frontend("web",
                new UseBackendRule("api", condition("if { path_beg /api/ }")),
                new UseBackendRule("static", condition("if { path_end .css } or { hdr(host) -i static.example.com }")),
                new UseBackendRule("never", condition("unless TRUE"))), name -> name);
        EmbeddedChannel channel = new EmbeddedChannel();
        assertEquals("api", router.choose(facts(channel, request("/api/x.css"))));
        assertEquals("static", router.choose(facts(channel, request("/a.css"))));
        assertEquals("static", router.choose(facts(channel, request("/", "Host", "STATIC.example.com"))));
        assertEquals("web", router.choose(facts(channel, request("/", "Host", "www.example.com"))));
        assertTrue(router.conditional());
        channel.finishAndReleaseAll();
    }

    @Test
    void withoutAMatchAndWithoutADefaultThereIsNoBackend() {
        Router<String> router = new Router<>(frontend(null, new UseBackendRule("api", condition("if FALSE"))),
                name -> name);
        EmbeddedChannel channel = new EmbeddedChannel();
        assertNull(router.choose(facts(channel, request("/"))));
        channel.finishAndReleaseAll();
    }

    @Test
    void anUnconditionalRuleAlwaysMatches() {
        Router<String> router = new Router<>(frontend("web", new UseBackendRule("api")), name -> name);
        EmbeddedChannel channel = new EmbeddedChannel();
        assertEquals("api", router.choose(facts(channel, request("/"))));
        assertFalse(router.conditional());
        channel.finishAndReleaseAll();
    }

    @Test
    void headersAreReadInPlaceAndReindexedPerRequest() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ConnectionFacts facts = facts(channel, request("/p?q=1", "Host", "a", "X-Many", "1", "X-Many", "2"));
        assertEquals(3, facts.headerCount());
        assertEquals("X-Many", facts.headerName(2).toString());
        assertEquals("2", facts.headerValue(2).toString());
        assertEquals("GET", facts.method().toString());
        assertEquals("1.1", facts.version().toString());
        assertEquals("/p?q=1", facts.uri().toString());
        HttpRequest many = request("/");
        for (int i = 0; i < 40; i++) {
            many.headers().add("X-" + i, Integer.toString(i));
        }
        facts.request(many);
        assertEquals(40, facts.headerCount());
        assertEquals("39", facts.headerValue(39).toString());
        facts.request(null);
        assertEquals(0, facts.headerCount());
        assertNull(facts.method());
        channel.finishAndReleaseAll();
    }

    @Test
    void addressesAndTlvsComeFromTheProxyHeader() {
        EmbeddedChannel channel = new EmbeddedChannel();
        InetSocketAddress client = new InetSocketAddress("198.51.100.7", 40001);
        channel.attr(ProxyHeader.ATTRIBUTE).set(ProxyHeader.proxy(client, new InetSocketAddress("192.0.2.1", 443),
                List.of(Tlv.alpn("h2"), Tlv.authority("www.example.com"),
                        Tlv.ssl(new SslInfo(SslInfo.CLIENT_SSL, 0, "TLSv1.3", null, "TLS_AES_128_GCM_SHA256", null, null)))));
        ClientAddress.set(channel, client);
        ConnectionFacts facts = facts(channel, null);
        assertEquals(40001, facts.sourcePort());
        assertEquals(443, facts.destinationPort());
        assertEquals("h2", facts.proxyTlv(Tlv.ALPN).toString());
        assertEquals("www.example.com", facts.proxyTlv(Tlv.AUTHORITY).toString());
        assertNull(facts.proxyTlv(Tlv.UNIQUE_ID));
        assertTrue(facts.proxySsl());
        assertEquals("TLSv1.3", facts.proxySslVersion().toString());
        assertTrue(condition("if { src 198.51.100.0/24 } { dst 192.0.2.1 } { ssl_fc_sni www.example.com } "
                + "{ ssl_fc_alpn h2 } { ssl_fc }").test(facts));
        assertFalse(condition("if { src 203.0.113.0/24 }").test(facts));
        channel.finishAndReleaseAll();
    }

    @Test
    void withoutAProxyHeaderTheSocketGivesTheAddresses() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ConnectionFacts facts = facts(channel, request("/"));
        // An embedded channel has no IP addresses: the fetches find nothing, as for a unix socket.
        assertNull(facts.source());
        assertEquals(-1, facts.sourcePort());
        assertFalse(facts.proxySsl());
        assertNull(facts.proxyTlv(Tlv.ALPN));
        channel.finishAndReleaseAll();
    }

    @Test
    void stateFetchesReadTheEngineBackends() {
        BackendPlan plan = new BackendPlan("api", Mode.HTTP, List.of(
                ServerPlan.of("a", new InetSocketAddress("127.0.0.1", 8080)),
                new ServerPlan("b", new InetSocketAddress("127.0.0.1", 8081), 1, 0, true, false, 0)),
                Timeouts.NONE, BackendPlan.DEFAULT_RETRIES, false, ForwardFor.DISABLED, Map.of());
        Backend api = new Backend(plan);
        ConnectionLimit limit = new ConnectionLimit("frontend fe", 0);
        assertTrue(limit.tryAcquire());
        EngineState state = new EngineState(Map.of("api", api), Map.of("fe", limit), "fe", null);
        assertEquals(1, state.usableServers("api"));
        assertEquals(0, state.usableServers(null));
        assertTrue(state.serverUp("api", "a"));
        assertFalse(state.serverUp("api", "b"));
        assertEquals(1, state.frontendConnections(null));
        api.take(null);
        assertEquals(1, state.backendConnections("api"));
        assertEquals(0, state.queued("api"));
        limit.release();
    }
}
