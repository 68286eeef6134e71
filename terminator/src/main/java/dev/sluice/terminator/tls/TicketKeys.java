package dev.sluice.terminator.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.handler.ssl.OpenSslSessionTicketKey;

/**
 * Session ticket keys shared by every worker and node, read from nginx's ticket key format.
 *
 * <p>nginx's records are 80 bytes (16-byte name, 32-byte HMAC key, 32-byte AES key: AES-256-CBC)
 * or 48 bytes (16-byte name, 16-byte AES key, 16-byte HMAC key: AES-128-CBC). One file may hold
 * several records back to back: the first encrypts new tickets, all of them decrypt. The BoringSSL
 * binding only takes AES-128 and 16-byte HMAC keys, so an 80-byte record's keys are reduced to 16
 * bytes by SHA-256 over a label and the key: deterministic, so every process given the same file
 * issues and accepts the same tickets. (48-byte records are used as they are.)
 */
public final class TicketKeys {
    static final int RECORD_80 = 80;
    static final int RECORD_48 = 48;
    private static final int NAME = 16;
    private static final int KEY_16 = 16;
    private static final int KEY_32 = 32;
    /** A file of ticket keys is tiny; anything bigger is a mistake (e.g. the wrong path). */
    private static final int MAX_RECORDS = 64;

    private TicketKeys() {
    }

    /** Reads {@code file}; the message of a refusal names the file and the problem. */
    public static OpenSslSessionTicketKey[] read(Path file) throws TlsException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException(file + ": no such file", e);
        } catch (IOException e) {
            throw new TlsException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(file.toString(), bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    static OpenSslSessionTicketKey[] parse(String name, byte[] bytes) throws TlsException {
        int record;
        if (bytes.length > 0 && bytes.length % RECORD_80 == 0) {
            record = RECORD_80;
        } else if (bytes.length == RECORD_48) {
            record = RECORD_48;
        } else {
            throw new TlsException(name + ": " + bytes.length + " bytes; expected one or more 80-byte ticket keys"
                    + " (16 name + 32 HMAC + 32 AES bytes, e.g. `openssl rand 80 > FILE`) or one 48-byte key");
        }
        int count = bytes.length / record;
        if (count > MAX_RECORDS) {
            throw new TlsException(name + ": " + count + " ticket keys (expected at most " + MAX_RECORDS + ")");
        }
        List<OpenSslSessionTicketKey> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = i * record;
            byte[] keyName = Arrays.copyOfRange(bytes, at, at + NAME);
            if (record == RECORD_48) {
                byte[] aes = Arrays.copyOfRange(bytes, at + NAME, at + NAME + KEY_16);
                byte[] hmac = Arrays.copyOfRange(bytes, at + NAME + KEY_16, at + RECORD_48);
                keys.add(new OpenSslSessionTicketKey(keyName, hmac, aes));
            } else {
                byte[] hmac = Arrays.copyOfRange(bytes, at + NAME, at + NAME + KEY_32);
                byte[] aes = Arrays.copyOfRange(bytes, at + NAME + KEY_32, at + RECORD_80);
                keys.add(new OpenSslSessionTicketKey(keyName, reduce("hmac", hmac), reduce("aes", aes)));
                Arrays.fill(hmac, (byte) 0);
                Arrays.fill(aes, (byte) 0);
            }
        }
        return keys.toArray(OpenSslSessionTicketKey[]::new);
    }

    /** Fresh random keys, for a process without a key file (its tickets resume only with itself). */
    public static OpenSslSessionTicketKey[] random() {
        byte[] bytes = new byte[RECORD_48];
        new SecureRandom().nextBytes(bytes);
        try {
            return parse("random ticket key", bytes);
        } catch (TlsException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] reduce(String label, byte[] key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(("sluice ticket " + label).getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(sha256.digest(key), KEY_16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
