package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.check.CheckStatus;
import dev.sluice.balancer.check.CheckText;
import dev.sluice.balancer.check.ProtocolChecks;
import dev.sluice.balancer.check.TcpCheck;
import dev.sluice.balancer.check.TcpCheckRule;
import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code option tcp-check}, the {@code tcp-check} rules and the protocol check options ({@code redis-check},
 * {@code ssl-hello-chk}, {@code smtpchk}, {@code mysql-check}, {@code pgsql-check}, {@code ldap-check}), with
 * HAProxy 2.6's syntax and messages. Any of these options replaces {@code option httpchk} and the others.
 */
final class TcpCheckKeywords {
    private static final String TLS = "TLS is terminated by sluice-terminator in front of the balancer; "
            + "checks reach servers in clear";

    private TcpCheckKeywords() {
    }

    /** {@code option tcp-check|redis-check|…}: the line's word 1 is the option. */
    static void option(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String name = line.word(1);
        List<String> args = line.from(2);
        TcpCheckDraft check = draft.tcpCheck;
        switch (name) {
            case "tcp-check" -> {
                none(name, args);
                check.kind = TcpCheck.Kind.TCP;
            }
            case "redis-check" -> protocol(check, name, args, ProtocolChecks.redis());
            case "ssl-hello-chk" -> protocol(check, name, args, ProtocolChecks.sslHello());
            case "ldap-check" -> protocol(check, name, args, ProtocolChecks.ldap());
            case "smtpchk" -> {
                // As HAProxy: a greeting other than "HELO x" or "EHLO x" falls back to the default silently.
                boolean given = args.size() >= 2 && (args.get(0).equals("EHLO") || args.get(0).equals("HELO"));
                if (args.size() > 2) {
                    throw new ConfigException("'option smtpchk' cannot handle unexpected argument '" + args.get(2)
                            + "'");
                }
                check.protocolRules = ProtocolChecks.smtp(given ? args.get(0) + " " + args.get(1)
                        : "HELO localhost").rules();
                check.kind = TcpCheck.Kind.SMTP;
            }
            case "pgsql-check" -> {
                if (args.size() < 2) {
                    throw new ConfigException("'option pgsql-check' expects 'user <username>' as argument.");
                }
                if (!args.get(0).equals("user")) {
                    throw new ConfigException("'option pgsql-check' only supports optional values: 'user'.");
                }
                if (args.size() > 2) {
                    throw new ConfigException("'option pgsql-check' cannot handle unexpected argument '"
                            + args.get(2) + "'");
                }
                protocol(check, name, List.of(), ProtocolChecks.pgsql(args.get(1)));
            }
            case "mysql-check" -> mysql(check, args);
            default -> throw new IllegalStateException(name);
        }
        draft.httpCheck.enabled = false;
    }

    private static void mysql(TcpCheckDraft check, List<String> args) throws ConfigException {
        if (args.isEmpty()) {
            protocol(check, "mysql-check", args, ProtocolChecks.mysql(null, true));
            return;
        }
        if (!args.get(0).equals("user")) {
            throw new ConfigException("'option mysql-check' only supports optional values: 'user' (got '"
                    + args.get(0) + "').");
        }
        if (args.size() < 2) {
            throw new ConfigException("'option mysql-check user' expects <username> as argument.");
        }
        if (args.size() > 3) {
            throw new ConfigException("'option mysql-check' cannot handle unexpected argument '" + args.get(3) + "'");
        }
        String version = args.size() == 3 ? args.get(2) : "post-41";
        if (!version.equals("post-41") && !version.equals("pre-41")) {
            throw new ConfigException("keyword 'user' only supports 'post-41' and 'pre-41' (got '" + version + "').");
        }
        protocol(check, "mysql-check", List.of(), ProtocolChecks.mysql(args.get(1), version.equals("post-41")));
    }

    private static void protocol(TcpCheckDraft check, String name, List<String> args, TcpCheck built)
            throws ConfigException {
        none(name, args);
        check.kind = built.kind();
        check.protocolRules = built.rules();
    }

    private static void none(String name, List<String> args) throws ConfigException {
        if (!args.isEmpty()) {
            throw new ConfigException("'option " + name + "' cannot handle unexpected argument '" + args.get(0) + "'");
        }
    }

    /** {@code tcp-check ACTION …}. */
    static void tcpCheck(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        TcpCheckDraft check = draft.tcpCheck;
        String action = line.word(1);
        List<String> args = line.from(2);
        int step = check.nextStep();
        try {
            switch (action) {
                case "connect" -> check.add(connect(step, args, check));
                case "send", "send-lf", "send-binary", "send-binary-lf" -> check.add(send(step, action, args));
                case "expect" -> check.add(expect(step, args));
                case "comment" -> {
                    if (args.isEmpty()) {
                        throw new ConfigException("expects a string as argument");
                    }
                    check.comment(args.get(0));
                }
                case "set-var", "unset-var" -> throw new ConfigException("is not supported yet (check variables)");
                default -> throw new ConfigException("'tcp-check' only supports 'comment', 'connect', 'send', "
                        + "'send-binary', 'expect', 'set-var(<var-name>)', 'unset-var(<var-name>)'. but got '"
                        + action + "'");
            }
        } catch (ConfigException e) {
            throw e.getMessage().startsWith("'tcp-check'") ? e
                    : new ConfigException("'tcp-check " + action + "' : " + e.getMessage() + ".");
        }
    }

    private static TcpCheckRule.Connect connect(int step, List<String> args, TcpCheckDraft check)
            throws ConfigException {
        if (check.hasRules()) {
            throw new ConfigException(check.entries.stream().anyMatch(e -> e.rule() instanceof TcpCheckRule.Connect)
                    ? "only one 'connect' per ruleset is supported yet (checks use one connection)"
                    : "first step MUST also be a 'connect', optionally preceded by a 'set-var', an 'unset-var' or "
                    + "a 'comment', when there is a 'connect' step in the tcp-check ruleset");
        }
        int port = 0;
        InetAddress address = null;
        boolean sendProxy = false;
        boolean serverDefaults = false;
        String comment = "";
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            switch (word) {
                case "default" -> serverDefaults = true;
                case "linger" -> {
                    // Checks here always close cleanly (no reset), which is what linger asks for.
                }
                case "send-proxy" -> sendProxy = true;
                case "port" -> port = connectPort(value(args, ++i, "'port' expects a port number or a sample "
                        + "expression as argument."));
                case "addr" -> {
                    String[] parts = address(value(args, ++i, "'addr' expects <ipv4|ipv6> as argument."));
                    address = parseAddress(parts[0]);
                    if (parts[1] != null && port == 0) {
                        port = connectPort(parts[1]);
                    }
                }
                case "comment" -> comment = value(args, ++i, "'comment' expects a string as argument.");
                case "ssl", "sni", "alpn" -> throw new ConfigException("'" + word + "' is not supported: " + TLS);
                case "via-socks4" -> throw new ConfigException("'via-socks4' is not supported (servers are not "
                        + "reached through SOCKS4 proxies)");
                case "proto" -> throw new ConfigException("'proto' is not supported (checks speak raw TCP)");
                default -> throw new ConfigException("expects 'comment', 'port', 'addr', 'send-proxy', 'ssl', "
                        + "'sni', 'alpn' or 'via-socks4', 'linger', 'default' but got '" + word + "' as argument.");
            }
        }
        return new TcpCheckRule.Connect(step, comment, port, address, sendProxy, false, serverDefaults);
    }

    private static int connectPort(String text) throws ConfigException {
        if (!text.matches("[0-9]+")) {
            throw new ConfigException("a sample expression as port ('" + text + "') is not supported yet");
        }
        long port = text.length() > 6 ? -1 : Long.parseLong(text);
        if (port < 1 || port > 65_535) {
            throw new ConfigException("expects a valid TCP port (from range 1 to 65535) or a sample expression, got "
                    + text + ".");
        }
        return (int) port;
    }

    /** {@code IP}, {@code IPv4:PORT} or {@code [IPv6]:PORT}: the address and the port (null when absent). */
    private static String[] address(String text) {
        if (text.startsWith("[") && text.contains("]")) {
            int close = text.indexOf(']');
            return new String[] {text.substring(1, close),
                    text.startsWith(":", close + 1) ? text.substring(close + 2) : null};
        }
        int colon = text.lastIndexOf(':');
        if (colon > 0 && text.indexOf(':') == colon) {
            return new String[] {text.substring(0, colon), text.substring(colon + 1)};
        }
        return new String[] {text, null};
    }

    private static InetAddress parseAddress(String literal) throws ConfigException {
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'addr' : invalid address: '" + literal + "' (expected: an IP address; names "
                    + "are not resolved)");
        }
    }

    private static TcpCheckRule.Send send(int step, String action, List<String> args) throws ConfigException {
        boolean binary = action.startsWith("send-binary");
        if (args.isEmpty()) {
            throw new ConfigException("'" + action + "' expects a " + (binary ? "binary string" : "string")
                    + " as argument");
        }
        String data = args.get(0);
        String comment = "";
        for (int i = 1; i < args.size(); i++) {
            if (!args.get(i).equals("comment")) {
                throw new ConfigException("expects 'comment' but got '" + args.get(i) + "' as argument.");
            }
            comment = value(args, ++i, "'comment' expects a string as argument.");
        }
        CheckText text = action.endsWith("-lf") ? format(data) : CheckText.literal(data);
        if (binary && text.constant()) {
            hex(data);
        }
        return new TcpCheckRule.Send(step, comment, text, binary);
    }

    private static TcpCheckRule.Expect expect(int step, List<String> args) throws ConfigException {
        if (args.isEmpty()) {
            throw new ConfigException("expects at least a matching pattern as arguments");
        }
        TcpCheckRule.Match match = null;
        String pattern = null;
        boolean negate = false;
        int minRecv = -1;
        String comment = "";
        CheckStatus ok = null;
        CheckStatus error = null;
        CheckStatus timeout = null;
        CheckText onSuccess = null;
        CheckText onError = null;
        CheckText statusCode = null;
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            while (word.startsWith("!")) {
                negate = !negate;
                word = word.substring(1);
            }
            if (word.isEmpty()) {
                continue;
            }
            switch (word) {
                case "min-recv" -> {
                    String n = value(args, ++i, "'min-recv' expects a integer as argument");
                    long parsed = n.matches("-?[0-9]{1,10}") ? Long.parseLong(n) : -2;
                    if (parsed < -1 || parsed > Integer.MAX_VALUE) {
                        throw new ConfigException("'min-recv' expects -1 or an integer from 0 to INT_MAX");
                    }
                    minRecv = (int) parsed;
                }
                case "string", "rstring", "binary", "rbinary", "string-lf", "binary-lf" -> {
                    if (match != null) {
                        throw new ConfigException("only on pattern expected");
                    }
                    match = TcpCheckRule.Match.valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
                    pattern = value(args, ++i, "'" + word + "' expects a <pattern> as argument");
                }
                case "comment" -> comment = value(args, ++i, "'comment' expects a string as argument");
                case "on-success" -> onSuccess = format(value(args, ++i, "'on-success' expects a string as argument"));
                case "on-error" -> onError = format(value(args, ++i, "'on-error' expects a string as argument"));
                case "ok-status" -> ok = status(value(args, ++i, "'ok-status' expects a string as argument"),
                        "ok-status", "L4OK, L6OK, L7OK", CheckStatus.L4OK, CheckStatus.L6OK, CheckStatus.L7OK);
                case "error-status" -> error = status(value(args, ++i, "'error-status' expects a string as argument"),
                        "error-status", "L4CON, L6RSP, L7RSP, L7STS", CheckStatus.L4CON, CheckStatus.L6RSP,
                        CheckStatus.L7RSP, CheckStatus.L7STS);
                case "tout-status" -> timeout = status(value(args, ++i, "'tout-status' expects a string as argument"),
                        "tout-status", "L4TOUT, L6TOUT, L7TOUT", CheckStatus.L4TOUT, CheckStatus.L6TOUT,
                        CheckStatus.L7TOUT);
                case "status-code" -> {
                    String expression = value(args, ++i, "'status-code' expects an expression as argument");
                    try {
                        statusCode = new CheckText(List.of(CheckText.payload(expression)));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException("'status-code' " + e.getMessage());
                    }
                }
                case "custom" -> throw new ConfigException("'custom' is reserved to the protocol checks");
                default -> throw new ConfigException("'only supports min-recv, '[!]binary', '[!]string', "
                        + "'[!]rstring', '[!]string-lf''[!]rbinary', '[!]binary-lf' or comment but got '" + word
                        + "' as argument.");
            }
        }
        if (match == null) {
            throw new ConfigException("pattern not found");
        }
        byte[] literal = null;
        Pattern regex = null;
        switch (match) {
            case STRING -> literal = pattern.getBytes(StandardCharsets.ISO_8859_1);
            case BINARY -> literal = hex(pattern);
            case STRING_LF, BINARY_LF -> {
                CheckText text = format(pattern);
                if (!text.constant()) {
                    throw new ConfigException("'" + match.keyword() + "' with log-format variables is not supported "
                            + "yet");
                }
                String rendered = text.render(new byte[0], 0, 0);
                literal = match == TcpCheckRule.Match.BINARY_LF ? hex(rendered)
                        : rendered.getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> {
                try {
                    regex = Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    throw new ConfigException("invalid regex '" + pattern + "': " + e.getDescription());
                }
            }
        }
        return new TcpCheckRule.Expect(step, comment, match, negate, pattern, literal, regex, minRecv, ok, error,
                timeout, onSuccess, onError, statusCode, 0);
    }

    private static CheckStatus status(String word, String option, String allowed, CheckStatus... statuses)
            throws ConfigException {
        for (CheckStatus status : statuses) {
            if (status.shortName().equalsIgnoreCase(word)) {
                return status;
            }
        }
        if (word.equalsIgnoreCase("L7OKC")) {
            throw new ConfigException("'" + option + " L7OKC' is not supported yet (a conditional pass)");
        }
        throw new ConfigException("'" + option + "' only supports " + allowed + " status (got '" + word + "').");
    }

    private static CheckText format(String text) throws ConfigException {
        try {
            return CheckText.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + text + "' invalid log-format string (" + e.getMessage() + ")");
        }
    }

    private static byte[] hex(String text) throws ConfigException {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + text + "' invalid binary string (expected: an even number of hex digits)");
        }
    }

    private static String value(List<String> args, int i, String message) throws ConfigException {
        if (i >= args.size() || args.get(i).isEmpty()) {
            throw new ConfigException(message);
        }
        return args.get(i);
    }

    /** {@code rule} with a {@code tcp-check comment} line's text. */
    static TcpCheckRule withComment(TcpCheckRule rule, String comment) {
        return switch (rule) {
            case TcpCheckRule.Connect c -> new TcpCheckRule.Connect(c.step(), comment, c.port(), c.address(),
                    c.sendProxy(), c.implicit(), c.serverDefaults());
            case TcpCheckRule.Send s -> new TcpCheckRule.Send(s.step(), comment, s.data(), s.binary());
            case TcpCheckRule.Expect e -> new TcpCheckRule.Expect(e.step(), comment, e.match(), e.negate(),
                    e.pattern(), e.literal(), e.regex(), e.minRecv(), e.okStatus(), e.errorStatus(), e.toutStatus(),
                    e.onSuccess(), e.onError(), e.statusCode(), e.head());
        };
    }
}
