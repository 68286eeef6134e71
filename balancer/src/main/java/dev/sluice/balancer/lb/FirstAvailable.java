package dev.sluice.balancer.lb;

import java.util.Arrays;
import java.util.Comparator;

/**
 * {@code first}: the server with the lowest id that still has a free connection slot, so that load packs
 * onto as few servers as possible; weights do not matter. A tried server is taken only when no other has
 * room.
 */
final class FirstAvailable implements LoadBalancer {
    private final ServerSet servers;
    private final Candidate[] byId;

    FirstAvailable(ServerSet servers) {
        this.servers = servers;
        this.byId = servers.members().clone();
        Arrays.sort(byId, Comparator.comparingInt(Candidate::id));
    }

    @Override
    public Candidate pick(PickContext context) {
        Candidate avoided = null;
        for (Candidate c : byId) {
            if (c.load().isFull()) {
                continue;
            }
            if (context.hasAvoided() && context.isAvoided(c)) {
                if (avoided == null) {
                    avoided = c;
                }
                continue;
            }
            return c;
        }
        return avoided;
    }

    @Override
    public ServerSet servers() {
        return servers;
    }
}
