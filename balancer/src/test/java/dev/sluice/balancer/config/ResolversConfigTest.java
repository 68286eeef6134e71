package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.IpNetwork;
import dev.sluice.balancer.runtime.ResolversPlan;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.ServerResolution;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code resolvers} sections, the server keywords {@code resolvers}, {@code resolve-prefer}, {@code resolve-opts},
 * {@code resolve-net}, {@code init-addr}, and {@code server-template}: from text to plans, and the refusals with
 * their file:line. No test here needs a name server: names are resolved with {@code init-addr none} or an IP.
 */
class ResolversConfigTest {

    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            resolvers dns
                nameserver ns1 127.0.0.1:5353
                nameserver ns2 [::1]:53
                accepted_payload_size 4096
                resolve_retries 5
                timeout resolve 2s
                timeout retry 300ms
                hold nx 7s
                hold obsolete 3s
            """;
    private static final String FRONT = """
            frontend f
                bind 127.0.0.1:18999
                default_backend b
            """;

    private static BackendPlan backend(String backendBody) {
        LoadResult result = load(backendBody);
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan().backend("b");
    }

    private static LoadResult load(String backendBody) {
        return ConfigLoader.parse("t.cfg", HEAD + "backend b\n" + backendBody + FRONT, Map.of());
    }

    private static String refusal(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertFalse(result.isValid(), text);
        return result.render();
    }

    @Test
    void sectionSettings() {
        ServerResolution resolution = backend("    server s app.test:80 resolvers dns init-addr none\n").servers()
                .getFirst().resolution();
        ResolversPlan plan = resolution.resolvers().orElseThrow();
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("::1", 53)),
                plan.nameservers());
        assertEquals(4096, plan.acceptedPayloadSize());
        assertEquals(5, plan.resolveRetries());
        assertEquals(Duration.ofSeconds(2), plan.timeoutResolve());
        assertEquals(Duration.ofMillis(300), plan.timeoutRetry());
        assertEquals(Duration.ofSeconds(7), plan.hold().nx());
        assertEquals(Duration.ofSeconds(3), plan.hold().obsolete());
        assertEquals(Duration.ofSeconds(30), plan.hold().timeout(), "HAProxy's default");
        assertEquals(Duration.ofSeconds(10), plan.hold().valid(), "HAProxy's default");
    }

    @Test
    void initAddrNoneStartsWithoutAddress() {
        ServerPlan server = backend("    server s app.test:8080 resolvers dns init-addr none\n").servers().getFirst();
        assertTrue(server.resolution().unresolved());
        assertTrue(server.resolution().dynamic());
        assertEquals("app.test", server.resolution().fqdn());
        assertTrue(server.address().getAddress().isAnyLocalAddress());
        assertEquals(8080, server.address().getPort());
    }

    @Test
    void initAddrMethodsInOrder() {
        ServerPlan last = backend("    server s app.test:80 resolvers dns init-addr last,10.0.0.7,none\n").servers()
                .getFirst();
        assertFalse(last.resolution().unresolved(), "'last' finds no state file, the IP comes next");
        assertEquals(new InetSocketAddress("10.0.0.7", 80), last.address());
        ServerPlan numeric = backend("    server s 192.0.2.1:80 resolvers dns init-addr none\n").servers().getFirst();
        assertFalse(numeric.resolution().dynamic(), "a numeric address is never resolved");
        assertEquals(new InetSocketAddress("192.0.2.1", 80), numeric.address());
    }

    @Test
    void defaultServerCarriesResolution() {
        ServerPlan server = backend("""
                    default-server resolvers dns init-addr none resolve-prefer ipv4 resolve-opts allow-dup-ip,ignore-weight
                    server s app.test:80 resolve-net 10.0.0.0/8,192.168.0.0/16
                """).servers().getFirst();
        ServerResolution resolution = server.resolution();
        assertEquals(ServerResolution.Family.IPV4, resolution.prefer());
        assertTrue(resolution.allowsDuplicates());
        assertTrue(resolution.ignoreWeight());
        assertEquals(List.of(IpNetwork.parse("10.0.0.0/8"), IpNetwork.parse("192.168.0.0/16")), resolution.networks());
    }

    @Test
    void defaultsAreHaproxys() {
        ServerResolution resolution = backend("    server s app.test:80 resolvers dns init-addr none\n").servers()
                .getFirst().resolution();
        assertEquals(ServerResolution.Family.IPV6, resolution.prefer());
        assertFalse(resolution.allowsDuplicates(), "HAProxy prevents duplicated addresses unless told");
        assertEquals(ServerResolution.DEFAULT_INIT_ADDR, ServerResolution.NONE.initAddr());
    }

    @Test
    void serverTemplateMakesNumberedServers() {
        List<ServerPlan> servers = backend("    server-template web 2-4 app.test:80 resolvers dns init-addr none check\n")
                .servers();
        assertEquals(List.of("web2", "web3", "web4"), servers.stream().map(ServerPlan::name).toList());
        assertTrue(servers.stream().allMatch(s -> s.resolution().unresolved() && s.health().check()));
        assertEquals(3, backend("    server-template t 3 app.test:80 resolvers dns init-addr none\n").servers().size());
    }

    @Test
    void srvTemplateStartsWithoutAddressOrPort() {
        List<ServerPlan> servers = backend("    server-template s 2 _http._tcp.app.test resolvers dns\n").servers();
        assertEquals(2, servers.size());
        ServerResolution resolution = servers.getFirst().resolution();
        assertTrue(resolution.srv() && resolution.unresolved());
        assertEquals(0, servers.getFirst().address().getPort());
    }

    @Test
    void unresolvableNameWithResolversIsOnlyAWarning() {
        LoadResult result = load("    server s app.test.invalid:80 resolvers dns init-addr libc\n");
        assertTrue(result.isValid(), result.render());
        assertTrue(result.render().contains("could not resolve address 'app.test.invalid', disabling server"),
                result.render());
    }

    @Test
    void refusalsNameTheirLine() {
        String unknownSection = refusal(HEAD + "backend b\n    server s app.test:80 resolvers nope init-addr none\n"
                + FRONT);
        assertTrue(unknownSection.contains("t.cfg:16") && unknownSection.contains("unable to find required resolvers "
                + "'nope'"), unknownSection);
        String noMethod = refusal(HEAD + "backend b\n    server s app.test.invalid:80 resolvers dns init-addr last\n"
                + FRONT);
        assertTrue(noMethod.contains("t.cfg:16") && noMethod.contains("no method found to resolve address"), noMethod);
        assertTrue(refusal(HEAD + "backend b\n    server s a.test:80 init-addr bogus\n" + FRONT)
                .contains("'init-addr' expects"));
        assertTrue(refusal(HEAD + "backend b\n    server s a.test:80 resolve-prefer ipv5\n" + FRONT)
                .contains("'resolve-prefer' expects one of 'ipv4' or 'ipv6'"));
        assertTrue(refusal(HEAD + "backend b\n    server s a.test:80 resolve-opts allow-dup\n" + FRONT)
                .contains("'resolve-opts' unknown option 'allow-dup'"));
        assertTrue(refusal(HEAD + "backend b\n    server s a.test:80 resolve-net 10.0.0.0/33\n" + FRONT)
                .contains("resolve-net"));
        assertTrue(refusal(HEAD + "backend b\n    server-template w 0 a.test:80 init-addr none\n" + FRONT)
                .contains("invalid range '0'"));
        assertTrue(refusal(HEAD + "backend b\n    server-template w 3-1 a.test:80 init-addr none\n" + FRONT)
                .contains("invalid range '3-1'"));
        assertTrue(refusal(HEAD + "backend b\n    server-template w 2 _http._tcp.a.test\n" + FRONT)
                .contains("needs a 'resolvers' section"));
    }

    @Test
    void sectionRefusals() {
        String tcp = refusal("resolvers r\n    nameserver ns tcp@127.0.0.1:53\n");
        assertTrue(tcp.contains("t.cfg:2") && tcp.contains("not supported yet") && tcp.contains("UDP"), tcp);
        String duplicate = refusal("resolvers r\n    nameserver ns 127.0.0.1:53\n    nameserver ns 127.0.0.2:53\n");
        assertTrue(duplicate.contains("t.cfg:3") && duplicate.contains("already declared"), duplicate);
        assertTrue(refusal("resolvers r\n    hold forever 1s\n").contains("'hold' expects one of"));
        assertTrue(refusal("resolvers r\n    timeout connect 1s\n").contains("'timeout' expects 'resolve' or 'retry'"));
        assertTrue(refusal("resolvers r\n    accepted_payload_size 100\n").contains("accepted_payload_size"));
        assertTrue(refusal("resolvers r\n    nameservr ns 127.0.0.1\n").contains("did you mean 'nameserver'"));
        String twice = refusal("resolvers r\nresolvers r\n");
        assertTrue(twice.contains("t.cfg:2") && twice.contains("same name as another resolvers section declared at "
                + "t.cfg:1"), twice);
    }

    @Test
    void nameserverWithoutPortUsesDns() {
        ServerResolution resolution = ConfigLoader.parse("t.cfg", """
                resolvers r
                    nameserver ns 192.0.2.53
                """ + HEAD.substring(0, HEAD.indexOf("resolvers")) + "backend b\n    server s a.test:80 resolvers r "
                + "init-addr none\n" + FRONT, Map.of()).config().map(c -> Compiler.compile(c).plan().backend("b")
                .servers().getFirst().resolution()).orElseThrow();
        assertEquals(List.of(new InetSocketAddress("192.0.2.53", 53)), resolution.resolvers().orElseThrow()
                .nameservers());
    }
}
