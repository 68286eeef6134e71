package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.model.Bind;
import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.config.model.ConnectionMode;
import dev.sluice.balancer.config.model.Endpoint;
import dev.sluice.balancer.config.model.ForwardFor;
import dev.sluice.balancer.config.model.LogFormat;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.ProxyKind;
import dev.sluice.balancer.config.model.Server;
import dev.sluice.balancer.config.model.TimeoutKind;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the parser stores: values, inheritance from defaults, and locations. */
class ModelTest {

    private static Config load(Path file) {
        LoadResult result = ConfigLoader.load(List.of(file), Vectors.ENV);
        assertTrue(result.isValid(), result.render());
        return result.config().orElseThrow();
    }

    private static Config parse(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertTrue(result.isValid(), result.render());
        return result.config().orElseThrow();
    }

    private static Proxy proxy(Config config, String name, ProxyKind kind) {
        return config.proxies().stream().filter(p -> p.name().equals(name) && p.kind() == kind).findFirst()
                .orElseThrow();
    }

    @Test
    void apiGatewayIsReadCompletely() throws Exception {
        Config config = load(Vectors.ROOT.resolve("valid/real-api-gateway.cfg"));
        assertEquals(20_000, config.global().maxconn());
        assertEquals(2, config.global().nbthread());
        assertEquals(32_768, config.global().bufsize());
        assertEquals(2_048, config.global().maxrewrite());

        Proxy api = proxy(config, "api", ProxyKind.FRONTEND);
        assertEquals(Mode.HTTP, api.mode());
        assertEquals(15_000, api.maxconn());
        assertEquals(2, api.binds().size());
        Bind first = api.binds().get(0);
        assertEquals(List.of(new Endpoint.Inet(InetAddress.getByName("127.0.0.1"), 18081, 18081),
                new Endpoint.Inet(InetAddress.getByName("127.0.0.1"), 18082, 18082)), first.endpoints());
        assertEquals(Optional.of("api"), first.name());
        assertEquals(10_000, first.maxconn());
        assertFalse(first.acceptProxy());
        assertTrue(api.binds().get(1).acceptProxy());
        assertEquals("catalog", api.defaultBackend().orElseThrow().backend());
        assertEquals("users", api.useBackends().get(0).backend());
        assertEquals(32, api.useBackends().get(0).location().line());

        ForwardFor forwardFor = api.options().forwardFor().orElseThrow();
        assertEquals("X-Client-IP", forwardFor.header());
        assertTrue(forwardFor.ifNone());
        assertEquals("127.0.0.0/8", forwardFor.except().orElseThrow().toString());
        assertEquals(ConnectionMode.KEEP_ALIVE, api.options().connectionMode());
        assertEquals(LogFormat.HTTP, api.options().logFormat());
        assertEquals(Duration.ofSeconds(30), api.timeouts().get(TimeoutKind.CLIENT).orElseThrow());
        assertEquals(Duration.ofHours(1), api.timeouts().get(TimeoutKind.TUNNEL).orElseThrow());

        Proxy users = proxy(config, "users", ProxyKind.BACKEND);
        assertEquals(2, users.retries());
        assertTrue(users.options().redispatch());
        List<Server> servers = users.servers();
        assertEquals(List.of("users-1", "users-2", "users-3"), servers.stream().map(Server::name).toList());
        assertEquals(10, servers.get(0).options().weight());
        assertEquals(Optional.of("u2"), servers.get(1).options().cookie());
        assertEquals(0, servers.get(2).options().weight());
        assertTrue(servers.get(2).options().backup());
        // default-server applies to every server line that follows it
        assertEquals(Duration.ofSeconds(3), servers.get(0).options().inter());
        assertEquals(Optional.of(Duration.ofSeconds(1)), servers.get(0).options().fastinter());
        assertEquals(3, servers.get(0).options().fall());
        assertEquals(200, servers.get(0).options().maxconn());

        Proxy catalog = proxy(config, "catalog", ProxyKind.BACKEND);
        assertEquals(Duration.ofSeconds(1), catalog.servers().get(0).options().inter());
        assertEquals(1, catalog.servers().get(0).id());
        assertTrue(catalog.servers().get(1).options().disabled());
        assertEquals(InetAddress.getByName("2001:db8::3"), catalog.servers().get(2).address().address());
        assertEquals(8080, catalog.servers().get(2).address().port());
        assertEquals(Optional.of(Duration.ofSeconds(30)), catalog.servers().get(2).options().slowstart());
    }

    @Test
    void bindFormsBecomeEndpoints() throws Exception {
        Proxy forms = proxy(load(Vectors.ROOT.resolve("valid/bind-forms.cfg")), "forms", ProxyKind.FRONTEND);
        List<Endpoint> endpoints = forms.binds().stream().flatMap(b -> b.endpoints().stream()).toList();
        InetAddress any4 = InetAddress.getByName("0.0.0.0");
        InetAddress any6 = InetAddress.getByName("::");
        assertEquals(new Endpoint.Inet(any4, 18091, 18091), endpoints.get(1));
        assertEquals(new Endpoint.Inet(any4, 18092, 18092), endpoints.get(2));
        assertEquals(new Endpoint.Inet(any6, 18093, 18093), endpoints.get(3));
        assertEquals(new Endpoint.Inet(any6, 18094, 18094), endpoints.get(4));
        assertEquals(new Endpoint.Inet(InetAddress.getByName("::1"), 18096, 18096), endpoints.get(6));
        assertEquals(new Endpoint.Inet(InetAddress.getByName("127.0.0.1"), 18100, 18105), endpoints.get(7));
        assertEquals(new Endpoint.Unix(Path.of("/tmp/sluice-config-test.sock")), endpoints.get(11));
        assertEquals(Optional.of("h2"), forms.binds().get(10).proto());
    }

    @Test
    void tcpChainKeepsProxySettings() {
        Config config = load(Vectors.ROOT.resolve("valid/real-tcp-chain.cfg"));
        Proxy postgres = proxy(config, "postgres", ProxyKind.LISTEN);
        assertTrue(postgres.isFrontend() && postgres.isBackend());
        assertEquals(Mode.TCP, postgres.mode());
        assertEquals(5433, postgres.servers().get(0).options().checkPort());
        assertTrue(postgres.servers().get(1).options().backup());
        assertEquals(LogFormat.TCP, postgres.options().logFormat());
    }

    @Test
    void namedDefaultsAreChosenWithFrom() {
        Config config = load(Vectors.ROOT.resolve("valid/real-named-defaults.cfg"));
        assertEquals(Mode.HTTP, proxy(config, "web", ProxyKind.FRONTEND).mode());
        assertEquals(Mode.TCP, proxy(config, "db", ProxyKind.FRONTEND).mode());
        // tcp-base inherited its timeouts from http-base
        assertEquals(Duration.ofSeconds(10), proxy(config, "db-servers", ProxyKind.BACKEND).timeouts()
                .get(TimeoutKind.SERVER).orElseThrow());
    }

    @Test
    void quotingAndEnvironmentReachTheModel() {
        Config config = load(Vectors.ROOT.resolve("valid/quoting.cfg"));
        Proxy q = proxy(config, "q", ProxyKind.FRONTEND);
        assertEquals(18080, ((Endpoint.Inet) q.binds().get(0).endpoints().get(0)).portLow());
        assertEquals("from-env", q.defaultBackend().orElseThrow().backend());
        assertEquals("X-Real-IP", q.options().forwardFor().orElseThrow().header());
        Proxy backend = proxy(config, "from-env", ProxyKind.BACKEND);
        assertEquals(List.of("s1", "s2", "s-3"), backend.servers().stream().map(Server::name).toList());
        assertEquals(0, proxy(config, "empty-errorfile", ProxyKind.BACKEND).errorFiles().get(503).response().length);
    }

    @Test
    void eachProxyTakesThePrecedingDefaults() {
        Config config = parse("""
                defaults
                    mode http
                    timeout client 1s
                    timeout connect 1s
                    timeout server 1s
                    option forwardfor
                frontend a
                    bind 127.0.0.1:18200
                    default_backend b1
                backend b1
                    server s 127.0.0.1:9001
                defaults
                    mode http
                    timeout client 2s
                    timeout connect 1s
                    timeout server 1s
                    option httpclose
                frontend c
                    bind 127.0.0.1:18201
                    no option httpclose
                    default_backend b1
                """);
        Proxy a = proxy(config, "a", ProxyKind.FRONTEND);
        Proxy c = proxy(config, "c", ProxyKind.FRONTEND);
        assertTrue(a.options().forwardFor().isPresent());
        assertFalse(c.options().forwardFor().isPresent());
        assertEquals(Duration.ofSeconds(2), c.timeouts().get(TimeoutKind.CLIENT).orElseThrow());
        assertEquals(ConnectionMode.KEEP_ALIVE, c.options().connectionMode());
        assertEquals(new SourceLocation("t.cfg", 7), a.location());
    }

    @Test
    void serverAndBindAreNotInheritedButDefaultServerIs() {
        Config config = parse("""
                defaults
                    mode tcp
                    timeout client 1s
                    timeout connect 1s
                    timeout server 1s
                    default-server weight 7 check
                listen l
                    bind 127.0.0.1:18202
                    server s 127.0.0.1:9001
                    default-server weight 9
                    server t 127.0.0.1:9002 no-check
                """);
        Proxy l = proxy(config, "l", ProxyKind.LISTEN);
        assertEquals(7, l.servers().get(0).options().weight());
        assertTrue(l.servers().get(0).options().check());
        assertEquals(9, l.servers().get(1).options().weight());
        assertFalse(l.servers().get(1).options().check());
    }

    @Test
    void severalGlobalSectionsAddUp() {
        Config config = parse("""
                global
                    maxconn 100
                global
                    nbthread 3
                    log 127.0.0.1:514 len 1024 format rfc5424 local0 info
                defaults
                    timeout client 1s
                frontend f
                    bind 127.0.0.1:18203
                """);
        assertEquals(100, config.global().maxconn());
        assertEquals(3, config.global().nbthread());
        assertEquals("127.0.0.1:514", config.global().logs().get(0).target());
        assertEquals(List.of("len", "1024", "format", "rfc5424", "local0", "info"), config.global().logs().get(0).args());
    }

    @Test
    void tooLargeMaxrewriteIsReducedWithAWarning() {
        LoadResult result = ConfigLoader.parse("t.cfg", """
                global
                    tune.bufsize 4k
                    tune.maxrewrite 3k
                defaults
                    timeout client 1s
                frontend f
                    bind 127.0.0.1:18204
                """, Map.of());
        assertEquals(2048, result.config().orElseThrow().global().maxrewrite());
        assertEquals(List.of("[WARNING] t.cfg:2: 'tune.maxrewrite' 3072 is too large for 'tune.bufsize' 4096; "
                + "reduced to 2048"), Vectors.actual(result));
    }
}
