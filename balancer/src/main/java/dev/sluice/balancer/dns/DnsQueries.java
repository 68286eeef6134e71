package dev.sluice.balancer.dns;

import dev.sluice.balancer.runtime.ResolversPlan;
import dev.sluice.balancer.runtime.ServerResolution;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The queries of one {@code resolvers} section, on one event loop, never blocking: every name server is
 * asked at once and the first valid answer wins; when all fail, the last failure counts (HAProxy 2.6,
 * configuration.txt 5.3.2). A query without an answer within {@code timeout retry} is sent again, up to
 * {@code resolve_retries} times; an address query that fails asks for the other family before giving up.
 */
final class DnsQueries implements AutoCloseable {

    private final ResolversPlan plan;
    private final EventLoop loop;
    private final Class<? extends DatagramChannel> channelClass;
    /** Made on the loop at the first query (its channel registers there); null until then. */
    private DnsNameResolver resolver;
    private boolean closed;

    DnsQueries(ResolversPlan plan, EventLoop loop, Class<? extends DatagramChannel> channelClass) {
        this.plan = plan;
        this.loop = loop;
        this.channelClass = channelClass;
    }

    /** The resolver, made at first use on the loop; null when the section has no name server or is closed. */
    private DnsNameResolver resolver() {
        if (resolver == null && !closed && !plan.nameservers().isEmpty()) {
            resolver = new DnsNameResolverBuilder(loop)
                    .datagramChannelType(channelClass)
                    .nameServerProvider(new SequentialDnsServerAddressStreamProvider(plan.nameservers()))
                    .resolveCache(NoopDnsCache.INSTANCE)
                    .queryTimeoutMillis(plan.timeoutRetry().toMillis())
                    .maxPayloadSize(plan.acceptedPayloadSize())
                    .optResourceEnabled(true)
                    .recursionDesired(true)
                    .build();
        }
        return resolver;
    }

    EventLoop loop() {
        return loop;
    }

    /** The A and AAAA records of {@code name}: the preferred family first, then the other. */
    Future<DnsAnswer> addresses(String name, ServerResolution.Family prefer) {
        DnsRecordType first = prefer == ServerResolution.Family.IPV6 ? DnsRecordType.AAAA : DnsRecordType.A;
        DnsRecordType second = first == DnsRecordType.A ? DnsRecordType.AAAA : DnsRecordType.A;
        Promise<DnsAnswer> result = loop.newPromise();
        ask(name, first, 1).addListener(f -> {
            DnsAnswer answer = answerOf(f);
            if (answer.status() == DnsStatus.VALID) {
                result.setSuccess(answer);
                return;
            }
            ask(name, second, 1).addListener(g -> {
                DnsAnswer other = answerOf(g);
                result.setSuccess(other.status() == DnsStatus.VALID ? other : answer);
            });
        });
        return result;
    }

    /** The SRV records of {@code label} ({@code _service._proto.name}). */
    Future<DnsAnswer> services(String label) {
        return ask(label, DnsRecordType.SRV, 1);
    }

    @SuppressWarnings("unchecked")
    private static DnsAnswer answerOf(Future<?> future) {
        return future.isSuccess() ? ((Future<DnsAnswer>) future).getNow() : DnsAnswer.failed(DnsStatus.OTHER);
    }

    private Future<DnsAnswer> ask(String name, DnsRecordType type, int attempt) {
        Promise<DnsAnswer> result = loop.newPromise();
        DnsNameResolver resolver = resolver();
        if (resolver == null) {
            // No name server to ask: as if none answered.
            return result.setSuccess(DnsAnswer.failed(DnsStatus.TIMEOUT));
        }
        List<InetSocketAddress> servers = plan.nameservers();
        int[] pending = {servers.size()};
        DnsAnswer[] lastFailure = {null};
        for (InetSocketAddress server : servers) {
            resolver.query(server, new DefaultDnsQuestion(name, type)).addListener(f -> {
                DnsAnswer answer;
                if (f.isSuccess()) {
                    @SuppressWarnings("unchecked")
                    AddressedEnvelope<DnsResponse, InetSocketAddress> envelope =
                            (AddressedEnvelope<DnsResponse, InetSocketAddress>) f.getNow();
                    try {
                        answer = read(envelope.content(), type);
                    } finally {
                        envelope.release();
                    }
                } else {
                    answer = DnsAnswer.failed(f.cause() instanceof DnsNameResolverTimeoutException
                            ? DnsStatus.TIMEOUT : DnsStatus.OTHER);
                }
                pending[0]--;
                if (result.isDone()) {
                    return;
                }
                if (answer.status() == DnsStatus.VALID) {
                    result.setSuccess(answer);
                    return;
                }
                lastFailure[0] = answer;
                if (pending[0] == 0) {
                    if (lastFailure[0].status() == DnsStatus.TIMEOUT && attempt < plan.resolveRetries()) {
                        ask(name, type, attempt + 1).addListener(g -> result.setSuccess(answerOf(g)));
                    } else {
                        result.setSuccess(lastFailure[0]);
                    }
                }
            });
        }
        return result;
    }

    /** Copies what a response says about {@code type} out of it; the caller releases the response. */
    static DnsAnswer read(DnsResponse response, DnsRecordType type) {
        DnsResponseCode code = response.code();
        if (code == DnsResponseCode.NXDOMAIN) {
            return DnsAnswer.failed(DnsStatus.NX);
        }
        if (code == DnsResponseCode.REFUSED) {
            return DnsAnswer.failed(DnsStatus.REFUSED);
        }
        if (code != DnsResponseCode.NOERROR) {
            return DnsAnswer.failed(DnsStatus.OTHER);
        }
        List<InetAddress> addresses = new ArrayList<>();
        List<DnsAnswer.SrvRecord> services = new ArrayList<>();
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            if (!(record instanceof DnsRawRecord raw) || !record.type().equals(type)) {
                continue;
            }
            if (type == DnsRecordType.SRV) {
                DnsAnswer.SrvRecord srv = srv(raw.content());
                if (srv != null) {
                    services.add(srv);
                }
            } else {
                InetAddress address = address(raw);
                if (address != null) {
                    addresses.add(address);
                }
            }
        }
        Map<String, List<InetAddress>> additional = new HashMap<>();
        for (int i = 0; i < response.count(DnsSection.ADDITIONAL); i++) {
            DnsRecord record = response.recordAt(DnsSection.ADDITIONAL, i);
            if (record instanceof DnsRawRecord raw
                    && (record.type() == DnsRecordType.A || record.type() == DnsRecordType.AAAA)) {
                InetAddress address = address(raw);
                if (address != null) {
                    additional.computeIfAbsent(SrvSlots.key(record.name()), k -> new ArrayList<>()).add(address);
                }
            }
        }
        if (addresses.isEmpty() && services.isEmpty()) {
            // HAProxy's "no answer": the name exists but has no record of this type.
            return DnsAnswer.failed(DnsStatus.OTHER);
        }
        return new DnsAnswer(DnsStatus.VALID, addresses, services, additional);
    }

    private static InetAddress address(DnsRawRecord raw) {
        ByteBuf content = raw.content();
        int expected = raw.type() == DnsRecordType.A ? 4 : 16;
        if (content.readableBytes() != expected) {
            return null;
        }
        byte[] bytes = new byte[expected];
        content.getBytes(content.readerIndex(), bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** RFC 2782: priority, weight, port, then the target's name; null when malformed. */
    private static DnsAnswer.SrvRecord srv(ByteBuf content) {
        ByteBuf in = content.duplicate();
        if (in.readableBytes() < 7) {
            return null;
        }
        int priority = in.readUnsignedShort();
        int weight = in.readUnsignedShort();
        int port = in.readUnsignedShort();
        try {
            String target = DefaultDnsRecordDecoder.decodeName(in);
            return new DnsAnswer.SrvRecord(target, port, weight, priority);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Closes the resolver; call on the loop. */
    @Override
    public void close() {
        closed = true;
        if (resolver != null) {
            resolver.close();
            resolver = null;
        }
    }
}
