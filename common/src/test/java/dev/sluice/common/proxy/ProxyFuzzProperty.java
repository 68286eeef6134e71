package dev.sluice.common.proxy;

import static dev.sluice.common.proxy.ProxyTesting.drainInbound;

import dev.sluice.common.proxy.ProxyTesting.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What must hold for any bytes a peer sends, checked by the fuzz tests: the decoder either accepts
 * a header and passes exactly the bytes after it, or refuses with one named reason and closes, or
 * waits for more; the outcome does not depend on how the bytes were split; an accepted header
 * round-trips through the encoder; no exception escapes and every buffer is released.
 */
final class ProxyFuzzProperty {
    private static final ProxyAcceptance ACCEPTANCE = ProxyAcceptance.required().withMaxV2Bytes(4096);

    private ProxyFuzzProperty() {
    }

    /** Feeds {@code input} to a decoder in chunks of {@code chunk} bytes and checks the outcome. */
    static void check(byte[] input, int chunk) {
        Object direct = parseWhole(input);
        ProxyCounters counters = new ProxyCounters();
        Recorder recorder = new Recorder();
        EmbeddedChannel channel = ProxyTesting.channel(ProxyVectors.inet("127.0.0.1", 1), new ProxyHeaderDecoder(ACCEPTANCE, counters), recorder);
        List<ByteBuf> written = new ArrayList<>();
        for (int at = 0; at < input.length && channel.isOpen() && channel.pipeline().get(ProxyHeaderDecoder.class) != null; at += chunk) {
            ByteBuf piece = Unpooled.copiedBuffer(input, at, Math.min(chunk, input.length - at));
            written.add(piece);
            channel.writeInbound(piece);
        }
        ProxyHeader header = channel.attr(ProxyHeader.ATTRIBUTE).get();
        byte[] passed = drainInbound(channel);
        if (header != null) {
            require(counters.refusals() == 0, "accepted and refused", input);
            require(direct instanceof ProxyHeader && direct.equals(header), "split changed the header: " + direct + " vs " + header, input);
            int consumed = headerLength(input);
            byte[] rest = Arrays.copyOfRange(input, consumed, input.length);
            int stopped = Math.min(input.length, ((consumed + chunk - 1) / chunk) * chunk);
            require(Arrays.equals(Arrays.copyOfRange(rest, 0, stopped - consumed), passed), "the rest was altered", input);
            require(roundTrips(header), "the header does not round-trip: " + header, input);
        } else if (counters.refusals() > 0) {
            require(counters.refusals() == 1, "refused twice", input);
            require(!channel.isOpen(), "refused but open", input);
            require(passed.length == 0, "refused but passed bytes", input);
            require(recorder.events.size() == 1 && recorder.events.getFirst() instanceof ProxyRefusal, "events " + recorder.events, input);
            require(direct == recorder.events.getFirst(), "split changed the refusal: " + direct + " vs " + recorder.events, input);
        } else {
            require(direct == null, "the whole input decides (" + direct + ") but the decoder waits", input);
            require(channel.isOpen() && passed.length == 0 && recorder.events.isEmpty(), "waiting but acted", input);
            channel.close();
            require(counters.refusals(ProxyRefusal.TRUNCATED) == (input.length > 0 ? 1 : 0), "close mid-header not counted", input);
        }
        channel.finishAndReleaseAll();
        for (ByteBuf piece : written) {
            require(piece.refCnt() == 0, "a read buffer was not released", input);
        }
    }

    /** The parser's verdict on the whole input at once: a header, a refusal, or null (needs more). */
    private static Object parseWhole(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        try {
            return ProxyHeaderParser.parse(buf, ACCEPTANCE.maxV2Bytes());
        } catch (ProxyRefusedException e) {
            return e.reason();
        } finally {
            buf.release();
        }
    }

    private static int headerLength(byte[] input) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        try {
            ProxyHeaderParser.parse(buf, ACCEPTANCE.maxV2Bytes());
            return buf.readerIndex();
        } finally {
            buf.release();
        }
    }

    private static boolean roundTrips(ProxyHeader header) {
        ByteBuf out = Unpooled.buffer();
        try {
            ProxyHeaderEncoder.encodeV2(header, out, true);
            return header.equals(ProxyHeaderParser.parse(out, ProxyHeaderParser.V2_MAX_BYTES)) && !out.isReadable();
        } finally {
            out.release();
        }
    }

    private static void require(boolean condition, String message, byte[] input) {
        if (!condition) {
            throw new AssertionError(message + "\ninput: " + ByteBufUtil.hexDump(input));
        }
    }
}
