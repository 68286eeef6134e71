package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.acl.Variables;
import dev.sluice.balancer.format.FormatException;
import dev.sluice.balancer.format.FormatString;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.TrackedCounters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles one {@code http-request}, {@code http-response} or {@code redirect} line (the words
 * after the keyword) into a {@link Rule}. Valid HAProxy 2.6 actions this balancer does not run
 * are refused with the reason, never ignored.
 */
public final class RuleParser {

    public enum Kind {
        REQUEST("http-request"), RESPONSE("http-response"), REDIRECT("redirect"),
        /** {@code http-after-response}: every response, the balancer's own included (see AfterResponse). */
        AFTER_RESPONSE("http-after-response");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    static final Set<String> REQUEST_ACTIONS = Set.of("set-header", "add-header", "del-header", "replace-header",
            "replace-value", "set-path", "set-pathq", "set-query", "set-uri", "replace-path", "replace-pathq",
            "replace-uri", "set-method", "deny", "tarpit", "return", "redirect",
            "allow", "set-var", "set-var-fmt", "unset-var", "track-sc0", "track-sc1", "track-sc2", "sc-inc-gpc0",
            "sc-inc-gpc1", "sc-set-gpt0", "auth", "capture", "silent-drop", "add-acl", "del-acl", "set-map", "del-map",
            "set-log-level", "disable-l7-retry", "cache-use");
    static final Set<String> RESPONSE_ACTIONS = Set.of("set-header", "add-header", "del-header", "replace-header",
            "replace-value", "set-status", "deny", "allow", "return", "set-var", "set-var-fmt", "unset-var",
            "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt0", "capture", "silent-drop", "add-acl", "del-acl", "set-map",
            "del-map", "set-log-level", "cache-store");
    /** HAProxy 2.6's {@code http-after-response} actions, but {@code capture} and {@code strict-mode}. */
    static final Set<String> AFTER_RESPONSE_ACTIONS = Set.of("set-header", "add-header", "del-header",
            "replace-header", "replace-value", "set-status", "allow", "set-var", "set-var-fmt", "unset-var");

    /** Stick counter actions HAProxy 2.6 also has in {@code http-response}; here only requests track. */
    private static final Set<String> STICK_ACTIONS = Set.of("track-sc0", "track-sc1", "track-sc2");
    private static final String STICK = "stick tables store gpc0, gpc1 and gpt0 here, not the gpc/gpt arrays";
    private static final String STICK_RESPONSE = "stick counters are tracked by 'http-request' rules only here";
    /** Valid HAProxy 2.6 actions that are not run here, with the reason given to the user. */
    private static final Map<String, String> NOT_SUPPORTED = notSupported();

    private final RuleEnvironment env;

    public RuleParser(RuleEnvironment env) {
        this.env = env;
    }

    private static Map<String, String> notSupported() {
        Map<String, String> m = new java.util.HashMap<>();
        for (String stick : List.of("sc-inc-gpc", "sc-set-gpt", "sc-add-gpc")) {
            m.put(stick, STICK);
        }
        m.put("set-timeout", "per-request timeouts are not supported yet");
        for (String name : List.of("normalize-uri",
                "early-hint", "set-src", "set-src-port", "set-dst", "set-dst-port", "set-tos", "set-mark", "set-nice",
                "reject", "wait-for-body", "wait-for-handshake", "strict-mode", "set-priority-class",
                "set-priority-offset", "do-resolve", "send-spoe-group", "set-bandwidth-limit")) {
            m.put(name, "this action is not supported yet");
        }
        return Map.copyOf(m);
    }

    /** @param where {@code file:line}, kept in the rule for messages */
    public Rule parse(Kind kind, List<String> words, String where) {
        if (words.isEmpty()) {
            throw new RuleException("'" + kind.keyword() + "' expects an action");
        }
        int cut = words.size();
        for (int i = 1; i < words.size(); i++) {
            if (words.get(i).equals("if") || words.get(i).equals("unless")) {
                cut = i;
                break;
            }
        }
        Condition condition = null;
        if (cut < words.size()) {
            if (cut + 1 == words.size()) {
                throw new RuleException("'" + kind.keyword() + " " + words.get(0) + "': missing condition after '"
                        + words.get(cut) + "'");
            }
            condition = env.conditions().compile(words.get(cut).equals("unless"), words.subList(cut + 1, words.size()));
        }
        List<String> action = words.subList(0, cut);
        try {
            Action compiled = kind == Kind.REDIRECT ? redirect(action, 0) : action(kind, action);
            return new Rule(where, kind.keyword() + " " + String.join(" ", words), condition, compiled);
        } catch (FormatException e) {
            throw new RuleException("'" + kind.keyword() + " " + words.get(0) + "': " + e.getMessage());
        }
    }

    private Action action(Kind kind, List<String> a) {
        String name = a.get(0);
        boolean response = kind == Kind.RESPONSE || kind == Kind.AFTER_RESPONSE;
        String label = "'" + kind.keyword() + " " + name + "'";
        String base = name.contains("(") ? name.substring(0, name.indexOf('(')) : name;
        Set<String> known = kind == Kind.AFTER_RESPONSE ? AFTER_RESPONSE_ACTIONS
                : response ? RESPONSE_ACTIONS : REQUEST_ACTIONS;
        if (!known.contains(base)) {
            String reason = response && STICK_ACTIONS.contains(base) ? STICK_RESPONSE : NOT_SUPPORTED.get(base);
            if (kind == Kind.AFTER_RESPONSE && base.equals("capture")) {
                reason = "captures are filled by 'http-request' and 'http-response' rules here";
            }
            if (reason == null && name.startsWith("lua.")) {
                reason = "Lua is not supported";
            }
            if (reason == null && kind == Kind.AFTER_RESPONSE
                    && (RESPONSE_ACTIONS.contains(base) || REQUEST_ACTIONS.contains(base))) {
                reason = "'http-after-response' only rewrites the response: allow, set-header, add-header, "
                        + "del-header, replace-header, replace-value, set-status, set-var, set-var-fmt and unset-var";
                throw new RuleException("unknown action " + label + " (" + reason + ")");
            }
            if (reason == null && response && REQUEST_ACTIONS.contains(base)) {
                reason = "this action is supported in 'http-request' only";
            }
            if (reason != null) {
                throw new RuleException(label + " is not supported yet (" + reason + ")");
            }
            throw new RuleException("unknown action " + label + " (expected one of: "
                    + String.join(", ", new java.util.TreeSet<>(known)) + ")");
        }
        return switch (base) {
            case "set-header", "add-header" -> {
                arity(label, a, 2, 2);
                FormatString value = format(a.get(2));
                yield base.equals("set-header") ? HeaderActions.set(response, a.get(1), value)
                        : HeaderActions.add(response, a.get(1), value);
            }
            case "del-header" -> delHeader(label, a, response);
            case "replace-header", "replace-value" -> {
                arity(label, a, 3, 3);
                yield HeaderActions.replace(response, base.equals("replace-value"), a.get(1), regex(label, a.get(2)),
                        format(a.get(3)));
            }
            case "set-path" -> uri(label, a, RequestLineActions.Part.PATH);
            case "set-query" -> uri(label, a, RequestLineActions.Part.QUERY);
            case "set-uri" -> uri(label, a, RequestLineActions.Part.URI);
            case "set-pathq" -> uri(label, a, RequestLineActions.Part.PATHQ);
            case "add-acl", "del-acl", "set-map", "del-map" -> patternChange(label, base, name, a);
            case "set-log-level" -> {
                arity(label, a, 1, 1);
                int severity = dev.sluice.balancer.log.LogRecord.severityOf(a.get(1));
                if (severity < 0) {
                    throw new RuleException(label + ": unknown log level '" + a.get(1) + "' (expected: silent, emerg,"
                            + " alert, crit, err, warning, notice, info or debug)");
                }
                yield CaptureAction.logLevel(severity);
            }
            case "replace-path", "replace-pathq", "replace-uri" -> {
                arity(label, a, 2, 2);
                RequestLineActions.Part part = switch (base) {
                    case "replace-path" -> RequestLineActions.Part.PATH;
                    case "replace-pathq" -> RequestLineActions.Part.PATHQ;
                    default -> RequestLineActions.Part.URI;
                };
                yield RequestLineActions.replace(part, regex(label, a.get(1)), format(a.get(2)));
            }
            case "set-method" -> {
                arity(label, a, 1, 1);
                yield RequestLineActions.method(format(a.get(1)));
            }
            case "allow" -> {
                arity(label, a, 0, 0);
                yield OtherActions.ALLOW;
            }
            case "silent-drop" -> {
                arity(label, a, 0, 0);
                yield OtherActions.SILENT_DROP;
            }
            case "disable-l7-retry" -> {
                arity(label, a, 0, 0);
                yield OtherActions.DISABLE_L7_RETRY;
            }
            case "deny" -> OtherActions.reply(Verdict.DENY, reply(label, a, response ? 502 : 403, true));
            case "tarpit" -> OtherActions.reply(Verdict.TARPIT, reply(label, a, 500, true));
            case "return" -> OtherActions.reply(Verdict.REPLY, reply(label, a, 200, false));
            case "redirect" -> redirect(a, 1);
            case "set-status" -> setStatus(label, a);
            case "set-var", "set-var-fmt", "unset-var" -> variable(label, base, a);
            case "track-sc0", "track-sc1", "track-sc2" -> track(label, a, base.charAt(base.length() - 1) - '0');
            case "sc-inc-gpc0", "sc-inc-gpc1" -> {
                arity(label, a, 0, 0);
                yield StickActions.increment(counterSlot(label, name, base),
                        base.endsWith("0") ? StickData.GPC0 : StickData.GPC1);
            }
            case "sc-set-gpt0" -> {
                arity(label, a, 1, 1);
                yield StickActions.setTag(counterSlot(label, name, base), tagValue(a.get(1)));
            }
            case "auth" -> AuthReply.parse(label, a, env.tables().proxy());
            case "cache-use", "cache-store" -> CacheActions.parse(label, a, response, env.caches());
            case "capture" -> {
                // The config parser turned 'len N' into the 'id' of the slot it added.
                if (a.size() != 4 || !a.get(2).equals("id") || !a.get(3).matches("[0-9]{1,9}")) {
                    throw new RuleException(label + " expects <expression> id <idx>");
                }
                yield CaptureAction.of(env.samples().apply(a.get(1)), Integer.parseInt(a.get(3)), !response);
            }
            default -> throw new IllegalStateException(base);
        };
    }

    private static void arity(String label, List<String> a, int min, int max) {
        int got = a.size() - 1;
        if (got < min) {
            throw new RuleException(label + " expects " + (min == max ? "" : "at least ") + min + " argument"
                    + (min == 1 ? "" : "s") + " (got " + got + ")");
        }
        if (got > max) {
            throw new RuleException(label + ": unexpected argument '" + a.get(max + 1) + "'");
        }
    }

    private FormatString format(String text) {
        return env.formats().compile(text);
    }

    private static Pattern regex(String label, String text) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new RuleException(label + ": invalid regex '" + text + "': " + e.getDescription());
        }
    }

    /** {@code add-acl(FILE) KEY}, {@code del-acl(FILE) KEY}, {@code set-map(FILE) KEY VALUE}, {@code del-map(FILE) KEY}. */
    private Action patternChange(String label, String base, String name, List<String> a) {
        int open = name.indexOf('(');
        if (open < 0 || !name.endsWith(")") || name.length() == open + 2) {
            throw new RuleException(label + ": expects a file name in parentheses, as '" + base + "(FILE)'");
        }
        boolean setMap = base.equals("set-map");
        arity(label, a, setMap ? 2 : 1, setMap ? 2 : 1);
        PatternActions.Change change = switch (base) {
            case "add-acl" -> PatternActions.Change.ADD_ACL;
            case "del-acl" -> PatternActions.Change.DEL_ACL;
            case "set-map" -> PatternActions.Change.SET_MAP;
            default -> PatternActions.Change.DEL_MAP;
        };
        return PatternActions.of(change, env.patternFiles().apply(name.substring(open + 1, name.length() - 1)),
                format(a.get(1)), setMap ? format(a.get(2)) : null);
    }

    private Action uri(String label, List<String> a, RequestLineActions.Part part) {
        arity(label, a, 1, 1);
        return RequestLineActions.uri(part, format(a.get(1)));
    }

    private Action delHeader(String label, List<String> a, boolean response) {
        if (a.size() == 2) {
            return HeaderActions.delete(response, a.get(1), HeaderActions.NameMatch.STR, null);
        }
        if (a.size() != 4 || !a.get(2).equals("-m")) {
            arity(label, a, 1, 1);
        }
        HeaderActions.NameMatch match = switch (a.get(3)) {
            case "str" -> HeaderActions.NameMatch.STR;
            case "beg" -> HeaderActions.NameMatch.BEG;
            case "end" -> HeaderActions.NameMatch.END;
            case "sub" -> HeaderActions.NameMatch.SUB;
            case "reg" -> HeaderActions.NameMatch.REG;
            default -> throw new RuleException(label + ": unknown matching method '" + a.get(3)
                    + "' (expected: str, beg, end, sub or reg)");
        };
        Pattern regex = match == HeaderActions.NameMatch.REG ? regex(label, a.get(1)) : null;
        return HeaderActions.delete(response, a.get(1), match, regex);
    }

    private static int status(String label, String word, int min, int max) {
        int status;
        try {
            status = Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new RuleException(label + ": status '" + word + "' is not a number");
        }
        if (status < min || status > max) {
            throw new RuleException(label + ": status " + status + " out of range (expected: " + min + " to " + max
                    + ")");
        }
        return status;
    }

    private static Action setStatus(String label, List<String> a) {
        if (a.size() != 2 && a.size() != 4) {
            throw new RuleException(label + " expects a status and optionally 'reason TEXT'");
        }
        int status = status(label, a.get(1), 100, 999);
        String reason = null;
        if (a.size() == 4) {
            if (!a.get(2).equals("reason")) {
                throw new RuleException(label + ": expected 'reason' after the status (got '" + a.get(2) + "')");
            }
            reason = a.get(3);
        }
        return OtherActions.setStatus(status, reason);
    }

    private Action variable(String label, String base, List<String> a) {
        String name = a.get(0);
        int open = name.indexOf('(');
        if (open < 0 || !name.endsWith(")")) {
            throw new RuleException(label + ": expects a variable name in parentheses, e.g. " + base + "(txn.name)");
        }
        String var = name.substring(open + 1, name.length() - 1);
        String error = Variables.checkName(var);
        if (error != null) {
            throw new RuleException(label + ": " + error);
        }
        return switch (base) {
            case "unset-var" -> {
                arity(label, a, 0, 0);
                yield OtherActions.unsetVar(var);
            }
            case "set-var-fmt" -> {
                arity(label, a, 1, 1);
                yield OtherActions.setVarFormat(var, format(a.get(1)));
            }
            default -> {
                arity(label, a, 1, 1);
                yield OtherActions.setVar(var, env.samples().apply(a.get(1)));
            }
        };
    }

    /** {@code track-scN KEY [table T]}: the table must exist (the rule's own proxy's by default). */
    private Action track(String label, List<String> a, int slot) {
        if (a.size() < 2) {
            throw new RuleException(label + " expects a sample expression");
        }
        String table = env.tables().proxy();
        if (a.size() > 2) {
            if (!a.get(2).equals("table")) {
                throw new RuleException(label + ": expects 'table', 'if' or 'unless' after the key (got '" + a.get(2)
                        + "')");
            }
            if (a.size() == 3) {
                throw new RuleException(label + ": missing table name");
            }
            if (a.size() > 4) {
                throw new RuleException(label + ": unexpected argument '" + a.get(4) + "'");
            }
            table = a.get(3);
            if (!env.tables().exists().test(table)) {
                throw new RuleException(label + ": unable to find table '" + table + "'");
            }
        } else if (table == null || !env.tables().exists().test(table)) {
            throw new RuleException(label + ": " + (table == null ? "this section" : "proxy '" + table + "'")
                    + " has no stick-table (declare one or add 'table NAME')");
        }
        return StickActions.track(slot, env.samples().apply(a.get(1)), table);
    }

    /** The stick counter of {@code sc-inc-gpc0[(N)]} and its kin: without a number, slot 0, as HAProxy. */
    private static int counterSlot(String label, String name, String base) {
        if (name.equals(base)) {
            return 0;
        }
        String inside = name.startsWith(base + "(") && name.endsWith(")")
                ? name.substring(base.length() + 1, name.length() - 1) : "";
        if (!inside.matches("[0-9]") || inside.charAt(0) - '0' >= TrackedCounters.SLOTS) {
            throw new RuleException(label + ": invalid stick counter in '" + name + "' (expected: " + base + "(0), "
                    + base + "(1) or " + base + "(2))");
        }
        return inside.charAt(0) - '0';
    }

    /** {@code sc-set-gpt0}'s value: an integer, or a sample expression read as one. */
    private SampleExpression tagValue(String text) {
        return env.samples().apply(text.matches("-?[0-9]+") ? "int(" + text + ")" : text);
    }

    /**
     * The reply of an {@code http-error} line: {@code words} are the options after the keyword
     * ({@code status CODE [content-type T] [string|lf-string|file|lf-file X] [hdr NAME FMT]…}), the
     * same as {@code http-request return}'s; the caller handles the errorfile forms.
     */
    public Reply errorReply(String label, List<String> words) {
        List<String> a = new ArrayList<>(words.size() + 1);
        a.add("http-error");
        a.addAll(words);
        return reply(label, a, 200, false);
    }

    /** {@code deny}, {@code tarpit} ({@code deny_status}) and {@code return} ({@code status}) options. */
    private Reply reply(String label, List<String> a, int defaultStatus, boolean denyLike) {
        int status = defaultStatus;
        String contentType = null;
        byte[] body = null;
        FormatString bodyFormat = null;
        boolean bodySet = false;
        List<Reply.Header> headers = new ArrayList<>();
        for (int i = 1; i < a.size(); i++) {
            String option = a.get(i);
            boolean hasValue = i + 1 < a.size();
            switch (option) {
                case "deny_status", "status" -> {
                    if (option.equals("deny_status") && !denyLike) {
                        throw new RuleException(label + ": 'deny_status' is for deny and tarpit; use 'status'");
                    }
                    need(label, option, hasValue);
                    status = status(label, a.get(++i), 200, 599);
                }
                case "content-type" -> {
                    need(label, option, hasValue);
                    contentType = a.get(++i);
                }
                case "string", "lf-string", "file", "lf-file" -> {
                    need(label, option, hasValue);
                    if (bodySet) {
                        throw new RuleException(label + ": only one of string, lf-string, file and lf-file may be given");
                    }
                    bodySet = true;
                    String value = a.get(++i);
                    switch (option) {
                        case "string" -> body = value.getBytes(StandardCharsets.UTF_8);
                        case "lf-string" -> bodyFormat = format(value);
                        case "file" -> body = read(label, value);
                        default -> bodyFormat = format(new String(read(label, value), StandardCharsets.UTF_8));
                    }
                }
                case "hdr" -> {
                    if (i + 2 >= a.size()) {
                        throw new RuleException(label + ": 'hdr' expects a name and a value");
                    }
                    String name = a.get(++i);
                    String lower = name.toLowerCase(java.util.Locale.ROOT);
                    if (lower.equals("content-length") || lower.equals("transfer-encoding")
                            || lower.equals("content-type")) {
                        throw new RuleException(label + ": header '" + name + "' may not be set with 'hdr' "
                                + "(the balancer frames the reply; use 'content-type')");
                    }
                    headers.add(new Reply.Header(name, format(a.get(++i))));
                }
                case "errorfile", "errorfiles", "default-errorfiles" -> throw new RuleException(label + ": '" + option
                        + "' is not supported yet (use 'file' with 'content-type')");
                default -> throw new RuleException(label + ": unknown option '" + option + "' (expected: "
                        + (denyLike ? "deny_status, " : "status, ") + "content-type, string, lf-string, file, "
                        + "lf-file or hdr)");
            }
        }
        boolean payload = body != null && body.length > 0 || bodyFormat != null;
        if (payload && contentType == null) {
            throw new RuleException(label + ": a 'content-type' is required with a payload");
        }
        if (!payload && contentType != null) {
            throw new RuleException(label + ": 'content-type' given without a payload");
        }
        if (denyLike && !bodySet && headers.isEmpty()) {
            return Reply.defaultPage(status);
        }
        return new Reply(status, contentType, body, bodyFormat, headers, false, false);
    }

    private static void need(String label, String option, boolean hasValue) {
        if (!hasValue) {
            throw new RuleException(label + ": '" + option + "' expects a value");
        }
    }

    private byte[] read(String label, String name) {
        Path path = env.baseDirectory().resolve(name);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new RuleException(label + ": cannot read file '" + name + "': " + e.getMessage());
        }
    }

    /** {@code redirect …} from word {@code from} on (0 for the proxy keyword, 1 for the action). */
    private Action redirect(List<String> a, int from) {
        String label = from == 0 ? "'redirect'" : "'http-request redirect'";
        if (a.size() < from + 2) {
            throw new RuleException(label + " expects 'location', 'prefix' or 'scheme' and a value");
        }
        Redirect.Kind kind = switch (a.get(from)) {
            case "location" -> Redirect.Kind.LOCATION;
            case "prefix" -> Redirect.Kind.PREFIX;
            case "scheme" -> Redirect.Kind.SCHEME;
            default -> throw new RuleException(label + ": expects 'location', 'prefix' or 'scheme' (got '"
                    + a.get(from) + "')");
        };
        FormatString target = format(a.get(from + 1));
        int code = 302;
        boolean dropQuery = false;
        boolean appendSlash = false;
        String cookie = null;
        for (int i = from + 2; i < a.size(); i++) {
            String option = a.get(i);
            switch (option) {
                case "code" -> {
                    need(label, option, i + 1 < a.size());
                    String word = a.get(++i);
                    try {
                        code = Integer.parseInt(word);
                    } catch (NumberFormatException e) {
                        code = -1;
                    }
                    if (!Redirect.CODES.contains(code)) {
                        throw new RuleException(label + ": unsupported HTTP code '" + word
                                + "' (expected: 301, 302, 303, 307 or 308)");
                    }
                }
                case "drop-query" -> dropQuery = true;
                case "append-slash" -> appendSlash = true;
                case "set-cookie" -> {
                    need(label, option, i + 1 < a.size());
                    cookie = a.get(++i) + "; path=/;";
                }
                case "clear-cookie" -> {
                    need(label, option, i + 1 < a.size());
                    String c = a.get(++i);
                    cookie = (c.endsWith("=") ? c : c + "=") + "; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/;";
                }
                default -> throw new RuleException(label + ": unknown option '" + option + "' (expected: code, "
                        + "drop-query, append-slash, set-cookie or clear-cookie)");
            }
        }
        return new Redirect(kind, target, code, dropQuery, appendSlash, cookie);
    }
}
