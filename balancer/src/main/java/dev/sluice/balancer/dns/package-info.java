/**
 * Run-time DNS for {@code resolvers} sections: servers whose address (and, for SRV records, port and
 * weight) follows what name servers answer, as HAProxy 2.6 does. The choices (which address a server
 * takes, which SRV record fills which template slot, when a failure stops a server) are pure functions
 * in {@link dev.sluice.balancer.dns.AddressChoice}, {@link dev.sluice.balancer.dns.SrvSlots} and
 * {@link dev.sluice.balancer.dns.DnsStatus}; {@link dev.sluice.balancer.dns.DnsResolvers} only asks
 * and applies, on one event loop per section.
 */
package dev.sluice.balancer.dns;
