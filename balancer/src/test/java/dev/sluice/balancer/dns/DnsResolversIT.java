package dev.sluice.balancer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.support.NamedServer;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.TestDnsServer;
import dev.sluice.testkit.Ports;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Run-time DNS in the balancer alone, for what the differential test does not reach: a name server that
 * stops answering ({@code hold timeout}), SRV answers without the targets' addresses (asked for separately),
 * {@code allow-dup-ip}, a pooled keep-alive connection to an old address, and a reload that keeps what DNS
 * found.
 */
class DnsResolversIT {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static String config(int dns, int front, int port) {
        return """
                global
                  nbthread 1
                defaults
                  mode http
                  retries 0
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                resolvers dns
                  nameserver ns1 127.0.0.1:%1$d
                  resolve_retries 1
                  timeout resolve 100ms
                  timeout retry 100ms
                  hold timeout 1s
                  hold nx 1s
                frontend fe
                  bind 127.0.0.1:%2$d
                  default_backend plain
                backend plain
                  server s1 plain.test:%3$d resolvers dns init-addr none resolve-prefer ipv4
                backend dup
                  server d1 dup.test:%3$d resolvers dns init-addr none resolve-prefer ipv4 resolve-opts allow-dup-ip
                  server d2 dup.test:%3$d resolvers dns init-addr none resolve-prefer ipv4 resolve-opts allow-dup-ip
                backend srv
                  server-template w 2 _http._tcp.srv.test resolvers dns resolve-prefer ipv4
                """.formatted(dns, front, port);
    }

    private static RuntimePlan plan(String text) {
        LoadResult loaded = ConfigLoader.parse("dns.cfg", text, Map.of());
        assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
        return Compiler.compile(loaded.config().get()).plan();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("not reached within " + DEADLINE + ": " + what);
    }

    private static String at(Server server) {
        InetSocketAddress address = server.address();
        return server.state().statsStatus() + " " + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static String get(RawHttp client) {
        RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
        return response.status() == 200 ? response.text() : "status " + response.status();
    }

    @Test
    void followsTheNameServer() throws Exception {
        int port = Ports.free();
        int front = Ports.free();
        int srvPort = Ports.free();
        try (TestDnsServer dns = new TestDnsServer(Ports.free());
             NamedServer n2 = new NamedServer("n2", new InetSocketAddress("127.0.0.2", port));
             NamedServer n3 = new NamedServer("n3", new InetSocketAddress("127.0.0.3", port));
             NamedServer srvTarget = new NamedServer("srv", new InetSocketAddress("127.0.0.4", srvPort))) {
            dns.additionalRecords(false)
                    .a("plain.test", "127.0.0.2").a("dup.test", "127.0.0.3").a("t.srv.test", "127.0.0.4")
                    .srv("_http._tcp.srv.test", new TestDnsServer.Srv("t.srv.test", srvPort, 0, 0));
            String text = config(dns.address().getPort(), front, port);
            RunningBalancer balancer = Balancer.start(plan(text));
            try {
                Server s1 = balancer.backend("plain").server("s1");
                await("first answer", () -> at(s1).equals("no check 127.0.0.2:" + port));

                Server d1 = balancer.backend("dup").server("d1");
                Server d2 = balancer.backend("dup").server("d2");
                await("allow-dup-ip: both servers on the one address", () -> at(d1).equals("no check 127.0.0.3:" + port)
                        && at(d2).equals("no check 127.0.0.3:" + port));

                Server w1 = balancer.backend("srv").server("w1");
                Server w2 = balancer.backend("srv").server("w2");
                await("SRV target resolved by its own query", () -> at(w1).equals("no check 127.0.0.4:" + srvPort));
                assertEquals("MAINT (resolution)", w2.state().statsStatus());
                assertEquals(0, w1.state().weight(), "SRV weight 0 is HAProxy weight 0");

                try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", front))) {
                    client.setTimeout(5_000);
                    assertEquals("n2", get(client));
                    await("a connection to n2 is pooled", () -> s1.idleCount() == 1);
                    dns.a("plain.test", "127.0.0.3");
                    await("address change", () -> at(s1).equals("no check 127.0.0.3:" + port));
                    assertEquals("n3", get(client), "the pooled connection to the old address is not reused");
                }

                RunningBalancer reloaded = Balancer.reload(balancer, plan(text));
                balancer = reloaded;
                Server again = balancer.backend("plain").server("s1");
                assertEquals("no check 127.0.0.3:" + port, at(again), "a reload keeps what DNS found");

                dns.silent(true);
                await("hold timeout past: maintenance", () -> again.state().statsStatus().equals("MAINT (resolution)"));
                dns.silent(false);
                await("answers again", () -> at(again).equals("no check 127.0.0.3:" + port));
            } finally {
                balancer.close();
            }
        }
    }
}
