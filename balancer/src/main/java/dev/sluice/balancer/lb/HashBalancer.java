package dev.sluice.balancer.lb;

/**
 * The hashing algorithms: {@code source}, {@code uri}, {@code url_param}, {@code hdr()} and {@code hash}.
 * The key is hashed ({@link HashKeys}), mixed if {@code avalanche} is set, and looked up in the ring or the
 * map; a missing key falls back to round robin over the same table, as HAProxy does.
 *
 * <p>The hashed server is returned even when full (the caller queues on it: moving the key elsewhere would
 * defeat the hashing); a tried server is passed over for the next one on the ring or in the map.
 */
final class HashBalancer implements LoadBalancer {
    private final ServerSet servers;
    private final Balance.Algorithm algorithm;
    private final HashType type;
    private final int factor;
    private final Candidate[] members;
    private final ConsistentRing ring;
    private final WeightMap map;
    private final StaticRoundRobin mapFallback;
    private int ringCursor = -1;

    HashBalancer(ServerSet servers) {
        this.servers = servers;
        this.algorithm = servers.balance().algorithm();
        this.type = servers.balance().hashType();
        this.factor = servers.balance().hashBalanceFactor();
        this.members = servers.members();
        this.ring = servers.ring();
        this.map = servers.map();
        this.mapFallback = map != null ? new StaticRoundRobin(servers) : null;
    }

    @Override
    public Candidate pick(PickContext context) {
        if (members.length <= 1) {
            return members.length == 0 ? null : members[0];
        }
        long key = HashKeys.hash(algorithm, type.function(), context);
        if (key == HashKeys.MISSING) {
            return ring != null ? nextOnRing(context) : mapFallback.pick(context);
        }
        int hash = type.finish((int) key);
        return ring != null ? ring.select(hash, context, servers, factor) : fromMap(hash, context);
    }

    private Candidate fromMap(int hash, PickContext context) {
        int slot = map.slotFor(hash);
        Candidate chosen = map.at(slot);
        if (!context.hasAvoided() || !context.isAvoided(chosen)) {
            return chosen;
        }
        for (int i = 1, size = map.size(); i < size; i++) {
            int s = slot + i < size ? slot + i : slot + i - size;
            if (!context.isAvoided(map.at(s))) {
                return map.at(s);
            }
        }
        return chosen;
    }

    /** HAProxy's round robin on the ring: the next point after the last one used whose server has room. */
    private Candidate nextOnRing(PickContext context) {
        int size = ring.size();
        int point = ringCursor;
        int avoidedPoint = -1;
        for (int i = 0; i < size; i++) {
            point = point + 1 >= size ? 0 : point + 1;
            Candidate c = members[ring.owner(point)];
            if (c.load().isFull()) {
                continue;
            }
            if (context.hasAvoided() && context.isAvoided(c)) {
                if (avoidedPoint < 0) {
                    avoidedPoint = point;
                }
                continue;
            }
            ringCursor = point;
            return c;
        }
        if (avoidedPoint >= 0) {
            ringCursor = avoidedPoint;
            return members[ring.owner(avoidedPoint)];
        }
        return null;
    }

    @Override
    public ServerSet servers() {
        return servers;
    }
}
