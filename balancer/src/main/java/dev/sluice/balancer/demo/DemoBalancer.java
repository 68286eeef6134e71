package dev.sluice.balancer.demo;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.GlobalPlan;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.common.Runtimes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the engine without a configuration file, for demos and benches until the HAProxy-syntax
 * front end is wired in: {@code [--accept-proxy] [--nbthread N] [--tcp] PORT HOST:PORT...} listens
 * on 127.0.0.1:PORT with {@code option forwardfor} and round-robins over the servers.
 */
public final class DemoBalancer {
    private static final Timeouts TIMEOUTS = Timeouts.NONE.withConnect(Duration.ofSeconds(5))
            .withClient(Duration.ofSeconds(30)).withServer(Duration.ofSeconds(30));

    private DemoBalancer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Runtimes.routeNettyLogging();
        boolean acceptProxy = false;
        boolean tcp = false;
        int nbthread = 0;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--accept-proxy" -> acceptProxy = true;
                case "--tcp" -> tcp = true;
                case "--nbthread" -> nbthread = Integer.parseInt(args[++i]);
                default -> rest.add(args[i]);
            }
        }
        if (rest.size() < 2) {
            System.err.println("usage: DemoBalancer [--accept-proxy] [--nbthread N] [--tcp] PORT HOST:PORT...");
            System.exit(2);
        }
        Mode mode = tcp ? Mode.TCP : Mode.HTTP;
        List<ServerPlan> servers = new ArrayList<>();
        for (String server : rest.subList(1, rest.size())) {
            int colon = server.lastIndexOf(':');
            servers.add(ServerPlan.of("s" + (servers.size() + 1),
                    new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)))));
        }
        BindPlan bind = new BindPlan(new InetSocketAddress("127.0.0.1", Integer.parseInt(rest.getFirst())), acceptProxy, 0, null);
        FrontendPlan frontend = new FrontendPlan("fe", mode, List.of(bind), 0, "be", List.of(),
                tcp ? ForwardFor.DISABLED : ForwardFor.ENABLED, TIMEOUTS, Map.of());
        BackendPlan backend = new BackendPlan("be", mode, servers, TIMEOUTS, BackendPlan.DEFAULT_RETRIES, false,
                ForwardFor.DISABLED, Map.of());
        RunningBalancer running = Balancer.start(new RuntimePlan(new GlobalPlan(0, nbthread, GlobalPlan.DEFAULT_BUFSIZE),
                List.of(frontend), List.of(backend)));
        System.out.println("listening on " + running.boundAddresses());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
