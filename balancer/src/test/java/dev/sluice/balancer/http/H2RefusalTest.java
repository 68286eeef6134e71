package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http2.Http2Error;
import org.junit.jupiter.api.Test;

/** GOAWAY reasons are named from the codec's error code and debug text (Netty 4.2's wording). */
class H2RefusalTest {

    private static H2Refusal of(Http2Error error, String text) {
        return H2Refusal.of(error.code(), text);
    }

    @Test
    void floodsAreToldApart() {
        assertEquals(H2Refusal.RAPID_RESET, of(Http2Error.ENHANCE_YOUR_CALM, "Maximum number of RST frames reached"));
        assertEquals(H2Refusal.RESET_PROVOKED, of(Http2Error.ENHANCE_YOUR_CALM,
                "Maximum number 200 of RST frames frames reached within 30 seconds"));
        assertEquals(H2Refusal.EMPTY_FRAME_FLOOD, of(Http2Error.ENHANCE_YOUR_CALM,
                "Maximum number 2 of empty data frames without end_of_stream flag received"));
        assertEquals(H2Refusal.CONTROL_FLOOD, of(Http2Error.ENHANCE_YOUR_CALM,
                "Maximum number 10000 of outstanding control frames reached"));
        assertEquals(H2Refusal.CONTINUATION_FLOOD, of(Http2Error.PROTOCOL_ERROR,
                "Number of small consecutive continuations frames 17 exceeds maximum: 16"));
        assertEquals(H2Refusal.HEADER_LIST_TOO_LARGE, of(Http2Error.PROTOCOL_ERROR,
                "Header size exceeded max allowed size (20480)"));
    }

    @Test
    void errorCodesWithoutTextMapDirectly() {
        assertEquals(H2Refusal.GRACEFUL, of(Http2Error.NO_ERROR, ""));
        assertEquals(H2Refusal.FRAME_SIZE, of(Http2Error.FRAME_SIZE_ERROR, "Frame length: 16385 exceeds maximum: 16384"));
        assertEquals(H2Refusal.COMPRESSION, of(Http2Error.COMPRESSION_ERROR, ""));
        assertEquals(H2Refusal.FLOW_CONTROL, of(Http2Error.FLOW_CONTROL_ERROR, ""));
        assertEquals(H2Refusal.PROTOCOL, of(Http2Error.PROTOCOL_ERROR, "anything else"));
        assertEquals(H2Refusal.PROTOCOL, H2Refusal.of(0x1234, ""));
    }
}
