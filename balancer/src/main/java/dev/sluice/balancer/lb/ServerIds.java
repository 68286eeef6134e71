package dev.sluice.balancer.lb;

import java.util.HashSet;
import java.util.Set;

/** Assigns server ids as HAProxy does, so that consistent hashing places servers identically. */
public final class ServerIds {
    private ServerIds() {
    }

    /**
     * Gives every server without an explicit id the lowest free id from a cursor that advances by one per
     * server, explicit or not, and past each automatic id given (HAProxy 2.6's {@code next_id}: with
     * {@code id 9} on the third of four servers, the fourth gets 4, not 3); explicit ids are kept.
     *
     * @param explicit the servers in declaration order: their {@code id N}, or 0 where there is none
     * @return the ids in the same order
     * @throws IllegalArgumentException for a negative or repeated explicit id
     */
    public static int[] assign(int[] explicit) {
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < explicit.length; i++) {
            int id = explicit[i];
            if (id < 0) {
                throw new IllegalArgumentException("server " + (i + 1) + ": id " + id + " (expected: >= 1)");
            }
            if (id > 0 && !taken.add(id)) {
                throw new IllegalArgumentException("server " + (i + 1) + ": id " + id + " is already used");
            }
        }
        int[] ids = explicit.clone();
        int next = 1;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == 0) {
                while (taken.contains(next)) {
                    next++;
                }
                ids[i] = next;
                taken.add(next);
            }
            next++;
        }
        return ids;
    }
}
