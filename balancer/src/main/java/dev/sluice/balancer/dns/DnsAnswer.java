package dev.sluice.balancer.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one resolution found, copied out of the DNS message (which is released at once).
 *
 * @param addresses  the A and AAAA records of the name, in answer order
 * @param services   the SRV records, in answer order
 * @param additional A and AAAA records of the additional section, by lower-case name (SRV targets)
 */
public record DnsAnswer(DnsStatus status, List<InetAddress> addresses, List<SrvRecord> services,
                        Map<String, List<InetAddress>> additional) {

    public DnsAnswer {
        Objects.requireNonNull(status, "status");
        addresses = List.copyOf(addresses);
        services = List.copyOf(services);
        additional = Map.copyOf(additional);
    }

    /** A failed resolution: no record. */
    public static DnsAnswer failed(DnsStatus status) {
        return new DnsAnswer(status, List.of(), List.of(), Map.of());
    }

    /** One SRV record: where the service runs ({@code target:port}) and its share ({@code weight}, 0..65535). */
    public record SrvRecord(String target, int port, int weight, int priority) {
        public SrvRecord {
            Objects.requireNonNull(target, "target");
            if (port < 0 || port > 65_535 || weight < 0 || weight > 65_535) {
                throw new IllegalArgumentException("SRV " + target + ": port " + port + ", weight " + weight);
            }
        }

        /**
         * The HAProxy weight of an SRV weight: SRV weights run 0..65535 and HAProxy's 0..256; HAProxy 2.6 rounds
         * {@code weight / 256} up, so that 0 stays 0 and any other weight takes traffic.
         */
        public int serverWeight() {
            return (weight + 255) / 256;
        }
    }
}
