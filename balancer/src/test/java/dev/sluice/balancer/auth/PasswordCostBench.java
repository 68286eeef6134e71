package dev.sluice.balancer.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hand-run measurement (not a test): the CPU one password check takes on the event loop that
 * runs it, per scheme, and what a cached Authorization header costs afterwards. The limits in
 * {@link StoredPassword} come from it. Run after {@code mvn -pl balancer -am test-compile} with
 * {@code java -cp "balancer/target/classes:balancer/target/test-classes:balancer/target/lib/*"
 * dev.sluice.balancer.auth.PasswordCostBench}.
 */
public final class PasswordCostBench {

    private static final int WARMUP_ROUNDS = 3;
    private static final int CACHED_LOOKUPS = 2_000_000;
    /** Each hash with its password; made by openssl passwd and mkpasswd (see StoredPasswordTest). */
    private static final List<String[]> HASHES = List.of(
            new String[] {"secret1", "$1$abcdefgh$ywpTNDTYPzAT3Ohgseebp/"},
            new String[] {"secret5", "$5$abcdefgh$AVKsPBNtNFkXXKvvkrPMobKUZbm0i7P2XfVbwGW9BS/"},
            new String[] {"secret6", "$6$abcdefgh$xCmU6eXePqd8uT3.jYlk3Fgv/roflqiCi/twHrvHhPTT4qT0rTqu/3ZTFEf6uqFcl7eKyk81ngZEadU/ehEy51"},
            new String[] {"secretb", "$2b$05$ISIMluU0j1QhwZwnlCSVDeaPAIOyXZ/ygwjejAFheiY1oL6az2Yq."});

    private PasswordCostBench() {
    }

    public static void main(String[] args) {
        for (String[] pair : HASHES) {
            StoredPassword stored = StoredPassword.hashed(pair[1]);
            int checks = stored.scheme() == StoredPassword.Scheme.BCRYPT ? 50 : 500;
            double ms = 0;
            for (int round = 0; round <= WARMUP_ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < checks; i++) {
                    if (!stored.matches(pair[0])) {
                        throw new AssertionError(pair[1]);
                    }
                }
                ms = (System.nanoTime() - start) / 1e6 / checks;
            }
            System.out.printf("%-13s %8.3f ms per check%n", stored.scheme(), ms);
        }
        Userlist list = new Userlist("bench", Map.of("u", new Userlist.User("u",
                StoredPassword.hashed(HASHES.get(2)[1]), Set.of())), Set.of());
        String header = "Basic " + Base64.getEncoder().encodeToString("u:secret6".getBytes(StandardCharsets.UTF_8));
        double ns = 0;
        for (int round = 0; round <= WARMUP_ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < CACHED_LOOKUPS; i++) {
                if (list.authenticate(header) == null) {
                    throw new AssertionError("cached check failed");
                }
            }
            ns = (double) (System.nanoTime() - start) / CACHED_LOOKUPS;
        }
        System.out.printf("cached header %8.1f ns per check%n", ns);
    }
}
