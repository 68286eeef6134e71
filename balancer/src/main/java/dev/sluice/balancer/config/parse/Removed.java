package dev.sluice.balancer.config.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * Keywords HAProxy itself no longer accepts, with what to write instead (the advice HAProxy 2.6
 * gives). Old configurations still carry them; naming the replacement beats "unknown keyword".
 */
final class Removed {

    private static final String SINCE_21 = "not supported anymore since HAProxy 2.1";

    static final Map<String, String> PROXY = proxy();

    static final Map<String, String> OPTION = Map.of(
            "forceclose", "not supported any more since HAProxy 2.0, please just remove it, or use 'option httpclose' "
                    + "if absolutely needed",
            "http-tunnel", "not supported any more since HAProxy 2.1, please just remove it, it shouldn't be needed");

    private Removed() {
    }

    private static Map<String, String> proxy() {
        Map<String, String> removed = new HashMap<>();
        removed.put("contimeout", SINCE_21 + ". Use 'timeout connect'");
        removed.put("clitimeout", SINCE_21 + ". Use 'timeout client'");
        removed.put("srvtimeout", SINCE_21 + ". Use 'timeout server'");
        removed.put("redispatch", SINCE_21 + ". Use 'option redispatch'");
        removed.put("grace", "not supported any more since HAProxy version 2.5 (the global 'grace' delays the "
                + "stop of the whole process)");
        removed.put("block", SINCE_21 + ". Use 'http-request deny' which uses the exact same syntax");
        for (String request : new String[] {"reqadd", "reqdel", "reqidel", "reqrep", "reqirep"}) {
            removed.put(request, SINCE_21 + ". Use 'http-request " + (request.endsWith("add") ? "add-header"
                    : request.endsWith("del") ? "del-header" : "replace-header") + "' instead");
        }
        for (String request : new String[] {"reqallow", "reqiallow", "reqdeny", "reqideny", "reqpass", "reqipass",
                "reqtarpit", "reqitarpit"}) {
            removed.put(request, SINCE_21 + ". Use 'http-request allow', 'deny' or 'tarpit' with an ACL instead");
        }
        for (String response : new String[] {"rspadd", "rspdel", "rspidel", "rsprep", "rspirep"}) {
            removed.put(response, SINCE_21 + ". Use 'http-response " + (response.endsWith("add") ? "add-header"
                    : response.endsWith("del") ? "del-header" : "replace-header") + "' instead");
        }
        for (String response : new String[] {"rspdeny", "rspideny"}) {
            removed.put(response, SINCE_21 + ". Use 'http-response deny' with an ACL instead");
        }
        return Map.copyOf(removed);
    }
}
