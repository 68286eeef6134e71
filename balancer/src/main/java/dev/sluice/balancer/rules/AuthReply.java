package dev.sluice.balancer.rules;

import dev.sluice.balancer.format.FormatString;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code http-request auth [realm REALM]}: answers 401 with {@code WWW-Authenticate: Basic
 * realm="REALM"} and HAProxy's page, keeping the connection (the browser asks the user and sends
 * the request again). Without a realm, the proxy's name is the realm, as in HAProxy.
 */
final class AuthReply {

    /** HAProxy 2.6's 401 page (src/http_htx.c), byte for byte. */
    static final String PAGE = "<html><body><h1>401 Unauthorized</h1>\n"
            + "You need a valid user and password to access this content.\n"
            + "</body></html>\n";

    private AuthReply() {
    }

    /** @param proxy the rule's proxy, the default realm; null when unknown (then a realm is required) */
    static Action parse(String label, List<String> a, String proxy) {
        String realm = proxy;
        if (a.size() > 1) {
            if (!a.get(1).equals("realm")) {
                throw new RuleException(label + " expects 'realm', 'if' or 'unless' (got '" + a.get(1) + "')");
            }
            if (a.size() == 2) {
                throw new RuleException(label + ": missing realm value");
            }
            if (a.size() > 3) {
                throw new RuleException(label + ": unexpected argument '" + a.get(3) + "'");
            }
            realm = a.get(2);
        }
        if (realm == null) {
            throw new RuleException(label + ": a realm is required here");
        }
        if (realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
            // The realm is sent inside a quoted-string (RFC 9110 §11.2): quotes would need escaping.
            throw new RuleException(label + ": realm '" + realm + "' may not contain '\"' or '\\'");
        }
        Reply reply = new Reply(401, "text/html", PAGE.getBytes(StandardCharsets.ISO_8859_1), null,
                List.of(new Reply.Header("www-authenticate", FormatString.literal("Basic realm=\"" + realm + "\""))),
                false, true);
        return OtherActions.reply(Verdict.REPLY, reply);
    }
}
