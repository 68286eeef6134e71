package dev.sluice.balancer.rules;

import dev.sluice.balancer.cache.ObjectCache;
import java.util.List;
import java.util.Objects;

/**
 * {@code http-request cache-use NAME} and {@code http-response cache-store NAME}: each only names
 * its cache on the request; the exchange looks it up after the request rules and fills it while
 * the response passes (dev.sluice.balancer.cache.CacheExchange). Neither ends the rule list.
 */
final class CacheActions {

    private CacheActions() {
    }

    /** Compiles either action; {@code caches} finds a declared section's store by name. */
    static Action parse(String label, List<String> a, boolean store,
                        java.util.function.Function<String, ObjectCache> caches) {
        if (a.size() < 2) {
            throw new RuleException(label + " expects a cache name");
        }
        if (a.size() > 2) {
            throw new RuleException(label + ": unexpected argument '" + a.get(2) + "'");
        }
        ObjectCache cache = caches.apply(a.get(1));
        if (cache == null) {
            throw new RuleException(label + ": unable to find the cache '" + a.get(1) + "'");
        }
        return store ? store(cache) : use(cache);
    }

    static Action use(ObjectCache cache) {
        Objects.requireNonNull(cache, "cache");
        return context -> {
            context.cacheUse(cache);
            return Verdict.CONTINUE;
        };
    }

    static Action store(ObjectCache cache) {
        Objects.requireNonNull(cache, "cache");
        return context -> {
            context.cacheStore(cache);
            return Verdict.CONTINUE;
        };
    }
}
