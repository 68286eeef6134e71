package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.CompressionAlgorithm;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** HAProxy 2.6's compression decisions (each case was seen on Debian's haproxy 2.6.12). */
class CompressionTest {

    /** {@code compression algo gzip deflate}: HAProxy keeps them as deflate, gzip. */
    private static final List<CompressionAlgorithm> GZIP_DEFLATE = List.of(CompressionAlgorithm.DEFLATE,
            CompressionAlgorithm.GZIP);

    private static String negotiate(List<CompressionAlgorithm> algorithms, String... acceptEncoding) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String value : acceptEncoding) {
            headers.add("Accept-Encoding", value);
        }
        CompressionAlgorithm chosen = Compression.negotiate(algorithms, headers);
        return chosen == null ? "none" : chosen.configName();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gzip|gzip",
        "GZIP|gzip",
        "br|none",
        "identity|none",
        "gzip;q=0|none",
        "gzip;Q=0|gzip",
        "gzip; q=0.001|gzip",
        "*|deflate",
        "*;q=0, gzip|gzip",
        "'deflate;q=0.5, gzip;q=0.8'|gzip",
        "'deflate;q=0.8, gzip;q=0.8'|deflate",
        "'gzip, deflate'|gzip",
        "'deflate, gzip'|deflate",
        "'gzip;level=1;q=0.2, deflate;q=0.1'|gzip",
        "'gzip;q=1.5'|gzip",
        "', , gzip,'|gzip",
    })
    void acceptEncodingSelects(String acceptEncoding, String expected) {
        assertEquals(expected, negotiate(GZIP_DEFLATE, acceptEncoding));
    }

    @Test
    void everyAcceptEncodingLineCounts() {
        assertEquals("deflate", negotiate(GZIP_DEFLATE, "br", "deflate"));
        assertEquals("none", negotiate(GZIP_DEFLATE));
    }

    @Test
    void identityIsChosenWhenNothingElseIsAccepted() {
        List<CompressionAlgorithm> withIdentity = List.of(CompressionAlgorithm.IDENTITY,
                CompressionAlgorithm.RAW_DEFLATE);
        assertEquals("identity", negotiate(withIdentity, "br"));
        assertEquals("identity", negotiate(withIdentity));
        assertEquals("identity", negotiate(withIdentity, "*"));
        assertEquals("raw-deflate", negotiate(withIdentity, "deflate"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Mozilla/4.0 (compatible)|true",
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)|true",
        "Mozilla/4.0 (compatible; MSIE 5.5; Windows NT 5.1; SV1)|true",
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)|false",
        "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 5.1)|false",
        "Mozilla/5.0 (X11; Linux x86_64)|false",
        "curl/7.88.1|false",
    })
    void oldBrowsersGetNoCompression(String agent, boolean old) {
        assertEquals(old, Compression.oldBrowser(agent));
        HttpHeaders headers = new DefaultHttpHeaders().add("User-Agent", agent).add("Accept-Encoding", "gzip");
        assertEquals(old, Compression.negotiate(GZIP_DEFLATE, headers) == null);
    }

    private static HttpResponse response(int status, String... headerPairs) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        response.headers().add("Content-Type", "text/html").add("Content-Length", "100");
        for (String pair : headerPairs) {
            int colon = pair.indexOf(':');
            String name = pair.substring(0, colon);
            String value = pair.substring(colon + 1);
            if (name.startsWith("-")) {
                response.headers().remove(name.substring(1));
            } else if (name.startsWith("=")) {
                response.headers().set(name.substring(1), value);
            } else {
                response.headers().add(name, value);
            }
        }
        return response;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "200||true",
        "201||true",
        "202||true",
        "203||true",
        "204||false",
        "206||false",
        "301||false",
        "404||false",
        "500||false",
        "200|Content-Encoding:br|false",
        "200|Cache-Control:no-transform|false",
        "200|Cache-Control:public, No-Transform|false",
        "200|Cache-Control:no-transformx|true",
        "200|ETag:\"abc\"|true",
        "200|ETag:W/\"abc\"|true",
        "200|ETag:w/\"abc\"|false",
        "200|ETag:abc|false",
        "200|=Content-Length:0|false",
        "200|-Content-Length:|false",
        "200|=Content-Type:multipart/mixed|false",
    })
    void whichResponsesAreCompressedWithoutATypeList(int status, String header, boolean expected) {
        HttpResponse response = header == null ? response(status) : response(status, header);
        assertEquals(expected, Compression.applies(response, false, List.of()));
    }

    @Test
    void twoEtagsOrAHeadAnswerOrAnHttp10ServerAreNotCompressed() {
        assertFalse(Compression.applies(response(200, "ETag:\"a\"", "ETag:\"b\""), false, List.of()));
        assertFalse(Compression.applies(response(200), true, List.of()));
        HttpResponse old = response(200);
        old.setProtocolVersion(HttpVersion.HTTP_1_0);
        assertFalse(Compression.applies(old, false, List.of()));
    }

    @Test
    void aChunkedBodyIsCompressedEvenWhenEmpty() {
        assertTrue(Compression.applies(response(200, "-Content-Length:", "Transfer-Encoding:chunked"), false,
                List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "text/html|true",
        "TEXT/HTML; charset=utf-8|true",
        "text/htmlx|true",
        "text/css|true",
        "application/json|false",
        "multipart/mixed|false",
    })
    void typesArePrefixesComparedIgnoringCase(String type, boolean expected) {
        assertEquals(expected, Compression.applies(response(200, "=Content-Type:" + type), false,
                List.of("text/css", "text/html")));
    }

    @Test
    void aTypeListRequiresAContentType() {
        assertFalse(Compression.applies(response(200, "-Content-Type:"), false, List.of("text/html")));
        assertTrue(Compression.applies(response(200, "-Content-Type:"), false, List.of()));
    }

    @Test
    void theHeadIsRewrittenAsHaproxyDoes() {
        HttpResponse response = response(200, "ETag:\"v1\"", "Vary:Accept-Encoding");
        Compression.rewriteHead(response.headers(), CompressionAlgorithm.RAW_DEFLATE);
        HttpHeaders headers = response.headers();
        assertNull(headers.get("Content-Length"));
        assertEquals("chunked", headers.get("Transfer-Encoding"));
        assertEquals("W/\"v1\"", headers.get("ETag"));
        assertEquals(List.of("Accept-Encoding", "Accept-Encoding"), headers.getAll("Vary"));
        assertEquals("deflate", headers.get("Content-Encoding"));
    }

    @Test
    void identityAddsNoContentEncodingAndAWeakEtagStaysWeak() {
        HttpResponse response = response(200, "ETag:W/\"v1\"");
        Compression.rewriteHead(response.headers(), CompressionAlgorithm.IDENTITY);
        assertNull(response.headers().get("Content-Encoding"));
        assertEquals("W/\"v1\"", response.headers().get("ETag"));
        assertEquals("chunked", response.headers().get("Transfer-Encoding"));
    }
}
