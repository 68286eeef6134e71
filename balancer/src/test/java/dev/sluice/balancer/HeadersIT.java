package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.IpNetwork;
import dev.sluice.balancer.support.Plans;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What exactly reaches the server: forwardfor lines and hop-by-hop removal, seen as raw bytes. */
class HeadersIT {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static String forward(ForwardFor front, ForwardFor back, String request) {
        try (ScriptedServer server = new ScriptedServer(OK);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).forwardFor(front, back).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            assertEquals(200, client.send(request).read().status());
            return server.heads().getFirst();
        }
    }

    private static List<String> lines(String head, String name) {
        return head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")).toList();
    }

    @Test
    void forwardforAppendsASeparateLine() {
        String head = forward(ForwardFor.ENABLED, ForwardFor.DISABLED,
                "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.9\r\n\r\n");
        assertEquals(List.of("X-Forwarded-For: 198.51.100.9", "X-Forwarded-For: 127.0.0.1"), lines(head, "x-forwarded-for"));
    }

    @Test
    void forwardforIfNoneKeepsTheClientsHeaderAlone() {
        ForwardFor ifNone = new ForwardFor(true, null, ForwardFor.DEFAULT_HEADER, true);
        assertEquals(List.of("X-Forwarded-For: 198.51.100.9"), lines(forward(ifNone, ForwardFor.DISABLED,
                "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 198.51.100.9\r\n\r\n"), "x-forwarded-for"));
        assertEquals(List.of("X-Forwarded-For: 127.0.0.1"), lines(forward(ifNone, ForwardFor.DISABLED,
                "GET / HTTP/1.1\r\nHost: a\r\n\r\n"), "x-forwarded-for"));
    }

    @Test
    void forwardforExceptSkipsMatchingClients() {
        ForwardFor except = new ForwardFor(true, IpNetwork.parse("127.0.0.0/8"), ForwardFor.DEFAULT_HEADER, false);
        assertTrue(lines(forward(except, ForwardFor.DISABLED, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"), "x-forwarded-for").isEmpty());
        ForwardFor elsewhere = new ForwardFor(true, IpNetwork.parse("10.0.0.0/8"), ForwardFor.DEFAULT_HEADER, false);
        assertEquals(1, lines(forward(elsewhere, ForwardFor.DISABLED, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"), "x-forwarded-for").size());
    }

    @Test
    void forwardforHeaderNameOfTheBackendWins() {
        ForwardFor front = new ForwardFor(true, null, "X-Front", false);
        ForwardFor back = new ForwardFor(true, null, "X-Client", false);
        String head = forward(front, back, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(List.of("X-Client: 127.0.0.1"), lines(head, "x-client"));
        assertTrue(lines(head, "x-front").isEmpty());
    }

    @Test
    void noForwardforMeansNoHeader() {
        assertTrue(lines(forward(ForwardFor.DISABLED, ForwardFor.DISABLED, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
                "x-forwarded-for").isEmpty());
    }

    @Test
    void hopByHopHeadersStayOnTheirHop() {
        String head = forward(ForwardFor.DISABLED, ForwardFor.DISABLED, "GET / HTTP/1.1\r\nHost: a\r\n"
                + "Connection: X-Secret, keep-alive, Content-Length\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: h2c\r\nX-Kept: yes\r\n\r\n");
        String lower = head.toLowerCase(Locale.ROOT);
        for (String gone : List.of("connection:", "x-secret:", "keep-alive:", "proxy-connection:", "te:", "upgrade:")) {
            assertFalse(lower.contains("\n" + gone), gone + " reached the server:\n" + head);
        }
        assertTrue(head.contains("X-Kept: yes"), head);
        assertTrue(head.startsWith("GET / HTTP/1.1\r\n"), head);
    }

    @Test
    void responseHopByHopHeadersAreRemoved() {
        String reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: X-Internal\r\nX-Internal: 1\r\nKeep-Alive: timeout=9\r\nX-Kept: yes\r\n\r\nok";
        try (ScriptedServer server = new ScriptedServer(reply);
             RunningBalancer balancer = Balancer.start(Plans.http().server("s", server.address()).build());
             RawHttp client = RawHttp.to(balancer.boundAddresses().getFirst())) {
            RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertEquals("yes", response.header("x-kept"));
            assertEquals(null, response.header("x-internal"));
            assertEquals(null, response.header("keep-alive"));
            assertEquals("ok", response.text());
        }
    }
}
