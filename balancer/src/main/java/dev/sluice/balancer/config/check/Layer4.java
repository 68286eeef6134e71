package dev.sluice.balancer.config.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which fetches a {@code mode tcp} frontend can answer when it chooses a backend: the connection's
 * layer-4 facts and PROXY TLVs, backend state, and the payload fetches that read the first bytes
 * held by {@code tcp-request content} inspection ({@code req.len}, {@code req.payload},
 * {@code req.ssl_sni}, {@code req.proto_http}…). HTTP fetches need a parsed HTTP request, which a tcp
 * frontend never has, and a condition that could never match must be refused rather than silently
 * ignored. Payload fetches in turn mean nothing before content inspection ({@code tcp-request
 * connection} and {@code session} rules). One instance per section, fed the section's {@code acl}
 * lines in file order.
 */
final class Layer4 {

    private static final Set<String> FETCHES = Set.of("src", "dst", "src_port", "dst_port", "nbsrv", "be_conn",
            "connslots", "queue", "avg_queue", "fe_conn", "srv_is_up", "ssl_fc", "ssl_fc_sni", "ssl_fc_sni_end",
            "ssl_fc_sni_reg", "ssl_fc_alpn", "ssl_fc_protocol", "ssl_fc_cipher", "fc_pp_authority",
            "fc_pp_unique_id", "fc_pp_tlv", "always_true", "always_false");
    /** Constants and variables: they need no request, so tcp-request set-var can store them in any phase. */
    private static final Set<String> CONTEXT_FREE = Set.of("str", "int", "bool", "ipv4", "ipv6", "var");
    /** Fetches of the inspected first bytes (HAProxy's L6 request samples) and their aliases. */
    private static final Set<String> PAYLOAD = Set.of("req.len", "req_len", "req.payload", "payload",
            "req.payload_lv", "payload_lv", "req.ssl_hello_type", "req_ssl_hello_type", "req.ssl_ver", "req_ssl_ver",
            "req.ssl_sni", "req_ssl_sni", "req.ssl_alpn", "req.ssl_ec_ext", "req.ssl_st_ext", "req.proto_http",
            "req_proto_http", "wait_end", "req.rdp_cookie", "req_rdp_cookie", "rdp_cookie", "req.rdp_cookie_cnt",
            "req_rdp_cookie_cnt", "rdp_cookie_cnt");
    private static final Set<String> PREDEFINED = Set.of("TRUE", "FALSE", "LOCALHOST");
    /** Predefined ACLs that read the payload, with the fetch each uses. */
    private static final java.util.Map<String, String> PREDEFINED_PAYLOAD = java.util.Map.of("REQ_CONTENT", "req.len",
            "WAIT_END", "wait_end", "HTTP", "req.proto_http", "RDP_COOKIE", "req.rdp_cookie_cnt");

    /** ACL name → the first fetch among its lines that needs HTTP, or absent when all are layer-4. */
    private final Map<String, String> httpFetchOf = new HashMap<>();
    /** ACL name → the first payload fetch among its lines. */
    private final Map<String, String> payloadFetchOf = new HashMap<>();

    /** Layer-4 fetches, and the stick counters (which read tables, not the request). */
    private static boolean layer4(String fetch) {
        return FETCHES.contains(fetch) || CONTEXT_FREE.contains(fetch) || fetch.startsWith("sc_") || fetch.matches("sc[0-9]_.*")
                || fetch.startsWith("src_") || fetch.equals("table_cnt") || fetch.equals("table_avl");
    }

    void define(List<String> words) {
        String fetch = fetch(words.get(1));
        httpFetchOf.putIfAbsent(words.getFirst(), null);
        if (PAYLOAD.contains(fetch)) {
            payloadFetchOf.putIfAbsent(words.getFirst(), fetch);
        } else if (!layer4(fetch) && httpFetchOf.get(words.getFirst()) == null) {
            httpFetchOf.put(words.getFirst(), fetch);
        }
    }

    /** The first fetch of the condition that reads the inspected payload, or null when none does. */
    String payloadFetch(List<String> condition) {
        for (int i = 0; i < condition.size(); i++) {
            String word = condition.get(i);
            while (word.startsWith("!")) {
                word = word.substring(1);
            }
            if (word.equals("{")) {
                String fetch = i + 1 < condition.size() ? fetch(condition.get(i + 1)) : "";
                if (PAYLOAD.contains(fetch)) {
                    return fetch;
                }
                while (i < condition.size() && !condition.get(i).equals("}")) {
                    i++;
                }
            } else if (payloadFetchOf.get(word) != null) {
                return payloadFetchOf.get(word);
            } else if (!payloadFetchOf.containsKey(word) && !httpFetchOf.containsKey(word)
                    && PREDEFINED_PAYLOAD.containsKey(word)) {
                return PREDEFINED_PAYLOAD.get(word);
            }
        }
        return null;
    }

    /** The first fetch of the condition a tcp frontend cannot answer, or null when it can answer them all. */
    String httpFetch(List<String> condition) {
        for (int i = 0; i < condition.size(); i++) {
            String word = condition.get(i);
            int bang = 0;
            while (bang < word.length() && word.charAt(bang) == '!') {
                bang++;
            }
            word = word.substring(bang);
            if (word.isEmpty() || word.equalsIgnoreCase("or") || word.equals("||")) {
                continue;
            }
            if (word.equals("{")) {
                String fetch = i + 1 < condition.size() ? fetch(condition.get(i + 1)) : "";
                if (!layer4(fetch) && !PAYLOAD.contains(fetch)) {
                    return fetch;
                }
                while (i < condition.size() && !condition.get(i).equals("}")) {
                    i++;
                }
                continue;
            }
            if (httpFetchOf.containsKey(word)) {
                if (httpFetchOf.get(word) != null) {
                    return httpFetchOf.get(word);
                }
            } else if (!PREDEFINED.contains(word) && !PREDEFINED_PAYLOAD.containsKey(word)) {
                return word;
            }
        }
        return null;
    }

    /** {@code req.hdr(host),lower} → {@code req.hdr}. */
    private static String fetch(String criterion) {
        int end = criterion.length();
        for (int i = 0; i < criterion.length(); i++) {
            char c = criterion.charAt(i);
            if (c == '(' || c == ',') {
                end = i;
                break;
            }
        }
        return criterion.substring(0, end);
    }
}
