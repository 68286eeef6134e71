package dev.sluice.balancer.dns;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.runtime.ResolversPlan;
import dev.sluice.balancer.runtime.ServerResolution;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One name of one backend, for one preferred family, asked periodically, and the servers it feeds: one for a
 * plain {@code server}, N for a {@code server-template}. All state is touched on the section's event loop only.
 */
final class NameResolution {

    private static final Logger log = LogManager.getLogger(NameResolution.class);
    /** The address a server without one shows (and never connects to: it is in maintenance). */
    static final InetAddress NO_ADDRESS = io.netty.util.NetUtil.createInetAddressFromIpAddressString("0.0.0.0");

    final DnsQueries queries;
    private final ResolversPlan plan;
    private final Backend backend;
    private final String fqdn;
    private final LongSupplier nanoClock;
    private final List<Server> servers = new ArrayList<>();
    /** For an SRV label: the record each server holds. */
    private List<SrvSlots.Slot> slots = new ArrayList<>();
    /** HAProxy starts counting {@code hold} from the resolution's creation. */
    private long lastValidNanos;
    DnsResolvers owner;
    volatile ScheduledFuture<?> next;

    NameResolution(DnsQueries queries, ResolversPlan plan, Backend backend, String fqdn, LongSupplier nanoClock) {
        this.queries = queries;
        this.plan = plan;
        this.backend = backend;
        this.fqdn = fqdn;
        this.nanoClock = nanoClock;
        this.lastValidNanos = nanoClock.getAsLong();
    }

    void add(Server server) {
        servers.add(server);
        slots.add(SrvSlots.Slot.FREE);
    }

    private boolean srv() {
        return fqdn.startsWith("_");
    }

    void run() {
        if (owner.closed()) {
            return;
        }
        var asked = srv() ? queries.services(fqdn) : queries.addresses(fqdn, servers.get(0).plan().resolution().prefer());
        asked.addListener(f -> {
            if (owner.closed()) {
                return;
            }
            DnsAnswer answer = f.isSuccess() ? (DnsAnswer) f.getNow() : DnsAnswer.failed(DnsStatus.OTHER);
            try {
                apply(answer);
            } catch (RuntimeException e) {
                log.error("dns: applying the answer for {} in backend {} failed", fqdn, backend.name(), e);
            }
            DnsResolvers.later(this, (answer.status() == DnsStatus.VALID ? plan.timeoutResolve()
                    : plan.timeoutRetry()).toMillis());
        });
    }

    private void apply(DnsAnswer answer) {
        long now = nanoClock.getAsLong();
        if (answer.status() == DnsStatus.VALID) {
            lastValidNanos = now;
            if (srv()) {
                applyServices(answer, now);
            } else {
                applyAddresses(answer);
            }
        } else if (answer.status().expires(lastValidNanos, now, plan.hold())) {
            for (int i = 0; i < servers.size(); i++) {
                clear(servers.get(i), "name resolution failed (" + answer.status() + ")");
                slots.set(i, SrvSlots.Slot.FREE);
            }
        }
        backend.refresh();
    }

    private void applyAddresses(DnsAnswer answer) {
        for (Server server : servers) {
            ServerResolution resolution = server.plan().resolution();
            InetAddress current = hasAddress(server) ? server.address().getAddress() : null;
            InetAddress picked = AddressChoice.pick(answer.addresses(), resolution, current,
                    address -> heldByOther(server, address));
            if (picked == null) {
                clear(server, "no usable address in the answer");
            } else {
                set(server, new InetSocketAddress(picked, server.plan().address().getPort()));
            }
        }
    }

    private void applyServices(DnsAnswer answer, long now) {
        slots = SrvSlots.apply(slots, answer.services(), now, plan.hold().obsolete());
        for (int i = 0; i < servers.size(); i++) {
            Server server = servers.get(i);
            SrvSlots.Slot slot = slots.get(i);
            if (slot.free()) {
                clear(server, "no SRV record for the server");
                continue;
            }
            ServerResolution resolution = server.plan().resolution();
            if (!resolution.ignoreWeight()) {
                server.state().setWeight(new DnsAnswer.SrvRecord(slot.target(), slot.port(), slot.weight(), 0)
                        .serverWeight());
            }
            List<InetAddress> additional = answer.additional().get(slot.target());
            if (additional != null) {
                place(server, slot, additional);
            } else {
                // No address beside the record: ask for the target's own records, then place the server.
                int index = i;
                queries.addresses(slot.target(), resolution.prefer()).addListener(f -> {
                    DnsAnswer target = (DnsAnswer) f.getNow();
                    if (owner.closed() || !f.isSuccess() || !slots.get(index).equals(slot)) {
                        return;
                    }
                    if (target.status() == DnsStatus.VALID) {
                        place(server, slot, target.addresses());
                        backend.refresh();
                    }
                });
            }
        }
    }

    private void place(Server server, SrvSlots.Slot slot, List<InetAddress> addresses) {
        InetAddress current = hasAddress(server) ? server.address().getAddress() : null;
        InetAddress picked = AddressChoice.pick(addresses, server.plan().resolution(), current, address -> false);
        if (picked == null) {
            clear(server, "no usable address for " + slot.target());
        } else {
            set(server, new InetSocketAddress(picked, slot.port()));
        }
    }

    private static boolean hasAddress(Server server) {
        return !server.address().getAddress().isAnyLocalAddress();
    }

    /**
     * Whether another server of the backend with the same name holds {@code address} (HAProxy's dup-ip check),
     * whichever resolution feeds it (a server preferring the other family has its own).
     */
    private boolean heldByOther(Server self, InetAddress address) {
        for (Server other : backend.servers()) {
            if (other != self && other.plan().resolution().fqdn().equals(fqdn) && hasAddress(other)
                    && other.address().getAddress().equals(address)) {
                return true;
            }
        }
        return false;
    }

    private void set(Server server, InetSocketAddress address) {
        InetSocketAddress before = server.address();
        if (server.changeAddress(address)) {
            log.info("Server {}/{} changed its address from {} to {} by DNS ({})", backend.name(), server.name(),
                    hasAddress(before) ? before.getAddress().getHostAddress() + ":" + before.getPort() : "none",
                    address.getAddress().getHostAddress() + ":" + address.getPort(), fqdn);
        }
        if (server.state().setResolutionMaint(false)) {
            log.warn("Server {}/{} ('{}') is UP/READY (resolves again).", backend.name(), server.name(), fqdn);
        }
    }

    private static boolean hasAddress(InetSocketAddress address) {
        return !address.getAddress().isAnyLocalAddress();
    }

    private void clear(Server server, String why) {
        server.changeAddress(new InetSocketAddress(NO_ADDRESS, server.address().getPort()));
        if (server.state().setResolutionMaint(true)) {
            log.warn("Server {}/{} is going DOWN for maintenance ({}: {}).", backend.name(), server.name(), fqdn, why);
        }
    }
}
