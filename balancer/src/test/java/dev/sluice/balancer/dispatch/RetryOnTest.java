package dev.sluice.balancer.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** retry-on keywords as HAProxy 2.6 reads them. */
class RetryOnTest {

    @Test
    void defaultRetriesFailedConnectsOnlyAndKeepsNothing() {
        assertTrue(RetryOn.DEFAULT.on(RetryCause.CONN_FAILURE));
        assertFalse(RetryOn.DEFAULT.on(RetryCause.EMPTY_RESPONSE));
        assertFalse(RetryOn.DEFAULT.afterSending());
    }

    @Test
    void statusCodesAndKeywords() {
        RetryOn on = RetryOn.parse(List.of("503", "empty-response"));
        assertEquals(EnumSet.of(RetryCause.STATUS_503, RetryCause.EMPTY_RESPONSE), on.causes());
        assertTrue(on.onStatus(503));
        assertFalse(on.onStatus(502));
        assertFalse(on.onStatus(200));
        // conn-failure is not implied: a failed connect is not retried with this setting.
        assertFalse(on.on(RetryCause.CONN_FAILURE));
        assertTrue(on.afterSending());
    }

    @Test
    void allRetryableErrorsIsHaproxysList() {
        RetryOn on = RetryOn.parse(List.of("all-retryable-errors"));
        assertEquals(EnumSet.of(RetryCause.CONN_FAILURE, RetryCause.EMPTY_RESPONSE, RetryCause.JUNK_RESPONSE,
                RetryCause.RESPONSE_TIMEOUT, RetryCause.ZERO_RTT_REJECTED, RetryCause.STATUS_500,
                RetryCause.STATUS_502, RetryCause.STATUS_503, RetryCause.STATUS_504), on.causes());
        assertFalse(on.onStatus(404));
    }

    @Test
    void noneRetriesNothing() {
        RetryOn none = RetryOn.parse(List.of("none"));
        assertTrue(none.causes().isEmpty());
        assertFalse(none.on(RetryCause.CONN_FAILURE));
    }

    @Test
    void refusalsUseHaproxysWords() {
        assertEquals("'retry-on': unknown keyword '405'",
                assertThrows(IllegalArgumentException.class, () -> RetryOn.parse(List.of("405"))).getMessage());
        assertEquals("'retry-on' 'none' keyword only usable alone",
                assertThrows(IllegalArgumentException.class, () -> RetryOn.parse(List.of("none", "503")))
                        .getMessage());
        assertEquals("'retry-on' needs at least one keyword to specify when to retry",
                assertThrows(IllegalArgumentException.class, () -> RetryOn.parse(List.of())).getMessage());
    }

    @Test
    void causesAreImmutable() {
        RetryOn on = RetryOn.parse(List.of("503"));
        assertThrows(UnsupportedOperationException.class, () -> on.causes().add(RetryCause.STATUS_504));
    }
}
