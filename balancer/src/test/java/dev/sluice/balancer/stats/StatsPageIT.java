package dev.sluice.balancer.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.NamedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stats page, CSV, JSON and Prometheus exporter read by real clients: curl, Debian's
 * {@code prometheus-haproxy-exporter} and headless Chromium.
 */
class StatsPageIT {
    private static final Duration CURL = Duration.ofSeconds(15);
    private static final String CONFIG = """
            global
                maxconn 500
            defaults
                mode http
                timeout client 5s
                timeout server 5s
                timeout connect 2s
            listen stats
                bind 127.0.0.1:%1$d
                stats enable
                stats uri /stats
                stats refresh 7s
                stats realm Sluice\\ Stats
                stats auth admin:secret
                stats auth ops:letmein
                stats admin if { src 127.0.0.2 }
                stats show-legends
            listen open
                bind 127.0.0.1:%2$d
                stats uri /
            frontend web
                bind 127.0.0.1:%3$d
                http-request use-service prometheus-exporter if { path /metrics }
                use_backend statsbe if { path_beg /be-stats }
                default_backend app
            backend statsbe
                stats uri /be-stats
            backend app
                server s1 %4$s weight 3
                server s2 %5$s
                server s3 127.0.0.1:9 disabled
            listen relay
                mode tcp
                bind 127.0.0.1:%6$d
                server r1 %4$s
            """;

    private static NamedServer s1;
    private static NamedServer s2;
    private static RunningBalancer balancer;
    private static int statsPort;
    private static int openPort;
    private static int webPort;
    private static int relayPort;

    @BeforeAll
    static void start() throws IOException {
        s1 = new NamedServer("s1");
        s2 = new NamedServer("s2");
        statsPort = Ports.free();
        openPort = Ports.free();
        webPort = Ports.free();
        relayPort = Ports.free();
        String text = CONFIG.formatted(statsPort, openPort, webPort, hostPort(s1.address()), hostPort(s2.address()),
                relayPort);
        LoadResult loaded = ConfigLoader.parse("stats.cfg", text, Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
        for (int i = 0; i < 4; i++) {
            curl(List.of("-sS", "-o", "/dev/null", "http://127.0.0.1:" + webPort + "/x" + i)).assertExit(0);
        }
        curl(List.of("-sS", "-o", "/dev/null", "http://127.0.0.1:" + webPort + "/missing-is-404-from-server"));
        curl(List.of("-sS", "-o", "/dev/null", "http://127.0.0.1:" + relayPort + "/through-tcp")).assertExit(0);
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (s1 != null) {
            s1.close();
        }
        if (s2 != null) {
            s2.close();
        }
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static ExternalProcess.Result curl(List<String> args) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "--max-time", "10"));
        command.addAll(args);
        return ExternalProcess.run("curl", command, CURL);
    }

    private static String statsUrl(String suffix) {
        return "http://127.0.0.1:" + statsPort + "/stats" + suffix;
    }

    @Test
    void withoutCredentialsTheAnswerIs401WithTheRealm() {
        String head = curl(List.of("-sS", "-i", statsUrl(""))).assertExit(0).output();
        assertTrue(head.startsWith("HTTP/1.1 401"), head);
        assertTrue(head.toLowerCase().contains("www-authenticate: basic realm=\"sluice stats\""), head);
        String wrong = curl(List.of("-sS", "-i", "-u", "admin:wrong", statsUrl(""))).assertExit(0).output();
        assertTrue(wrong.startsWith("HTTP/1.1 401"), wrong);
    }

    @Test
    void everyConfiguredUserGetsTheHtmlPageWithRefresh() {
        for (String user : List.of("admin:secret", "ops:letmein")) {
            String page = curl(List.of("-sS", "-i", "-u", user, statsUrl(""))).assertExit(0).output();
            assertTrue(page.startsWith("HTTP/1.1 200"), page);
            assertTrue(page.toLowerCase().contains("content-type: text/html"), page);
            assertTrue(page.toLowerCase().contains("refresh: 7"), page);
            assertTrue(page.contains("<caption>app"), page);
            assertTrue(page.contains("<td class=\"name\">s1</td><td class=\"up\">no check</td>"), page);
            assertTrue(page.contains("<td class=\"name\">s3</td><td class=\"maint\">MAINT</td>"), page);
            // Admin actions only for the admin condition's source address.
            assertFalse(page.contains("<form"), page);
        }
        String norefresh = curl(List.of("-sS", "-i", "-u", "admin:secret", statsUrl(";csv;norefresh")))
                .assertExit(0).output();
        assertFalse(norefresh.toLowerCase().contains("refresh:"), norefresh);
    }

    @Test
    void csvHasHaproxysHeaderAndCountsTheRequests() {
        String csv = curl(List.of("-sS", "-u", "admin:secret", statsUrl(";csv"))).assertExit(0).output();
        String[] lines = csv.split("\n");
        assertEquals(StatField.csvHeader().trim(), lines[0]);
        List<String> header = List.of(lines[0].substring(2).split(",", -1));
        Map<String, String> web = row(lines, header, "web", "FRONTEND");
        assertTrue(Long.parseLong(web.get("req_tot")) >= 5, web.toString());
        assertEquals("OPEN", web.get("status"));
        assertEquals("500", web.get("slim"));
        Map<String, String> app = row(lines, header, "app", "BACKEND");
        assertEquals("UP", app.get("status"));
        assertEquals("4", app.get("weight"), "s1 (3) + s2 (1), s3 in maintenance");
        assertEquals("50", app.get("slim"), "fullconn: a tenth of frontend web's limit (the global maxconn 500)");
        long s1Total = Long.parseLong(row(lines, header, "app", "s1").get("stot"));
        long s2Total = Long.parseLong(row(lines, header, "app", "s2").get("stot"));
        assertEquals(Long.parseLong(app.get("stot")), s1Total + s2Total);
        assertTrue(s1Total > s2Total, "weight 3 against 1: " + s1Total + " vs " + s2Total);
        assertEquals("MAINT", row(lines, header, "app", "s3").get("status"));
        assertTrue(Long.parseLong(web.get("hrsp_2xx")) >= 5, web.toString());
        assertTrue(Long.parseLong(web.get("bin")) > 0 && Long.parseLong(web.get("bout")) > 0, web.toString());
        // Server-side bytes include the heads: each request head is far more than 10 bytes.
        assertTrue(Long.parseLong(app.get("bout")) > 10 * Long.parseLong(app.get("stot")), app.toString());
        assertTrue(Long.parseLong(app.get("bin")) > Long.parseLong(app.get("bout")) / 4, app.toString());
        assertEquals("0", app.get("scur"), "every exchange ended");
        Map<String, String> relay = row(lines, header, "relay", "FRONTEND");
        assertEquals("tcp", relay.get("mode"));
        assertEquals("1", relay.get("stot"));
        assertTrue(Long.parseLong(relay.get("bin")) > 0 && Long.parseLong(relay.get("bout")) > 0, relay.toString());
        assertEquals("1", row(lines, header, "relay", "r1").get("stot"));
        assertEquals("1", row(lines, header, "relay", "BACKEND").get("stot"));
    }

    @Test
    void jsonIsValidTypedJson() {
        String json = curl(List.of("-sS", "-u", "admin:secret", statsUrl(";json"))).assertExit(0).output();
        Path file = Path.of("target", "stats-page.json");
        try {
            Files.writeString(file, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ExternalProcess.Result parsed = ExternalProcess.run("python3", List.of("python3", "-c",
                "import json,sys; d=json.load(open(sys.argv[1])); "
                        + "print(len(d), sorted({f['objType'] for r in d for f in r}), "
                        + "[f['value']['value'] for r in d for f in r if f['field']['name']=='svname'])",
                file.toString()), CURL).assertExit(0);
        assertTrue(parsed.output().startsWith("13 ['Backend', 'Frontend', 'Server']"), parsed.output());
        assertTrue(parsed.output().contains("'s1', 's2', 's3', 'BACKEND'"), parsed.output());
    }

    @Test
    void aBackendsStatsPageAnswersRequestsRoutedToItOnAKeptAliveConnection() {
        String url = "http://127.0.0.1:" + webPort + "/be-stats;csv";
        // Two requests on one connection (curl reuses it), then a proxied one on the same connection.
        String out = curl(List.of("-sS", "-v", url, url, "http://127.0.0.1:" + webPort + "/after")).assertExit(0)
                .output();
        assertEquals(2, out.split("# pxname,svname,", -1).length - 1, out);
        assertTrue(out.contains("Re-using existing connection"), out);
        assertTrue(out.contains("\nstatsbe,BACKEND,"), out);
        String head = curl(List.of("-sS", "-I", url)).assertExit(0).output();
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        assertTrue(head.toLowerCase().contains("content-type: text/plain"), head);
    }

    @Test
    void anOversizedBodyToTheStatsPageIsRefusedWith413() throws IOException {
        Path body = Files.createTempFile("stats-body", ".txt");
        try {
            Files.writeString(body, "s=x&".repeat(20_000));
            String reply = curl(List.of("-sS", "-i", "-u", "admin:secret", "--data-binary", "@" + body,
                    statsUrl(""))).assertExit(0).output();
            assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
        } finally {
            Files.delete(body);
        }
    }

    @Test
    void postWithoutAdminRightsIsRefused() {
        String reply = curl(List.of("-sS", "-i", "-u", "admin:secret", "-d", "b=app&action=drain&s=s1", statsUrl("")))
                .assertExit(0).output();
        assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
    }

    @Test
    void adminFormShowsForTheAdminConditionAndReportsWhatItCouldNotDo() {
        // 127.0.0.2 is loopback too: it satisfies "stats admin if { src 127.0.0.2 }".
        String page = curl(List.of("-sS", "--interface", "127.0.0.2", "-u", "admin:secret", statsUrl("")))
                .assertExit(0).output();
        assertTrue(page.contains("<form method=\"post\">"), page);
        String refused = curl(List.of("-sS", "--interface", "127.0.0.2", "-u", "admin:secret",
                "-d", "b=app&action=hrunn&s=s1", statsUrl(""))).assertExit(0).output();
        assertTrue(refused.contains("Action 'hrunn' applied to 0 of 1 servers. s1: action 'hrunn' is not supported"),
                refused);
        // The form runs the runtime API's server commands: the servers really change state.
        try {
            String done = curl(List.of("-sS", "--interface", "127.0.0.2", "-u", "admin:secret",
                    "-d", "b=%236&action=drain&s=s1&s=s2", statsUrl(""))).assertExit(0).output();
            assertTrue(done.contains("Action 'drain' applied to 2 of 2 servers."), done);
            String after = curl(List.of("-sS", "-u", "admin:secret", statsUrl(";csv"))).assertExit(0).output();
            assertEquals("DRAIN", csvField(after, "app", "s1", "status"), after);
            assertEquals("DRAIN", csvField(after, "app", "s2", "status"), after);
            assertEquals("DOWN", csvField(after, "app", "BACKEND", "status"), "every server drains: none takes new traffic");
        } finally {
            String ready = curl(List.of("-sS", "--interface", "127.0.0.2", "-u", "admin:secret",
                    "-d", "b=app&action=ready&s=s1&s=s2", statsUrl(""))).assertExit(0).output();
            assertTrue(ready.contains("Action 'ready' applied to 2 of 2 servers."), ready);
        }
        String back = curl(List.of("-sS", "-u", "admin:secret", statsUrl(";csv"))).assertExit(0).output();
        assertEquals("no check", csvField(back, "app", "s1", "status"), back);
        assertEquals("UP", csvField(back, "app", "BACKEND", "status"), back);
    }

    /** One field of the stats CSV, found by proxy, server and column name. */
    private static String csvField(String csv, String proxy, String server, String column) {
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].substring(2).split(",", -1));
        int index = header.indexOf(column);
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length > index && fields[0].equals(proxy) && fields[1].equals(server)) {
                return fields[index];
            }
        }
        throw new AssertionError("no line " + proxy + "/" + server + " in " + csv);
    }

    @Test
    void prometheusExporterServiceUsesHaproxysNames() {
        String metrics = curl(List.of("-sS", "-i", "http://127.0.0.1:" + webPort + "/metrics")).assertExit(0).output();
        assertTrue(metrics.toLowerCase().contains("content-type: text/plain; version=0.0.4"), metrics);
        assertTrue(metrics.contains("# TYPE haproxy_frontend_http_requests_total counter"), metrics);
        assertTrue(metrics.contains("haproxy_frontend_current_sessions{proxy=\"web\"} 1"), metrics);
        assertTrue(metrics.contains("haproxy_server_status{proxy=\"app\",server=\"s3\",state=\"MAINT\"} 1"), metrics);
        assertTrue(metrics.contains("haproxy_server_status{proxy=\"app\",server=\"s1\",state=\"UP\"} 1"), metrics);
        assertTrue(metrics.contains("haproxy_backend_http_responses_total{proxy=\"app\",code=\"2xx\"}"), metrics);
        assertTrue(metrics.contains("haproxy_process_nbthread "), metrics);
        // Paths other than the rule's go to the servers.
        String other = curl(List.of("-sS", "http://127.0.0.1:" + webPort + "/metricsx")).assertExit(0).output();
        assertTrue(other.startsWith("s"), other);
    }

    @Test
    void debiansHaproxyExporterScrapesTheCsv() {
        int exporterPort = Ports.free();
        try (ExternalProcess exporter = ExternalProcess.start("prometheus-haproxy-exporter", List.of(
                "prometheus-haproxy-exporter", "--web.listen-address=127.0.0.1:" + exporterPort,
                "--haproxy.scrape-uri=http://127.0.0.1:" + openPort + "/;csv"))) {
            exporter.awaitListening("127.0.0.1", exporterPort, Duration.ofSeconds(20));
            String metrics = curl(List.of("-sS", "http://127.0.0.1:" + exporterPort + "/metrics")).assertExit(0).output();
            assertTrue(metrics.contains("haproxy_up 1"), metrics);
            long requests = value(metrics, "haproxy_frontend_http_requests_total{frontend=\"web\"}");
            assertTrue(requests >= 5, "requests " + requests);
            assertEquals(1, value(metrics, "haproxy_server_up{backend=\"app\",server=\"s1\"}"));
            assertEquals(0, value(metrics, "haproxy_server_up{backend=\"app\",server=\"s3\"}"));
            assertEquals(1, value(metrics, "haproxy_backend_up{backend=\"app\"}"));
            assertEquals(3, value(metrics, "haproxy_server_weight{backend=\"app\",server=\"s1\"}"));
            long sessions = value(metrics, "haproxy_server_sessions_total{backend=\"app\",server=\"s1\"}")
                    + value(metrics, "haproxy_server_sessions_total{backend=\"app\",server=\"s2\"}");
            assertEquals(value(metrics, "haproxy_backend_sessions_total{backend=\"app\"}"), sessions);
            assertTrue(metrics.contains("haproxy_exporter_csv_parse_failures_total 0"), metrics);
        }
    }

    @Test
    void chromiumScreenshotOfThePageIsNotBlank() throws IOException {
        Path png = Path.of("target", "stats-page.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Path profile = Files.createTempDirectory("chromium-profile");
        ExternalProcess.run("chromium", List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--user-data-dir=" + profile, "--screenshot=" + png,
                "--window-size=1600,900", "http://127.0.0.1:" + openPort + "/"), Duration.ofSeconds(60));
        assertTrue(Files.size(png) > 10_000, "screenshot size " + Files.size(png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1600, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "distinct colours: " + colours.size());
        // The status colours of the page are there: green for up, grey for maintenance.
        assertTrue(colours.contains(0xFFB9F0B9), "no green status cell");
        assertTrue(colours.contains(0xFFC8C8D8), "no grey maintenance cell");
    }

    private static Map<String, String> row(String[] lines, List<String> header, String proxy, String name) {
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length > 2 && fields[0].equals(proxy) && fields[1].equals(name)) {
                Map<String, String> row = new java.util.HashMap<>();
                for (int i = 0; i < header.size() && i < fields.length; i++) {
                    row.put(header.get(i), fields[i]);
                }
                return row;
            }
        }
        throw new AssertionError("no line " + proxy + "/" + name);
    }

    private static long value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in\n" + metrics);
    }
}
