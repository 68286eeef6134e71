package dev.sluice.balancer.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The per-request bookkeeping of one exchange across frontend, backend and server counters. */
class CountersTest {
    @Test
    void anExchangeCountsOnEveryLevel() {
        Counters front = new Counters();
        Counters backend = new Counters();
        Counters server = new Counters();
        ExchangeStats exchange = new ExchangeStats(front);
        exchange.begin();
        exchange.serverTaken(backend, server);
        exchange.connecting(false);
        exchange.connected();
        exchange.requestBytes(100);
        exchange.response(200);
        exchange.responseBytes(1_000);
        assertEquals(1, server.current());
        exchange.finish();
        assertEquals(0, server.current());
        assertEquals(1, front.requests());
        assertEquals(1, front.responses(1));
        assertEquals(1, backend.responses(1));
        assertEquals(1, server.total());
        assertEquals(1, server.currentMax());
        assertEquals(100, server.bytesOut());
        assertEquals(1_000, backend.bytesIn());
        assertEquals(1, server.connectAttempts());
    }

    @Test
    void refusalsGoToTheRightErrorCounter() {
        Counters front = new Counters();
        Counters backend = new Counters();
        Counters server = new Counters();
        ExchangeStats exchange = new ExchangeStats(front);
        exchange.begin();
        exchange.refused(400, true, false);
        assertEquals(1, front.requestErrors());
        assertEquals(1, front.responses(3));
        exchange.begin();
        exchange.serverTaken(backend, server);
        exchange.connectFailed(true, false);
        exchange.connectFailed(true, true);
        exchange.refused(503, false, true);
        assertEquals(2, server.retries());
        assertEquals(1, backend.redispatches());
        assertEquals(1, server.connectErrors());
        assertEquals(1, backend.responses(4));
        assertEquals(0, server.current());
    }

    @Test
    void statusOutsideTheClassesIsOther() {
        Counters counters = new Counters();
        counters.response(99);
        counters.response(600);
        assertEquals(2, counters.responses(5));
    }

    /** The request path's bookkeeping creates no garbage: a byte count over many exchanges, not a timing. */
    @Test
    void countingAnExchangeAllocatesNothing() {
        Counters front = new Counters();
        Counters backend = new Counters();
        Counters server = new Counters();
        ExchangeStats exchange = new ExchangeStats(front);
        int exchanges = 20_000;
        for (int i = 0; i < exchanges; i++) {
            oneExchange(exchange, backend, server);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < exchanges; i++) {
            oneExchange(exchange, backend, server);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(2L * exchanges, front.requests());
        org.junit.jupiter.api.Assertions.assertTrue(allocated < 4096,
                allocated + " bytes allocated by " + exchanges + " counted exchanges");
    }

    private static void oneExchange(ExchangeStats exchange, Counters backend, Counters server) {
        exchange.begin();
        exchange.serverTaken(backend, server);
        exchange.connecting(true);
        exchange.connected();
        exchange.response(200);
        exchange.responseBytes(512);
        exchange.finish();
    }
}
