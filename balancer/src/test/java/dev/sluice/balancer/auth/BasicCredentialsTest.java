package dev.sluice.balancer.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesUserAndPassword() {
        assertArrayEquals(new String[] {"alice", "secret"}, BasicCredentials.decode(basic("alice:secret")));
        // The password is everything after the first colon (RFC 7617).
        assertArrayEquals(new String[] {"bob", "a:b:c"}, BasicCredentials.decode(basic("bob:a:b:c")));
        assertArrayEquals(new String[] {"", ""}, BasicCredentials.decode(basic(":")));
        assertArrayEquals(new String[] {"jörg", "pw"}, BasicCredentials.decode(basic("jörg:pw")));
        // The scheme is case-insensitive; spaces around the token are allowed.
        assertArrayEquals(new String[] {"a", "b"}, BasicCredentials.decode("  bAsIc   YTpi  "));
    }

    @Test
    void refusesWhatIsNotBasicCredentials() {
        assertNull(BasicCredentials.decode("Bearer YTpi"));
        assertNull(BasicCredentials.decode("Basic"));
        assertNull(BasicCredentials.decode("Basic "));
        assertNull(BasicCredentials.decode("BasicYTpi"));
        assertNull(BasicCredentials.decode("Basic !!!"));
        assertNull(BasicCredentials.decode(basic("nocolon")));
        assertNull(BasicCredentials.decode("Basic " + "A".repeat(BasicCredentials.MAX_ENCODED_LENGTH + 4)));
    }

    @Test
    void readsTheScheme() {
        assertEquals("Basic", BasicCredentials.scheme("Basic YTpi"));
        assertEquals("Digest", BasicCredentials.scheme(" Digest username=\"a\""));
        assertEquals("Bearer", BasicCredentials.scheme("Bearer"));
        assertNull(BasicCredentials.scheme("   "));
    }
}
