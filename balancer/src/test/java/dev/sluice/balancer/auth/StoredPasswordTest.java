package dev.sluice.balancer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * crypt(3) checks against hashes made by other implementations: {@code openssl passwd -1/-5/-6}
 * (OpenSSL 3.0) and glibc/libxcrypt's {@code crypt()} (through Python's crypt module) for bcrypt and
 * {@code rounds=}, as Debian 12 makes them. The IT checks freshly made ones against both balancers.
 */
class StoredPasswordTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            MD5_CRYPT    | secret1  | $1$abcdefgh$ywpTNDTYPzAT3Ohgseebp/
            SHA256_CRYPT | secret5  | $5$abcdefgh$AVKsPBNtNFkXXKvvkrPMobKUZbm0i7P2XfVbwGW9BS/
            SHA512_CRYPT | secret6  | $6$abcdefgh$xCmU6eXePqd8uT3.jYlk3Fgv/roflqiCi/twHrvHhPTT4qT0rTqu/3ZTFEf6uqFcl7eKyk81ngZEadU/ehEy51
            SHA256_CRYPT | secret5r | $5$rounds=10000$saltsalt$bJHni2hpzbAzT/AU13Xk1QTByiE43xQZPU0sLFQI3m8
            SHA512_CRYPT | pässwörd | $6$saltsalt$TQjRhpJdqmLx0U8it3EsUajwkmOMMvw5vhUFc7mohzFFoj/QHrfYUHU1oSkwyCEoTUCDOiAOW135nel3bqtKe.
            SHA256_CRYPT | p:ss wörd | $5$s4lt$GmkPxQFzsaDAUmumlA4zUJmbkNy/JOI9SNUjmK0ljS2
            BCRYPT       | secretb  | $2b$05$ISIMluU0j1QhwZwnlCSVDeaPAIOyXZ/ygwjejAFheiY1oL6az2Yq.
            BCRYPT       | secretb  | $2y$05$abcdefghijklmnopqrstuuoyfH1hG3/DG9UsjIAJ8ITH3yQjQIxsi
            BCRYPT       | secretb  | $2a$05$abcdefghijklmnopqrstuuoyfH1hG3/DG9UsjIAJ8ITH3yQjQIxsi
            """)
    void checksHashesMadeElsewhere(StoredPassword.Scheme scheme, String password, String hash) {
        StoredPassword stored = StoredPassword.hashed(hash);
        assertEquals(scheme, stored.scheme());
        assertTrue(stored.matches(password));
        assertFalse(stored.matches(password + "x"));
        assertFalse(stored.matches(""));
        assertFalse(stored.matches(password.toUpperCase()));
    }

    @Test
    void clearTextComparesExactly() {
        StoredPassword clear = StoredPassword.clear("plain");
        assertTrue(clear.matches("plain"));
        assertFalse(clear.matches("plain "));
        assertFalse(clear.matches("Plain"));
        assertEquals("insecure-password", clear.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "$9$zzz$abc", "$y$j9T$abc$def", "$3$abc", "x$5$abcdefgh$AVKsPBNtNFkXXKvvkrPMobKUZbm0i7P2XfVbwGW9BS/",
            "$1$abcdefgh$short", "$2b$05$tooshort", "abJnggxhB/yWI"})
    void refusesUnknownOrMalformedHashes(String hash) {
        var e = assertThrows(IllegalArgumentException.class, () -> StoredPassword.hashed(hash));
        assertTrue(e.getMessage().contains("unsupported or malformed password hash"), e.getMessage());
        assertFalse(hash.length() > 8 && e.getMessage().contains(hash), "a whole hash is never echoed");
    }

    @Test
    void refusesADigestOfTheWrongLength() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> StoredPassword.hashed("$6$abcdefgh$AVKsPBNtNFkXXKvvkrPMobKUZbm0i7P2XfVbwGW9BS/"));
        assertEquals("malformed $6$ hash: the digest part has 43 characters (expected: 86)", e.getMessage());
    }

    @Test
    void costlyHashesAreAcceptedWithAWarningAsHaproxyAcceptsThem() {
        StoredPassword rounds = StoredPassword.hashed("$5$rounds=50001$saltsalt$bJHni2hpzbAzT/AU13Xk1QTByiE43xQZPU0sLFQI3m8");
        assertTrue(rounds.costWarning().startsWith("$5$ rounds=50001 makes each first check"), rounds.costWarning());
        StoredPassword bcrypt = StoredPassword.hashed("$2b$12$ISIMluU0j1QhwZwnlCSVDeaPAIOyXZ/ygwjejAFheiY1oL6az2Yq.");
        assertTrue(bcrypt.costWarning().startsWith("bcrypt cost 12 makes each first check"), bcrypt.costWarning());
        assertTrue(bcrypt.costWarning().contains("about 192 ms"), bcrypt.costWarning());
        // At the limits themselves, no warning.
        assertEquals(null, StoredPassword.hashed("$5$rounds=50000$saltsalt$bJHni2hpzbAzT/AU13Xk1QTByiE43xQZPU0sLFQI3m8")
                .costWarning());
        assertEquals(null, StoredPassword.hashed("$2b$08$ISIMluU0j1QhwZwnlCSVDeaPAIOyXZ/ygwjejAFheiY1oL6az2Yq.")
                .costWarning());
        var cost = assertThrows(IllegalArgumentException.class,
                () -> StoredPassword.hashed("$2b$32$ISIMluU0j1QhwZwnlCSVDeaPAIOyXZ/ygwjejAFheiY1oL6az2Yq."));
        assertEquals("bcrypt cost 32 out of range (expected: 4 to 31)", cost.getMessage());
    }
}
