package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.runtime.RuntimePlan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code userlist} sections, the {@code http_auth*} fetches, {@code http-request auth} and
 * {@code http-after-response} in a configuration: accepted, or refused at file:line with HAProxy's
 * reasons (messages checked against {@code haproxy -c} 2.6 where it has one).
 */
class UserlistConfigTest {

    private static final String USERS = """
            userlist L
              group admins users alice
              group dev
              user alice password $5$abcdefgh$AVKsPBNtNFkXXKvvkrPMobKUZbm0i7P2XfVbwGW9BS/
              user bob insecure-password pw groups dev,admins
            """;
    private static final String FRONT = """
            frontend fe
              mode http
              bind 127.0.0.1:8081
              timeout client 5s
              default_backend be
            """;
    private static final String BACK = """
            backend be
              mode http
              timeout connect 1s
              timeout server 5s
              server s 127.0.0.1:8080
            """;

    private static LoadResult load(String text) {
        return ConfigLoader.parse("u.cfg", text, Map.of());
    }

    private static List<String> alerts(LoadResult result) {
        return result.alerts().stream().map(Diagnostic::toString).toList();
    }

    private static List<String> warnings(LoadResult result) {
        return result.warnings().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void aFullExampleCompiles() {
        LoadResult result = load(USERS + FRONT + """
                  acl ok http_auth(L)
                  acl admin http_auth_group(L) admins dev
                  http-request auth realm Private unless ok
                  http-request auth if { path_beg /admin } !admin
                  http-request set-header X-User %[http_auth_user] if { http_auth_type Basic }
                  http-after-response set-header X-Served-By sluice
                  http-after-response del-header Server
                  http-after-response replace-header X-A (.*) \\1 if { status 200 }
                  http-after-response replace-value X-B a b
                  http-after-response set-status 299 reason Fine if { status 403 }
                  http-after-response set-var(txn.s) status
                  http-after-response allow
                """ + BACK + """
                  http-after-response add-header X-Backend be
                """);
        assertTrue(result.isValid(), result.render());
        Config config = result.config().orElseThrow();
        RuntimePlan plan = Compiler.compile(config).plan();
        var front = plan.frontends().getFirst().rules();
        assertEquals(3, front.request().size());
        assertEquals(7, front.afterResponse().size());
        assertEquals("u.cfg:16", front.afterResponse().rules().getFirst().where());
        var back = plan.backends().stream().filter(b -> b.name().equals("be")).findFirst().orElseThrow();
        assertEquals(1, back.rules().afterResponse().size());
    }

    @Test
    void userlistLinesAreCheckedAtTheirLine() {
        LoadResult result = load("""
                userlist L
                  group admins users alice,zed
                  user alice password $9$zzz
                  user bob insecure-password pw groups dev
                  user eve insecure-password x extra
                  user dan password
                  blah 1
                userlist
                """ + FRONT + BACK);
        assertEquals(List.of(
                "[ALERT] u.cfg:3: 'user alice': unsupported or malformed password hash '$9$zzz' (expected crypt(3) "
                        + "$1$ MD5, $5$ SHA-256, $6$ SHA-512 or $2a$/$2b$/$2y$ bcrypt; or use insecure-password)",
                "[ALERT] u.cfg:5: 'user' only supports 'password', 'insecure-password' and 'groups' options (got 'extra')",
                "[ALERT] u.cfg:6: 'user dan': 'password' expects a value",
                "[ALERT] u.cfg:7: unknown keyword 'blah' in 'userlist' section (expected: group or user)",
                "[ALERT] u.cfg:8: 'userlist' expects <name> as argument",
                "[ALERT] u.cfg:4: userlist 'L': no such group 'dev' specified in user 'bob'",
                "[ALERT] u.cfg:2: userlist 'L': no such user 'zed' specified in group 'admins'"),
                alerts(result));
    }

    @Test
    void duplicatesAreIgnoredWithAWarning() {
        LoadResult result = load("""
                userlist L
                  group g
                  group g
                  user a insecure-password x
                  user a insecure-password y
                  user nopw
                userlist L
                  user z insecure-password z
                """ + FRONT + """
                  http-request auth unless { http_auth(L) }
                """ + BACK);
        assertTrue(result.isValid(), result.render());
        assertEquals(List.of(
                "[WARNING] u.cfg:3: ignoring duplicated group 'g' in userlist 'L'",
                "[WARNING] u.cfg:5: ignoring duplicated user 'a' in userlist 'L'",
                "[WARNING] u.cfg:6: user 'nopw' in userlist 'L' has no password and can never authenticate",
                "[WARNING] u.cfg:7: ignoring duplicated userlist 'L'"), warnings(result));
    }

    @Test
    void fetchesNameAUserlistAndItsGroups() {
        LoadResult result = load(USERS + FRONT + """
                  acl a http_auth(NOPE)
                  acl b http_auth_group(L) admins nosuch
                  acl c http_auth
                  http-request deny if { http_auth_group(NOPE) dev }
                """ + BACK);
        assertEquals(List.of(
                "[ALERT] u.cfg:11: error detected while parsing ACL 'a' : unable to find userlist 'NOPE' referenced "
                        + "in arg 1 of ACL keyword 'http_auth' in proxy 'fe'.",
                "[ALERT] u.cfg:12: error detected while parsing ACL 'b' : http_auth_group(L): invalid group 'nosuch' "
                        + "(userlist 'L' declares no such group).",
                "[ALERT] u.cfg:13: error detected while parsing ACL 'c' : ACL keyword 'http_auth' : missing arguments "
                        + "(got 0/1), type 'user list' expected.",
                "[ALERT] u.cfg:14: 'http-request deny': unable to find userlist 'NOPE' referenced in arg 1 of ACL "
                        + "keyword 'http_auth_group' in proxy 'fe'."),
                alerts(result));
    }

    @Test
    void authAndAfterResponseRulesAreChecked() {
        LoadResult result = load(USERS + FRONT + """
                  http-request auth realm
                  http-request auth foo
                  http-request auth realm a b
                  http-request auth realm "say \\"hi\\""
                  http-after-response deny
                  http-after-response set-path /x
                  http-after-response set-header X-Only-Name
                  http-after-response capture
                """ + BACK);
        List<String> alerts = alerts(result);
        assertEquals(8, alerts.size(), result.render());
        assertEquals("[ALERT] u.cfg:11: 'http-request auth': missing realm value", alerts.get(0));
        assertEquals("[ALERT] u.cfg:12: 'http-request auth' expects 'realm', 'if' or 'unless' (got 'foo')",
                alerts.get(1));
        assertEquals("[ALERT] u.cfg:13: 'http-request auth': unexpected argument 'b'", alerts.get(2));
        assertTrue(alerts.get(3).startsWith("[ALERT] u.cfg:14: 'http-request auth': realm 'say \"hi\"' may not"),
                alerts.get(3));
        assertTrue(alerts.get(4).startsWith("[ALERT] u.cfg:15: unknown action 'http-after-response deny' "
                + "('http-after-response' only rewrites the response"), alerts.get(4));
        assertTrue(alerts.get(5).startsWith("[ALERT] u.cfg:16: unknown action 'http-after-response set-path'"),
                alerts.get(5));
        assertEquals("[ALERT] u.cfg:17: 'http-after-response set-header' expects 2 arguments (got 1)", alerts.get(6));
        assertTrue(alerts.get(7).startsWith("[ALERT] u.cfg:18: 'http-after-response capture' is not supported yet"),
                alerts.get(7));
    }

    @Test
    void theDefaultRealmIsTheProxyName() {
        LoadResult result = load(USERS + FRONT + """
                  http-request auth
                """ + BACK);
        assertTrue(result.isValid(), result.render());
        var rule = Compiler.compile(result.config().orElseThrow()).plan().frontends().getFirst().rules().request()
                .rules().getFirst();
        assertEquals("http-request auth", rule.text());
        assertFalse(result.render().contains("not supported"));
    }
}
