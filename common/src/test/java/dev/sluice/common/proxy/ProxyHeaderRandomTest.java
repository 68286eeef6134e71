package dev.sluice.common.proxy;

import dev.sluice.common.proxy.ProxyVectors.Vector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fuzz property over a fixed, seeded stream of inputs: random bytes, random v1 lines from the
 * v1 alphabet, random bytes behind the v2 signature, and mutations of every spec vector (byte
 * flips, truncations, insertions, length-field changes), each fed in random chunk sizes. Bounded in
 * count; deterministic, so a failure reproduces with the printed input.
 */
class ProxyHeaderRandomTest {
    private static final long SEED = 0x5EED_0003L;
    private static final int ITERATIONS = 3_000;
    private static final int MAX_CHUNK = 40;
    private static final byte[] V1_ALPHABET = "PROXY TCP46UNKOW0123456789abcdef.: \r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void anyBytesEndAsAHeaderARefusalOrAWait() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = switch (i % 4) {
                case 0 -> randomBytes(random, random.nextInt(0, 80));
                case 1 -> v1Line(random);
                case 2 -> ProxyTesting.concat(ProxyTesting.hex(ProxyVectors.SIGNATURE), randomBytes(random, random.nextInt(0, 300)));
                default -> mutate(random, ProxyVectors.VALID.get(random.nextInt(ProxyVectors.VALID.size())));
            };
            ProxyFuzzProperty.check(input, random.nextInt(1, MAX_CHUNK));
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] v1Line(SplittableRandom random) {
        byte[] line = new byte[random.nextInt(6, 112)];
        System.arraycopy("PROXY ".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 6);
        for (int i = 6; i < line.length; i++) {
            line[i] = V1_ALPHABET[random.nextInt(V1_ALPHABET.length)];
        }
        return line;
    }

    private static byte[] mutate(SplittableRandom random, Vector vector) {
        byte[] bytes = ProxyTesting.concat(vector.bytes(), "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int header = vector.bytes().length;
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int flips = random.nextInt(1, 4); flips > 0; flips--) {
                    bytes[random.nextInt(header)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(header));
            case 2 -> {
                int at = random.nextInt(header);
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                bytes = longer;
            }
            case 3 -> {
                if (header >= 16 && bytes[0] == 0x0D) {
                    bytes[14] = (byte) random.nextInt(256);  // the v2 length field
                    bytes[15] = (byte) random.nextInt(256);
                }
            }
            default -> bytes[random.nextInt(header)] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
