package dev.sluice.balancer.auth;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@code userlist} section at run time: its users with their passwords and groups, and which
 * {@code Authorization} values were already checked. Shared by every event loop.
 *
 * <p>A hashed password costs milliseconds to check (see {@link StoredPassword}); a browser sends
 * the same header on every request, so the outcome is kept per distinct header value, at most
 * {@link #CACHE_ENTRIES} of them: when full, an arbitrary entry makes room. A wrong password is
 * cached too, so repeating it costs a lookup, not a hash.
 */
public final class Userlist {

    /** Distinct Authorization values remembered per userlist. */
    public static final int CACHE_ENTRIES = 4096;

    /** One {@code user} line: its password and every group it belongs to (from either side). */
    public record User(String name, StoredPassword password, Set<String> groups) {
        public User {
            Objects.requireNonNull(name, "name");
            groups = Set.copyOf(groups);
        }
    }

    /** The cached outcome of a header that named no valid user. */
    private static final User NOBODY = new User("", null, Set.of());

    private final String name;
    private final Map<String, User> users;
    private final Set<String> groups;
    private final ConcurrentHashMap<String, User> checked = new ConcurrentHashMap<>();

    /** @param users by name; a user without password ({@code null}) never authenticates */
    public Userlist(String name, Map<String, User> users, Set<String> groups) {
        this.name = Objects.requireNonNull(name, "name");
        this.users = Map.copyOf(users);
        this.groups = Set.copyOf(groups);
    }

    public String name() {
        return name;
    }

    public boolean hasGroup(String group) {
        return groups.contains(group);
    }

    /**
     * The user the {@code Authorization} header value authenticates, or null. Decodes {@code Basic}
     * credentials and checks the password once per distinct value.
     */
    public User authenticate(CharSequence authorization) {
        if (authorization == null) {
            return null;
        }
        String key = authorization.toString();
        User known = checked.get(key);
        if (known == null) {
            known = check(key);
            if (checked.size() >= CACHE_ENTRIES) {
                var oldest = checked.keys();
                if (oldest.hasMoreElements()) {
                    checked.remove(oldest.nextElement());
                }
            }
            checked.put(key, known);
        }
        return known == NOBODY ? null : known;
    }

    /** How many header values are remembered (for tests). */
    int cached() {
        return checked.size();
    }

    private User check(String authorization) {
        String[] credentials = BasicCredentials.decode(authorization);
        if (credentials == null) {
            return NOBODY;
        }
        User user = users.get(credentials[0]);
        if (user == null || user.password() == null || !user.password().matches(credentials[1])) {
            return NOBODY;
        }
        return user;
    }

    @Override
    public String toString() {
        return "userlist " + name;
    }
}
