package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleExpression;
import java.util.List;
import java.util.Objects;

/**
 * A backend's {@code stick match}, {@code stick store-request} and {@code stick on} rules:
 * persistence by stick table. Before balancing, the first applicable match rule whose key has an
 * entry with a {@code server_id} names the server; once a server is chosen, every applicable store
 * rule records it under its key (HAProxy keeps the first eight; Sluice keeps them all, they are few).
 *
 * @param serverIds each server's HAProxy id ({@code id N}, or assigned by position), in the
 *                  backend's server order: what {@code server_id} stores
 */
public record StickPersistence(List<Rule> rules, int[] serverIds) {

    public static final StickPersistence NONE = new StickPersistence(List.of(), new int[0]);

    /**
     * @param match     whether the rule looks servers up ({@code match}, {@code on})
     * @param store     whether it records them ({@code store-request}, {@code on})
     * @param condition {@code if|unless}, or null
     */
    public record Rule(boolean match, boolean store, SampleExpression key, String table, Condition condition) {
        public Rule {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(table, "table");
            if (!match && !store) {
                throw new IllegalArgumentException("a stick rule matches, stores or both");
            }
        }

        boolean applies(RequestView request) {
            return condition == null || condition.test(request);
        }
    }

    public StickPersistence {
        rules = List.copyOf(rules);
        serverIds = serverIds.clone();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * The position (in the backend's server order) of the server the match rules name for this
     * request, or -1 when none does.
     */
    public int match(RequestView request, StickTables tables) {
        for (Rule rule : rules) {
            if (!rule.match() || !rule.applies(request)) {
                continue;
            }
            StickTable table = tables.get(rule.table());
            Object key = table == null ? null : TableKeys.of(table, rule.key(), request);
            StickEntry entry = key == null ? null : table.lookup(key);
            long id = entry == null ? -1 : entry.get(StickData.SERVER_ID);
            if (id > 0) {
                for (int i = 0; i < serverIds.length; i++) {
                    if (serverIds[i] == id) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** Records the chosen server (by its position) under the key of every applicable store rule. */
    public void store(RequestView request, StickTables tables, int serverIndex) {
        if (serverIndex < 0 || serverIndex >= serverIds.length) {
            return;
        }
        for (Rule rule : rules) {
            if (!rule.store() || !rule.applies(request)) {
                continue;
            }
            StickTable table = tables.get(rule.table());
            Object key = table == null ? null : TableKeys.of(table, rule.key(), request);
            StickEntry entry = key == null ? null : table.lookupOrCreate(key);
            if (entry != null) {
                entry.set(StickData.SERVER_ID, serverIds[serverIndex]);
            }
        }
    }
}
