package dev.sluice.balancer.acl;

import java.util.List;
import java.util.Map;

/**
 * HAProxy 2.6's predefined ACLs (configuration.txt section 7.4), written as the ACL lines they are
 * equivalent to and compiled like any other line the first time a proxy refers to them. A name
 * the configuration defines itself takes precedence.
 */
final class PredefinedAcls {

    private static final Map<String, String> DEFINITIONS = Map.ofEntries(
            Map.entry("TRUE", "always_true"),
            Map.entry("FALSE", "always_false"),
            Map.entry("HTTP", "req.proto_http"),
            Map.entry("HTTP_1.0", "req.ver 1.0"),
            Map.entry("HTTP_1.1", "req.ver 1.1"),
            Map.entry("HTTP_2.0", "req.ver 2.0"),
            Map.entry("HTTP_CONTENT", "req.hdr_val(content-length) gt 0"),
            Map.entry("HTTP_URL_ABS", "url_reg ^[^/:]*://"),
            Map.entry("HTTP_URL_SLASH", "url_beg /"),
            Map.entry("HTTP_URL_STAR", "url *"),
            Map.entry("LOCALHOST", "src 127.0.0.1/8 ::1"),
            Map.entry("METH_CONNECT", "method CONNECT"),
            Map.entry("METH_DELETE", "method DELETE"),
            Map.entry("METH_GET", "method GET HEAD"),
            Map.entry("METH_HEAD", "method HEAD"),
            Map.entry("METH_OPTIONS", "method OPTIONS"),
            Map.entry("METH_POST", "method POST"),
            Map.entry("METH_PUT", "method PUT"),
            Map.entry("METH_TRACE", "method TRACE"),
            Map.entry("REQ_CONTENT", "req.len gt 0"),
            Map.entry("WAIT_END", "wait_end"),
            Map.entry("RDP_COOKIE", "req.rdp_cookie_cnt gt 0"));

    private PredefinedAcls() {
    }

    static boolean isPredefined(String name) {
        return DEFINITIONS.containsKey(name);
    }

    /** The compiled predefined ACL, or null when the name is not predefined. */
    static Acl compile(String name, CompileContext context) {
        String definition = DEFINITIONS.get(name);
        if (definition == null) {
            return null;
        }
        Acl acl = new Acl(name);
        acl.add(AclExpression.compile(List.of(definition.split(" ")), context, new java.util.ArrayList<>()));
        return acl;
    }
}
