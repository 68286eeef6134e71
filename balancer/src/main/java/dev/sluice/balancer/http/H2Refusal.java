package dev.sluice.balancer.http;

import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;

/**
 * Why an HTTP/2 client connection ended with a GOAWAY we sent, read from its error code and the
 * debug text Netty's codec puts in it, or why one stream was refused ({@code STREAM_*}, see
 * {@link H2StreamRefusals}), with a short code for counters and a sentence. The flood
 * protections are Netty's ({@link H2Connection} sets their limits); this names what tripped.
 */
public enum H2Refusal {
    GRACEFUL("h2-goaway", "the connection was drained or idle and ended with GOAWAY(NO_ERROR)"),
    RAPID_RESET("h2-rapid-reset", "the client reset streams faster than allowed (CVE-2023-44487)"),
    RESET_PROVOKED("h2-reset-provoked", "the client made us reset streams faster than allowed (MadeYouReset)"),
    CONTINUATION_FLOOD("h2-continuation-flood", "the client sent too many small CONTINUATION frames (CVE-2024-27316 class)"),
    EMPTY_FRAME_FLOOD("h2-empty-frames", "the client sent too many empty DATA frames without END_STREAM"),
    CONTROL_FLOOD("h2-control-flood", "the client's PING/SETTINGS/RST frames queued more answers than allowed unread"),
    HEADER_LIST_TOO_LARGE("h2-hdr-too-large", "a header list exceeded tune.bufsize well beyond what we announced (HPACK bomb)"),
    COMPRESSION("h2-hpack", "the client's header block could not be decompressed (HPACK error)"),
    FRAME_SIZE("h2-frame-size", "a frame was larger than tune.h2.max-frame-size or malformed in size"),
    FLOW_CONTROL("h2-flow-control", "the client sent more than its flow-control window allowed"),
    PROTOCOL("h2-protocol", "the client broke the HTTP/2 protocol"),
    STREAM_REFUSED("h2-stream-refused", "a stream beyond tune.h2.max-concurrent-streams was refused (RST_STREAM REFUSED_STREAM)"),
    STREAM_ERROR("h2-stream-error", "a stream broke the protocol (bad headers, window overrun) and was reset"),
    STREAM_HEADERS_TOO_LARGE("h2-hdr-431", "a stream's header list exceeded tune.bufsize and was answered 431");

    private final String code;
    private final String sentence;

    H2Refusal(String code, String sentence) {
        this.code = code;
        this.sentence = sentence;
    }

    public String code() {
        return code;
    }

    public String sentence() {
        return sentence;
    }

    /** The reason of a GOAWAY with {@code errorCode} and the codec's {@code debugText}. */
    static H2Refusal of(long errorCode, String debugText) {
        Http2Error error = Http2Error.valueOf(errorCode);
        if (error == null) {
            return PROTOCOL;
        }
        return switch (error) {
            case NO_ERROR -> GRACEFUL;
            case ENHANCE_YOUR_CALM -> calm(debugText);
            case COMPRESSION_ERROR -> COMPRESSION;
            case FRAME_SIZE_ERROR -> FRAME_SIZE;
            case FLOW_CONTROL_ERROR -> FLOW_CONTROL;
            default -> debugText.contains("continuations") ? CONTINUATION_FLOOD
                    : debugText.contains("Header size exceeded") ? HEADER_LIST_TOO_LARGE : PROTOCOL;
        };
    }

    private static H2Refusal calm(String debugText) {
        if (debugText.contains("RST frames frames")) {
            return RESET_PROVOKED;
        }
        if (debugText.contains("RST frames")) {
            return RAPID_RESET;
        }
        if (debugText.contains("empty data frames")) {
            return EMPTY_FRAME_FLOOD;
        }
        if (debugText.contains("control frames")) {
            return CONTROL_FLOOD;
        }
        if (debugText.contains("continuations")) {
            return CONTINUATION_FLOOD;
        }
        return debugText.contains("Header size exceeded") ? HEADER_LIST_TOO_LARGE : PROTOCOL;
    }

    static String text(io.netty.buffer.ByteBuf debugData) {
        return debugData == null ? "" : debugData.toString(debugData.readerIndex(), debugData.readableBytes(),
                StandardCharsets.UTF_8);
    }
}
