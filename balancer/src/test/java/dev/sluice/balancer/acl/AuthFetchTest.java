package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.auth.StoredPassword;
import dev.sluice.balancer.auth.Userlist;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code http_auth*} fetches and ACLs over a request's Authorization header, as HAProxy 2.6 answers them. */
class AuthFetchTest {

    private static final Userlist USERS = new Userlist("L", Map.of(
            "alice", new Userlist.User("alice",
                    StoredPassword.hashed("$6$abcdefgh$xCmU6eXePqd8uT3.jYlk3Fgv/roflqiCi/twHrvHhPTT4qT0rTqu/3ZTFEf6uqFcl7eKyk81ngZEadU/ehEy51"),
                    Set.of("admins", "dev")),
            "bob", new Userlist.User("bob", StoredPassword.clear("pw"), Set.of("dev"))),
            Set.of("admins", "dev", "ops"));

    private static final ProxyCatalog CATALOG = new ProxyCatalog() {
        @Override
        public boolean hasBackend(String name) {
            return true;
        }

        @Override
        public boolean hasFrontend(String name) {
            return true;
        }

        @Override
        public boolean hasServer(String backend, String server) {
            return true;
        }

        @Override
        public Userlist userlist(String name) {
            return name.equals("L") ? USERS : null;
        }
    };

    private static AclScope scope() {
        return new AclCompiler(Path.of("."), CATALOG).scope("fe");
    }

    private static boolean matches(String acl, RequestView request) {
        return Acls.matches(scope(), "if { " + acl + " }", request);
    }

    private static String sample(String expression, RequestView request) {
        return new AclCompiler(Path.of("."), CATALOG).sampleExpression(expression, "fe").evaluateString(request);
    }

    private static TestRequest as(String userPass) {
        return TestRequest.get("/").header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void httpAuthIsTrueForValidCredentialsOnly() {
        assertTrue(matches("http_auth(L)", as("alice:secret6")));
        assertTrue(matches("http_auth(L)", as("bob:pw")));
        assertFalse(matches("http_auth(L)", as("alice:secret")));
        assertFalse(matches("http_auth(L)", as("mallory:pw")));
        assertFalse(matches("http_auth(L)", TestRequest.get("/")));
        assertFalse(matches("http_auth(L)", TestRequest.get("/").header("Authorization", "Bearer abc")));
        // The header name is case-insensitive.
        assertTrue(matches("http_auth(L)", TestRequest.get("/").header("AUTHORIZATION", "Basic Ym9iOnB3")));
    }

    @Test
    void groupAclMatchesWhenTheUserIsInAListedGroup() {
        assertTrue(matches("http_auth_group(L) admins", as("alice:secret6")));
        assertTrue(matches("http_auth_group(L) ops dev", as("bob:pw")));
        assertFalse(matches("http_auth_group(L) admins", as("bob:pw")));
        assertFalse(matches("http_auth_group(L) ops", as("alice:secret6")));
        assertFalse(matches("http_auth_group(L) admins", as("alice:wrong")));
    }

    @Test
    void groupFetchAsASampleIsTheUserName() {
        assertEquals("alice", sample("http_auth_group(L)", as("alice:secret6")));
        assertNull(sample("http_auth_group(L)", as("alice:nope")));
    }

    @Test
    void rawFetchesReadTheHeaderWithoutChecking() {
        TestRequest wrong = as("mallory:guess");
        assertEquals("Basic", sample("http_auth_type", wrong));
        assertEquals("mallory", sample("http_auth_user", wrong));
        assertEquals("guess", sample("http_auth_pass", wrong));
        TestRequest bearer = TestRequest.get("/").header("Authorization", "Bearer token");
        assertEquals("Bearer", sample("http_auth_type", bearer));
        assertNull(sample("http_auth_user", bearer));
        assertNull(sample("http_auth_type", TestRequest.get("/")));
        assertEquals("Bearer", sample("http_auth_type", TestRequest.get("/").header("Authorization", "bEaReR t")));
        assertEquals("Basic", sample("http_auth_type", TestRequest.get("/").header("Authorization", "basic Ym9iOnB3")));
        assertNull(sample("http_auth_type", TestRequest.get("/").header("Authorization", "Digest a=1")));
        assertNull(sample("http_auth_type", TestRequest.get("/").header("Authorization", "Negotiate abc")));
        assertTrue(matches("http_auth_user -m found", wrong));
        assertFalse(matches("http_auth_user -m found", bearer));
    }

    @Test
    void refusesUnknownUserlistsAndGroups() {
        assertEquals("error detected while parsing ACL 'a' : unable to find userlist 'X' referenced in arg 1 of ACL "
                + "keyword 'http_auth' in proxy 'fe'.",
                Acls.message(() -> scope().define(Acls.words("a http_auth(X)"))));
        assertEquals("error detected while parsing ACL 'a' : http_auth_group(L): invalid group 'nobody' (userlist "
                + "'L' declares no such group).",
                Acls.message(() -> scope().define(Acls.words("a http_auth_group(L) dev nobody"))));
    }
}
