package dev.sluice.balancer.lb;

/**
 * {@code static-rr}: walks HAProxy's weighted map in turn, skipping full servers; a tried server is taken
 * again only when it is the last one with room. Weights 3 and 1 give {@code a a a b a a a b}. Also the
 * round-robin fallback of map-based hashing when the key is missing.
 */
final class StaticRoundRobin implements LoadBalancer {
    private final ServerSet servers;
    private final WeightMap map;
    private int cursor;

    StaticRoundRobin(ServerSet servers) {
        this.servers = servers;
        this.map = servers.map();
    }

    @Override
    public Candidate pick(PickContext context) {
        int size = map.size();
        if (size == 0) {
            return null;
        }
        int start = cursor;
        int avoidedAt = -1;
        for (int i = 0; i < size; i++) {
            int slot = start + i < size ? start + i : start + i - size;
            Candidate c = map.at(slot);
            if (c.load().isFull()) {
                continue;
            }
            if (context.hasAvoided() && context.isAvoided(c)) {
                if (avoidedAt < 0) {
                    avoidedAt = slot;
                }
                continue;
            }
            cursor = slot + 1 == size ? 0 : slot + 1;
            return c;
        }
        if (avoidedAt >= 0) {
            cursor = avoidedAt + 1 == size ? 0 : avoidedAt + 1;
            return map.at(avoidedAt);
        }
        return null;
    }

    @Override
    public ServerSet servers() {
        return servers;
    }
}
