package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.sluice.testkit.ExternalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The node image driven through Testcontainers: two backends and the node (terminator + balancer)
 * started on a {@link Network} as {@link GenericContainer}s, the node's /etc/sluice copied in.
 * HTTPS through the node (curl, verifying the certificate) reaches both backends with
 * X-Forwarded-For naming the client's address as the container saw it; a changed balancer.cfg and
 * SIGHUP take effect while the container keeps running; "docker stop" ends it with exit status 0.
 * The backends run the same image with haproxy (in its Debian base) answering with their name,
 * the X-Forwarded-For they got and the URI.
 *
 * <p>Runs only inside the engine's network namespace, where published ports are reachable:
 * {@link NodeImageContainersIT} starts the engine, builds the image and runs this class there with
 * {@link NamespaceLauncher}. Its name matches neither surefire's nor failsafe's patterns, nor the
 * usual -Dit.test selections of the deploy tests (NodeImage*, *IT), so Maven never runs it on the
 * host's network. The image tag comes in as {@value #IMAGE_PROPERTY}.
 */
class ContainerChain {
    static final String IMAGE_PROPERTY = "sluice.image";
    private static final int HTTPS_PORT = 443;
    private static final int BACKEND_PORT = 8080;
    private static final int REQUESTS = 10;
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);
    private static final Duration RELOAD_LIMIT = Duration.ofSeconds(20);
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(10);
    private static final int STOP_LIMIT_S = 30;
    private static final int FILE_MODE = 0644;

    @TempDir
    Path tmp;

    @Test
    void httpsThroughTheNodeReachesBothBackendsReloadsAndStops() throws IOException, InterruptedException {
        String image = System.getProperty(IMAGE_PROPERTY);
        assertNotNull(image, "-D" + IMAGE_PROPERTY + "=TAG is missing: NodeImageContainersIT runs this class");
        Path cert = tmp.resolve("cert.pem");
        byte[] pem = certificate(cert);
        DockerClient docker = DockerClientFactory.instance().client();

        try (Network network = Network.newNetwork();
             GenericContainer<?> be1 = backend(image, network, "be1");
             GenericContainer<?> be2 = backend(image, network, "be2")) {
            be1.start();
            be2.start();
            String both = balancerConfig(List.of("be1 " + address(be1) + ":" + BACKEND_PORT,
                                                 "be2 " + address(be2) + ":" + BACKEND_PORT));
            try (GenericContainer<?> node = new GenericContainer<>(DockerImageName.parse(image))
                    .withNetwork(network)
                    .withExposedPorts(HTTPS_PORT)
                    .withCopyToContainer(Transferable.of(pem, FILE_MODE), "/etc/sluice/tls/site.pem")
                    .withCopyToContainer(Transferable.of(terminatorConfig(), FILE_MODE), "/etc/sluice/terminator.conf")
                    .withCopyToContainer(Transferable.of(both, FILE_MODE), "/etc/sluice/balancer.cfg")
                    // Ready when both processes say so (their "ready" lines, also sent to systemd on a
                    // node). An HTTPS probe (Wait.forHttp(...).usingTls()) once found a terminator
                    // defect: the probe's idle keep-alive connection stayed open after the balancer
                    // closed its side and held "docker stop" for the 30 s drain; BackendEndIT covers
                    // the fix. The log lines say more than a probe: both processes are up.
                    .waitingFor(new WaitAllStrategy()
                            .withStrategy(Wait.forLogMessage(".*Main: ready: .*", 1))
                            .withStrategy(Wait.forLogMessage(".*summary: ready: .*", 1))
                            .withStartupTimeout(STARTUP_LIMIT))) {
                node.start();
                String base = "https://localhost:" + node.getMappedPort(HTTPS_PORT);
                // The engine's proxy for the published port connects from the network's gateway.
                String client = network(node).getGateway();

                List<String> bodies = requests(cert, base, "serve");
                assertEquals(REQUESTS, count(bodies, "be=be"), "every request must succeed: " + bodies);
                assertTrue(count(bodies, "be=be1 ") > 0 && count(bodies, "be=be2 ") > 0, "both backends: " + bodies);
                assertEquals(REQUESTS, count(bodies, " xff=" + client + " "),
                        "X-Forwarded-For from the terminator's PROXY header must be " + client + ": " + bodies);
                for (int i = 0; i < REQUESTS; i++) {
                    assertTrue(bodies.get(i).endsWith(" uri=/serve?i=" + i), "the URI reaches the backend: " + bodies);
                }

                // Reload: be1 leaves the configuration; after SIGHUP only be2 answers, in the same container.
                node.copyFileToContainer(Transferable.of(balancerConfig(List.of("be2 " + address(be2) + ":" + BACKEND_PORT)),
                        FILE_MODE), "/etc/sluice/balancer.cfg");
                docker.killContainerCmd(node.getContainerId()).withSignal("HUP").exec();
                List<String> after = awaitOnly(cert, base, "be=be2 ");
                assertEquals(REQUESTS, count(after, "be=be2 "), "after the reload only be2 may answer: " + after);
                assertEquals(REQUESTS, count(after, " xff=" + client + " "), after.toString());
                assertTrue(node.isRunning(), "a reload must not restart the container\n" + node.getLogs());

                String sockets = node.execInContainer("ss", "-tanp").getStdout();
                long start = System.nanoTime();
                docker.stopContainerCmd(node.getContainerId()).withTimeout(STOP_LIMIT_S).exec();
                long stopMs = (System.nanoTime() - start) / 1_000_000;
                var state = docker.inspectContainerCmd(node.getContainerId()).exec().getState();
                String stopped = "stop took " + stopMs + " ms; state " + state + "\nsockets before the stop:\n" + sockets
                        + node.getLogs();
                assertEquals(0L, state.getExitCodeLong(), "docker stop must end in a clean exit: " + stopped);
                assertTrue(stopMs < STOP_LIMIT_S * 1000L, stopped);
                System.out.println("container-chain: RESULT ok stop_ms=" + stopMs + " client=" + client);
            }
        }
    }

    /** The node image with haproxy in place of its entry point, answering who it is and what it got. */
    private static GenericContainer<?> backend(String image, Network network, String name) {
        String config = """
                global
                    maxconn 100
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                frontend web
                    bind :%d
                    http-request return status 200 content-type text/plain lf-string "be=%s xff=%%[req.hdr(x-forwarded-for)] uri=%%[url]"
                """.formatted(BACKEND_PORT, name);
        return new GenericContainer<>(DockerImageName.parse(image))
                .withNetwork(network)
                .withExposedPorts(BACKEND_PORT)
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/usr/sbin/haproxy"))
                .withCommand("-db", "-f", "/etc/haproxy/backend.cfg")
                .withCopyToContainer(Transferable.of(config, FILE_MODE), "/etc/haproxy/backend.cfg")
                .waitingFor(Wait.forHttp("/").forPort(BACKEND_PORT).forStatusCode(200).withStartupTimeout(STARTUP_LIMIT));
    }

    private static ContainerNetwork network(GenericContainer<?> container) {
        // Each container is attached to the one test network only.
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next();
    }

    private static String address(GenericContainer<?> container) {
        return network(container).getIpAddress();
    }

    private static String terminatorConfig() {
        return """
                frontend = "[*]:443"
                backend = "[127.0.0.1]:8080"
                write-proxy-v2 = on
                pem-file = "/etc/sluice/tls/site.pem"
                """;
    }

    private static String balancerConfig(List<String> servers) {
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 2000
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                    option forwardfor
                frontend edge
                    bind 127.0.0.1:8080 accept-proxy
                    default_backend app
                backend app
                    balance roundrobin
                """);
        servers.forEach(server -> config.append("    server ").append(server).append('\n'));
        return config.toString();
    }

    /** A self-signed P-256 certificate for localhost: writes it to {@code cert}, returns key + certificate. */
    private static byte[] certificate(Path cert) {
        Path key = cert.resolveSibling("key.pem");
        ExternalProcess.run("openssl", List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
                REQUEST_LIMIT).assertExit(0);
        try {
            byte[] k = Files.readAllBytes(key);
            byte[] c = Files.readAllBytes(cert);
            byte[] pem = new byte[k.length + c.length];
            System.arraycopy(k, 0, pem, 0, k.length);
            System.arraycopy(c, 0, pem, k.length, c.length);
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@value #REQUESTS} requests, each on a new connection (curl, verifying the certificate). */
    private static List<String> requests(Path cert, String base, String path) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            ExternalProcess.Result r = ExternalProcess.run("curl", List.of("curl", "-sS", "--cacert", cert.toString(),
                    "--max-time", "5", base + "/" + path + "?i=" + i), REQUEST_LIMIT);
            bodies.add(r.exit() == 0 ? r.output().strip() : "curl exit " + r.exit() + ": " + r.output().strip());
        }
        return bodies;
    }

    /** Repeats rounds of requests until one round is answered by {@code prefix} alone, within the bound. */
    private static List<String> awaitOnly(Path cert, String base, String prefix) {
        long deadline = System.nanoTime() + RELOAD_LIMIT.toNanos();
        List<String> bodies = requests(cert, base, "reload");
        while (count(bodies, prefix) != REQUESTS && System.nanoTime() < deadline) {
            bodies = requests(cert, base, "reload");
        }
        return bodies;
    }

    private static int count(List<String> bodies, String part) {
        return (int) bodies.stream().filter(b -> b.contains(part)).count();
    }
}
