package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.parse.LocalPeerName;
import dev.sluice.balancer.runtime.PeersPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.stick.TableSpec;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code peers} sections, {@code localpeer}, {@code -L} and {@code stick-table … peers}: from text to
 * the plan, HAProxy 2.6's warnings when the local peer is missing, and the refusals with file:line.
 */
class PeersConfigTest {

    private static final String PROXIES = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            frontend f
                bind 127.0.0.1:18998
                default_backend b
            backend b
                stick-table type ip size 1k expire 30s store server_id,gpc0 peers mesh
                stick on src
                server s1 127.0.0.1:9001
            """;

    private static LoadResult load(String text, String localPeer) {
        return ConfigLoader.parse("t.cfg", text, Map.of(), localPeer);
    }

    private static RuntimePlan plan(String text, String localPeer) {
        LoadResult result = load(text, localPeer);
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan();
    }

    private static String refusal(String text, String localPeer) {
        LoadResult result = load(text, localPeer);
        assertFalse(result.isValid(), text);
        return result.render();
    }

    @Test
    void peerLinesNameTheLocalPeerAndTheRemoteOnes() {
        RuntimePlan plan = plan("""
                peers mesh
                    peer A 127.0.0.1:10001
                    peer B 127.0.0.2:10002
                    peer C [::1]:10003
                """ + PROXIES, "B");
        assertEquals(List.of(new PeersPlan.Section("mesh", "B", new InetSocketAddress("127.0.0.2", 10002), List.of(
                new PeersPlan.Remote("A", new InetSocketAddress("127.0.0.1", 10001)),
                new PeersPlan.Remote("C", new InetSocketAddress("::1", 10003))))), plan.peers().sections());
        TableSpec table = plan.stickTables().getFirst();
        assertEquals(Optional.of("mesh"), table.peers());
    }

    @Test
    void theBindAndServerFormListensOnTheBind() {
        RuntimePlan plan = plan("""
                peers mesh
                    bind 127.0.0.1:10001
                    server A
                    server B 127.0.0.1:10002
                """ + PROXIES, "A");
        assertEquals(List.of(new PeersPlan.Section("mesh", "A", new InetSocketAddress("127.0.0.1", 10001), List.of(
                new PeersPlan.Remote("B", new InetSocketAddress("127.0.0.1", 10002))))), plan.peers().sections());
    }

    @Test
    void theCommandLineNameWinsOverLocalpeerWhichWinsOverTheHostName() {
        String text = """
                global
                    localpeer B
                peers mesh
                    peer A 127.0.0.1:10001
                    peer B 127.0.0.1:10002
                """ + PROXIES;
        assertEquals("B", plan(text, null).peers().sections().getFirst().localName());
        assertEquals("A", plan(text, "A").peers().sections().getFirst().localName());
        String host = LocalPeerName.hostName();
        RuntimePlan byHost = plan("""
                peers mesh
                    peer %s 127.0.0.1:10001
                    peer other 127.0.0.1:10002
                """.formatted(host) + PROXIES, null);
        assertEquals(host, byHost.peers().sections().getFirst().localName());
    }

    @Test
    void aSectionWithoutTheLocalPeerIsRemovedWithHaproxysWarning() {
        LoadResult result = load("""
                peers mesh
                    peer A 127.0.0.1:10001
                    peer B 127.0.0.1:10002
                """ + PROXIES, "X");
        assertTrue(result.isValid(), result.render());
        assertTrue(result.render().contains("t.cfg:1") && result.render().contains(
                "Removing incomplete section 'peers mesh' (no peer named 'X')."), result.render());
        assertTrue(Compiler.compile(result.config().orElseThrow()).plan().peers().isEmpty());
    }

    @Test
    void aDisabledSectionDoesNotRunAndEnabledTurnsItBackOn() {
        String text = """
                peers mesh
                    disabled
                    peer A 127.0.0.1:10001
                """;
        assertTrue(plan(text + PROXIES, "A").peers().isEmpty());
        assertEquals(1, plan(text + "    enabled\n" + PROXIES, "A").peers().sections().size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "peers|t.cfg:1|missing name for peers section.",
        "peers mesh extra|t.cfg:1|'peers' expects <name> as the only argument",
        "peers mesh\\n    peer A 127.0.0.1:10001\\n    peer A 127.0.0.1:10002|t.cfg:3|'peer A' : peer name already declared at t.cfg:2",
        "peers mesh\\n    peer A 127.0.0.1|t.cfg:2|missing or invalid port",
        "peers mesh\\n    peer A localhost:10001|t.cfg:2|a host name ('localhost') is not supported here",
        "peers mesh\\n    peer A|t.cfg:2|'peer A' expects <addr:port> after the name",
        "peers mesh\\n    peer A 127.0.0.1:10001 ssl|t.cfg:2|setting 'ssl' is not supported yet for peers",
        "peers mesh\\n    peer A 127.0.0.1:10001\\n    table t type ip size 1k|t.cfg:3|'table' is not supported yet in 'peers' section",
        "peers mesh\\n    peer A 127.0.0.1:10001\\n    timeout connect 1s|t.cfg:3|unknown keyword 'timeout' in 'peers' section",
        "peers mesh\\n    peer A 127.0.0.1:10001\\npeers mesh\\n    peer A 127.0.0.1:10001|t.cfg:3|peers section 'mesh' has the same name as another peers section declared at t.cfg:1.",
        "peers mesh\\n    bind 127.0.0.1:10001\\n    server A\\n    server B|t.cfg:4|'server B' : missing address",
        "peers mesh\\n    server A\\n    server B 127.0.0.1:10002|t.cfg:2|the local peer has no address",
        "peers other\\n    peer A 127.0.0.1:10001|t.cfg:12|Proxy 'b': unable to find sync peers 'mesh'.",
    })
    void refusals(String lines, String where, String message) {
        String rendered = refusal(lines.replace("\\n", "\n") + "\n" + PROXIES, "A");
        assertTrue(rendered.lines().anyMatch(l -> l.contains(where) && l.contains(message)), rendered);
    }

    @Test
    void peerSettingsHaproxyIgnoresAreIgnoredWithItsWarning() {
        LoadResult result = load("""
                peers mesh
                    peer A 127.0.0.1:10001
                    peer B 127.0.0.1:10002 check
                """ + PROXIES, "A");
        assertTrue(result.isValid(), result.render());
        assertTrue(result.render().contains("'peer B' : init_addr, resolvers, check and agent are ignored for peers."),
                result.render());
    }
}
