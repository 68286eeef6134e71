package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.check.TcpCheck;
import dev.sluice.balancer.check.TcpCheckRule;
import dev.sluice.balancer.runtime.ServerHealth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code option tcp-check}, {@code tcp-check} lines and the protocol check options, from text to the plan. */
class TcpCheckConfigTest {
    private static final String HEAD = """
            defaults
                mode tcp
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            """;
    private static final String FRONT = """
            frontend f
                bind 127.0.0.1:18999
                default_backend b
            """;

    private static ServerHealth health(String defaults, String backendBody) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + defaults + "backend b\n" + backendBody
                + "    server s 127.0.0.1:80 check\n" + FRONT, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan().backend("b").servers().getFirst().health();
    }

    private static ServerHealth health(String backendBody) {
        return health("", backendBody);
    }

    private static String refusal(String backendBody) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "backend b\n" + backendBody + FRONT, Map.of());
        assertFalse(result.isValid(), backendBody);
        return result.render();
    }

    @Test
    void optionAloneIsAConnectCheck() {
        TcpCheck check = health("    option tcp-check\n").tcp();
        assertEquals(TcpCheck.Kind.TCP, check.kind());
        assertEquals(List.of(TcpCheckRule.Connect.IMPLICIT), check.rules());
    }

    @Test
    void rulesKeepTheirStepsAndComments() {
        TcpCheck check = health("""
                    option tcp-check
                    tcp-check comment "two"
                    tcp-check send PING\\r\\n
                    tcp-check expect string hello
                    tcp-check expect ! rstring ^ERR comment mine
                    tcp-check expect min-recv 3 binary 0a0b error-status L7STS tout-status L4TOUT ok-status L6OK
                """).tcp();
        List<TcpCheckRule> rules = check.rules();
        assertEquals(5, rules.size());
        TcpCheckRule.Send send = (TcpCheckRule.Send) rules.get(1);
        assertEquals(2, send.step());
        assertEquals("two", send.comment());
        assertEquals("PING\r\n", send.data().render(new byte[0], 0, 0));
        TcpCheckRule.Expect string = (TcpCheckRule.Expect) rules.get(2);
        assertEquals(3, string.step());
        assertEquals("", string.comment(), "a comment names the rules of one kind after it");
        TcpCheckRule.Expect negated = (TcpCheckRule.Expect) rules.get(3);
        assertTrue(negated.negate());
        assertEquals("mine", negated.comment());
        TcpCheckRule.Expect binary = (TcpCheckRule.Expect) rules.get(4);
        assertEquals(3, binary.minRecv());
        assertEquals("L7STS", binary.errorStatus().shortName());
        assertEquals("L4TOUT", binary.toutStatus().shortName());
        assertEquals("L6OK", binary.okStatus().shortName());
        assertEquals(3, binary.head(), "waiting restarts at the negated expect before it");
    }

    @Test
    void connectOptions() {
        TcpCheck check = health("""
                    option tcp-check
                    tcp-check connect port 6379 addr 127.0.0.2 send-proxy linger comment c
                """).tcp();
        TcpCheckRule.Connect connect = check.connect();
        assertEquals(6379, connect.port());
        assertEquals("127.0.0.2", connect.address().getHostAddress());
        assertTrue(connect.sendProxy());
        assertFalse(connect.implicit());
        assertFalse(connect.serverDefaults());
        assertTrue(health("    option tcp-check\n    tcp-check connect default\n").tcp().connect().serverDefaults());
    }

    @Test
    void defaultsRulesAreInheritedUntilTheBackendWritesItsOwn() {
        String defaults = "    tcp-check expect string inherited\n";
        TcpCheck inherited = health(defaults.replace("    ", "    option tcp-check\n    "), "").tcp();
        assertEquals("inherited", ((TcpCheckRule.Expect) inherited.rules().get(1)).pattern());
        TcpCheck own = health("defaults\n" + defaults, "    option tcp-check\n    tcp-check expect string own\n").tcp();
        assertEquals(2, own.rules().size());
        assertEquals("own", ((TcpCheckRule.Expect) own.rules().get(1)).pattern());
    }

    @Test
    void theLastCheckOptionWins() {
        assertNull(health("    option tcp-check\n    option httpchk\n").tcp());
        ServerHealth redis = health("    option httpchk\n    option redis-check\n");
        assertNull(redis.http());
        assertEquals(TcpCheck.Kind.REDIS, redis.tcp().kind());
    }

    @Test
    void protocolOptions() {
        assertEquals(TcpCheck.Kind.SSL_HELLO, health("    option ssl-hello-chk\n").tcp().kind());
        assertEquals(TcpCheck.Kind.LDAP, health("    option ldap-check\n").tcp().kind());
        assertEquals(TcpCheck.Kind.PGSQL, health("    option pgsql-check user haproxy\n").tcp().kind());
        assertEquals(TcpCheck.Kind.MYSQL, health("    option mysql-check user haproxy post-41\n").tcp().kind());
        TcpCheck smtp = health("    option smtpchk EHLO me.example\n").tcp();
        assertEquals("EHLO me.example\r\n",
                ((TcpCheckRule.Send) smtp.rules().get(3)).data().render(new byte[0], 0, 0));
        TcpCheck fallback = health("    option smtpchk\n").tcp();
        assertEquals("HELO localhost\r\n",
                ((TcpCheckRule.Send) fallback.rules().get(3)).data().render(new byte[0], 0, 0));
    }

    private static String refusedConfig(String backends) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + backends + FRONT, Map.of());
        assertFalse(result.isValid(), backends);
        return result.render();
    }

    @Test
    void trackAndAgentSettings() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + """
                backend b
                    server s 127.0.0.1:80 check
                    server t 127.0.0.1:81 track s
                    server a 127.0.0.1:82 weight 10 agent-check agent-port 9999 agent-inter 5s agent-addr 127.0.0.3 agent-send "ping\\n"
                backend c
                    server u 127.0.0.1:83 track b/t
                """ + FRONT, Map.of());
        assertTrue(result.isValid(), result.render());
        var plan = Compiler.compile(result.config().orElseThrow()).plan();
        var sources = plan.backend("b").servers().get(1).health().sources();
        assertEquals(new dev.sluice.balancer.runtime.HealthSources.Track(null, "s"), sources.track());
        var agent = plan.backend("b").servers().get(2).health().sources().agent();
        assertTrue(agent.enabled());
        assertEquals(9999, agent.port());
        assertEquals(java.time.Duration.ofSeconds(5), agent.interval());
        assertEquals("127.0.0.3", agent.address().getHostAddress());
        assertEquals("ping\n", agent.send());
        assertEquals(new dev.sluice.balancer.runtime.HealthSources.Track("b", "t"),
                plan.backend("c").servers().getFirst().health().sources().track());
    }

    @Test
    void trackRefusalsAsHaproxy() {
        assertTrue(refusedConfig("backend b\n    server s 127.0.0.1:1\n    server t 127.0.0.1:2 track s\n").contains(
                "t.cfg:8: 'server b/t' : unable to use b/s for tracking as it does not have any check nor agent enabled."));
        assertTrue(refusedConfig("backend b\n    server s 127.0.0.1:1 check\n    server t 127.0.0.1:2 track s check\n")
                .contains("'server b/t' : unable to enable checks and tracking at the same time!"));
        assertTrue(refusedConfig("backend b\n    server s 127.0.0.1:1 track t\n    server t 127.0.0.1:2 track s\n")
                .contains("'server b/t' : unable to track b/s as it belongs to a tracking chain looping back to b/t."));
        assertTrue(refusedConfig("backend b\n    server s 127.0.0.1:1 check\n    server t 127.0.0.1:2 track nope\n")
                .contains("'server b/t' : unable to find required server 'nope' for tracking."));
        assertTrue(refusedConfig("backend b\n    server t 127.0.0.1:2 track other/x\n")
                .contains("'server b/t' : unable to find required proxy 'other' for tracking."));
        assertTrue(refusedConfig("backend b\n    server t 127.0.0.1:2 track /x\n")
                .contains("'track' expects [<proxy>/]<server> as argument."));
        assertTrue(refusedConfig("backend b\n    server s 127.0.0.1:1 check agent-check\n")
                .contains("'server b/s' : server s does not have agent port. Agent check has been disabled."));
        assertTrue(refusedConfig("backend b\n    server s 127.0.0.1:1 agent-check agent-port 0\n")
                .contains("'agent-port'"));
    }

    @Test
    void badLinesAreRefusedWithTheirLocation() {
        assertTrue(refusal("    tcp-check expect\n").contains("t.cfg:7:"), refusal("    tcp-check expect\n"));
        assertTrue(refusal("    tcp-check expect\n").contains("expects at least a matching pattern"));
        assertTrue(refusal("    tcp-check expect string\n").contains("'string' expects a <pattern> as argument"));
        assertTrue(refusal("    tcp-check expect foo bar\n").contains("but got 'foo' as argument"));
        assertTrue(refusal("    tcp-check expect min-recv 3\n").contains("pattern not found"));
        assertTrue(refusal("    tcp-check expect rstring (\n").contains("invalid regex"));
        assertTrue(refusal("    tcp-check expect binary 0g\n").contains("invalid binary string"));
        assertTrue(refusal("    tcp-check expect string a ok-status L7STS\n")
                .contains("'ok-status' only supports L4OK, L6OK, L7OK status (got 'L7STS')"));
        assertTrue(refusal("    tcp-check send-binary 123\n").contains("invalid binary string"));
        assertTrue(refusal("    tcp-check send\n").contains("'send' expects a string as argument"));
        assertTrue(refusal("    tcp-check send x foo\n").contains("expects 'comment' but got 'foo'"));
        assertTrue(refusal("    tcp-check send-lf %[src]\n").contains("is supported yet in checks"));
        assertTrue(refusal("    tcp-check frob\n").contains("only supports 'comment', 'connect'"));
        assertTrue(refusal("    tcp-check send x\n    tcp-check connect\n").contains("first step MUST also be a "
                + "'connect'"));
        assertTrue(refusal("    tcp-check connect\n    tcp-check connect port 1\n").contains("only one 'connect'"));
        assertTrue(refusal("    tcp-check connect port 70000\n").contains("expects a valid TCP port"));
        assertTrue(refusal("    tcp-check connect ssl\n").contains("TLS is terminated"));
        assertTrue(refusal("    tcp-check connect via-socks4\n").contains("SOCKS4"));
        assertTrue(refusal("    tcp-check connect proto h2\n").contains("raw TCP"));
        assertTrue(refusal("    option pgsql-check\n").contains("expects 'user <username>' as argument"));
        assertTrue(refusal("    option mysql-check user u post-42\n").contains("only supports 'post-41' and 'pre-41'"));
        assertTrue(refusal("    option redis-check now\n").contains("unexpected argument 'now'"));
    }
}
