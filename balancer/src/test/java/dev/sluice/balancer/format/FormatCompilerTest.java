package dev.sluice.balancer.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.rules.NettyView;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Log-format strings compile once and render what HAProxy 2.6 renders for them. */
class FormatCompilerTest {

    private static final AclCompiler ACL = new AclCompiler(Path.of("."), ProxyCatalog.ANY);
    private static final FormatCompiler VALUES = FormatCompiler.forValues(AliasTable.STANDARD,
            text -> ACL.sampleExpression(text, "fe"));
    private static final FormatCompiler LOGS = FormatCompiler.forLogLines(AliasTable.STANDARD,
            text -> ACL.sampleExpression(text, "fe"));

    private static FormatContext context() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/a/b?x=1&y=2");
        request.headers().add("Host", "Example.COM").add("X-Two", "1").add("X-Two", "2");
        NettyView view = new NettyView(request);
        return new FormatContext() {
            @Override
            public RequestView request() {
                return view;
            }

            @Override
            public CharSequence frontendName() {
                return "fe";
            }

            @Override
            public CharSequence backendName() {
                return "be";
            }

            @Override
            public CharSequence serverName() {
                return null;
            }
        };
    }

    private static String render(FormatCompiler compiler, String text) {
        StringBuilder out = new StringBuilder();
        compiler.compile(text).render(out, context());
        return out.toString();
    }

    @Test
    void literalTextAndPercentSigns() {
        assertEquals("100% sure", render(VALUES, "100%% sure"));
        assertEquals("plain", VALUES.compile("plain").constant());
        assertEquals("", VALUES.compile("").constant());
        assertNull(VALUES.compile("a %[src]").constant());
    }

    @Test
    void samplesWithConverters() {
        assertEquals("host=example.com;", render(VALUES, "host=%[req.hdr(host),lower];"));
        assertEquals("2", render(VALUES, "%[req.hdr(x-two)]"), "a fetch outside ACLs yields the last occurrence");
        assertEquals("192.0.2.7:40123", render(VALUES, "%[src]:%[src_port]"));
        assertEquals("/a/b", render(VALUES, "%[path]"));
    }

    @Test
    void aliasesReadTheRequestAndConnection() {
        assertEquals("192.0.2.7 40123 198.51.100.1 80", render(VALUES, "%ci %cp %fi %fp"));
        assertEquals("POST|/a/b?x=1&y=2|/a/b|?x=1&y=2|HTTP/1.1", render(VALUES, "%HM|%HU|%HP|%HQ|%HV"));
        assertEquals("POST /a/b?x=1&y=2 HTTP/1.1", render(VALUES, "%r"));
        assertEquals("fe/be/3", render(VALUES, "%f/%b/%fc"));
        assertTrue(render(VALUES, "%t").matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"));
    }

    @Test
    void missingValuesAreEmptyInValuesAndADashInLogLines() {
        assertEquals("[]", render(VALUES, "[%[req.hdr(nope)]]"));
        assertEquals("[-]", render(LOGS, "[%[req.hdr(nope)]]"));
        assertEquals("[-]", render(LOGS, "[%s]"));
    }

    @Test
    void flagsQuoteHexAndEscapeInLogLines() {
        assertEquals("\"Example.COM\"", render(LOGS, "%{+Q}[req.hdr(host)]"));
        assertEquals("Example.COM", render(VALUES, "%{+Q}[req.hdr(host)]"), "haproxy 2.6 does not quote rule values");
        assertEquals("9CBB", render(LOGS, "%{+X}[src_port]"));
        assertEquals("\"POST\"", render(LOGS, "%{+Q,+X}HM"));
        assertEquals("POST", render(LOGS, "%{+Q,-Q}HM"));
    }

    @Test
    void anAliasTableCanBeExtended() {
        AliasTable withTimer = AliasTable.STANDARD.with("Tq", (out, c) -> {
            out.append(42);
            return true;
        });
        FormatCompiler logs = FormatCompiler.forLogLines(withTimer, text -> ACL.sampleExpression(text, "fe"));
        assertEquals("Tq=42", render(logs, "Tq=%Tq"));
    }

    @Test
    void badStringsAreRefusedWithTheReason() {
        assertEquals("no such log-format alias '%zz' in 'a %zz'",
                assertThrows(FormatException.class, () -> VALUES.compile("a %zz")).getMessage());
        assertTrue(assertThrows(FormatException.class, () -> VALUES.compile("%Tq")).getMessage()
                .contains("needs the access log"));
        assertEquals("missing ']' after '%[' in log-format '%[src'",
                assertThrows(FormatException.class, () -> VALUES.compile("%[src")).getMessage());
        assertTrue(assertThrows(FormatException.class, () -> VALUES.compile("%{+Z}[src]")).getMessage()
                .contains("unknown flag '+Z'"));
        assertTrue(assertThrows(FormatException.class, () -> VALUES.compile("50% off")).getMessage()
                .contains("write '%%'"));
        assertThrows(RuntimeException.class, () -> VALUES.compile("%[no_such_fetch]"));
    }

    @Test
    void bracketsInsideConverterArgumentsDoNotEndTheSample() {
        assertEquals("<a]b>", render(VALUES, "<%[str(a]b)]>"));
    }

    @Test
    void acceptDateAliasesForRequestStartHeaders() {
        FormatContext at = new FormatContext() {
            private final FormatContext base = context();

            @Override
            public RequestView request() {
                return base.request();
            }

            @Override
            public CharSequence frontendName() {
                return "fe";
            }

            @Override
            public CharSequence backendName() {
                return null;
            }

            @Override
            public CharSequence serverName() {
                return null;
            }

            @Override
            public long acceptedAtMillis() {
                return 1_764_000_000_042L; // 2025-11-24T16:00:00.042Z
            }
        };
        StringBuilder out = new StringBuilder();
        VALUES.compile("t=%Ts%ms %T").render(out, at);
        assertEquals("t=1764000000042 24/Nov/2025:16:00:00 +0000", out.toString());
        out.setLength(0);
        VALUES.compile("%pid").render(out, at);
        assertEquals(String.valueOf(ProcessHandle.current().pid()), out.toString());
    }
}
