package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.support.SideBySide;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code replace-path}, {@code replace-pathq}, {@code replace-uri}, {@code set-pathq} and the
 * pattern-changing actions {@code add-acl}, {@code del-acl}, {@code set-map}, {@code del-map}, run
 * in Debian's haproxy 2.6 and in ours on the same configuration: the same answers to the same
 * requests, in the same order (the pattern actions change what later requests see).
 */
class RewriteActionsDifferentialIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String CONFIG = """
            defaults
                mode http
                timeout client 5s
                timeout server 5s
                timeout connect 1s
            frontend rewrites
                bind 127.0.0.1:%1$d
                http-request replace-path /foo/(.*) /\\1%%[req.hdr(x-s)] if { req.hdr(x-m) path }
                http-request replace-pathq /foo/(.*) /z\\1 if { req.hdr(x-m) pathq }
                http-request replace-uri ^/u/([^/]*)/(.*) /h/\\2/\\1 if { req.hdr(x-m) uri }
                http-request set-pathq /new?a=b if { req.hdr(x-m) setpq }
                http-request replace-path ^/(.*) /\\x41\\1\\q if { req.hdr(x-m) esc }
                http-request return status 200 content-type text/plain lf-string "%%[url]|%%[path]|%%[query]"
            frontend patterns
                bind 127.0.0.1:%2$d
                acl isblocked req.hdr(x-k) -f %3$s/bl.lst
                http-request add-acl(%3$s/bl.lst) %%[req.hdr(x-add)] if { req.hdr(x-add) -m found }
                http-request del-acl(%3$s/bl.lst) %%[req.hdr(x-del)] if { req.hdr(x-del) -m found }
                http-request set-map(%3$s/mm.map) %%[req.hdr(x-k)] %%[req.hdr(x-v)] if { req.hdr(x-v) -m found }
                http-request del-map(%3$s/mm.map) %%[req.hdr(x-k)] if { req.hdr(x-dm) -m found }
                http-request add-acl(%3$s/none.lst) %%[req.hdr(x-k)] if { req.hdr(x-none) -m found }
                http-request return status 403 content-type text/plain string blocked if isblocked
                http-request return status 200 content-type text/plain lf-string "v=%%[req.hdr(x-k),map(%3$s/mm.map,none)]"
            """;

    private Path dir;

    @BeforeEach
    void files() throws IOException {
        dir = Files.createTempDirectory("rewrites");
        Files.writeString(dir.resolve("bl.lst"), "evil\n");
        Files.writeString(dir.resolve("mm.map"), "a 1\n");
    }

    @AfterEach
    void clean() throws IOException {
        try (var paths = Files.list(dir)) {
            for (Path p : paths.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** Each request's status line and body, from one side started on its own ports. */
    private List<String> run(boolean haproxy, List<String[]> requests) throws IOException {
        int rewrites = Ports.free();
        int patterns = Ports.free();
        Path config = dir.resolve(haproxy ? "haproxy.cfg" : "sluice.cfg");
        Files.writeString(config, CONFIG.formatted(rewrites, patterns, dir));
        List<String> seen = new ArrayList<>();
        try (ExternalProcess side = SideBySide.start(haproxy, config)) {
            side.awaitListening("127.0.0.1", patterns, TIMEOUT);
            for (String[] r : requests) {
                List<String> command = new ArrayList<>(List.of("curl", "-sS", "--path-as-is", "-w", " %{http_code}"));
                for (int i = 2; i < r.length; i++) {
                    command.add("-H");
                    command.add(r[i]);
                }
                command.add("http://127.0.0.1:" + (r[0].equals("rw") ? rewrites : patterns) + r[1]);
                seen.add(String.join(" ", r) + " => "
                        + ExternalProcess.run("curl", command, TIMEOUT).assertExit(0).output().strip());
            }
        }
        return seen;
    }

    private void sameAsHaproxy(List<String[]> requests) throws IOException {
        assertEquals(run(true, requests), run(false, requests));
    }

    @Test
    void requestLineRewrites() throws IOException {
        sameAsHaproxy(List.of(new String[] {"rw", "/x/foo/bar?q=1", "x-m: path", "x-s: S"},
                new String[] {"rw", "/nomatch?q", "x-m: path"}, new String[] {"rw", "/foo/?x", "x-m: path", "x-s: S"},
                new String[] {"rw", "/foo/bar?q=1", "x-m: pathq"}, new String[] {"rw", "/u/one/two?c", "x-m: uri"},
                new String[] {"rw", "/rel/x", "x-m: uri"}, new String[] {"rw", "/old/p?x=1", "x-m: setpq"},
                new String[] {"rw", "/abc?d", "x-m: esc"}, new String[] {"rw", "/plain", "x-m: none"}));
    }

    @Test
    void rulesChangeTheListsLaterRequestsSee() throws IOException {
        sameAsHaproxy(List.of(new String[] {"pt", "/", "x-k: evil"}, new String[] {"pt", "/", "x-k: bad"},
                new String[] {"pt", "/", "x-add: bad"}, new String[] {"pt", "/", "x-add: bad"},
                new String[] {"pt", "/", "x-k: bad"}, new String[] {"pt", "/", "x-del: bad"},
                new String[] {"pt", "/", "x-k: bad"}, new String[] {"pt", "/", "x-k: a"},
                new String[] {"pt", "/", "x-k: b", "x-v: 2"}, new String[] {"pt", "/", "x-k: b"},
                new String[] {"pt", "/", "x-k: b", "x-v: 3"}, new String[] {"pt", "/", "x-k: b"},
                new String[] {"pt", "/", "x-k: b", "x-dm: 1"}, new String[] {"pt", "/", "x-k: b"},
                new String[] {"pt", "/", "x-k: z", "x-none: 1"}, new String[] {"pt", "/", "x-add: evil"},
                new String[] {"pt", "/", "x-k: evil"}));
    }
}
