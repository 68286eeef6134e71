package dev.sluice.balancer.check;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the health checks of every server with {@code check}, spread over the event loops and over time:
 * each starts after a random share of its {@code inter}, so a restart does not hit every server at once.
 * Also steps the {@code slowstart} weight ramps. Everything stops with {@link #close()} (or with the loops).
 */
public final class HealthChecks implements AutoCloseable {
    private final List<HealthChecker> checkers = new ArrayList<>();
    private final List<AgentChecker> agents = new ArrayList<>();
    private final List<ScheduledFuture<?>> warmups = new ArrayList<>();

    private HealthChecks() {
    }

    public static HealthChecks start(Collection<Backend> backends, EventLoopGroup group,
                                     Class<? extends Channel> channelClass) {
        return start(backends, group, channelClass, CheckSpread.NONE);
    }

    /** As above, each interval moved by {@code spread} ({@code spread-checks}). */
    public static HealthChecks start(Collection<Backend> backends, EventLoopGroup group,
                                     Class<? extends Channel> channelClass, CheckSpread spread) {
        HealthChecks checks = new HealthChecks();
        SplittableRandom random = new SplittableRandom();
        TransitionLog log = new TransitionLog();
        Tracking tracking = Tracking.resolve(backends); // track: followers take their checked server's state
        for (Backend backend : backends) {
            dev.sluice.balancer.log.BackendLog backendLog = new dev.sluice.balancer.log.BackendLog(backend.plan().log());
            for (Server server : backend.servers()) {
                EventLoop loop = group.next();
                var health = server.plan().health();
                if (health.check()) {
                    HealthChecker checker = new HealthChecker(backend, server, loop, channelClass, log, spread,
                            backendLog);
                    checker.tracking(tracking);
                    checks.checkers.add(checker);
                    checker.start(random.nextLong(Math.max(1, health.inter().toMillis())));
                }
                if (health.sources().agent().enabled() && health.sources().agent().port() != 0) {
                    AgentChecker agent = new AgentChecker(backend, server, loop, channelClass, log, tracking);
                    checks.agents.add(agent);
                    agent.start(random.nextLong(Math.max(1, health.sources().agent().interval().toMillis())));
                }
                if (!health.slowstart().isZero()) {
                    long step = server.state().rampStepMillis();
                    checks.warmups.add(loop.scheduleAtFixedRate(() -> {
                        if (server.state().ramping() && server.state().tick()) {
                            backend.refresh();
                        }
                    }, step, step, TimeUnit.MILLISECONDS));
                }
            }
        }
        return checks;
    }

    /** How many servers are checked. */
    public int checkedServers() {
        return checkers.size();
    }

    @Override
    public void close() {
        checkers.forEach(HealthChecker::stop);
        agents.forEach(AgentChecker::stop);
        warmups.forEach(w -> w.cancel(false));
    }
}
