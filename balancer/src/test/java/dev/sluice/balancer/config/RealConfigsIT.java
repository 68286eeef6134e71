package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Configurations people really run (Debian's examples and default file, public repositories; each
 * names its source on its first line) checked with {@code -c} by Debian's haproxy 2.6 and by
 * {@code scripts/balancer}, both started in the directory of the files so that the relative
 * errorfile, map and certificate names resolve alike. Both must agree on valid or invalid, except
 * for the configurations listed in {@link #REFUSED_ON_PURPOSE}: haproxy accepts them, we refuse
 * them, and our refusal must give the listed reason.
 */
class RealConfigsIT {

    static final Path DIR = Path.of("src/test/resources/realworld");
    private static final Duration CHECK = Duration.ofSeconds(60);

    /**
     * What we refuse although HAProxy 2.6 accepts it, by design or not yet, with the words our
     * refusal must contain. Each entry is the first refusal of that file.
     */
    static final Map<String, String> REFUSED_ON_PURPOSE = Map.ofEntries(
            // TLS ends in sluice-terminator, in front of the balancer.
            Map.entry("debian-basic-config-edge.cfg", "'ssl' is refused: TLS is terminated by sluice-terminator"),
            Map.entry("gh-xray-sni.cfg", "'ssl' is refused: TLS is terminated by sluice-terminator"),
            // Transparent proxying from the client's address (IP_TRANSPARENT).
            Map.entry("debian-transparent_proxy.cfg", "'usesrc' is not supported yet (sluice-balancer does not "
                    + "connect from the client's address"),
            // systemd supervises the process; Lua, SPOE filters, SOCKS4 and peers are not implemented.
            Map.entry("gh-basedflare.cfg", "'master-worker' in 'global' section is not supported yet "
                    + "(sluice-balancer runs under systemd"),
            Map.entry("gh-coraza-waf.cfg", "'filter' in 'frontend' section is not supported yet"),
            Map.entry("gh-spoa-firehol.cfg", "'filter' in 'frontend' section is not supported yet"),
            Map.entry("debian-socks4.cfg", "'socks4' is not supported yet"),
            Map.entry("gh-ansible-peers.cfg", "'server-state-file' in 'global' section is not supported yet"),
            // A server reached at the request's own destination (set-dst url_ip) is not implemented.
            Map.entry("debian-option-http_proxy.cfg", "a server without a port ('0.0.0.0') is not supported yet"),
            // SO_BINDTODEVICE on listeners is not implemented.
            Map.entry("gh-terraform-lb.cfg", "'interface' is not supported yet"));

    static Stream<String> configs() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg")).sorted().toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void thereAreThirtyOrMoreAndEachNamesItsSource() throws IOException {
        List<String> names = configs().toList();
        assertTrue(names.size() >= 30, names.toString());
        for (String name : names) {
            String first = Files.readAllLines(DIR.resolve(name)).get(0);
            assertTrue(first.startsWith("# source: "), name + ": " + first);
        }
        for (String listed : REFUSED_ON_PURPOSE.keySet()) {
            assertTrue(names.contains(listed), listed);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void haproxyAndWeAgree(String name) {
        ExternalProcess.Result theirs = check(name, List.of(Sluice.tool("haproxy"), "-c", "-f", name));
        ExternalProcess.Result ours = check(name, Sluice.command("balancer", "-c", "-f", name));
        String both = "haproxy (exit " + theirs.exit() + "):\n" + theirs.output() + "\nours (exit " + ours.exit()
                + "):\n" + ours.output();
        String reason = REFUSED_ON_PURPOSE.get(name);
        if (reason != null) {
            assertEquals(0, theirs.exit(), both);
            assertEquals(Check.INVALID, ours.exit(), both);
            assertTrue(ours.output().contains(reason), both);
            return;
        }
        assertEquals(theirs.exit() == 0, ours.exit() == 0, both);
        assertFalse(ours.exit() != 0 && ours.output().contains("not supported yet"), both);
    }

    private static ExternalProcess.Result check(String name, List<String> command) {
        try (ExternalProcess process = ExternalProcess.start("check-" + name, command, Map.of(),
                DIR.toAbsolutePath())) {
            int exit = process.awaitExit(CHECK);
            return new ExternalProcess.Result(exit, process.output());
        }
    }
}
