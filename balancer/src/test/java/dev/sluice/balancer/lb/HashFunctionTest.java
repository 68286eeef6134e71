package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashFunctionTest {

    /**
     * Expected values printed by HAProxy 2.6.12's converters ({@code %[path,sdbm]} and so on, the suffix
     * {@code (1)} adding avalanche) for these request paths.
     */
    @ParameterizedTest
    @CsvSource({
        "/,          47,         177620,     1886637733, 2043925204, 2118074832, 3725504903, 2250254464, 2724628003",
        "/a,         3083250,    5861557,    1404582375, 1768979292, 1743195586, 3623408593, 652714202,  2112193429",
        "/ab,        394653936,  193431479,  1869341561, 319455837,  396286260,  2409132239, 1851505262, 3942477727",
        "/abc,       3135654771, 2088271610, 4175322074, 326170788,  2611440265, 1563166642, 2702208831, 2375596333",
        "/index.html,858007926,  3776231887, 822151038,  3928116034, 4217574924, 1889807916, 2986733765, 571229468",
        "/foo/bar,   293167099,  2455651740, 4074628548, 1044210063, 13067226,   2132070310, 1061727442, 3788580772",
        "/123456789, 4153285062, 927970609,  3345602750, 1881218467, 1204959296, 1462708290, 2092697068, 2312292288",
    })
    void matchesHaproxy(String key, long sdbm, long djb2, long wt6, long crc32,
                        long sdbmAv, long djb2Av, long wt6Av, long crc32Av) {
        assertEquals(sdbm, unsigned(HashFunction.SDBM.hash(key)), "sdbm");
        assertEquals(djb2, unsigned(HashFunction.DJB2.hash(key)), "djb2");
        assertEquals(wt6, unsigned(HashFunction.WT6.hash(key)), "wt6");
        assertEquals(crc32, unsigned(HashFunction.CRC32.hash(key)), "crc32");
        assertEquals(sdbmAv, unsigned(HashFunction.avalanche(HashFunction.SDBM.hash(key))), "sdbm avalanche");
        assertEquals(djb2Av, unsigned(HashFunction.avalanche(HashFunction.DJB2.hash(key))), "djb2 avalanche");
        assertEquals(wt6Av, unsigned(HashFunction.avalanche(HashFunction.WT6.hash(key))), "wt6 avalanche");
        assertEquals(crc32Av, unsigned(HashFunction.avalanche(HashFunction.CRC32.hash(key))), "crc32 avalanche");
    }

    @Test
    void formulasByHand() {
        // sdbm: h = c + (h << 6) + (h << 16) - h from 0: "a" = 97; "ab" = 98 + 97*64 + 97*65536 - 97 = 6363201
        assertEquals(97, HashFunction.SDBM.hash("a"));
        assertEquals(6363201, HashFunction.SDBM.hash("ab"));
        // djb2: h = 33h + c from 5381: "a" = 5381*33 + 97 = 177670; "ab" = 177670*33 + 98 = 5863208
        assertEquals(177670, HashFunction.DJB2.hash("a"));
        assertEquals(5863208, HashFunction.DJB2.hash("ab"));
        // the CRC-32 check value
        assertEquals(0xCBF43926, HashFunction.CRC32.hash("123456789"));
        // empty keys: each function's initial value, finished
        assertEquals(0, HashFunction.SDBM.hash(""));
        assertEquals(5381, HashFunction.DJB2.hash(""));
        assertEquals(0, HashFunction.CRC32.hash(""));
        assertEquals(0xa53c965a ^ 0x5ca6953a, HashFunction.WT6.hash(""));
    }

    @Test
    void crc32AgreesWithTheJdkOnRandomData() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[random.nextInt(0, 300)];
            random.nextBytes(data);
            CRC32 jdk = new CRC32();
            jdk.update(data);
            assertEquals(jdk.getValue(), unsigned(HashFunction.CRC32.hash(data)));
        }
    }

    @Test
    void bytesAndCharsHashAlike() {
        SplittableRandom random = new SplittableRandom(11);
        for (HashFunction f : HashFunction.values()) {
            for (int round = 0; round < 50; round++) {
                byte[] data = new byte[random.nextInt(0, 64)];
                random.nextBytes(data);
                String latin1 = new String(data, StandardCharsets.ISO_8859_1);
                assertEquals(f.hash(data), f.hash(latin1), f + " on round " + round);
                int from = data.length / 3;
                int to = data.length - data.length / 4;
                assertEquals(f.hash(data, from, to - from), f.hash(latin1, from, to), f + " on a slice");
            }
        }
    }

    @Test
    void noneReadsTheKeyAsADecimalInteger() {
        assertEquals(12345, HashFunction.NONE.hash("12345"));
        assertEquals(-7, HashFunction.NONE.hash("-7"));
        assertEquals(42, HashFunction.NONE.hash("+42abc"));
        assertEquals(0, HashFunction.NONE.hash("abc"));
        assertEquals((int) 4294967297L, HashFunction.NONE.hash("4294967297")); // low 32 bits: 1
        assertEquals((int) Long.MAX_VALUE, HashFunction.NONE.hash("99999999999999999999999"));
        assertEquals((int) Long.MIN_VALUE, HashFunction.NONE.hash("-99999999999999999999999"));
        assertEquals(HashFunction.NONE.hash("9876"), HashFunction.NONE.hash("9876".getBytes(StandardCharsets.US_ASCII)));
    }

    private static long unsigned(int v) {
        return Integer.toUnsignedLong(v);
    }
}
