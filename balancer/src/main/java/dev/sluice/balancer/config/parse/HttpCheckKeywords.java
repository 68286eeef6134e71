package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.check.HttpProbe;
import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import java.util.List;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

/**
 * {@code option httpchk [URI] | [METH URI [VER]]} and {@code http-check send|expect|connect}. One request
 * and one expectation per backend are supported (HAProxy 2.2+ allows sequences of rules: refused here).
 */
final class HttpCheckKeywords {

    private HttpCheckKeywords() {
    }

    /** {@code option httpchk …}: the line's words 0-1 are "option httpchk". */
    static void option(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        HttpCheckDraft check = draft.httpCheck;
        check.enabled = true;
        List<String> args = line.from(2);
        switch (args.size()) {
            case 0 -> {
            }
            case 1 -> check.uri = args.get(0);
            case 2, 3 -> {
                check.method = args.get(0);
                check.uri = args.get(1);
                if (args.size() == 3) {
                    version(args.get(2), check, line, diagnostics);
                }
            }
            default -> throw new ConfigException("'option httpchk' cannot handle unexpected argument '"
                    + args.get(3) + "'");
        }
    }

    /** The old trick "HTTP/1.1\r\nHost: example.com": headers hidden after the version. */
    private static void version(String word, HttpCheckDraft check, Line line, Diagnostics diagnostics)
            throws ConfigException {
        String[] parts = word.split("\r\n", -1);
        check.version = parts[0];
        if (parts.length > 1) {
            diagnostics.warning(line.location(), "'option httpchk': hiding headers after the version is "
                    + "deprecated; use 'http-check send hdr NAME VALUE'");
        }
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            int colon = parts[i].indexOf(':');
            if (colon <= 0) {
                throw new ConfigException("'option httpchk': '" + parts[i] + "' after the version is not a header "
                        + "(expected: Name: value)");
            }
            check.headers.add(new HttpProbe.Header(parts[i].substring(0, colon).trim(),
                    parts[i].substring(colon + 1).trim()));
        }
    }

    /** {@code http-check …}. */
    static void httpCheck(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        switch (line.word(1)) {
            case "send" -> send(line.from(2), draft.httpCheck);
            case "expect" -> expect(line.from(2), draft.httpCheck);
            case "connect" -> {
                if (line.size() > 2) {
                    throw new ConfigException("'http-check connect " + line.word(2) + "': connect options are not "
                            + "supported yet (checks connect to the server's address, 'port' and 'addr')");
                }
            }
            case "disable-on-404", "send-state", "comment", "set-var", "unset-var" -> throw new ConfigException(
                    "'http-check " + line.word(1) + "' is not supported yet");
            default -> throw new ConfigException("'http-check': unknown action '" + line.word(1)
                    + "' (expected: send, expect or connect)");
        }
    }

    private static void send(List<String> args, HttpCheckDraft check) throws ConfigException {
        if (check.sendRule) {
            throw new ConfigException("'http-check send': only one request per backend is supported");
        }
        check.sendRule = true;
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            switch (name) {
                case "meth" -> check.method = value(args, ++i, name);
                case "uri" -> check.uri = value(args, ++i, name);
                case "ver" -> check.version = value(args, ++i, name);
                case "body" -> check.body = value(args, ++i, name);
                case "hdr" -> {
                    String header = value(args, ++i, name);
                    check.headers.add(new HttpProbe.Header(header, value(args, ++i, "hdr " + header)));
                }
                case "uri-lf", "body-lf" -> throw new ConfigException("'http-check send " + name
                        + "': log-format arguments are not supported yet");
                default -> throw new ConfigException("'http-check send': unknown argument '" + name
                        + "' (expected: meth, uri, ver, hdr or body)");
            }
        }
    }

    private static void expect(List<String> args, HttpCheckDraft check) throws ConfigException {
        if (check.expectSet) {
            throw new ConfigException("'http-check expect': only one expectation per backend is supported");
        }
        int i = 0;
        boolean negate = false;
        if (i < args.size() && args.get(i).equals("!")) {
            negate = true;
            i++;
        }
        if (i >= args.size()) {
            throw new ConfigException("'http-check expect' expects [!] status|rstatus|string|rstring PATTERN");
        }
        String kind = args.get(i).toLowerCase(Locale.ROOT);
        HttpProbe.Expect.Kind parsed = switch (kind) {
            case "status" -> HttpProbe.Expect.Kind.STATUS;
            case "rstatus" -> HttpProbe.Expect.Kind.RSTATUS;
            case "string" -> HttpProbe.Expect.Kind.STRING;
            case "rstring" -> HttpProbe.Expect.Kind.RSTRING;
            default -> throw new ConfigException("'http-check expect " + args.get(i) + "' is not supported yet "
                    + "(expected: status, rstatus, string or rstring)");
        };
        if (i + 2 != args.size()) {
            throw new ConfigException("'http-check expect' expects [!] " + kind + " PATTERN (options such as "
                    + "min-recv or on-success are not supported yet)");
        }
        String pattern = args.get(i + 1);
        if (parsed == HttpProbe.Expect.Kind.STATUS && !pattern.matches("[0-9]{3}(-[0-9]{3})?(,[0-9]{3}(-[0-9]{3})?)*")) {
            throw new ConfigException("'http-check expect status " + pattern + "': expected a status code, a "
                    + "range (200-299) or a list of them");
        }
        try {
            check.expect = new HttpProbe.Expect(parsed, negate, pattern);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("'http-check expect " + kind + "': invalid regex '" + pattern + "': "
                    + e.getDescription());
        }
        check.expectSet = true;
    }

    private static String value(List<String> args, int i, String name) throws ConfigException {
        if (i >= args.size()) {
            throw new ConfigException("'http-check send': '" + name + "' expects an argument");
        }
        return args.get(i);
    }
}
