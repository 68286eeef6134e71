package dev.sluice.balancer.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime API through socat, side by side with Debian's haproxy 2.6 running the same
 * configuration: the replies that do not depend on live figures must match (help lines, errors,
 * {@code show info} names, the {@code show stat} header and configuration fields, {@code show
 * servers state}, prompt mode, levels, {@code stats timeout}).
 */
class RuntimeApiIT {
    private static final Duration SOCAT = Duration.ofSeconds(20);
    private static final String CONFIG = """
            global
                maxconn 500
                stats socket %1$s/admin.sock mode 600 level admin
                stats socket %1$s/user.sock level user
                stats socket ipv4@127.0.0.1:%2$d level operator
                stats timeout 2s
            defaults
                mode http
                timeout client 5s
                timeout server 5s
                timeout connect 2s
            listen stats
                bind 127.0.0.1:%3$d
                stats enable
                stats uri /stats
            frontend web
                bind 127.0.0.1:%4$d
                default_backend app
            backend app
                balance leastconn
                server s1 127.0.0.1:9 weight 3
                server s2 127.0.0.1:10 disabled
                server s3 127.0.0.1:11 backup
            """;

    private static Path ours;
    private static Path theirs;
    private static int ourTcp;
    private static int theirTcp;
    private static RunningBalancer balancer;
    private static ExternalProcess haproxy;

    @BeforeAll
    static void start() throws IOException {
        ours = Files.createTempDirectory("sluice-cli");
        theirs = Files.createTempDirectory("haproxy-cli");
        ourTcp = Ports.free();
        theirTcp = Ports.free();
        String ourConfig = CONFIG.formatted(ours, ourTcp, Ports.free(), Ports.free());
        LoadResult loaded = ConfigLoader.parse("cli.cfg", ourConfig, Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
        Path file = theirs.resolve("haproxy.cfg");
        Files.writeString(file, CONFIG.formatted(theirs, theirTcp, Ports.free(), Ports.free()));
        haproxy = ExternalProcess.start("haproxy-cli", List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()));
        haproxy.awaitListening("127.0.0.1", theirTcp, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
    }

    /** What socat prints for {@code input} sent to a socket of {@code dir}'s process. */
    private static String ask(Path dir, String socket, String input) {
        String target = socket.equals("tcp")
                ? "TCP:127.0.0.1:" + (dir == ours ? ourTcp : theirTcp)
                : "UNIX-CONNECT:" + dir.resolve(socket);
        ExternalProcess.Result result = ExternalProcess.run("socat", List.of("bash", "-c",
                input + " | socat -t 5 stdio " + target), SOCAT);
        if (!input.contains("sleep")) {
            result.assertExit(0);
        }
        // Writing after the server closed an idle session makes socat complain (exit 1): not a reply.
        return result.output().replaceAll("(?m)^.*socat\\[\\d+\\] E .*\n?", "");
    }

    private static String ours(String command) {
        return ask(ours, "admin.sock", "echo '" + command + "'");
    }

    private static String theirs(String command) {
        return ask(theirs, "admin.sock", "echo '" + command + "'");
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    @Test
    void showStatHeaderAndConfigurationFieldsMatch() {
        List<String> mine = lines(ours("show stat"));
        List<String> haproxys = lines(theirs("show stat"));
        assertEquals(haproxys.get(0), mine.get(0), "header");
        assertEquals(haproxys.size(), mine.size(), String.join("\n", mine));
        List<String> header = List.of(mine.get(0).substring(2).split(","));
        for (int i = 1; i < mine.size(); i++) {
            if (mine.get(i).isEmpty()) {
                assertEquals("", haproxys.get(i));
                continue;
            }
            String[] a = mine.get(i).split(",", -1);
            String[] b = haproxys.get(i).split(",", -1);
            assertEquals(b.length, a.length, "columns of line " + i);
            for (String field : List.of("pxname", "svname", "status", "weight", "act", "bck", "pid", "iid", "sid",
                    "type", "mode", "algo", "addr", "uweight")) {
                int column = header.indexOf(field);
                assertEquals(b[column], a[column], field + " of " + haproxys.get(i));
            }
        }
    }

    @Test
    void showStatFiltersLikeHaproxy() {
        for (String command : List.of("show stat -1 4 -1", "show stat 4 -1 -1", "show stat 4 4 2", "show stat up",
                "show stat no-maint")) {
            List<String> mine = lines(ours(command));
            List<String> haproxys = lines(theirs(command));
            assertEquals(names(haproxys), names(mine), command);
        }
    }

    private static List<String> names(List<String> csv) {
        List<String> names = new ArrayList<>();
        for (String line : csv) {
            if (!line.startsWith("#") && !line.isEmpty()) {
                String[] fields = line.split(",");
                names.add(fields[0] + "/" + fields[1]);
            }
        }
        return names;
    }

    @Test
    void showInfoHasHaproxysFieldNamesInItsOrder() {
        assertEquals(names(theirs("show info"), ':'), names(ours("show info"), ':'));
    }

    private static List<String> names(String text, char separator) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\n")) {
            int at = line.indexOf(separator);
            if (at > 0) {
                names.add(line.substring(0, at));
            }
        }
        return names;
    }

    @Test
    void helpLinesAreHaproxys() {
        List<String> mine = lines(ours("help"));
        List<String> haproxys = lines(theirs("help"));
        assertEquals(haproxys.get(0), mine.get(0));
        for (String line : mine) {
            assertTrue(haproxys.contains(line), "not in haproxy's help: '" + line + "'");
        }
        // help, prompt and quit close the list in both, followed by the empty line that ends a reply.
        assertEquals(haproxys.subList(haproxys.size() - 5, haproxys.size()), mine.subList(mine.size() - 5, mine.size()));
    }

    @Test
    void unknownCommandGetsHaproxysReply() {
        List<String> mine = lines(ours("frobnicate the server"));
        List<String> haproxys = lines(theirs("frobnicate the server"));
        assertEquals(haproxys.get(0), mine.get(0));
        assertEquals(haproxys.subList(haproxys.size() - 5, haproxys.size()), mine.subList(mine.size() - 5, mine.size()));
    }

    @Test
    void showServersStateMatchesExceptTheTimeSinceTheLastChange() {
        List<String> mine = lines(ours("show servers state"));
        List<String> haproxys = lines(theirs("show servers state"));
        assertEquals(haproxys.subList(0, 2), mine.subList(0, 2));
        assertEquals(haproxys.size(), mine.size());
        for (int i = 2; i < mine.size(); i++) {
            assertEquals(withoutTime(haproxys.get(i)), withoutTime(mine.get(i)));
        }
        assertEquals(lines(theirs("show servers state app")).size(), lines(ours("show servers state app")).size());
        assertEquals(theirs("show servers state nosuch"), ours("show servers state nosuch"));
    }

    @Test
    void serverCommandsAnswerAndActAsHaproxys() {
        List<String> commands = List.of("get weight app/s1", "set weight app/s1 50%", "get weight app/s1",
                "set server app/s1 weight 3", "get weight app/s1", "set server app/s1 state drain",
                "show servers state app", "STATUS", "set server app/s1 state maint", "show servers state app", "STATUS",
                "set server app/s1 state ready", "disable server app/s3", "show servers state app", "STATUS",
                "enable server app/s3", "show servers state app", "STATUS",
                "set server nosuch/s1 state ready", "set server app/zz state ready", "set server app/s1 state bogus",
                "set server app/s1", "set weight app/s1 300", "set weight app/s1 x", "get weight app",
                "enable health app/s1", "disable health app/s1", "set maxconn server app/s1 x",
                "set maxconn server app/s1 50", "show servers state app");
        for (String command : commands) {
            if (command.equals("STATUS")) {
                String mine = ours("show stat");
                String haproxys = theirs("show stat");
                for (String server : List.of("s1", "s2", "s3", "BACKEND")) {
                    for (String column : List.of("status", "weight", "act", "bck", "check_status")) {
                        assertEquals(field(haproxys, server, column), field(mine, server, column),
                                column + " of " + server + "\n" + mine);
                    }
                }
                continue;
            }
            List<String> mine = lines(ours(command)).stream().map(RuntimeApiIT::withoutTime).toList();
            List<String> haproxys = lines(theirs(command)).stream().map(RuntimeApiIT::withoutTime).toList();
            assertEquals(haproxys, mine, command);
        }
        // A user-level session may read but not change.
        assertEquals(ask(theirs, "user.sock", "echo 'set server app/s1 state drain'"),
                ask(ours, "user.sock", "echo 'set server app/s1 state drain'"));
        assertEquals(ask(theirs, "user.sock", "echo 'get weight app/s1'"), ask(ours, "user.sock", "echo 'get weight app/s1'"));
    }

    /** One column of the {@code app} line for {@code server} in a {@code show stat} CSV. */
    private static String field(String csv, String server, String column) {
        String[] rows = csv.split("\n");
        int index = List.of(rows[0].substring(2).split(",", -1)).indexOf(column);
        for (String row : rows) {
            String[] fields = row.split(",", -1);
            if (fields[0].equals("app") && fields[1].equals(server)) {
                return fields[index];
            }
        }
        throw new AssertionError("no app/" + server + " line in " + csv);
    }

    private static String withoutTime(String line) {
        String[] fields = line.split(" ", -1);
        if (fields.length > 9) {
            fields[9] = "T";
        }
        return String.join(" ", fields);
    }

    @Test
    void severalCommandsOnOneLine() {
        String command = "show cli level; show cli level;show cli level";
        assertEquals(theirs(command), ours(command));
        assertEquals("admin\n\nadmin\n\nadmin\n\n", ours(command));
    }

    @Test
    void promptModeKeepsTheSessionUntilQuit() {
        String input = "printf 'prompt\\nshow cli level\\nhelp prompt\\nquit\\n'";
        String mine = ask(ours, "admin.sock", input);
        assertEquals(ask(theirs, "admin.sock", input), mine);
        assertTrue(mine.contains("> admin\n"), mine);
    }

    @Test
    void levelsComeFromTheSocketAndOnlyGoDown() {
        for (String socket : List.of("user.sock", "tcp")) {
            for (String command : List.of("show cli level", "operator; show cli level", "user; show cli level",
                    "show stat -1 1 -1")) {
                String input = "echo '" + command + "'";
                assertEquals(ask(theirs, socket, input), ask(ours, socket, input), socket + ": " + command);
            }
        }
        assertEquals("user\n\n", ask(ours, "user.sock", "echo 'show cli level'"));
        assertEquals("operator\n\n", ask(ours, "tcp", "echo 'show cli level'"));
    }

    @Test
    void statsTimeoutEndsAnIdleSession() {
        // Ours only: haproxy 2.6 was seen (2 runs of 4 under load) to answer after its 2 s stats
        // timeout in prompt mode, so its reply is no reference here. Within the timeout the session
        // answers; past it, nothing answers (socat's write then fails: the session was closed).
        String within = ask(ours, "admin.sock", "(printf 'prompt\\n'; sleep 0.5; printf 'show cli level\\n'; sleep 0.5)");
        assertTrue(within.contains("admin"), within);
        String mine = ask(ours, "admin.sock", "(printf 'prompt\\n'; sleep 5; printf 'show cli level\\n')");
        assertFalse(mine.contains("admin"), mine);
    }

    @Test
    void unixSocketModeIsApplied() throws IOException {
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ours.resolve("admin.sock"))));
    }
}
