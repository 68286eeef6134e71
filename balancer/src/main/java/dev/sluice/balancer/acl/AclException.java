package dev.sluice.balancer.acl;

import java.util.Objects;

/**
 * A refused ACL line, condition or sample expression. The message reads like HAProxy's so a user
 * recognises it; the caller prefixes {@code [ALERT] file:line:}.
 */
public final class AclException extends RuntimeException {

    /** Why the text was refused. */
    public enum Kind {
        /** The text is wrong: HAProxy refuses it too. */
        INVALID("invalid", "the configuration is not valid"),
        /** The text is valid HAProxy but this balancer does not implement it. */
        UNSUPPORTED("unsupported", "valid HAProxy, not implemented by Sluice");

        private final String code;
        private final String sentence;

        Kind(String code, String sentence) {
            this.code = code;
            this.sentence = sentence;
        }

        public String code() {
            return code;
        }

        public String sentence() {
            return sentence;
        }
    }

    private final Kind kind;

    public AclException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    static AclException invalid(String message) {
        return new AclException(Kind.INVALID, message);
    }

    static AclException unsupported(String message) {
        return new AclException(Kind.UNSUPPORTED, message);
    }

    public Kind kind() {
        return kind;
    }
}
