package dev.sluice.balancer.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What may be looked up and stored, as HAProxy 2.6 was seen to decide (see CacheDifferentialIT). */
class CacheabilityTest {

    private static HttpRequest request(String method, HttpVersion version, String header) {
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.valueOf(method), "/x");
        if (!header.isEmpty()) {
            request.headers().add(header.substring(0, header.indexOf(':')), header.substring(header.indexOf(':') + 1).trim());
        }
        return request;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET||3",
        "HEAD||1",
        "POST||0",
        "PUT||0",
        "GET|Authorization: Basic eDp5|0",
        "GET|Cache-Control: no-cache|2",
        "GET|Pragma: no-cache|2",
        "GET|Cache-Control: max-age=0, no-store|1",
    })
    void requestFlags(String method, String header, int flags) {
        assertEquals(flags, Cacheability.request(request(method, HttpVersion.HTTP_1_1, header == null ? "" : header)));
    }

    @org.junit.jupiter.api.Test
    void http10RequestsNeitherLookUpNorStore() {
        assertEquals(0, Cacheability.request(request("GET", HttpVersion.HTTP_1_0, "")));
    }

    private static HttpResponse response(int status, String... headers) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        for (String header : headers) {
            int colon = header.indexOf(':');
            response.headers().add(header.substring(0, colon), header.substring(colon + 1).trim());
        }
        return response;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "200|Cache-Control: max-age=100|60",
        "200|Cache-Control: max-age=10|10",
        "200|Cache-Control: max-age=100, s-maxage=5|5",
        "200|Cache-Control: max-age=0|-1",
        "200|Cache-Control: no-store|-1",
        "200|Cache-Control: private, max-age=10|-1",
        "200|Cache-Control: no-cache|-1",
        "200|ETag: \"abc\"|60",
        "200|Last-Modified: Mon, 01 Jan 2024 00:00:00 GMT|60",
        "200|Content-Type: text/plain|-1",
        "404|Cache-Control: max-age=10|-1",
        "200|Pragma: no-cache|-1",
    })
    void freshness(int status, String header, long seconds) {
        assertEquals(seconds, Cacheability.freshSeconds(response(status, header), 60));
    }

    @org.junit.jupiter.api.Test
    void expiresCountsFromTheDateHeader() {
        assertEquals(30, Cacheability.freshSeconds(response(200, "Date: Mon, 01 Jan 2024 00:00:00 GMT",
                "Expires: Mon, 01 Jan 2024 00:00:30 GMT"), 60));
        assertEquals(-1, Cacheability.freshSeconds(response(200, "Date: Mon, 01 Jan 2024 00:00:00 GMT",
                "Expires: 0"), 60));
    }
}
