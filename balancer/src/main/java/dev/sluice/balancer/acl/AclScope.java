package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The ACLs of one proxy (frontend, backend or listen section) while its configuration lines are
 * compiled in file order: {@link #define} for each {@code acl} line, {@link #condition} for each
 * {@code if}/{@code unless}. A condition may only name ACLs defined above it, as in HAProxy
 * ("no such ACL"). Not thread-safe: one compiling thread; the conditions it returns are shared freely
 * once the compiled configuration is published (e.g. through a volatile or final field).
 */
public final class AclScope {

    private final CompileContext context;
    private final Map<String, Acl> named = new LinkedHashMap<>();
    private final Map<String, Acl> predefined = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    AclScope(CompileContext context) {
        this.context = context;
    }

    /**
     * Compiles one {@code acl} line given as the words after the keyword:
     * {@code NAME CRITERION [flags] [operator] [values…]}. Several lines of one name are ORed.
     *
     * @throws AclException with a message like HAProxy's, e.g. "error detected while parsing ACL 'a' :
     *     unknown fetch method 'foo' in ACL expression 'foo(bar)'"
     */
    public void define(List<String> words) {
        Objects.requireNonNull(words, "words");
        if (words.isEmpty()) {
            throw AclException.invalid("'acl' requires an ACL name and a criterion");
        }
        String name = words.get(0);
        checkName(name);
        AclExpression line;
        try {
            line = AclExpression.compile(words.subList(1, words.size()), context, warnings);
        } catch (AclException e) {
            throw new AclException(e.kind(), "error detected while parsing ACL '" + name + "' : " + e.getMessage() + ".");
        }
        named.computeIfAbsent(name, Acl::new).add(line);
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw AclException.invalid("'acl' requires an ACL name and a criterion");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == ':';
            if (!ok) {
                throw AclException.invalid("character '" + c + "' is not permitted in acl name '" + name + "'.");
            }
        }
    }

    /** Compiles a condition from words that start with {@code if} or {@code unless}. */
    public Condition condition(List<String> words) {
        Objects.requireNonNull(words, "words");
        if (words.isEmpty() || !(words.get(0).equals("if") || words.get(0).equals("unless"))) {
            throw AclException.invalid("expects 'if' or 'unless' followed by a condition");
        }
        return condition(words.get(0).equals("unless"), words.subList(1, words.size()));
    }

    /**
     * Compiles the words after {@code if} ({@code unless == false}) or {@code unless}: ACL names,
     * {@code !} (alone or as a prefix), {@code or}/{@code ||}, and anonymous ACLs between
     * {@code {} and {@code }} words.
     *
     * @throws AclException e.g. "no such ACL : 'x'", "missing closing '}' in condition"
     */
    public Condition condition(boolean unless, List<String> words) {
        Objects.requireNonNull(words, "words");
        List<List<Condition.Operand>> terms = new ArrayList<>();
        List<Condition.Operand> term = null;
        boolean negated = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            int bang = 0;
            while (bang < word.length() && word.charAt(bang) == '!') {
                negated = !negated;
                bang++;
            }
            word = word.substring(bang);
            if (word.isEmpty()) {
                continue;
            }
            if (word.equalsIgnoreCase("or") || word.equals("||")) {
                term = null;
                negated = false;
                continue;
            }
            Acl acl;
            if (word.equals("{")) {
                int close = i + 1;
                while (close < words.size() && !words.get(close).equals("}")) {
                    close++;
                }
                if (close == words.size()) {
                    throw AclException.invalid("missing closing '}' in condition");
                }
                acl = new Acl("anonymous");
                acl.add(AclExpression.compile(words.subList(i + 1, close), context, warnings));
                i = close;
            } else {
                acl = resolve(word);
            }
            if (term == null) {
                term = new ArrayList<>();
                terms.add(term);
            }
            term.add(new Condition.Operand(acl, negated));
            negated = false;
        }
        if (terms.isEmpty()) {
            throw AclException.invalid("missing condition after '" + (unless ? "unless" : "if") + "'");
        }
        return new Condition(unless, terms, String.join(" ", words));
    }

    private Acl resolve(String name) {
        Acl acl = named.get(name);
        if (acl != null) {
            return acl;
        }
        acl = predefined.get(name);
        if (acl == null && PredefinedAcls.isPredefined(name)) {
            acl = PredefinedAcls.compile(name, context);
            predefined.put(name, acl);
        }
        if (acl == null) {
            throw AclException.invalid("no such ACL : '" + name + "'");
        }
        return acl;
    }

    /** Names defined by {@code acl} lines so far, in definition order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(named.keySet());
    }

    /** Warnings HAProxy would print too (e.g. an ACL without patterns never matches). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }
}
