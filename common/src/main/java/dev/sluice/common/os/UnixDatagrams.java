package dev.sluice.common.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends one datagram to an AF_UNIX datagram socket such as {@code /dev/log} (the JDK's
 * DatagramChannel speaks only UDP). Meant for a logging thread, not an event loop: each call
 * opens and closes its socket.
 */
public final class UnixDatagrams {
    private static final int SUN_PATH_MAX = Libc.SOCKADDR_UN_SIZE - Libc.SUN_PATH_OFFSET;

    private UnixDatagrams() {
    }

    /** Sends the remaining bytes of {@code payload} to the socket at {@code path}. */
    public static void send(String path, ByteBuffer payload) throws IOException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new IOException("unix socket path longer than " + (SUN_PATH_MAX - 1) + " bytes: " + path);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(Libc.SOCKADDR_UN_SIZE);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
            MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, Libc.SUN_PATH_OFFSET, name.length);
            MemorySegment bytes = arena.allocate(Math.max(1, payload.remaining()));
            MemorySegment.copy(MemorySegment.ofBuffer(payload), 0, bytes, 0, payload.remaining());
            Libc.sendUnixDatagram(address, Libc.SUN_PATH_OFFSET + name.length + 1, bytes.asSlice(0, payload.remaining()));
        } catch (Libc.NativeException e) {
            throw new IOException("cannot send to " + path + ": " + e.getMessage(), e);
        }
    }
}
