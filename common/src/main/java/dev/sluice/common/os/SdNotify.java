package dev.sluice.common.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * systemd's readiness protocol (sd_notify(3)): one datagram such as {@code READY=1} to the
 * AF_UNIX socket named by {@code $NOTIFY_SOCKET} (a path, or {@code @name} in the abstract
 * namespace). Without that variable every call does nothing, so the binaries run the same with
 * and without systemd.
 */
public final class SdNotify {
    private static final Logger log = LogManager.getLogger(SdNotify.class);
    private static final int SUN_PATH_MAX = Libc.SOCKADDR_UN_SIZE - Libc.SUN_PATH_OFFSET;

    private final String socket;

    private SdNotify(String socket) {
        this.socket = socket;
    }

    /** The notifier for this process's environment. */
    public static SdNotify fromEnvironment() {
        return from(System.getenv());
    }

    static SdNotify from(Map<String, String> environment) {
        String socket = environment.get("NOTIFY_SOCKET");
        return new SdNotify(socket == null || socket.isEmpty() ? null : socket);
    }

    public boolean enabled() {
        return socket != null;
    }

    public void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
    }

    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros());
    }

    public void stopping() {
        send("STOPPING=1");
    }

    public void status(String status) {
        send("STATUS=" + status);
    }

    /** Sends {@code message} (newline-separated assignments); failures are logged, never thrown. */
    public void send(String message) {
        if (socket == null) {
            return;
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH_MAX) {
            log.warn("NOTIFY_SOCKET is longer than {} bytes; cannot notify systemd", SUN_PATH_MAX - 1);
            return;
        }
        boolean abstractName = path[0] == '@';
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(Libc.SOCKADDR_UN_SIZE);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
            MemorySegment.copy(path, 0, address, ValueLayout.JAVA_BYTE, Libc.SUN_PATH_OFFSET, path.length);
            if (abstractName) {
                address.set(ValueLayout.JAVA_BYTE, Libc.SUN_PATH_OFFSET, (byte) 0);
            }
            // An abstract name's length is exact; a path's includes its terminating NUL.
            int length = Libc.SUN_PATH_OFFSET + path.length + (abstractName ? 0 : 1);
            byte[] payload = message.getBytes(StandardCharsets.UTF_8);
            MemorySegment bytes = arena.allocate(payload.length);
            MemorySegment.copy(payload, 0, bytes, ValueLayout.JAVA_BYTE, 0, payload.length);
            Libc.sendUnixDatagram(address, length, bytes);
        } catch (Libc.NativeException e) {
            log.warn("cannot notify systemd at {}: {}", socket, e.getMessage());
        }
    }

    private static long monotonicMicros() {
        return System.nanoTime() / 1_000;
    }
}
