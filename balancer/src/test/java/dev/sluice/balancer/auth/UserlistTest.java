package dev.sluice.balancer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserlistTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    private static Userlist list() {
        return new Userlist("L", Map.of(
                "alice", new Userlist.User("alice",
                        StoredPassword.hashed("$5$abcdefgh$AVKsPBNtNFkXXKvvkrPMobKUZbm0i7P2XfVbwGW9BS/"),
                        Set.of("admins")),
                "bob", new Userlist.User("bob", StoredPassword.clear("pw"), Set.of()),
                "nopass", new Userlist.User("nopass", null, Set.of())), Set.of("admins", "dev"));
    }

    @Test
    void authenticatesKnownUsersOnly() {
        Userlist list = list();
        assertEquals("alice", list.authenticate(basic("alice:secret5")).name());
        assertEquals(Set.of("admins"), list.authenticate(basic("alice:secret5")).groups());
        assertEquals("bob", list.authenticate(basic("bob:pw")).name());
        assertNull(list.authenticate(basic("alice:wrong")));
        assertNull(list.authenticate(basic("carol:pw")));
        assertNull(list.authenticate(basic("nopass:")));
        assertNull(list.authenticate("Bearer abc"));
        assertNull(list.authenticate(null));
        assertTrue(list.hasGroup("dev"));
        assertFalse(list.hasGroup("ops"));
    }

    @Test
    void checksEachDistinctHeaderOnce() {
        Userlist list = list();
        String header = basic("alice:secret5");
        Userlist.User first = list.authenticate(header);
        assertEquals(1, list.cached());
        assertSame(first, list.authenticate(new StringBuilder(header)));
        assertNull(list.authenticate(basic("alice:nope")));
        assertNull(list.authenticate(basic("alice:nope")));
        assertEquals(2, list.cached(), "a wrong password is remembered too");
    }

    @Test
    void theCacheStaysBounded() {
        Userlist list = list();
        for (int i = 0; i < Userlist.CACHE_ENTRIES + 100; i++) {
            list.authenticate(basic("bob:" + i));
        }
        assertEquals(Userlist.CACHE_ENTRIES, list.cached());
        assertEquals("bob", list.authenticate(basic("bob:pw")).name());
        assertEquals(Userlist.CACHE_ENTRIES, list.cached());
    }
}
