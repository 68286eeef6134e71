package dev.sluice.balancer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.runtime.CookiePlan;
import dev.sluice.balancer.runtime.ServerPersistence;
import dev.sluice.balancer.runtime.ServerPlan;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request and response vectors for each cookie mode, following HAProxy 2.6. */
class CookiePersistenceTest {
    private static final long NOW = 1_700_000_000L;
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 1);

    private final Server s1 = server("s1", "A", false);
    private final Server s2 = server("s2", "B", false);
    private final Server down = server("s3", "C", true);
    private final Server plain = server("s4", null, false);
    private final StickyState state = new StickyState();

    private static Server server(String name, String cookie, boolean disabled) {
        return new Server(new ServerPlan(name, ADDRESS, 1, 0, disabled, false, 0, new ServerPersistence(cookie, 0)),
                () -> { });
    }

    private static CookiePlan plan(CookiePlan.Mode mode, boolean indirect, boolean nocache, boolean postonly,
                                   boolean preserve, Duration maxidle, Duration maxlife, String... domains) {
        return new CookiePlan("SRV", mode, indirect, nocache, postonly, preserve, true, false, List.of(domains),
                maxidle, maxlife);
    }

    private CookiePersistence persistence(CookiePlan plan) {
        return CookiePersistence.of(plan, List.of(s1, s2, down, plain), () -> NOW);
    }

    private static HttpRequest request(HttpMethod method, String... cookies) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/");
        for (String cookie : cookies) {
            request.headers().add("Cookie", cookie);
        }
        return request;
    }

    private static HttpResponse response(int status, String... setCookies) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        for (String setCookie : setCookies) {
            response.headers().add("Set-Cookie", setCookie);
        }
        return response;
    }

    @Test
    void noCookiePlanMeansNoPersistenceObject() {
        assertNull(CookiePersistence.of(CookiePlan.NONE, List.of(s1)));
    }

    @Test
    void insertAddsTheCookieWhenTheClientHadNone() {
        CookiePersistence p = persistence(CookiePlan.insert("SRV"));
        HttpRequest request = request(HttpMethod.GET, "a=1");
        assertNull(p.onRequest(request, state));
        assertEquals(CookieOutcome.NONE, state.outcome());
        HttpResponse response = response(200);
        p.onResponse(response, state, s2);
        assertEquals(List.of("SRV=B; path=/"), response.headers().getAll("Set-Cookie"));
        assertFalse(response.headers().contains("Cache-control"));
        assertEquals("a=1", request.headers().get("Cookie"));
    }

    @Test
    void insertChoosesTheNamedServerAndEmitsNothingAgain() {
        CookiePersistence p = persistence(CookiePlan.insert("SRV"));
        HttpRequest request = request(HttpMethod.GET, "a=1; SRV=B; b=2");
        assertSame(s2, p.onRequest(request, state));
        assertEquals(CookieOutcome.VALID, state.outcome());
        // Without indirect the server sees the cookie.
        assertEquals("a=1; SRV=B; b=2", request.headers().get("Cookie"));
        HttpResponse response = response(200);
        p.onResponse(response, state, s2);
        assertFalse(response.headers().contains("Set-Cookie"));
    }

    @Test
    void aCookieForAnUnusableServerIsRedispatchedAndReplaced() {
        CookiePersistence p = persistence(CookiePlan.insert("SRV"));
        assertNull(p.onRequest(request(HttpMethod.GET, "SRV=C"), state));
        assertEquals(CookieOutcome.DOWN, state.outcome());
        HttpResponse response = response(200);
        p.onResponse(response, state, s1);
        assertEquals("SRV=A; path=/", response.headers().get("Set-Cookie"));
    }

    @Test
    void unknownAndEmptyCookiesAreInvalid() {
        CookiePersistence p = persistence(CookiePlan.insert("SRV"));
        assertNull(p.onRequest(request(HttpMethod.GET, "SRV=Z"), state));
        assertEquals(CookieOutcome.INVALID, state.outcome());
        assertNull(p.onRequest(request(HttpMethod.GET, "SRV="), state));
        assertEquals(CookieOutcome.INVALID, state.outcome());
        // Prefix matches do not count: the whole value must equal the server's.
        assertNull(p.onRequest(request(HttpMethod.GET, "SRV=AB"), state));
    }

    @Test
    void onlyTheFirstCookieCounts() {
        CookiePersistence p = persistence(CookiePlan.insert("SRV"));
        assertSame(s1, p.onRequest(request(HttpMethod.GET, "SRV=A; SRV=B"), state));
        assertSame(s2, p.onRequest(request(HttpMethod.GET, "x=1", "SRV=B", "SRV=A"), state));
    }

    @Test
    void insertIndirectRemovesTheCookieFromTheRequest() {
        CookiePersistence p = persistence(plan(CookiePlan.Mode.INSERT, true, false, false, false, Duration.ZERO,
                Duration.ZERO));
        HttpRequest middle = request(HttpMethod.GET, "a=1; SRV=A; b=2");
        assertSame(s1, p.onRequest(middle, state));
        assertEquals("a=1; b=2", middle.headers().get("Cookie"));
        HttpRequest alone = request(HttpMethod.GET, "SRV=A", "c=3");
        p.onRequest(alone, state);
        assertEquals(List.of("c=3"), alone.headers().getAll("Cookie"));
    }

    @Test
    void insertRemovesTheServersOwnCookieUnlessPreserved() {
        CookiePersistence p = persistence(CookiePlan.insert("SRV"));
        p.onRequest(request(HttpMethod.GET), state);
        HttpResponse response = response(200, "SRV=app; path=/x", "other=1");
        p.onResponse(response, state, s1);
        assertEquals(List.of("other=1", "SRV=A; path=/"), response.headers().getAll("Set-Cookie"));

        CookiePersistence preserving = persistence(plan(CookiePlan.Mode.INSERT, false, false, false, true,
                Duration.ZERO, Duration.ZERO));
        preserving.onRequest(request(HttpMethod.GET), state);
        HttpResponse kept = response(200, "SRV=app");
        preserving.onResponse(kept, state, s1);
        assertEquals(List.of("SRV=app"), kept.headers().getAll("Set-Cookie"));
    }

    @Test
    void attributesFollowHaproxysOrder() {
        CookiePersistence p = persistence(new CookiePlan("SRV", CookiePlan.Mode.INSERT, false, false, false, false,
                true, true, List.of(".a.example", ".b.example"), Duration.ZERO, Duration.ZERO));
        p.onRequest(request(HttpMethod.GET), state);
        HttpResponse response = response(200);
        p.onResponse(response, state, s1);
        assertEquals("SRV=A; path=/; domain=.a.example; domain=.b.example; HttpOnly; Secure",
                response.headers().get("Set-Cookie"));
    }

    @Test
    void aServerWithoutCookieMakesTheClientForgetIt() {
        CookiePersistence p = persistence(CookiePlan.insert("SRV"));
        p.onRequest(request(HttpMethod.GET), state);
        HttpResponse response = response(200);
        p.onResponse(response, state, plain);
        assertEquals("SRV=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/", response.headers().get("Set-Cookie"));
    }

    @Test
    void nocacheMarksCacheableInsertingResponsesPrivate() {
        CookiePersistence p = persistence(plan(CookiePlan.Mode.INSERT, false, true, false, false, Duration.ZERO,
                Duration.ZERO));
        p.onRequest(request(HttpMethod.GET), state);
        HttpResponse cacheable = response(200);
        cacheable.headers().set("Cache-Control", "max-age=60");
        p.onResponse(cacheable, state, s1);
        assertEquals(List.of("max-age=60", "private"), cacheable.headers().getAll("Cache-Control"));
        // Not cacheable anyway (status, or the server said so): nothing added.
        HttpResponse created = response(201);
        created.headers().set("Cache-Control", "max-age=60");
        p.onResponse(created, state, s1);
        assertEquals(List.of("max-age=60"), created.headers().getAll("Cache-Control"));
        HttpResponse noStore = response(200);
        noStore.headers().set("Cache-Control", "no-store");
        p.onResponse(noStore, state, s1);
        assertEquals(List.of("no-store"), noStore.headers().getAll("Cache-Control"));
        // A valid cookie inserts nothing, so nothing is marked either.
        p.onRequest(request(HttpMethod.GET, "SRV=A"), state);
        HttpResponse direct = response(200);
        direct.headers().set("Cache-Control", "max-age=60");
        p.onResponse(direct, state, s1);
        assertEquals(List.of("max-age=60"), direct.headers().getAll("Cache-Control"));
    }

    @Test
    void postonlyInsertsOnlyOnPost() {
        CookiePersistence p = persistence(plan(CookiePlan.Mode.INSERT, false, false, true, false, Duration.ZERO,
                Duration.ZERO));
        p.onRequest(request(HttpMethod.GET), state);
        HttpResponse get = response(200);
        p.onResponse(get, state, s1);
        assertFalse(get.headers().contains("Set-Cookie"));
        p.onRequest(request(HttpMethod.POST), state);
        HttpResponse post = response(200);
        p.onResponse(post, state, s1);
        assertEquals("SRV=A; path=/; HttpOnly", post.headers().get("Set-Cookie"));
    }

    @Test
    void rewriteReplacesTheServersValue() {
        CookiePersistence p = persistence(plan(CookiePlan.Mode.REWRITE, false, false, false, false, Duration.ZERO,
                Duration.ZERO));
        HttpRequest request = request(HttpMethod.GET, "SRV=B");
        assertSame(s2, p.onRequest(request, state));
        assertEquals("SRV=B", request.headers().get("Cookie"));
        HttpResponse response = response(200, "SRV=session42; path=/app");
        p.onResponse(response, state, s2);
        assertEquals("SRV=B; path=/app", response.headers().get("Set-Cookie"));
        HttpResponse none = response(200);
        p.onResponse(none, state, s2);
        assertFalse(none.headers().contains("Set-Cookie"));
    }

    @Test
    void prefixAddsAndStripsTheServersValue() {
        CookiePersistence p = persistence(plan(CookiePlan.Mode.PREFIX, false, false, false, false, Duration.ZERO,
                Duration.ZERO));
        HttpResponse response = response(200, "SRV=session42; path=/");
        p.onRequest(request(HttpMethod.GET), state);
        p.onResponse(response, state, s1);
        assertEquals("SRV=A~session42; path=/", response.headers().get("Set-Cookie"));
        HttpRequest request = request(HttpMethod.GET, "x=1; SRV=A~session42");
        assertSame(s1, p.onRequest(request, state));
        assertEquals("x=1; SRV=session42", request.headers().get("Cookie"));
        // No delimiter: the whole value is compared and left as it is.
        HttpRequest bare = request(HttpMethod.GET, "SRV=B");
        assertSame(s2, p.onRequest(bare, state));
        assertEquals("SRV=B", bare.headers().get("Cookie"));
    }

    @Test
    void passiveModeReadsTheApplicationsCookieAndChangesNothing() {
        CookiePersistence p = persistence(plan(CookiePlan.Mode.PASSIVE, false, false, false, false, Duration.ZERO,
                Duration.ZERO));
        HttpRequest request = request(HttpMethod.GET, "SRV=B");
        assertSame(s2, p.onRequest(request, state));
        HttpResponse response = response(200, "SRV=A");
        p.onResponse(response, state, s2);
        assertEquals(List.of("SRV=A"), response.headers().getAll("Set-Cookie"));
    }

    @Test
    void maxidleStampsTheLastDateAndExpiresIdleCookies() {
        CookiePersistence p = persistence(plan(CookiePlan.Mode.INSERT, false, false, false, false,
                Duration.ofMinutes(30), Duration.ZERO));
        p.onRequest(request(HttpMethod.GET), state);
        HttpResponse first = response(200);
        p.onResponse(first, state, s1);
        assertEquals("SRV=A|ZVPxA; path=/; HttpOnly", first.headers().get("Set-Cookie"));

        // Seen within the 4-second unit of now: still fresh, nothing to refresh.
        assertSame(s1, p.onRequest(request(HttpMethod.GET, "SRV=A|ZVPxA"), state));
        HttpResponse same = response(200);
        p.onResponse(same, state, s1);
        assertFalse(same.headers().contains("Set-Cookie"));

        // Seen 20 minutes ago: valid, and the date is refreshed.
        String twentyMinutes = date(NOW - 1200);
        assertSame(s1, p.onRequest(request(HttpMethod.GET, "SRV=A|" + twentyMinutes), state));
        HttpResponse refreshed = response(200);
        p.onResponse(refreshed, state, s1);
        assertEquals("SRV=A|ZVPxA; path=/; HttpOnly", refreshed.headers().get("Set-Cookie"));

        // Seen 31 minutes ago: ignored, balanced anew.
        assertNull(p.onRequest(request(HttpMethod.GET, "SRV=A|" + date(NOW - 1860)), state));
        assertEquals(CookieOutcome.EXPIRED, state.outcome());
        // More than a day in the future: ignored too.
        assertNull(p.onRequest(request(HttpMethod.GET, "SRV=A|" + date(NOW + 90_000)), state));
        assertEquals(CookieOutcome.EXPIRED, state.outcome());
    }

    @Test
    void maxlifeKeepsTheFirstDateAndEndsOldCookies() {
        CookiePersistence p = persistence(plan(CookiePlan.Mode.INSERT, false, false, false, false, Duration.ZERO,
                Duration.ofHours(1)));
        p.onRequest(request(HttpMethod.GET), state);
        HttpResponse first = response(200);
        p.onResponse(first, state, s2);
        assertEquals("SRV=B|ZVPxA|ZVPxA; path=/; HttpOnly", first.headers().get("Set-Cookie"));

        String born = date(NOW - 1800);
        assertSame(s2, p.onRequest(request(HttpMethod.GET, "SRV=B|" + date(NOW - 600) + "|" + born), state));
        HttpResponse again = response(200);
        p.onResponse(again, state, s2);
        // The last date is refreshed, the first one kept.
        assertEquals("SRV=B|ZVPxA|" + born + "; path=/; HttpOnly", again.headers().get("Set-Cookie"));

        assertNull(p.onRequest(request(HttpMethod.GET, "SRV=B|" + date(NOW - 10) + "|" + date(NOW - 3700)), state));
        assertEquals(CookieOutcome.OLD, state.outcome());
    }

    @Test
    void responseCacheabilityFollowsHaproxy() {
        // Without freshness information or a validator nothing is cacheable, "public" or not.
        assertFalse(CookiePersistence.cacheable(response(200)));
        HttpResponse pub = response(200);
        pub.headers().set("Cache-Control", "public");
        assertFalse(CookiePersistence.cacheable(pub));
        HttpResponse fresh = response(404);
        fresh.headers().set("Cache-Control", "max-age=60");
        assertTrue(CookiePersistence.cacheable(fresh));
        HttpResponse validated = response(200);
        validated.headers().set("ETag", "\"x\"");
        assertTrue(CookiePersistence.cacheable(validated));
        HttpResponse redirect = response(302);
        redirect.headers().set("Cache-Control", "max-age=60");
        assertFalse(CookiePersistence.cacheable(redirect));
        HttpResponse pragma = response(200);
        pragma.headers().set("Expires", "Thu, 01 Jan 2099 00:00:00 GMT");
        pragma.headers().set("Pragma", "no-cache");
        assertFalse(CookiePersistence.cacheable(pragma));
    }

    private static String date(long seconds) {
        StringBuilder out = new StringBuilder();
        CookieDates.append(out, seconds);
        return out.toString();
    }
}
