package dev.sluice.balancer.acl;

import java.util.HashMap;
import java.util.Map;

/**
 * The variables of one client connection, set by {@code set-var} rules and read by the {@code var()}
 * fetch: {@code sess.*} live as long as the connection, {@code txn.*} and {@code req.*} for one
 * request, {@code res.*} for one response. A value is a String, a Long, an {@link IpAddress} or a
 * Boolean, as HAProxy keeps the type of the sample that set it. Used on the connection's event loop.
 */
public final class Variables {

    /** The scopes HAProxy 2.6 offers; {@code proc} and {@code check} are refused (see {@link #checkName}). */
    private static final String[] SCOPES = {"sess.", "txn.", "req.", "res."};

    private Map<String, Object> session;
    private Map<String, Object> transaction;

    /** Variables whose {@code sess.*} scope is their own. */
    public Variables() {
    }

    /**
     * Variables whose {@code sess.*} scope is {@code session}, shared with the other views of the
     * same connection (its tcp-request rules run on views of their own; HTTP/2 streams share it).
     */
    public Variables(Map<String, Object> session) {
        this.session = java.util.Objects.requireNonNull(session, "session");
    }

    /**
     * Checks a variable name as written in {@code set-var(NAME)} or {@code var(NAME)}: a scope, a dot
     * and a name of letters, digits, {@code _} and {@code .}. Returns an error sentence, or null.
     */
    public static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            return "missing variable name";
        }
        if (name.startsWith("proc.") || name.startsWith("check.")) {
            return "variable scope '" + name.substring(0, name.indexOf('.')) + "' is not supported yet "
                    + "(use sess, txn, req or res)";
        }
        for (String scope : SCOPES) {
            if (name.startsWith(scope) && name.length() > scope.length()) {
                for (int i = scope.length(); i < name.length(); i++) {
                    char c = name.charAt(i);
                    if (!Character.isLetterOrDigit(c) && c != '_' && c != '.') {
                        return "invalid character '" + c + "' in variable name '" + name + "'";
                    }
                }
                return null;
            }
        }
        return "invalid variable name '" + name + "': it must start with 'sess.', 'txn.', 'req.' or 'res.'";
    }

    private static boolean sessionScoped(String name) {
        return name.startsWith("sess.");
    }

    public void set(String name, Object value) {
        if (sessionScoped(name)) {
            if (session == null) {
                session = new HashMap<>();
            }
            session.put(name, value);
        } else {
            if (transaction == null) {
                transaction = new HashMap<>();
            }
            transaction.put(name, value);
        }
    }

    /**
     * {@code set-var(NAME) EXPR}: sets {@code name} to what {@code expression} gives for
     * {@code request}, in the sample's own type (string, integer, address, boolean) as HAProxy's
     * variables keep it; a sample that gives nothing leaves the variable as it was.
     */
    public void setFrom(String name, SampleExpression expression, RequestView request) {
        TypedSample sample = new TypedSample();
        if (expression.evaluate(request, sample)) {
            set(name, sample.value);
        }
    }

    /** Keeps a sample in its own type. */
    private static final class TypedSample implements SampleSink {
        Object value;

        @Override
        public boolean string(CharSequence chars, int from, int to) {
            value = chars.subSequence(from, to).toString();
            return true;
        }

        @Override
        public boolean integer(long number) {
            value = number;
            return true;
        }

        @Override
        public boolean ip(IpAddress address) {
            value = address;
            return true;
        }

        @Override
        public boolean bool(boolean flag) {
            value = flag;
            return true;
        }
    }

    public void unset(String name) {
        Map<String, Object> scope = sessionScoped(name) ? session : transaction;
        if (scope != null) {
            scope.remove(name);
        }
    }

    /** The value, or null when the variable is not set. */
    public Object get(String name) {
        Map<String, Object> scope = sessionScoped(name) ? session : transaction;
        return scope == null ? null : scope.get(name);
    }

    /**
     * The request goes to a server: its {@code req.*} variables go, as HAProxy 2.6 prunes them when
     * the stream asks for a server connection (a request refused before keeps them for its log line).
     */
    public void endRequestScope() {
        if (transaction != null && !transaction.isEmpty()) {
            transaction.keySet().removeIf(name -> name.startsWith("req."));
        }
    }

    /** Ends a request: its {@code txn}, {@code req} and {@code res} variables go. */
    public void endTransaction() {
        if (transaction != null && !transaction.isEmpty()) {
            transaction.clear();
        }
    }

    /** Feeds a variable's value to a sink in its own type; false when unset. */
    static boolean emit(Object value, SampleSink sink) {
        return switch (value) {
            case null -> false;
            case String s -> sink.string(s, 0, s.length());
            case Long l -> sink.integer(l);
            case IpAddress ip -> sink.ip(ip);
            case Boolean b -> sink.bool(b);
            default -> throw new IllegalStateException("variable of type " + value.getClass());
        };
    }
}
