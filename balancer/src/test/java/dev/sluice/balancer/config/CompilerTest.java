package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.lb.HashFunction;
import dev.sluice.balancer.lb.HashType;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.ServerPlan;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The model becomes the engine's runtime plan; stored-but-not-applied settings are warned about. */
class CompilerTest {

    private static Config load(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertTrue(result.isValid(), result.render());
        return result.config().orElseThrow();
    }

    static Stream<Path> valid() {
        return Stream.concat(Vectors.in("valid").stream(), Vectors.in("extension").stream());
    }

    @ParameterizedTest
    @MethodSource("valid")
    void everyValidVectorCompiles(Path file) {
        LoadResult result = ConfigLoader.load(List.of(file), Vectors.ENV);
        RuntimePlan plan = Compiler.compile(result.config().orElseThrow()).plan();
        assertFalse(plan.frontends().isEmpty());
    }

    @Test
    void apiGatewayPlan() {
        Config config = ConfigLoader.load(List.of(Vectors.ROOT.resolve("valid/real-api-gateway.cfg")), Vectors.ENV)
                .config().orElseThrow();
        Compiler.Compilation compilation = Compiler.compile(config);
        RuntimePlan plan = compilation.plan();
        assertEquals(20_000, plan.global().maxconn());
        assertEquals(2, plan.global().nbthread());
        assertEquals(32_768, plan.global().bufsize());

        FrontendPlan api = plan.frontends().get(0);
        assertEquals("api", api.name());
        assertEquals(Mode.HTTP, api.mode());
        assertEquals(List.of(
                new BindPlan(new InetSocketAddress("127.0.0.1", 18081), false, 10_000, "api"),
                new BindPlan(new InetSocketAddress("127.0.0.1", 18082), false, 10_000, "api"),
                new BindPlan(new InetSocketAddress("::1", 18081), true, 0, null)), api.binds());
        assertEquals(15_000, api.maxconn());
        assertEquals("catalog", api.defaultBackend());
        assertEquals("users", api.useBackends().get(0).backend());
        assertTrue(api.forwardFor().enabled());
        assertEquals("X-Client-IP", api.forwardFor().header());
        assertEquals("127.0.0.0/8", api.forwardFor().except().toString());
        assertEquals(Duration.ofSeconds(10), api.timeouts().httpRequest());
        assertEquals(Duration.ofSeconds(2), api.timeouts().httpKeepAlive());

        BackendPlan users = plan.backend("users");
        assertEquals(2, users.retries());
        assertTrue(users.redispatch());
        assertEquals(Duration.ofSeconds(3), users.timeouts().connect());
        assertEquals(new ServerPlan("users-3", new InetSocketAddress("10.0.1.3", 8080), 0, 200, false, true, 0),
                users.servers().get(2).withHealth(dev.sluice.balancer.runtime.ServerHealth.NONE));
        // default-server inter 3s fastinter 1s downinter 5s; timeout check 2s, timeout connect 3s.
        var users3 = users.servers().get(2).health();
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(3),
                Duration.ofSeconds(2)), List.of(users3.inter(), users3.fastinter(), users3.downinter(),
                users3.connectTimeout(), users3.readTimeout()));
        BackendPlan catalog = plan.backend("catalog");
        ServerPlan catalog2 = catalog.servers().get(1);
        assertEquals(new ServerPlan("catalog-2", new InetSocketAddress("10.0.2.2", 8080), 1, 200, true, false, 2),
                catalog2.withHealth(dev.sluice.balancer.runtime.ServerHealth.NONE));
        assertTrue(catalog2.health().check());
        assertEquals(Duration.ofSeconds(1), catalog.servers().get(0).health().inter());
        assertEquals(Duration.ofSeconds(30), catalog.servers().get(2).health().slowstart());

        List<String> warnings = compilation.warnings().stream().map(Diagnostic::toString).toList();
        // Health checks and slowstart are applied now: no warning names them.
        assertTrue(warnings.stream().noneMatch(w -> w.contains("'check'") || w.contains("'slowstart'")),
                String.join("\n", warnings));
    }

    @Test
    void listenServesItsOwnServersAndPortRangesExpand() {
        RuntimePlan plan = Compiler.compile(load("""
                defaults
                    mode tcp
                    timeout client 1s
                    timeout connect 1s
                    timeout server 1s
                listen db
                    bind 127.0.0.1:18300-18302 accept-proxy
                    bind unix@/tmp/sluice-compiler-test.sock
                    server s 127.0.0.1:5432
                """)).plan();
        FrontendPlan db = plan.frontends().get(0);
        assertEquals("db", db.defaultBackend());
        assertEquals(Mode.TCP, db.mode());
        assertEquals(List.of(18300, 18301, 18302, -1), db.binds().stream()
                .map(b -> b.address() instanceof InetSocketAddress inet ? inet.getPort() : -1).toList());
        assertEquals(UnixDomainSocketAddress.of("/tmp/sluice-compiler-test.sock"), db.binds().get(3).address());
        assertEquals(1, plan.backends().size());
        assertEquals(Mode.TCP, plan.backend("db").mode());
    }

    @Test
    void frontendWithoutBindIsLeftOutAndDefaultsAreEmpty() {
        RuntimePlan plan = Compiler.compile(load("""
                defaults
                    mode http
                    timeout client 1s
                frontend unused
                    default_backend b
                frontend f
                    bind 127.0.0.1:18303
                backend b
                """)).plan();
        assertEquals(List.of("f"), plan.frontends().stream().map(FrontendPlan::name).toList());
        assertNull(plan.frontends().get(0).defaultBackend());
        assertFalse(plan.frontends().get(0).forwardFor().enabled());
        assertEquals(Duration.ZERO, plan.frontends().get(0).timeouts().server());
        assertEquals(0, plan.global().maxconn());
        assertEquals(16_384, plan.global().bufsize());
    }

    @Test
    void logTargetsAndFormatsBecomeTheFrontendsAccessLog() {
        RuntimePlan plan = Compiler.compile(load("""
                global
                    log 127.0.0.1:1514 local0
                defaults
                    mode http
                    log global
                    log stdout format raw local1 err
                    option httplog
                    option dontlognull
                frontend f
                    bind 127.0.0.1:18305
                frontend t
                    mode tcp
                    bind 127.0.0.1:18306
                    no log
                    option tcplog
                """)).plan();
        dev.sluice.balancer.log.AccessLogPlan f = plan.frontends().get(0).accessLog();
        assertEquals(dev.sluice.balancer.log.LogStyle.HTTP, f.style());
        assertEquals(List.of(dev.sluice.balancer.log.LogSink.parse("127.0.0.1:1514", List.of("local0")),
                dev.sluice.balancer.log.LogSink.parse("stdout", List.of("format", "raw", "local1", "err"))), f.sinks());
        assertTrue(f.dontLogNull());
        dev.sluice.balancer.log.AccessLogPlan t = plan.frontends().get(1).accessLog();
        assertEquals(dev.sluice.balancer.log.LogStyle.TCP, t.style());
        assertFalse(t.enabled());
    }

    @Test
    void capturesLogFormatAliasesAndSeparateErrorsReachTheAccessLog() {
        RuntimePlan plan = Compiler.compile(load("""
                global
                    log-tag edge
                    log 127.0.0.1:1514 local0
                defaults
                    mode http
                    log global
                    option log-separate-errors
                    log-format "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r"
                frontend f
                    bind 127.0.0.1:18307
                    capture request header Host len 32
                    capture request header User-Agent len 64
                    capture response header Content-Type len 20
                """)).plan();
        dev.sluice.balancer.log.AccessLogPlan f = plan.frontends().get(0).accessLog();
        assertEquals(dev.sluice.balancer.log.LogStyle.HTTP, f.style());
        assertEquals("edge", f.tag());
        assertTrue(f.separateErrors());
        assertEquals(List.of(new dev.sluice.balancer.log.HeaderCapture("Host", 32),
                new dev.sluice.balancer.log.HeaderCapture("User-Agent", 64)), f.requestCaptures());
        assertEquals(List.of(new dev.sluice.balancer.log.HeaderCapture("Content-Type", 20)), f.responseCaptures());
    }

    @Test
    void aLogFormatWithAnUnknownVariableIsRefusedWithItsLine() {
        LoadResult loaded = ConfigLoader.parse("t.cfg", """
                defaults
                    mode http
                    log-format "%ci %ST %Zz"
                frontend f
                    bind 127.0.0.1:18308
                """, Map.of());
        assertFalse(loaded.isValid());
        assertTrue(loaded.render().contains("t.cfg:3: 'log-format': no such format variable '%Zz'"), loaded.render());
        assertTrue(loaded.render().contains("(used by frontend 'f')"), loaded.render());
    }

    @Test
    void aLogFormatOfOnesOwnIsCompiledForEachFrontend() {
        RuntimePlan plan = Compiler.compile(load("""
                global
                    log 127.0.0.1:514 local0
                defaults
                    mode http
                    log global
                    log-format "%ci:%cp %{+Q}[src] %ST %{+Q}r"
                frontend f
                    bind 127.0.0.1:18309
                listen l
                    bind 127.0.0.1:18310
                    server s 127.0.0.1:9001
                """)).plan();
        for (var frontend : plan.frontends()) {
            dev.sluice.balancer.log.AccessLogPlan log = frontend.accessLog();
            assertEquals(dev.sluice.balancer.log.LogStyle.CUSTOM, log.style(), frontend.name());
            assertEquals("%ci:%cp %{+Q}[src] %ST %{+Q}r", log.format().text());
        }
    }

    @Test
    void settingsTheEngineDoesNotApplyAreNamed() {
        Compiler.Compilation compilation = Compiler.compile(load("""
                global
                    log 127.0.0.1:514 local0
                defaults
                    mode http
                    timeout client 1s
                    timeout connect 1s
                    timeout server 1s
                    timeout client-fin 1s
                listen l
                    bind 127.0.0.1:18304 proto h2
                    option httpclose
                    server s 127.0.0.1:9001 cookie a minconn 3
                    server o 127.0.0.1:9002 observe layer7
                """));
        assertEquals(List.of(
                "[WARNING] t.cfg:13: 'server l/o': 'observe' has no effect without 'check' (HAProxy ignores it too)"),
                compilation.warnings().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void balancingSettingsReachTheBackendPlan() {
        Config config = ConfigLoader.load(List.of(Vectors.ROOT.resolve("valid/balancing.cfg")), Vectors.ENV)
                .config().orElseThrow();
        Map<String, Balance> byBackend = new java.util.HashMap<>();
        for (BackendPlan backend : Compiler.compile(config).plan().backends()) {
            byBackend.put(backend.name(), backend.balance());
        }
        // hash-type consistent from the defaults section: sdbm with avalanche, as in HAProxy.
        assertEquals(new Balance(new Balance.RoundRobin(), HashType.CONSISTENT, 0, false), byBackend.get("rr"));
        assertEquals(new Balance(new Balance.LeastConn(), HashType.CONSISTENT, 0, true), byBackend.get("lc"));
        assertEquals(new Balance(new Balance.Source(), HashType.DEFAULT, 0, false), byBackend.get("src"));
        assertEquals(new Balance(new Balance.Uri(true, 20, 3, true),
                new HashType(HashType.Method.CONSISTENT, HashFunction.CRC32, true), 150, false), byBackend.get("uri"));
        assertEquals(new Balance.UrlParam("userid"), byBackend.get("param").algorithm());
        assertEquals(new HashType(HashType.Method.CONSISTENT, HashFunction.DJB2, false),
                byBackend.get("param").hashType());
        assertEquals(new Balance.Header("Host", true), byBackend.get("host").algorithm());
        assertEquals(new HashType(HashType.Method.MAP_BASED, HashFunction.WT6, false), byBackend.get("host").hashType());
        assertEquals(new Balance.Random(3), byBackend.get("rnd").algorithm());
        assertEquals(new Balance.StaticRoundRobin(), byBackend.get("srr").algorithm());
        assertEquals(new Balance.First(), byBackend.get("first").algorithm());
        assertEquals(new Balance.Hash("req.cook(id)"), byBackend.get("hashcookie").algorithm());
        assertEquals(HashType.CONSISTENT, byBackend.get("hashcookie").hashType());
        assertEquals(HashType.DEFAULT, byBackend.get("hashhost").hashType());
    }

    @Test
    void balanceHashAndServerLimitsReachTheBackendPlan() {
        Config config = ConfigLoader.load(List.of(Vectors.ROOT.resolve("valid/balancing.cfg")), Vectors.ENV)
                .config().orElseThrow();
        Map<String, BackendPlan> byName = new java.util.HashMap<>();
        for (BackendPlan backend : Compiler.compile(config).plan().backends()) {
            byName.put(backend.name(), backend);
        }
        assertEquals("req.cook(id)", byName.get("hashcookie").load().hashKey().text());
        assertEquals("req.hdr(host),lower", byName.get("hashhost").load().hashKey().text());
        assertEquals(null, byName.get("rr").load().hashKey());
        assertEquals(200, byName.get("hashhost").load().fullconn());
        // minconn 5 maxconn 50 scales; minconn alone is a static limit (maxconn = minconn), as in HAProxy.
        assertEquals(List.of(5, 50, 5, 5), byName.get("hashhost").servers().stream()
                .flatMap(s -> java.util.stream.Stream.of(s.minconn(), s.maxconn())).toList());
        // Only frontend f (no maxconn, no global maxconn) reaches rr: a tenth of the unset-global stand-in.
        assertEquals(ServerLimits.UNSET_GLOBAL_MAXCONN / 10, byName.get("rr").load().fullconn());
        // No frontend reaches lc: HAProxy's floor of 1.
        assertEquals(1, byName.get("lc").load().fullconn());
    }

    @Test
    void layer7HashingFallsBackToRoundRobinInTcpMode() {
        Compiler.Compilation compilation = Compiler.compile(load("""
                defaults
                    mode tcp
                    timeout connect 1s
                    timeout client 1s
                    timeout server 1s
                listen l
                    bind 127.0.0.1:18195
                    balance uri
                    hash-type consistent
                    server a 127.0.0.1:9001
                listen s
                    bind 127.0.0.1:18196
                    balance source
                    server a 127.0.0.1:9001
                """));
        assertEquals(new Balance(new Balance.RoundRobin(), HashType.CONSISTENT, 0, false),
                compilation.plan().backends().get(0).balance());
        assertEquals(new Balance.Source(), compilation.plan().backends().get(1).balance().algorithm());
        assertEquals(List.of("[WARNING] t.cfg:8: listen 'l': layer 7 hash not possible in mode tcp (needs 'mode "
                + "http'); falling back to round robin, as HAProxy does"),
                compilation.warnings().stream().map(Diagnostic::toString).toList());
    }
}
