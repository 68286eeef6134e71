package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.PatternRef;
import dev.sluice.balancer.format.FormatString;

/**
 * {@code add-acl(FILE) KEY}, {@code del-acl(FILE) KEY}, {@code set-map(FILE) KEY VALUE} and
 * {@code del-map(FILE) KEY}: a request or response changes the list of a pattern or map file, which
 * every ACL and map converter naming that file then sees, as the runtime API's {@code add acl}…
 * would. An empty key changes nothing; a change that a user of the list refuses (a value that is
 * not an address for {@code map_str_ip}, …) is dropped, as HAProxy drops it. Nothing is rebuilt when
 * nothing changes (the key is already there, or already absent).
 */
final class PatternActions {

    enum Change { ADD_ACL, DEL_ACL, SET_MAP, DEL_MAP }

    private PatternActions() {
    }

    static Action of(Change change, PatternRef ref, FormatString key, FormatString value) {
        return context -> {
            String k = context.renderString(key);
            switch (change) {
                case ADD_ACL -> ref.addIfAbsent(k);
                case SET_MAP -> ref.put(k, context.renderString(value));
                case DEL_ACL, DEL_MAP -> ref.deleteIfPresent(k);
            }
            return Verdict.CONTINUE;
        };
    }
}
