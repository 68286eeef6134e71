package dev.sluice.balancer.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A backend's {@code option tcp-check} ruleset, or one of the protocol checks HAProxy builds as a fixed
 * ruleset ({@code option redis-check}, {@code ssl-hello-chk}, {@code smtpchk}, {@code mysql-check},
 * {@code pgsql-check}, {@code ldap-check}). The rules always start with a connect (an implicit one is
 * inserted, as HAProxy does, when the configured rules do not).
 *
 * @param kind  which option made it: only a plain {@code tcp-check} ruleset writes HAProxy's generic
 *              "TCPCHK …" texts; the protocol checks report their own
 * @param rules the steps, the first a {@link TcpCheckRule.Connect}
 */
public record TcpCheck(Kind kind, List<TcpCheckRule> rules) {

    /** The option that built the ruleset. */
    public enum Kind {
        TCP("tcp-check"), REDIS("redis-check"), SSL_HELLO("ssl-hello-chk"), SMTP("smtpchk"),
        MYSQL("mysql-check"), PGSQL("pgsql-check"), LDAP("ldap-check");

        private final String option;

        Kind(String option) {
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    public TcpCheck {
        Objects.requireNonNull(kind, "kind");
        List<TcpCheckRule> all = new ArrayList<>(rules);
        if (all.isEmpty() || !(all.getFirst() instanceof TcpCheckRule.Connect)) {
            all.addFirst(TcpCheckRule.Connect.IMPLICIT);
        }
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i) instanceof TcpCheckRule.Connect) {
                throw new IllegalArgumentException("only the first rule may be a connect");
            }
        }
        // Each expect restarts, when it waits, from the first negated expect of its chain (or from itself).
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i) instanceof TcpCheckRule.Expect expect) {
                int head = i;
                for (int j = i - 1; j > 0 && all.get(j) instanceof TcpCheckRule.Expect previous; j--) {
                    if (previous.negate()) {
                        head = j;
                    }
                }
                all.set(i, expect.withHead(head));
            }
        }
        rules = List.copyOf(all);
    }

    /** A plain {@code option tcp-check} ruleset (HAProxy's TCPCHK_RULES_TCP_CHK). */
    public boolean generic() {
        return kind == Kind.TCP;
    }

    public TcpCheckRule.Connect connect() {
        return (TcpCheckRule.Connect) rules.getFirst();
    }
}
