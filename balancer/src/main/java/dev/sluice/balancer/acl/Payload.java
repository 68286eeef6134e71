package dev.sluice.balancer.acl;

import io.netty.buffer.ByteBuf;

/**
 * The first bytes of a connection as {@code tcp-request content} rules see them while they wait
 * (HAProxy's request buffer during content inspection), for the payload fetches ({@code req.len},
 * {@code req.payload}, {@code req.ssl_sni}…). It does not own the bytes: the inspection that holds
 * the buffer points this view at it and clears it before the buffer moves on.
 *
 * <p>A fetch that lacks data, or whose value may still change, calls {@link #mayChange()}: before
 * the evaluation is final (the inspect-delay has not expired, the buffer is not full, the client
 * has not closed) that makes the condition "undetermined" and the rule waits, as HAProxy's
 * {@code SMP_F_MAY_CHANGE} does; once final it is a plain "no match". One instance per connection,
 * used on its event loop.
 */
public final class Payload {

    private final Chars chars = new Chars();
    private ByteBuf data;
    private boolean finalEvaluation;
    private boolean missed;
    private ClientHello hello;
    private int capacity = Integer.MAX_VALUE;

    /**
     * Points the view at the buffered bytes (readable part of {@code data}).
     *
     * @param capacity the most bytes the buffer may ever hold ({@code tune.bufsize})
     * @param last     whether no more will come (delay expired, buffer full, or client closed)
     */
    public void update(ByteBuf data, int capacity, boolean last) {
        this.data = data;
        this.capacity = capacity;
        this.finalEvaluation = last;
        this.hello = null;
        this.missed = false;
    }

    /** Forgets the buffer (it is about to be written to the server). */
    public void clear() {
        data = null;
        hello = null;
        chars.buf = null;
    }

    /** Whether no more data will be waited for: fetches that lack data fail for good. */
    public boolean isFinal() {
        return finalEvaluation;
    }

    /** The most bytes the buffer may ever hold: a fetch asking for more never matches. */
    int capacity() {
        return capacity;
    }

    /** Number of bytes buffered. */
    public int length() {
        return data == null ? 0 : data.readableBytes();
    }

    /** The unsigned byte at {@code index} (0 = the first byte received); the caller checks the length. */
    int at(int index) {
        return data.getUnsignedByte(data.readerIndex() + index);
    }

    /** Notes that the value just fetched could differ with more data; see the class comment. */
    void mayChange() {
        if (!finalEvaluation) {
            missed = true;
        }
    }

    /** Clears the "undetermined" mark before an ACL line is tested. */
    void resetMiss() {
        missed = false;
    }

    /** Whether a fetch said "not yet" since {@link #resetMiss()}. */
    boolean missed() {
        return missed;
    }

    /** The buffered bytes as ISO-8859-1 characters (one per byte), viewed in place; valid during one fetch. */
    CharSequence chars() {
        chars.buf = data;
        chars.base = data == null ? 0 : data.readerIndex();
        chars.length = length();
        return chars;
    }

    /** The ClientHello parse of the current bytes, computed once per update. */
    ClientHello hello() {
        if (hello == null) {
            hello = data == null ? ClientHello.TOO_SHORT : ClientHello.parse(data, data.readerIndex(), length());
        }
        return hello;
    }

    /** Bytes of a buffer as chars, without copying them. */
    private static final class Chars implements CharSequence {
        ByteBuf buf;
        int base;
        int length;

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return (char) buf.getUnsignedByte(base + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return buf == null ? "" : buf.toString(base, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
