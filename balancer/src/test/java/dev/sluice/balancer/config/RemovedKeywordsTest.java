package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keywords HAProxy 2.6 itself refuses are refused with its advice (the texts follow what
 * {@code haproxy -c} prints for them), never as "unknown" or "not supported yet".
 */
class RemovedKeywordsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            contimeout 1s      | 'contimeout' is not supported anymore since HAProxy 2.1. Use 'timeout connect'.
            srvtimeout 1s      | 'srvtimeout' is not supported anymore since HAProxy 2.1. Use 'timeout server'.
            redispatch         | 'redispatch' is not supported anymore since HAProxy 2.1. Use 'option redispatch'.
            block if TRUE      | 'block' is not supported anymore since HAProxy 2.1. Use 'http-request deny' which uses the exact same syntax.
            reqadd X-A:\\ b    | 'reqadd' is not supported anymore since HAProxy 2.1. Use 'http-request add-header' instead.
            reqirep ^a b       | 'reqirep' is not supported anymore since HAProxy 2.1. Use 'http-request replace-header' instead.
            rspdel ^Server:    | 'rspdel' is not supported anymore since HAProxy 2.1. Use 'http-response del-header' instead.
            reqtarpit ^GET     | 'reqtarpit' is not supported anymore since HAProxy 2.1. Use 'http-request allow', 'deny' or 'tarpit' with an ACL instead.
            option forceclose  | option 'forceclose' is not supported any more since HAProxy 2.0, please just remove it, or use 'option httpclose' if absolutely needed.
            option http-tunnel | option 'http-tunnel' is not supported any more since HAProxy 2.1, please just remove it, it shouldn't be needed.
            """)
    void refusedWithHaproxysAdvice(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", """
                defaults
                    mode http
                    timeout client 1s
                    timeout server 1s
                    timeout connect 1s
                backend b
                    %s
                """.formatted(line), Map.of());
        assertFalse(result.isValid());
        assertEquals("[ALERT] t.cfg:7: " + message, result.alerts().get(0).toString());
    }
}
