package dev.sluice.balancer.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Agent reply lines, read and reported as Debian's haproxy 2.6 does (its stats for the same lines). */
class AgentReplyTest {

    @Test
    void wordsOfEachKindTheLastWinning() {
        AgentReply reply = AgentReply.parse("ready,drain\t50% maxconn:10 up #  disk is fine");
        assertEquals("up", reply.health());
        assertEquals("drain", reply.admin());
        assertEquals("50%", reply.weight());
        assertEquals("10", reply.maxconn());
        assertNull(reply.error());
        assertEquals("disk is fine", reply.description());
    }

    @Test
    void healthWordsAndTheirTexts() {
        assertEquals(new CheckResult(CheckStatus.L7STS, 0, "via agent : down (bad disk)", 3),
                AgentReply.parse("down #bad disk").result(3));
        assertEquals(new CheckResult(CheckStatus.L7STS, 0, "via agent : stopped", 0),
                AgentReply.parse("stopped").result(0));
        assertEquals(new CheckResult(CheckStatus.L7OK, 0, "via agent : UP", 0), AgentReply.parse("UP").result(0));
        assertEquals(false, AgentReply.parse("fail").up());
    }

    @Test
    void noHealthIsNoStatusChange() {
        assertEquals(new CheckResult(CheckStatus.CHECKED, 0, "", 0), AgentReply.parse("50%").result(0));
        assertEquals(new CheckResult(CheckStatus.CHECKED, 0, "agent reports an error : bogus", 0),
                AgentReply.parse("bogus other").result(0));
        assertNull(AgentReply.parse("drain").up());
    }

    @Test
    void upReportsAnUnknownWordInsteadOfTheDescription() {
        assertEquals("via agent : up (bogus)", AgentReply.parse("up bogus #ignored").result(0).info());
    }

    @Test
    void relativeWeights() {
        assertEquals(5, AgentReply.parse("50%").weightFrom(10));
        assertEquals(7, AgentReply.parse("75%").weightFrom(10));
        assertEquals(256, AgentReply.parse("1000%").weightFrom(100));
        assertEquals(0, AgentReply.parse("0%").weightFrom(10));
        assertEquals(-1, AgentReply.parse("5%x").weightFrom(10));
        assertEquals(-1, AgentReply.parse("up").weightFrom(10));
    }
}
