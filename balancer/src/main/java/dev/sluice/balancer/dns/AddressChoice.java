package dev.sluice.balancer.dns;

import dev.sluice.balancer.runtime.IpNetwork;
import dev.sluice.balancer.runtime.ServerResolution;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which address of an answer a server takes, by HAProxy 2.6's score: the preferred family counts 8, an
 * address inside {@code resolve-net} 4, one no other server of the backend with the same name holds 2,
 * the server's current address 1; the first best wins. With duplicates prevented (the default) an
 * address another server holds is not taken at all, so a template of N servers spreads over N addresses
 * and a server with none left waits in maintenance.
 */
public final class AddressChoice {

    private static final int FAMILY_SCORE = 8;
    private static final int NETWORK_SCORE = 4;
    private static final int FREE_SCORE = 2;
    private static final int CURRENT_SCORE = 1;

    private AddressChoice() {
    }

    /**
     * @param answers      the answer's addresses, in order
     * @param current      the server's address now, or null when it has none
     * @param heldByOthers whether another server of the backend with the same name holds an address
     * @return the address to take, or null when none may be taken
     */
    public static InetAddress pick(List<InetAddress> answers, ServerResolution resolution, InetAddress current,
                                   Predicate<InetAddress> heldByOthers) {
        InetAddress best = null;
        int bestScore = -1;
        for (InetAddress candidate : answers) {
            int score = 0;
            boolean v6 = candidate instanceof Inet6Address;
            if (v6 == (resolution.prefer() == ServerResolution.Family.IPV6)) {
                score += FAMILY_SCORE;
            }
            if (inNetworks(candidate, resolution.networks())) {
                score += NETWORK_SCORE;
            }
            if (heldByOthers.test(candidate)) {
                if (!resolution.allowsDuplicates()) {
                    continue;
                }
            } else {
                score += FREE_SCORE;
            }
            if (candidate.equals(current)) {
                score += CURRENT_SCORE;
            }
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    private static boolean inNetworks(InetAddress candidate, List<IpNetwork> networks) {
        for (IpNetwork network : networks) {
            if (network.contains(candidate)) {
                return true;
            }
        }
        return false;
    }
}
