package dev.sluice.balancer.admin;

import dev.sluice.balancer.cache.CachedObject;
import dev.sluice.balancer.cache.ObjectCache;
import dev.sluice.balancer.runtime.StatsPlan.Level;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime API's {@code show cache [NAME]}: each cache section with its available 1 kB blocks,
 * then one line per fresh stored URL (its first variant), in HAProxy 2.6's layout. As in HAProxy,
 * blocks of stored objects count as available (they are given to new objects when needed). HAProxy
 * prints memory addresses where we print identity numbers, and its key hash is SHA-1 based where ours
 * is a CRC-32 of host and URI. HAProxy 2.6 was seen to list fewer objects than it serves (not every
 * stored URL, nor a just-stored object of a 1 s cache); this lists every fresh one.
 */
public final class CacheCommands {
    private final Map<String, ObjectCache> caches;

    private CacheCommands(Map<String, ObjectCache> caches) {
        this.caches = new TreeMap<>(caches);
    }

    /** Registers {@code show cache} over the stores of one configuration. */
    public static void register(CliCommands commands, Map<String, ObjectCache> caches) {
        CacheCommands c = new CacheCommands(caches);
        commands.register("show cache", Level.USER, "show cache", "show cache status", c::show);
    }

    String show(CliSession session, List<String> args) {
        String only = args.size() > 2 ? args.get(2) : null;
        StringBuilder reply = new StringBuilder();
        caches.forEach((name, cache) -> {
            if (only != null && !only.equals(name)) {
                return;
            }
            long free = cache.section().totalMaxBytes() / ObjectCache.BLOCK_BYTES;
            reply.append(String.format("0x%08x: %s (shctx:0x%08x, available blocks:%d)\n",
                    System.identityHashCode(cache), name, System.identityHashCode(cache.section()), free));
            java.util.Set<String> listed = new java.util.HashSet<>();
            for (CachedObject object : cache.objects()) {
                long expire = cache.expiresInSeconds(object);
                if (expire < 0) {
                    continue; // only fresh objects are listed, as HAProxy lists them
                }
                if (!listed.add(object.primaryKey())) {
                    continue; // HAProxy walks its tree by primary key: one line per URL
                }
                reply.append(String.format("0x%08x hash:%d vary:0x%016x size:%d (%d blocks), refcount:0, "
                                + "expire:%d\n", System.identityHashCode(object), object.keyHash(), object.varyMark(),
                        object.footprint(), object.blockBytes() / ObjectCache.BLOCK_BYTES, expire));
            }
        });
        return reply.toString();
    }
}
