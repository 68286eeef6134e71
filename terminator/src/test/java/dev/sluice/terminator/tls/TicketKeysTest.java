package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.netty.handler.ssl.OpenSslSessionTicketKey;

class TicketKeysTest {
    private static byte[] bytes(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return bytes;
    }

    @Test
    void readsNginx48ByteKeyAsNameAesHmac() throws Exception {
        byte[] file = bytes(48, 0);
        OpenSslSessionTicketKey[] keys = TicketKeys.parse("k", file);
        assertEquals(1, keys.length);
        assertArrayEquals(Arrays.copyOfRange(file, 0, 16), keys[0].name());
        assertArrayEquals(Arrays.copyOfRange(file, 16, 32), keys[0].aesKey());
        assertArrayEquals(Arrays.copyOfRange(file, 32, 48), keys[0].hmacKey());
    }

    @Test
    void readsSeveral80ByteKeysInOrder() throws Exception {
        byte[] file = new byte[160];
        System.arraycopy(bytes(80, 1), 0, file, 0, 80);
        System.arraycopy(bytes(80, 101), 0, file, 80, 80);
        OpenSslSessionTicketKey[] keys = TicketKeys.parse("k", file);
        assertEquals(2, keys.length);
        assertArrayEquals(Arrays.copyOfRange(file, 0, 16), keys[0].name());
        assertArrayEquals(Arrays.copyOfRange(file, 80, 96), keys[1].name());
        assertEquals(16, keys[0].aesKey().length);
        assertEquals(16, keys[0].hmacKey().length);
    }

    @Test
    void reduces80ByteKeysTheSameWayEveryTime() throws Exception {
        OpenSslSessionTicketKey a = TicketKeys.parse("k", bytes(80, 7))[0];
        OpenSslSessionTicketKey b = TicketKeys.parse("k", bytes(80, 7))[0];
        assertArrayEquals(a.aesKey(), b.aesKey());
        assertArrayEquals(a.hmacKey(), b.hmacKey());
        assertFalse(Arrays.equals(a.aesKey(), a.hmacKey()));
    }

    @Test
    void theHmacPartOfAn80ByteKeyComesBeforeTheAesPart() throws Exception {
        byte[] file = bytes(80, 7);
        byte[] swapped = file.clone();
        System.arraycopy(file, 48, swapped, 16, 32);
        System.arraycopy(file, 16, swapped, 48, 32);
        OpenSslSessionTicketKey key = TicketKeys.parse("k", file)[0];
        OpenSslSessionTicketKey other = TicketKeys.parse("k", swapped)[0];
        assertFalse(Arrays.equals(key.aesKey(), other.aesKey()));
    }

    @Test
    void refusesOtherSizesNamingTheFile() {
        for (int size : new int[] {0, 47, 79, 81, 96}) {
            TlsException e = assertThrows(TlsException.class, () -> TicketKeys.parse("/etc/keys", new byte[size]));
            assertTrue(e.getMessage().startsWith("/etc/keys: " + size + " bytes"), e.getMessage());
        }
    }
}
