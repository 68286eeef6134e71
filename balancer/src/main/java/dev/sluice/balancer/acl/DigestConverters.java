package dev.sluice.balancer.acl;

import dev.sluice.balancer.lb.HashFunction;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hash converters: the load-balancing hashes {@code sdbm}, {@code djb2}, {@code wt6}, {@code crc32}
 * (the same functions as {@code hash-type}) and {@code crc32c}, with the optional avalanche mix;
 * {@code xxh32}/{@code xxh64}/{@code xxh3} with a seed; and the JDK's digests behind {@code digest}, {@code sha1},
 * {@code sha2} and {@code hmac}, named as OpenSSL names them. Digest and MAC engines are per thread
 * and reused; output bytes go to a per-thread buffer.
 */
final class DigestConverters {

    /** OpenSSL digest names (lower case) and the JDK algorithm of each. */
    private static final Map<String, String> DIGESTS = Map.ofEntries(Map.entry("md5", "MD5"),
            Map.entry("sha1", "SHA-1"), Map.entry("sha224", "SHA-224"), Map.entry("sha256", "SHA-256"),
            Map.entry("sha384", "SHA-384"), Map.entry("sha512", "SHA-512"), Map.entry("sha512-224", "SHA-512/224"),
            Map.entry("sha512-256", "SHA-512/256"), Map.entry("sha3-224", "SHA3-224"),
            Map.entry("sha3-256", "SHA3-256"), Map.entry("sha3-384", "SHA3-384"), Map.entry("sha3-512", "SHA3-512"));
    private static final Map<String, String> MACS = Map.of("md5", "HmacMD5", "sha1", "HmacSHA1", "sha224",
            "HmacSHA224", "sha256", "HmacSHA256", "sha384", "HmacSHA384", "sha512", "HmacSHA512");
    private static final int CRC32C_POLYNOMIAL = 0x82F63B78;
    private static final int[] CRC32C_TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c >>> 1) ^ (-(c & 1) & CRC32C_POLYNOMIAL);
            }
            CRC32C_TABLE[n] = c;
        }
    }

    private DigestConverters() {
    }

    static Converters.Converter sdbm(String n, List<String> a, CompileContext c, String e) {
        return hash32(n, a, HashFunction.SDBM);
    }

    static Converters.Converter djb2(String n, List<String> a, CompileContext c, String e) {
        return hash32(n, a, HashFunction.DJB2);
    }

    static Converters.Converter wt6(String n, List<String> a, CompileContext c, String e) {
        return hash32(n, a, HashFunction.WT6);
    }

    static Converters.Converter crc32(String n, List<String> a, CompileContext c, String e) {
        return hash32(n, a, HashFunction.CRC32);
    }

    static Converters.Converter crc32c(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 1, new String[] {"integer"});
        boolean avalanche = avalanche(n, a);
        return integerOf(n, (s, from, to) -> {
            int h = crc32c(s, from, to);
            return (avalanche ? HashFunction.avalanche(h) : h) & 0xffff_ffffL;
        });
    }

    static int crc32c(CharSequence s, int from, int to) {
        int crc = ~0;
        for (int i = from; i < to; i++) {
            crc = CRC32C_TABLE[(crc ^ s.charAt(i)) & 0xff] ^ (crc >>> 8);
        }
        return ~crc;
    }

    private static Converters.Converter hash32(String name, List<String> args, HashFunction f) {
        Converters.arguments(name, args, 0, 1, new String[] {"integer"});
        boolean avalanche = avalanche(name, args);
        return integerOf(name, (s, from, to) -> {
            int h = f.hash(s, from, to);
            return (avalanche ? HashFunction.avalanche(h) : h) & 0xffff_ffffL;
        });
    }

    private static boolean avalanche(String name, List<String> args) {
        return !args.isEmpty() && !args.get(0).isEmpty() && Converters.integerArgument(name, args, 0) != 0;
    }

    static Converters.Converter xxh32(String n, List<String> a, CompileContext c, String e) {
        int seed = seed(n, a);
        return integerOf(n, (s, from, to) -> XxHash.xxh32(s, from, to, seed) & 0xffff_ffffL);
    }

    static Converters.Converter xxh64(String n, List<String> a, CompileContext c, String e) {
        long seed = seed(n, a);
        return integerOf(n, (s, from, to) -> XxHash.xxh64(s, from, to, seed));
    }

    static Converters.Converter xxh3(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 1, new String[] {"integer"});
        Long seed = a.isEmpty() || a.get(0).isEmpty() ? Long.valueOf(0) : Text.parseLong(a.get(0));
        if (seed == null) {
            throw AclException.invalid("invalid arg 1 in converter '" + n + "' : failed to parse '" + a.get(0)
                    + "' as type 'integer' at position 1.");
        }
        long s0 = seed;
        return integerOf(n, (s, from, to) -> Xxh3.hash(s, from, to, s0));
    }

    private static int seed(String name, List<String> args) {
        Converters.arguments(name, args, 0, 1, new String[] {"integer"});
        return args.isEmpty() || args.get(0).isEmpty() ? 0 : Converters.integerArgument(name, args, 0);
    }

    @FunctionalInterface
    private interface RangeHash {
        long hash(CharSequence s, int from, int to);
    }

    private static Converters.Converter integerOf(String name, RangeHash h) {
        return ConverterStages.of(name, SampleType.INT, false, next -> new ConverterStages.OfBinary() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                return next.integer(h.hash(s, from, to));
            }
        });
    }

    static Converters.Converter sha1(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, new String[0]);
        return digestOf(n, "SHA-1");
    }

    static Converters.Converter sha2(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 1, new String[] {"integer"});
        int bits = a.isEmpty() || a.get(0).isEmpty() ? 256 : Converters.integerArgument(n, a, 0);
        if (bits != 224 && bits != 256 && bits != 384 && bits != 512) {
            throw AclException.invalid("invalid args in converter '" + n + "' : Unsupported number of bits: '"
                    + bits + "'.");
        }
        return digestOf(n, "SHA-" + bits);
    }

    static Converters.Converter digest(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 1, new String[] {"string"});
        String algorithm = a.isEmpty() ? null : DIGESTS.get(a.get(0).toLowerCase(Locale.ROOT));
        if (algorithm == null) {
            throw AclException.invalid("invalid args in converter '" + n
                    + "' : algorithm must be a valid OpenSSL message digest name..");
        }
        return digestOf(n, algorithm);
    }

    private static Converters.Converter digestOf(String name, String algorithm) {
        ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("the JDK lacks " + algorithm, ex);
            }
        });
        digests.get(); // fails at compile time, not per request, if the JDK lacks it
        return bytesOut(name, (bytes, length) -> {
            MessageDigest md = digests.get();
            md.update(bytes, 0, length);
            return md.digest();
        }, false);
    }

    /**
     * {@code hmac(alg,key)}: the key is base64, given as text or as the name of a variable holding it
     * (decoded per request; a variable that is unset or not base64 fails the conversion).
     */
    static Converters.Converter hmac(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 2, 2, new String[] {"string", "string"});
        String algorithm = MACS.get(a.get(0).toLowerCase(Locale.ROOT));
        if (algorithm == null) {
            throw AclException.invalid("invalid args in converter '" + n
                    + "' : algorithm must be a valid OpenSSL message digest name..");
        }
        String keyArgument = a.get(1);
        boolean variable = Variables.checkName(keyArgument) == null;
        byte[] constantKey = variable ? null : base64Key(keyArgument);
        if (!variable && constantKey == null) {
            throw AclException.invalid("invalid args in converter '" + n + "' : failed to parse key : argument "
                    + "needs to be base64 encoded, and can either be a string or a variable.");
        }
        ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(algorithm);
                if (constantKey != null) {
                    mac.init(new SecretKeySpec(constantKey.length == 0 ? new byte[1] : constantKey, algorithm));
                }
                return mac;
            } catch (GeneralSecurityException ex) {
                throw new IllegalStateException("the JDK refuses " + algorithm, ex);
            }
        });
        macs.get();
        return bytesOut(n, (bytes, length) -> {
            Mac mac = macs.get();
            if (variable) {
                String text = ConverterStages.variableText(keyArgument);
                byte[] key = text == null ? null : base64Key(text);
                if (key == null || key.length == 0) {
                    return null;
                }
                try {
                    mac.init(new SecretKeySpec(key, algorithm));
                } catch (GeneralSecurityException ex) {
                    return null;
                }
            }
            mac.update(bytes, 0, length);
            return mac.doFinal();
        }, variable);
    }

    private static byte[] base64Key(String text) {
        StringBuilder b = new StringBuilder();
        if (!EncodingConverters.decode(text, 0, text.length(), b, 
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", true)) {
            return null;
        }
        byte[] key = new byte[b.length()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) b.charAt(i);
        }
        return key;
    }

    @FunctionalInterface
    private interface ByteFunction {
        /** The result bytes for input[0, length), or null to fail. */
        byte[] apply(byte[] input, int length);
    }

    private static Converters.Converter bytesOut(String name, ByteFunction f, boolean readsRequest) {
        ThreadLocal<byte[][]> input = ThreadLocal.withInitial(() -> new byte[][] {new byte[256]});
        ConverterStages.Scratch scratch = new ConverterStages.Scratch();
        return ConverterStages.of(name, SampleType.STR, readsRequest, next -> new ConverterStages.OfBinary() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                byte[][] holder = input.get();
                if (holder[0].length < to - from) {
                    holder[0] = new byte[Math.max(to - from, holder[0].length * 2)];
                }
                byte[] bytes = holder[0];
                for (int i = from; i < to; i++) {
                    bytes[i - from] = (byte) s.charAt(i);
                }
                byte[] out = f.apply(bytes, to - from);
                if (out == null) {
                    return false;
                }
                StringBuilder b = scratch.take();
                for (byte x : out) {
                    b.append((char) (x & 0xff));
                }
                return next.string(b, 0, b.length());
            }
        });
    }
}
