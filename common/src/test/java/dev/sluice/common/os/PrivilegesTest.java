package dev.sluice.common.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Name lookups through libc and the identity value; the switch itself is shown by the ITs that
 * start real processes (it cannot be undone inside a test JVM).
 */
class PrivilegesTest {

    @Test
    void looksUpNamesAsTheSystemDoes() throws Exception {
        assertEquals(0, Privileges.userId("root"));
        assertEquals(0, Privileges.groupId("root"));
        assertEquals(65534, Privileges.userId("nobody"));
        Privileges.check("nobody", null);
        Privileges.check(null, "root");
    }

    @Test
    void unknownNamesSaySo() {
        Privileges.PrivilegeException user = assertThrows(Privileges.PrivilegeException.class,
                () -> Privileges.userId("no-such-user-x"));
        assertEquals("user 'no-such-user-x' does not exist", user.getMessage());
        Privileges.PrivilegeException group = assertThrows(Privileges.PrivilegeException.class,
                () -> Privileges.check("root", "no-such-group-x"));
        assertEquals("group 'no-such-group-x' does not exist", group.getMessage());
    }

    @Test
    void keepingBothIdsChangesNothing() throws Exception {
        assertFalse(Privileges.Identity.UNCHANGED.changes());
        assertTrue(new Privileges.Identity(5, Privileges.Identity.KEEP).changes());
        // No switch asked: returns without a system call, so the test JVM keeps its user.
        Privileges.drop(Privileges.Identity.UNCHANGED);
        Privileges.drop(null, null);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new Privileges.Identity(-2, 0));
        assertTrue(bad.getMessage().startsWith("uid/gid: -2/0"), bad.getMessage());
    }
}
