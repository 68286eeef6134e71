package dev.sluice.balancer.config.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.lex.Line;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parse-resolv-conf} and the name server address forms of a {@code resolvers} section. */
class ResolversDraftTest {

    private static final SourceLocation HERE = new SourceLocation("t.cfg", 3);

    @Test
    void parseResolvConfAddsEachNameserverInPlace(@TempDir Path dir) throws Exception {
        Path resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, """
                # comment
                search example.org
                nameserver 192.0.2.1
                nameserver not-an-address
                nameserver 2001:db8::53
                options ndots:2
                """);
        ResolversDraft draft = new ResolversDraft(HERE, "r", resolvConf);
        Diagnostics diagnostics = new Diagnostics();
        draft.apply(new Line(HERE, List.of("nameserver", "first", "127.0.0.1:5353")), diagnostics);
        draft.apply(new Line(HERE, List.of("parse-resolv-conf")), diagnostics);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("192.0.2.1", 53),
                new InetSocketAddress("2001:db8::53", 53)), draft.build().nameservers());
        assertEquals(1, diagnostics.list().size());
        assertTrue(diagnostics.list().getFirst().message().contains(resolvConf + ":4"), diagnostics.list().toString());
    }

    @Test
    void missingResolvConfIsAnError(@TempDir Path dir) {
        ResolversDraft draft = new ResolversDraft(HERE, "r", dir.resolve("absent"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> draft.apply(new Line(HERE, List.of("parse-resolv-conf")), new Diagnostics()));
        assertTrue(e.getMessage().contains("could not read"), e.getMessage());
    }

    @Test
    void addressForms() throws ConfigException {
        assertEquals(new InetSocketAddress("10.0.0.1", 53), ResolversDraft.datagramAddress("10.0.0.1"));
        assertEquals(new InetSocketAddress("10.0.0.1", 5353), ResolversDraft.datagramAddress("udp@10.0.0.1:5353"));
        assertEquals(new InetSocketAddress("::1", 53), ResolversDraft.datagramAddress("::1"));
        assertEquals(new InetSocketAddress("::1", 5353), ResolversDraft.datagramAddress("[::1]:5353"));
        assertEquals(new InetSocketAddress("::1", 5353), ResolversDraft.datagramAddress("ipv6@[::1]:5353"));
        assertThrows(ConfigException.class, () -> ResolversDraft.datagramAddress("tcp@10.0.0.1:53"));
        assertThrows(ConfigException.class, () -> ResolversDraft.datagramAddress("ns.example.org:53"));
        assertThrows(ConfigException.class, () -> ResolversDraft.datagramAddress("10.0.0.1:0"));
        assertThrows(ConfigException.class, () -> ResolversDraft.datagramAddress("[::1"));
    }
}
