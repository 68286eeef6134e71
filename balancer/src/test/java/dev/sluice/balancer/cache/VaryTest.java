package dev.sluice.balancer.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vary names HAProxy 2.6 handles, and which codings a request's Accept-Encoding accepts. */
class VaryTest {

    @Test
    void onlyAcceptEncodingAndRefererAreHandled() {
        assertEquals(List.of("accept-encoding", "referer"),
                Vary.names(new DefaultHttpHeaders().add("Vary", "Referer, Accept-Encoding")));
        assertEquals(List.of(), Vary.names(new DefaultHttpHeaders()));
        assertNull(Vary.names(new DefaultHttpHeaders().add("Vary", "Accept-Encoding, Cookie")));
        assertNull(Vary.names(new DefaultHttpHeaders().add("Vary", "*")));
        assertNull(Vary.names(new DefaultHttpHeaders().add("Vary", "Referer")), "haproxy 2.6 stores none of these");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gzip|gzip|true",
        "br|gzip|false",
        "br|identity|true",
        "br, identity;q=0|identity|false",
        "*;q=0|identity|false",
        "*|br|true",
        "gzip;q=0, *|gzip|false",
        "GZIP;q=0.5|gzip|true",
    })
    void accepts(String acceptEncoding, String coding, boolean accepted) {
        assertEquals(accepted, Vary.accepts(List.of(acceptEncoding), coding));
    }

    @Test
    void aRequestWithoutAcceptEncodingAcceptsAll() {
        assertEquals(true, Vary.accepts(List.of(), "gzip"));
    }
}
